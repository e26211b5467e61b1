import { Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '../common/errors.js';
import { Store } from '../store/store.js';

const READINESS_TIMEOUT_MS = 2_000;

@Injectable()
export class HealthService {
  private draining = false;

  constructor(private readonly store: Store) {}

  /** From now on readiness fails, so the load balancer stops sending new work while in-flight requests finish. */
  startDraining(): void {
    this.draining = true;
  }

  get isDraining(): boolean {
    return this.draining;
  }

  async checkReadiness(): Promise<{ status: 'ready' }> {
    if (this.draining) {
      throw new DomainError(ErrorCode.ShuttingDown, 'shutting down');
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('store did not answer in time')), READINESS_TIMEOUT_MS);
    });
    try {
      await Promise.race([this.store.ping(), timeout]);
    } catch {
      throw new DomainError(ErrorCode.NotReady, 'store unreachable');
    } finally {
      clearTimeout(timer);
    }
    return { status: 'ready' };
  }
}
