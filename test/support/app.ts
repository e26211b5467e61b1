import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { createApp } from '../../src/app.setup.js';
import { type AppConfig, loadConfig } from '../../src/config/app-config.js';
import type { StoreTaskQueue } from '../../src/tasks/store-task-queue.js';
import { TaskQueue } from '../../src/tasks/task-queue.js';

export interface TestApp {
  app: NestExpressApplication;
  logs: Record<string, unknown>[];
  /** Resolves once the in-process queue has run every task that is due (fan-outs, backfills, clean-ups). */
  settled(): Promise<void>;
  close(): Promise<void>;
}

/** The real app on the in-memory embedded store, its JSON log lines captured instead of printed. */
export async function startTestApp(
  env: Record<string, string> = {},
  overrides: Partial<AppConfig> = {},
): Promise<TestApp> {
  const logs: Record<string, unknown>[] = [];
  const config = Object.assign(loadConfig({ STORE: 'memory', LOG_LEVEL: 'info', ...env }), overrides);
  const app = await createApp(config, (line) => logs.push(JSON.parse(line) as Record<string, unknown>));
  await app.init();
  const settled = () => app.get<TaskQueue, StoreTaskQueue>(TaskQueue).idle();
  return { app, logs, settled, close: () => app.close() };
}

/** Where requests go: an app in this process, or the base URL of a server process. */
export type Target = NestExpressApplication | string;

export function http(target: Target) {
  return request(typeof target === 'string' ? target : target.getHttpServer());
}

/** Signs in through the dev issuer and returns the Authorization header value for that email. */
export async function bearerFor(app: Target, email: string, name?: string): Promise<string> {
  const res = await http(app).post('/v1/auth/dev-token').send({ email, name }).expect(200);
  return `Bearer ${(res.body as { idToken: string }).idToken}`;
}

export interface SignedIn {
  readonly id: string;
  readonly auth: string;
}

/** A signed-in user that exists (their first GET /v1/me done). */
export async function signIn(app: Target, email: string, name?: string): Promise<SignedIn> {
  const auth = await bearerFor(app, email, name);
  const res = await http(app).get('/v1/me').set('Authorization', auth).expect(200);
  return { id: (res.body as { id: string }).id, auth };
}

/** The path and query of an absolute URL the API handed out, to request from the app under test. */
export function relative(url: string): string {
  const parsed = new URL(url);
  return `${parsed.pathname}${parsed.search}`;
}
