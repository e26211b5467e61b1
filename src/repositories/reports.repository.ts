import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { resumeCursor } from '../store/query-page.js';
import { Store } from '../store/store.js';
import type { Entity, Key } from '../store/store.types.js';

export type ReportTarget = 'post' | 'comment' | 'user';

export interface ReportRecord {
  id: string;
  reporter: string;
  targetType: ReportTarget;
  targetId: string;
  reason: string;
  note: string | null;
  createdAt: Date;
}

type ReportData = Omit<ReportRecord, 'id'>;

const REPORT_KIND = 'Report';
const reportKey = (id: string): Key => ({ kind: REPORT_KIND, name: id });

/** A report's id names the reporter and the target: one report per reporter and target, whatever the retries. */
export function reportId(reporter: string, targetType: ReportTarget, targetId: string): string {
  return createHash('sha256').update(`${reporter}\n${targetType}\n${targetId}`).digest('hex').slice(0, 32);
}

/** Reports of abuse, listed newest first for admins (the built-in index on createdAt). */
@Injectable()
export class ReportsRepository {
  constructor(private readonly store: Store) {}

  /** Stores the report, or answers the one this reporter made of this target already. */
  add(report: Omit<ReportRecord, 'id' | 'createdAt'>): Promise<ReportRecord> {
    const id = reportId(report.reporter, report.targetType, report.targetId);
    return this.store.runInTransaction(async (tx) => {
      const [found] = await tx.get<ReportData>([reportKey(id)]);
      if (found) {
        return toRecord(found);
      }
      const data: ReportData = { ...report, createdAt: new Date() };
      tx.insert([{ key: reportKey(id), data, excludeFromIndexes: ['reason', 'note', 'targetId', 'reporter'] }]);
      return { id, ...data };
    });
  }

  async page(limit: number, cursor?: string): Promise<{ reports: ReportRecord[]; cursor?: string }> {
    const result = await this.store.query<ReportData>({
      kind: REPORT_KIND,
      orders: [{ property: 'createdAt', direction: 'desc' }],
      limit,
      startCursor: cursor,
    });
    return { reports: result.entities.map(toRecord), cursor: resumeCursor(result, limit) };
  }

  /** Dismisses a report; resolves to whether it existed. */
  remove(id: string): Promise<boolean> {
    return this.store.runInTransaction(async (tx) => {
      const [found] = await tx.get([reportKey(id)]);
      if (found) {
        tx.delete([reportKey(id)]);
      }
      return found !== undefined;
    });
  }
}

function toRecord(entity: Entity<ReportData>): ReportRecord {
  const { reporter, targetType, targetId, reason, note, createdAt } = entity.data;
  return { id: entity.key.name, reporter, targetType, targetId, reason, note: note ?? null, createdAt };
}
