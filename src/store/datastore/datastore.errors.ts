import { StoreUnavailableError, TransactionAbortedError } from '../store.errors.js';

/** gRPC status codes the adapter tells apart. */
export const GrpcStatus = {
  CANCELLED: 1,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  ALREADY_EXISTS: 6,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  UNAVAILABLE: 14,
} as const;

interface RpcError {
  readonly code?: unknown;
  readonly details?: unknown;
  readonly message?: unknown;
}

export function rpcCode(error: unknown): unknown {
  return (error as RpcError | undefined)?.code;
}

export function rpcDetails(error: unknown): string {
  const { details, message } = (error ?? {}) as RpcError;
  return typeof details === 'string' && details !== '' ? details : String(message);
}

const UNAVAILABLE: readonly unknown[] = [
  GrpcStatus.CANCELLED,
  GrpcStatus.DEADLINE_EXCEEDED,
  GrpcStatus.RESOURCE_EXHAUSTED,
  GrpcStatus.UNAVAILABLE,
];

/** The translations every call shares; call-specific ones (insert conflicts, indexes, cursors) come first. */
export function translateError(error: unknown): unknown {
  const code = rpcCode(error);
  const details = rpcDetails(error);
  if (code === GrpcStatus.ABORTED || /too much contention/i.test(details)) {
    return new TransactionAbortedError(details);
  }
  // A transaction that expired or was rolled back under us: a fresh attempt can still succeed.
  if (code === GrpcStatus.INVALID_ARGUMENT && /transaction.*(expired|invalid|no longer valid)/i.test(details)) {
    return new TransactionAbortedError(details);
  }
  if (UNAVAILABLE.includes(code) || (typeof code === 'string' && /^E[A-Z]+$/.test(code))) {
    return new StoreUnavailableError(`Datastore unavailable: ${details}`);
  }
  return error;
}
