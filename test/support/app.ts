import type { NestExpressApplication } from '@nestjs/platform-express';
import { createApp } from '../../src/app.setup.js';
import { loadConfig } from '../../src/config/app-config.js';

export interface TestApp {
  app: NestExpressApplication;
  logs: Record<string, unknown>[];
  close(): Promise<void>;
}

/** The real app on the in-memory embedded store, its JSON log lines captured instead of printed. */
export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const logs: Record<string, unknown>[] = [];
  const config = loadConfig({ STORE: 'memory', LOG_LEVEL: 'info', ...env });
  const app = await createApp(config, (line) => logs.push(JSON.parse(line) as Record<string, unknown>));
  await app.init();
  return { app, logs, close: () => app.close() };
}
