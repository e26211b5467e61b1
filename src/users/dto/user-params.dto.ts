import { Matches } from 'class-validator';

export class UserIdParam {
  /** A user id: the account's `sub` (letters, digits, `_` and `-`, at most 128). */
  @Matches(/^[A-Za-z0-9_-]{1,128}$/, { message: 'id must be 1-128 letters, digits, "_" or "-"' })
  id!: string;
}

export class UsernameParam {
  /** A username, any case. */
  @Matches(/^[A-Za-z0-9._]{1,30}$/, { message: 'username must be 1-30 letters, digits, dots or underscores' })
  username!: string;
}
