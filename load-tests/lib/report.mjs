// load-tests/reports/latest.md and latest.json: the machine, the versions, every scenario's figures, the goals.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { BENCH_WRITE_RATE_LIMIT, ROOT } from './api.mjs';
import { embeddedSections } from './embedded.mjs';

const ms = (/** @type {number | undefined} */ value) => (value === undefined ? '—' : `${Math.round(value * 10) / 10}`);
const yes = (/** @type {boolean} */ ok) => (ok ? 'met' : '**missed**');

/** @param {{ started: Date, args: Record<string, unknown>, results: any }} run @returns {string} */
export function writeReport({ started, args, results }) {
  const versions = {
    node: process.version,
    picfeed: JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version,
    autocannon: JSON.parse(readFileSync(join(ROOT, 'node_modules/autocannon/package.json'), 'utf8')).version,
    emulator: emulatorVersion(),
    commit: git(['rev-parse', '--short', 'HEAD']),
  };
  const machine = {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGb: Math.round(totalmem() / 2 ** 30),
  };
  const report = {
    started: started.toISOString(),
    finished: new Date().toISOString(),
    args,
    machine,
    versions,
    results,
  };
  const dir = join(ROOT, 'load-tests/reports');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(dir, 'latest.md'), markdown(report));
  return join(dir, 'latest.md');
}

/** @param {any} report */
export function markdown(report) {
  const { results: r, machine, versions } = report;
  const lines = [
    '# picfeed benchmark',
    '',
    `Run ${report.started} → ${report.finished} on ${r.store}; ${report.args.runs} run(s) per scenario, the median shown` +
      (report.args.quick ? ' (`--quick`: durations cut to a fifth; not for the record)' : '') +
      '.',
    '',
    `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGb} GiB. Node ${versions.node}, picfeed ${versions.picfeed} (${versions.commit}), autocannon ${versions.autocannon}, Datastore emulator ${versions.emulator}. The load generator, the API and the emulator share the machine. The API runs with \`WRITE_RATE_LIMIT\` and \`READ_RATE_LIMIT\` at ${BENCH_WRITE_RATE_LIMIT}: a few hundred users stand in for thousands, each writing and reading far faster than the default limits (120 writes, 1,200 reads a minute) allow.`,
    '',
  ];
  const goals = [];
  const rss = [];
  if (r.hotPost) {
    const h = r.hotPost.median;
    const b = r.hotPost.baseline;
    const ratio = b ? h.rps / Math.max(1, b.rps) : undefined;
    rss.push(h.peakRssMb);
    lines.push(
      '## 1. Hot post: 200 concurrent users on one post',
      '',
      "Each user toggles their like (PUT, then DELETE, ...), so every request stores a change. Exact: right after the load the post's likeCount equals its likers list and every user whose last answer arrived is where that answer says (users checked; the others had a request in flight when the load stopped); then every user likes once more, and likeCount and the likers list must both equal the number of users (settled).",
      '',
      "With notifications on: the author's one grouped like item must count the settled likes exactly (notified actors).",
      '',
      '| run | changes/s (2xx) | p50 ms | p90 ms | p99 ms | requests | non-2xx | errors | likeCount | likers | users checked | settled (users) | notified actors | exact | peak RSS MB |',
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
      ...r.hotPost.runs.map(
        (/** @type {any} */ x, /** @type {number} */ i) =>
          `| ${i + 1} | ${x.rps} | ${ms(x.p50)} | ${ms(x.p90)} | ${ms(x.p99)} | ${x.total} | ${x.non2xx} | ${x.errors} | ${x.likeCount} | ${x.likers} | ${x.usersChecked} | ${x.settledCount} / ${x.settledLikers} (${x.usersChecked + x.usersInFlightAtStop}) | ${x.actorCount ?? '-'} in ${x.notified ?? '-'} item(s) | ${x.exact ? 'yes' : '**no**'} | ${x.peakRssMb} |`,
      ),
      '',
    );
    if (b) {
      lines.push(
        "Naive baseline (the reference's design): one counter entity read and written in a transaction per like, 200 concurrent workers against the same emulator, from a script (no HTTP in front of it).",
        '',
        '| run | likes/s | success rate | failed | p50 ms | final count = successes |',
        '| --- | --- | --- | --- | --- | --- |',
        ...r.hotPost.baselineRuns.map(
          (/** @type {any} */ x, /** @type {number} */ i) =>
            `| ${i + 1} | ${x.rps} | ${(x.successRate * 100).toFixed(1)}% | ${x.failed} | ${x.p50} | ${x.exact ? 'yes' : '**no**'} |`,
        ),
        '',
        `picfeed / baseline: **${ratio?.toFixed(1)}x**.`,
        '',
      );
    }
    const before = r.hotPost.before;
    if (before) {
      lines.push(
        `Side by side: each run measured the baseline build ${before.label} first (no notifications), then this build (notifications on), on a freshly reset emulator each.`,
        '',
        '| run | baseline changes/s | this build changes/s | baseline p50 ms | this build p50 ms | baseline exact |',
        '| --- | --- | --- | --- | --- | --- |',
        ...before.runs.map(
          (/** @type {any} */ x, /** @type {number} */ i) =>
            `| ${i + 1} | ${x.rps} | ${r.hotPost.runs[i].rps} | ${ms(x.p50)} | ${ms(r.hotPost.runs[i].p50)} | ${x.exact ? 'yes' : '**no**'} |`,
        ),
        `| median | ${before.median.rps} | ${h.rps} | ${ms(before.median.p50)} | ${ms(h.p50)} | |`,
        '',
      );
      goals.push([
        'hot post changes/s with notifications ≥90% of the baseline build without',
        `${((h.rps / before.median.rps - 1) * 100).toFixed(1)}%`,
        h.rps >= before.median.rps * 0.9,
      ]);
    }
    goals.push(['hot post ≥1,000 likes/s', `${h.rps}/s`, h.rps >= 1000]);
    goals.push(['hot post 100% 2xx', `${h.non2xx + h.errors} not 2xx`, h.non2xx + h.errors === 0]);
    goals.push([
      'hot post count exact',
      r.hotPost.runs.every((/** @type {any} */ x) => x.exact) ? 'every run' : 'not every run',
      r.hotPost.runs.every((/** @type {any} */ x) => x.exact),
    ]);
    if (ratio !== undefined) {
      goals.push(['hot post ≥40x the naive baseline', `${ratio.toFixed(1)}x`, ratio >= 40]);
    }
  }
  if (r.hotComments) {
    const c = r.hotComments.median;
    lines.push(
      `## 1b. Hot post comments: ${r.hotComments.connections} users commenting on one post`,
      '',
      '| run | comments/s (2xx) | p50 ms | p99 ms | non-2xx | errors | commentCount | listed | exact | peak RSS MB |',
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
      ...r.hotComments.runs.map(
        (/** @type {any} */ x, /** @type {number} */ i) =>
          `| ${i + 1} | ${x.rps} | ${ms(x.p50)} | ${ms(x.p99)} | ${x.non2xx} | ${x.errors} | ${x.commentCount} | ${x.listed} | ${x.exact ? 'yes' : '**no**'} | ${x.peakRssMb} |`,
      ),
      '',
    );
    rss.push(...r.hotComments.runs.map((/** @type {any} */ x) => x.peakRssMb));
    goals.push(['hot post ≥300 comments/s', `${c.rps}/s`, c.rps >= 300]);
    goals.push(['hot post comments 100% 2xx', `${c.non2xx + c.errors} not 2xx`, c.non2xx + c.errors === 0]);
    goals.push([
      'hot post commentCount exact',
      r.hotComments.runs.every((/** @type {any} */ x) => x.exact) ? 'exact' : 'not exact',
      r.hotComments.runs.every((/** @type {any} */ x) => x.exact),
    ]);
  }
  if (r.timeline) {
    lines.push(
      `## 2. Timeline of a user following ${r.timeline.followees} accounts (${r.timeline.posts} posts), 10 connections`,
      '',
      '| page size | requests/s | p50 ms | p90 ms | p99 ms | non-2xx | peak RSS MB |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      ...r.timeline.sizes.map(
        (/** @type {any} */ s) =>
          `| ${s.limit} | ${s.median.rps} | ${ms(s.median.p50)} | ${ms(s.median.p90)} | ${ms(s.median.p99)} | ${s.median.non2xx} | ${s.median.peakRssMb} |`,
      ),
      '',
    );
    const ten = r.timeline.sizes.find((/** @type {any} */ s) => s.limit === 10);
    rss.push(...r.timeline.sizes.map((/** @type {any} */ s) => s.median.peakRssMb));
    goals.push(['timeline p50 ≤15 ms (page of 10)', `${ms(ten.median.p50)} ms`, ten.median.p50 <= 15]);
    if (r.timeline.baseline) {
      lines.push(
        `Side by side in the same run, alternating run by run, on the same emulator: the baseline build ${r.timeline.baseline}.`,
        '',
        '| page size | baseline requests/s | this build requests/s | baseline p50 ms | this build p50 ms | p50 change |',
        '| --- | --- | --- | --- | --- | --- |',
        ...r.timeline.sizes.map((/** @type {any} */ s) => {
          const change = (s.median.p50 / s.baseline.median.p50 - 1) * 100;
          return `| ${s.limit} | ${s.baseline.median.rps} | ${s.median.rps} | ${ms(s.baseline.median.p50)} | ${ms(s.median.p50)} | ${change >= 0 ? '+' : ''}${change.toFixed(1)}% |`;
        }),
        '',
      );
      const rpsChange = ten.median.rps / ten.baseline.median.rps - 1;
      goals.push([
        'timeline requests/s within 10% of the baseline (page of 10)',
        `${(rpsChange * 100).toFixed(1)}%`,
        rpsChange >= -0.1,
      ]);
    }
  }
  if (r.publishLatency) {
    const rows = r.publishLatency.rows;
    lines.push(
      '## 3. Publish latency (POST /v1/posts with its fan-out) against follower count',
      '',
      '| followers | p50 ms | p90 ms | p99 ms | seen by all followers, p50 / slowest ms | samples per run | seeding s | peak RSS MB |',
      '| --- | --- | --- | --- | --- | --- | --- | --- |',
      ...rows.map(
        (/** @type {any} */ x) =>
          `| ${x.followers} | ${ms(x.median.p50)} | ${ms(x.median.p90)} | ${ms(x.median.p99)} | ${ms(x.visible?.p50)} / ${ms(x.visible?.max)} | ${x.samplesPerRun} | ${ms(x.seedSeconds)} | ${x.peakRssMb} |`,
      ),
      '',
    );
    rss.push(...rows.map((/** @type {any} */ x) => x.peakRssMb));
    const at = (/** @type {number} */ n) => rows.find((/** @type {any} */ x) => x.followers === n)?.median.p50;
    if (at(5000) !== undefined) {
      goals.push(['publish p50 ≤50 ms at 5,000 followers', `${ms(at(5000))} ms`, at(5000) <= 50]);
    }
    const last = rows[rows.length - 1];
    if (at(10) !== undefined && last) {
      const growth = last.median.p50 / at(10);
      goals.push([`publish p50 ≤1.5x from 10 to ${last.followers} followers`, `${growth.toFixed(2)}x`, growth <= 1.5]);
      const seen = last.visible?.max;
      goals.push([
        `the last of ${last.followers} followers sees a post ≤5 s after it is sent`,
        `${ms(seen)} ms`,
        seen <= 5000,
      ]);
    }
  }
  if (r.images) {
    const rows = r.images.rows;
    lines.push(
      '## 3b. Publishing real photos (decode, upright, WebP 320/640/1080, blurhash, original deleted)',
      '',
      '| image | bytes | p50 ms (one at a time) | p99 ms | samples per run | 10 at once: ms for all | peak RSS MB, 10 at once |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      ...rows.map(
        (/** @type {any} */ x) =>
          `| ${x.name} | ${x.bytes} | ${ms(x.p50)} | ${ms(x.p99)} | ${x.samples} | ${ms(x.tenAtOnceMs)} (median of ${x.rounds}) | ${x.peakRssMb} |`,
      ),
      '',
    );
    rss.push(...rows.map((/** @type {any} */ x) => x.peakRssMb));
    const photo = rows.find((/** @type {any} */ x) => x.name.startsWith('12-megapixel'));
    goals.push([
      'peak RSS ≤300 MB with 10 concurrent 12-MP publishes',
      `${photo.peakRssMb} MB`,
      photo.peakRssMb <= 300,
    ]);
  }
  if (r.mix) {
    lines.push(
      `## 4. Realistic mix, ramping up over ${r.mix.stageSeconds * r.mix.stages.length} s`,
      '',
      `${r.mix.users} users, ${r.mix.follows} follows, ${r.mix.posts} posts. Requests: 40% timeline (10), 20% profile, 20% like/unlike, 10% follow/unfollow, 7% upload URL, 3% post.`,
      '',
      '| connections | requests/s (2xx) | p50 ms | p90 ms | p99 ms | non-2xx | errors | peak RSS MB |',
      '| --- | --- | --- | --- | --- | --- | --- | --- |',
      ...r.mix.stages.map(
        (/** @type {any} */ s) =>
          `| ${s.connections} | ${s.rps} | ${ms(s.p50)} | ${ms(s.p90)} | ${ms(s.p99)} | ${s.non2xx} | ${s.errors} | ${s.peakRssMb} |`,
      ),
      '',
      r.mix.bendsAt
        ? `It bends at ${r.mix.bendsAt} connections: throughput grows less than 10% or p99 doubles from the stage before.`
        : 'No bend within 200 connections.',
      '',
    );
    rss.push(...r.mix.stages.map((/** @type {any} */ s) => s.peakRssMb));
  }
  if (r.discovery?.endpoints) {
    const d = r.discovery;
    lines.push(
      `## 5b. Discovery at scale: ${d.users.toLocaleString('en')} users, a tag of 10,000 posts next to one of 10, 20 connections`,
      '',
      `On the embedded store: ${d.entities.toLocaleString('en')} entities (users, their search terms, posts) written straight into a data folder in ${d.seedSeconds} s, then the API started on it. Not on the emulator: it answers a query by reading every entity under it, one query at a time, and stalls past a 6 GB heap with 100,000 users' search terms (2026-12-02-discovery.md). Checks: the search found ${d.checks.searchFound}, the big tag's page held ${d.checks.tagPageItems} posts and counts ${d.checks.tagCount}. Every search reads its candidates' records, blocks and follows; a search made on the instance in the last 2 s reuses its candidates and their follower counts (README, Discovery), as the typed prefixes and the single queries do here, while the distinct prefixes read theirs afresh each time.`,
      '',
      '| endpoint | requests/s | p50 ms | p99 ms | non-2xx | peak RSS MB |',
      '| --- | --- | --- | --- | --- | --- |',
      ...d.endpoints.map(
        (/** @type {any} */ e) =>
          `| ${e.name} | ${e.median.rps} | ${ms(e.median.p50)} | ${ms(e.median.p99)} | ${e.median.non2xx} | ${e.median.peakRssMb} |`,
      ),
      '',
    );
    goals.push([
      'user search ≥50% of GET /v1/me requests/s (embedded)',
      `${Math.round(d.typingRatio * 100)}% (q=emma ${Math.round(d.searchRatio * 100)}%, by a name word ${Math.round(d.wordSearchRatio * 100)}%${d.coldSearchRatio === undefined ? '' : `; distinct prefixes, candidates read afresh, ${Math.round(d.coldSearchRatio * 100)}%`})`,
      d.typingRatio >= 0.5,
    ]);
    goals.push(['tag page p50 at 10,000 posts ≤1.5x at 10 (embedded)', `${d.tagRatio.toFixed(2)}x`, d.tagRatio <= 1.5]);
  }
  if (r.ceiling) {
    lines.push(
      `## 5. Ceiling: a bare route against an authenticated one, ${r.ceiling.connections} connections`,
      '',
      '| endpoint | requests/s | p50 ms | p99 ms | non-2xx | peak RSS MB |',
      '| --- | --- | --- | --- | --- | --- |',
      ...r.ceiling.endpoints.map(
        (/** @type {any} */ e) =>
          `| ${e.name} | ${e.median.rps} | ${ms(e.median.p50)} | ${ms(e.median.p99)} | ${e.median.non2xx} | ${e.median.peakRssMb} |`,
      ),
      '',
    );
    rss.push(...r.ceiling.endpoints.map((/** @type {any} */ e) => e.median.peakRssMb));
    goals.push(['GET /v1/me ≥60% of /healthz', `${Math.round(r.ceiling.ratio * 100)}%`, r.ceiling.ratio >= 0.6]);
    if (r.ceiling.unreadRatio !== undefined) {
      lines.push(
        `Unread count: ${r.ceiling.unreadCount} unread items (${r.ceiling.unreadExact ? 'exact' : '**not exact**'}), one keys-only query per request.`,
        '',
      );
      goals.push([
        'unread count requests/s next to /healthz (reported)',
        `${Math.round(r.ceiling.unreadRatio * 100)}%`,
        r.ceiling.unreadExact,
      ]);
    }
  }
  lines.push(...embeddedSections(r, goals, rss));
  if (r.webApp) {
    const w = r.webApp;
    const kb = (/** @type {number} */ bytes) => (bytes / 1000).toFixed(1);
    lines.push(
      '## 6. The web app (web/dist)',
      '',
      '| file | raw kB | gzip kB |',
      '| --- | --- | --- |',
      ...w.bundle.files.map((/** @type {any} */ f) => `| ${f.name} | ${kb(f.raw)} | ${kb(f.gzip)} |`),
      `| **all JS** | ${kb(w.bundle.jsRaw)} | **${kb(w.bundle.jsGzip)}** |`,
      '',
    );
    goals.push(['web app JS ≤180 kB gzipped', `${kb(w.bundle.jsGzip)} kB`, w.bundle.jsGzip <= 180_000]);
    if (w.skipped) {
      lines.push(`First timeline photo in Chromium: skipped (${w.skipped}).`, '');
    } else {
      lines.push(
        `Time to the first timeline photo in headless Chromium (412 x 915), warm local server, ${w.posts} posts of a ${w.photo};`,
        `${w.samples} samples, each a new browser context (nothing cached), then a reload of it (assets and photos cached).`,
        '',
        '| measure | ms |',
        '| --- | --- |',
        `| GET /v1/timeline?limit=10, the API alone (p50 of 30, sequential) | ${ms(w.apiTimelineP50)} |`,
        `| first timeline photo loaded, empty cache: p50 | ${ms(w.firstPhotoColdP50)} |`,
        `| first timeline photo loaded, empty cache: p90 | ${ms(w.firstPhotoColdP90)} |`,
        `| first timeline photo loaded, reload: p50 | ${ms(w.firstPhotoWarmP50)} |`,
        `| ratio: first photo (empty cache) / API timeline | ${w.ratio.toFixed(1)}x |`,
        '',
      );
    }
  }
  if (r.target) {
    lines.push('## Deployed target', '', '```json', JSON.stringify(r.target, null, 2), '```', '');
  }
  const peak = Math.max(0, ...rss.filter((x) => typeof x === 'number'));
  if (rss.length > 0) {
    goals.push(['API peak RSS ≤200 MB', `${peak} MB`, peak <= 200]);
  }
  lines.push(
    '## Goals',
    '',
    '| goal | measured | |',
    '| --- | --- | --- |',
    ...goals.map(([goal, value, ok]) => `| ${goal} | ${value} | ${yes(Boolean(ok))} |`),
    '',
  );
  return `${lines.join('\n')}\n`;
}

function git(/** @type {string[]} */ argv) {
  try {
    return execFileSync('git', argv, { cwd: ROOT, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

function emulatorVersion() {
  try {
    const out = execFileSync('gcloud', ['version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return /cloud-datastore-emulator\s+(\S+)/.exec(out)?.[1] ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
