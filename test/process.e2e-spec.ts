import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { connect } from 'node:net';
import { join } from 'node:path';
import { freePort, runServerToExit, spawnServer } from './support/server-process.js';
import { waitFor } from './support/wait-for.js';

const CONTINUE = 'HTTP/1.1 100 Continue\r\n\r\n';

/** Whether something accepts a TCP connection on the port. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = connect(port, '127.0.0.1');
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
}

describe('the server process (e2e)', () => {
  let dataDir: string;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'picfeed-process-'));
  });

  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('should stop on a bad setting with one line that names it', async () => {
    const { code, output } = await runServerToExit({ PORT: 'eighty', DATA_DIR: dataDir });

    expect(code).toBe(1);
    expect(output).toBe('picfeed: PORT must be an integer from 1 to 65535, got "eighty"\n');
  });

  it('should refuse a second process on the same data directory', async () => {
    const first = await spawnServer({ DATA_DIR: dataDir });
    try {
      const second = await runServerToExit({ DATA_DIR: dataDir, PORT: String(await freePort()) });

      expect(second.code).toBe(1);
      expect(second.output).toMatch(/\npicfeed: data directory \S+ is in use by process \d+\n$/);
    } finally {
      first.child.kill('SIGTERM');
      await first.exited;
    }
  }, 30_000);

  it('should finish a request in flight on SIGTERM, refuse new ones with 503 while draining, then exit and release the data directory', async () => {
    const server = await spawnServer({ DATA_DIR: dataDir });
    const port = Number(new URL(server.baseUrl).port);
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
    const closed = new Promise((resolve) => socket.once('close', resolve));
    // `Expect: 100-continue` makes the server say when it has taken the request in: that is when it is in flight.
    socket.write(
      'POST /v1/anything HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 11\r\nExpect: 100-continue\r\n\r\n{"a":',
    );
    await waitFor(() => answer.startsWith(CONTINUE), { what: 'the server to take the request in', timeoutMs: 10_000 });

    server.child.kill('SIGTERM');
    await waitFor(() => server.output().includes('SIGTERM: refusing new requests'), {
      what: 'the server to start draining',
      timeoutMs: 10_000,
    });
    const draining = await fetch(`${server.baseUrl}/v1/me`);
    const ready = await fetch(`${server.baseUrl}/readyz`);
    await waitFor(async () => !(await accepts(port)), {
      what: 'the draining server to close its listener',
      timeoutMs: 10_000,
    });
    const refused = await fetch(`${server.baseUrl}/healthz`).then(
      () => 'answered',
      (error: Error) => (error.cause as { code?: string } | undefined)?.code,
    );
    socket.end('"bcd"}');
    await closed;

    expect(answer).toMatch(/^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 404 Not Found/);
    expect([draining.status, draining.headers.get('retry-after'), draining.headers.get('connection')]).toEqual([
      503,
      '1',
      'close',
    ]);
    expect(ready.status).toBe(503);
    expect(refused).toBe('ECONNREFUSED');
    expect(await server.exited).toBe(0);
    expect(server.output()).toContain('"message":"stopped"');
    const next = await spawnServer({ DATA_DIR: dataDir });
    next.child.kill('SIGTERM');
    expect(await next.exited).toBe(0);
  }, 30_000);
});
