// autocannon runs, reduced to the figures the report shows.
import autocannon from 'autocannon';

/**
 * @typedef {{ rps: number, p50: number, p90: number, p99: number, total: number, ok: number, non2xx: number,
 *   errors: number, seconds: number }} LoadFigures
 */

/**
 * One autocannon run. `requests` as autocannon takes them (setupRequest / onResponse allowed).
 * @param {{ url: string, connections: number, seconds: number, requests?: object[], headers?: Record<string, string>,
 *   method?: string, path?: string }} options
 * @returns {Promise<LoadFigures>}
 */
export async function load(options) {
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.seconds,
    ...(options.headers ? { headers: options.headers } : {}),
    ...(options.method ? { method: options.method } : {}),
    ...(options.requests ? { requests: options.requests } : {}),
    timeout: 10,
    renderProgressBar: false,
    renderResultsTable: false,
  });
  const ok = result['2xx'];
  return {
    rps: Math.round(ok / result.duration),
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    total: result.requests.total,
    ok,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    seconds: result.duration,
  };
}

/**
 * The run whose `key` is the median of several.
 * @template T @param {T[]} runs @param {(run: T) => number} key @returns {T}
 */
export function median(runs, key) {
  const sorted = [...runs].sort((a, b) => key(a) - key(b));
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

/** @param {number[]} values @param {number} q */
export function percentile(values, q) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}
