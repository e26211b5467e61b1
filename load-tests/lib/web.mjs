// The web app: its bundle size, and how long Chromium takes to show the first photo of a timeline.
/* global window, document -- the functions handed to Chromium run in the page */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { CHROMIUM, launchChromium } from '../../test/support/chromium.ts';
import { photoJpeg } from '../../test/support/images.ts';
import { pool } from '../../test/support/pool.ts';
import { ROOT, call, preparedUpload, seedUsers, sleep } from './api.mjs';
import { percentile } from './load.mjs';

/** The built JS and CSS, raw and gzipped (level 9, as a CDN would serve them). */
export function bundleSizes() {
  const dir = join(ROOT, 'web/dist/assets');
  const files = readdirSync(dir).filter((name) => /\.(js|css)$/.test(name));
  const sizes = files.map((name) => {
    const bytes = readFileSync(join(dir, name));
    return {
      name,
      kind: name.endsWith('.js') ? 'js' : 'css',
      raw: bytes.length,
      gzip: gzipSync(bytes, { level: 9 }).length,
    };
  });
  const total = (/** @type {string} */ kind, /** @type {'raw' | 'gzip'} */ field) =>
    sizes.filter((size) => size.kind === kind).reduce((sum, size) => sum + size[field], 0);
  return { files: sizes, jsGzip: total('js', 'gzip'), jsRaw: total('js', 'raw'), cssGzip: total('css', 'gzip') };
}

/**
 * Time from navigation to the first timeline photo on screen, in a new Chromium context each sample (empty browser
 * cache, warm server), then once more on a reload (cached assets); next to the API's own GET /v1/timeline.
 * @param {import('./scenarios.mjs').Context} ctx
 */
export async function webApp(ctx) {
  const bundle = bundleSizes();
  if (CHROMIUM === undefined) {
    return { bundle, skipped: 'no /usr/bin/chromium (apt-get install chromium)' };
  }
  const { api } = await ctx.fresh();
  const [reader, ...authors] = await seedUsers(api, 'web-', 11);
  await pool(authors, 10, (author) => call(`${api}/v1/users/${author.id}/follow`, 'PUT', reader.token));
  const photo = await photoJpeg(1600, 1200, 85);
  await pool(authors, 4, async (author) => {
    const uploadId = await preparedUpload(api, author, photo);
    await call(`${api}/v1/posts`, 'POST', author.token, { uploadId });
  });
  for (let waited = 0; (await call(`${api}/v1/timeline?limit=10`, 'GET', reader.token)).items.length < 10; waited++) {
    if (waited > 100) {
      throw new Error('the timeline did not fill with the 10 posts');
    }
    await sleep(100);
  }
  const apiTimes = [];
  for (let i = 0; i < 30; i++) {
    const started = performance.now();
    await call(`${api}/v1/timeline?limit=10`, 'GET', reader.token);
    apiTimes.push(performance.now() - started);
  }

  const browser = await launchChromium();
  const session = { method: 'dev', idToken: reader.token, expiresAt: new Date(Date.now() + 50 * 60_000).toISOString() };
  const samples = ctx.seconds(30) < 30 ? 5 : 15;
  const cold = [];
  const warm = [];
  try {
    for (let i = 0; i < samples * ctx.runs; i++) {
      const context = await browser.newContext({ viewport: { width: 412, height: 915 } });
      await context.addInitScript((value) => {
        window.localStorage.setItem('picfeed.session', value);
        // An image's load event does not bubble; caught on the way down, the first timeline photo's is the mark.
        document.addEventListener(
          'load',
          (event) => {
            const target = /** @type {HTMLElement} */ (event.target);
            if (target.tagName === 'IMG' && target.closest('article') && !('firstPhoto' in window)) {
              Object.assign(window, { firstPhoto: performance.now() });
            }
          },
          true,
        );
      }, JSON.stringify(session));
      const page = await context.newPage();
      const firstPhoto = async () => {
        await page.waitForFunction(() => 'firstPhoto' in window, undefined, { timeout: 30_000 });
        return /** @type {number} */ (await page.evaluate(() => /** @type {any} */ (window).firstPhoto));
      };
      await page.goto(`${api}/`);
      cold.push(await firstPhoto());
      await page.reload();
      warm.push(await firstPhoto());
      await context.close();
    }
  } finally {
    await browser.close();
  }
  const apiP50 = percentile(apiTimes, 0.5);
  const coldP50 = percentile(cold, 0.5);
  return {
    bundle,
    posts: 10,
    photo: '1600 x 1200 JPEG (a 412 px wide screen loads its 640 px WebP variant)',
    samples: cold.length,
    apiTimelineP50: apiP50,
    firstPhotoColdP50: coldP50,
    firstPhotoColdP90: percentile(cold, 0.9),
    firstPhotoWarmP50: percentile(warm, 0.5),
    ratio: coldP50 / apiP50,
  };
}
