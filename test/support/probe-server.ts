import { connect, type Socket } from 'node:net';
import request from 'supertest';
import { signIn, type SignedIn } from './app.js';
import { spawnServer, type ServerProcess, UNLIMITED_RATES } from './server-process.js';

/** How long the probed server lets a request body take (HTTP_BODY_TIMEOUT_MS). */
export const BODY_TIMEOUT_MS = 1_000;
/**
 * How long a probe waits for an answer before it counts as a hang: far past any answer's time and short of the
 * test's own timeout, so a hang fails with the case's name. A guard, not a latency figure (those are the bench's).
 */
export const HANG_MS = 10_000;

/** A value as JSON in base64url: how cursors and token parts are forged. */
export const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** What came back on one raw connection. */
export interface RawAnswer {
  readonly text: string;
  readonly ms: number;
  /** The connection was still open when the probe stopped waiting for it (`waitMs`). */
  readonly timedOut: boolean;
}

/** Sends raw bytes on one connection and collects what comes back until the server closes it or `waitMs` passes. */
export function raw(port: number, write: (socket: Socket) => void, waitMs: number): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const started = performance.now();
    const socket = connect(port, '127.0.0.1');
    let text = '';
    const done = (timedOut: boolean): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ text, ms: performance.now() - started, timedOut });
    };
    const timer = setTimeout(() => done(true), waitMs);
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
    socket.on('error', () => done(false));
    socket.on('close', () => done(false));
    write(socket);
  });
}

/** Starts a GET and cuts the connection as soon as the first bytes of the body (past the headers) arrived. */
export function abortedDownload(url: string): Promise<void> {
  const { port, pathname, search } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), '127.0.0.1');
    let received = '';
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      const headersEnd = received.indexOf('\r\n\r\n');
      if (headersEnd !== -1 && received.length > headersEnd + 4) {
        socket.destroy();
      }
    });
    socket.on('close', () => resolve());
    socket.on('error', () => resolve());
    socket.write(`GET ${pathname}${search} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
  });
}

/** One server process under attack for a spec file, and the checks every case goes through. */
export interface ProbeSuite {
  readonly sut: ServerProcess;
  readonly port: number;
  readonly ann: SignedIn;
  /** Signed in as __proto__@example.com. */
  readonly bob: SignedIn;
  /** A request to the probed server. */
  http(): ReturnType<typeof request>;
  /** A request to the probed server signed in as ann. */
  asAnn(method: 'get' | 'put' | 'post' | 'patch' | 'delete', path: string): request.Test;
  expectAlive(): Promise<void>;
  /** Runs one case through supertest, records it, and checks it was the expected answer and the process lives on. */
  attack(name: string, send: () => request.Test, expected: number | number[]): Promise<request.Response>;
  /** Records a case sent over a raw connection, for the closing summary. */
  record(name: string, answer: RawAnswer): void;
}

/**
 * Starts the server before the file's tests and stops it after them, printing a summary of the cases; the suite's
 * fields are there from the first test on.
 */
export function probeSuite(title: string): ProbeSuite {
  const cases: { name: string; status: number; ms: number }[] = [];
  const state: { sut?: ServerProcess; port?: number; ann?: SignedIn; bob?: SignedIn } = {};
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) {
      throw new Error('the probed server is there only inside a test');
    }
    return value;
  };

  beforeAll(async () => {
    state.sut = await spawnServer({
      STORE: 'memory',
      ...UNLIMITED_RATES,
      HTTP_BODY_TIMEOUT_MS: String(BODY_TIMEOUT_MS),
    });
    state.port = Number(new URL(state.sut.baseUrl).port);
    [state.ann, state.bob] = await Promise.all([
      signIn(state.sut.baseUrl, 'ann@example.com'),
      signIn(state.sut.baseUrl, '__proto__@example.com'),
    ]);
  }, 60_000);

  afterAll(async () => {
    const { sut } = state;
    sut?.child.kill('SIGTERM');
    await sut?.exited;
    const statuses = cases.reduce<Record<number, number>>(
      (counts, item) => ({ ...counts, [item.status]: (counts[item.status] ?? 0) + 1 }),
      {},
    );
    const slowest = Math.max(...cases.map((item) => item.ms));
    process.stdout.write(
      `${title}: ${cases.length} cases, statuses ${JSON.stringify(statuses)}, slowest ${slowest.toFixed(0)} ms, ` +
        `process exits: ${sut?.child.exitCode === 0 ? 'none (clean stop at the end)' : String(sut?.child.exitCode)}\n`,
    );
  });

  const suite: ProbeSuite = {
    get sut() {
      return ready(state.sut);
    },
    get port() {
      return ready(state.port);
    },
    get ann() {
      return ready(state.ann);
    },
    get bob() {
      return ready(state.bob);
    },
    http: () => request(suite.sut.baseUrl),
    asAnn: (method, path) => suite.http()[method](path).set('Authorization', suite.ann.auth),
    async expectAlive() {
      expect(suite.sut.child.exitCode).toBeNull();
      await suite.http().get('/healthz').timeout(HANG_MS).expect(200);
    },
    async attack(name, send, expected) {
      const started = performance.now();
      let res: request.Response;
      try {
        res = await send().timeout(HANG_MS);
      } catch (error) {
        throw new Error(`${name}: no answer`, { cause: error });
      }
      cases.push({ name, status: res.status, ms: performance.now() - started });
      const allowed = Array.isArray(expected) ? expected : [expected];
      expect({ name, status: allowed.includes(res.status) ? 'as expected' : res.status }).toEqual({
        name,
        status: 'as expected',
      });
      await suite.expectAlive();
      return res;
    },
    record(name, answer) {
      cases.push({ name, status: Number(answer.text.slice(9, 12)), ms: answer.ms });
    },
  };
  return suite;
}
