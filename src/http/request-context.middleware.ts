import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { type CostMeter, runMetered } from '../common/cost-meter.js';
import type { JsonLogger } from '../common/logging/json-logger.js';
import { runWithRequestContext, type RequestContext } from '../common/request-context.js';

const REQUEST_ID = /^[\w.-]{1,64}$/;
const TRACE_HEADER = /^([0-9a-f]{32})(?:\/\d+)?(?:;o=\d)?$/i;

/**
 * Gives every request an id (kept from X-Request-Id when sane), runs it inside its RequestContext,
 * adds Server-Timing with the store round trips it made, and logs it once when it ends.
 */
export function requestContextMiddleware(logger: JsonLogger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = performance.now();
    const incoming = req.header('x-request-id');
    const context: RequestContext = {
      requestId: incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID(),
      trace: TRACE_HEADER.exec(req.header('x-cloud-trace-context') ?? '')?.[1],
    };
    const cost: CostMeter = { storeCalls: 0, storeMs: 0 };
    res.setHeader('X-Request-Id', context.requestId);
    const writeHead = res.writeHead.bind(res);
    res.writeHead = ((...args: Parameters<typeof writeHead>) => {
      if (!res.headersSent) {
        res.setHeader('Server-Timing', serverTiming(cost, performance.now() - started));
      }
      return writeHead(...args);
    }) as typeof writeHead;
    res.on('finish', () =>
      runWithRequestContext(context, () =>
        logger.request({
          requestMethod: req.method,
          requestUrl: req.originalUrl,
          status: res.statusCode,
          latency: `${((performance.now() - started) / 1000).toFixed(4)}s`,
          userAgent: req.header('user-agent'),
          remoteIp: req.ip,
          responseSize: res.getHeader('content-length')?.toString(),
        }),
      ),
    );
    runWithRequestContext(context, () => runMetered(cost, next));
  };
}

function serverTiming(cost: CostMeter, totalMs: number): string {
  // Calls that went out together (a lookup split at 1,000 keys, a query beside a lookup) are one wait: when some
  // did, the description says how many one after the other.
  const waves = cost.storeWaves ?? cost.storeCalls;
  const calls = `${cost.storeCalls} call${cost.storeCalls === 1 ? '' : 's'}${waves < cost.storeCalls ? `, ${waves} in sequence` : ''}`;
  return `store;desc="${calls}";dur=${cost.storeMs.toFixed(1)}, app;dur=${totalMs.toFixed(1)}`;
}
