import { Store } from '../store/store.js';
import { MembershipReader } from './membership-reader.js';
import { MembershipWriter } from './membership-writer.js';
import { MembershipKeys } from './membership.keys.js';
import type { MembershipSettings } from './membership.settings.js';

/**
 * A set of members per owner kept without a hot entity: members live in batch entities, a few open at a time;
 * a per-(owner, member) marker written in the same transaction makes repeats no-ops; the count is the sum of
 * small counter shards, one per slot. `read` lists and counts; `write` changes, through group commits.
 */
export class Membership<S extends MembershipSettings> {
  readonly read: MembershipReader<S>;
  readonly write: MembershipWriter;

  constructor(store: Store, settings: S) {
    const keys = new MembershipKeys(settings);
    this.read = new MembershipReader(store, settings, keys);
    this.write = new MembershipWriter(store, settings, keys, this.read);
  }
}
