import request from 'supertest';
import { signIn, type SignedIn } from './support/app.js';
import { bodyProbes } from './support/fuzz/body-probes.js';
import {
  endpoints,
  isNumeric,
  validCall,
  type Answer,
  type Call,
  type Endpoint,
  type Fixtures,
} from './support/fuzz/openapi.js';
import { pathProbes, queryProbes } from './support/fuzz/parameter-probes.js';
import { describeAnswer, verdict } from './support/fuzz/verdict.js';
import { pool } from './support/pool.js';
import { publishPost, uploadImage } from './support/posts.js';
import { spawnServer, type ServerProcess, UNLIMITED_RATES } from './support/server-process.js';

const CONCURRENCY = 20;

describe('malformed input on every operation of openapi/openapi.json, against a server process (e2e)', () => {
  let sut: ServerProcess;
  let ann: SignedIn;
  let fixtures: Fixtures;

  beforeAll(async () => {
    sut = await spawnServer({
      STORE: 'memory',
      ...UNLIMITED_RATES,
      ADMIN_EMAILS: 'ann@example.com',
    });
    const http = () => request(sut.baseUrl);
    let bob: SignedIn;
    let cat: SignedIn;
    [ann, bob, cat] = await Promise.all(
      ['ann', 'bob', 'cat'].map((name) => signIn(sut.baseUrl, `${name}@example.com`)),
    );
    // Every list has a second page: bob has two posts, two followers and two followees; ann's post has two likers.
    const [annPost, upload, bobPost, bobOther] = await Promise.all([
      publishPost(sut.baseUrl, ann),
      uploadImage(sut.baseUrl, ann),
      publishPost(sut.baseUrl, bob, '#fuzztag'),
      publishPost(sut.baseUrl, bob, '#fuzztag'),
    ]);
    const put = (user: SignedIn, path: string) => http().put(path).set('Authorization', user.auth).expect(200);
    await Promise.all([
      put(ann, `/v1/users/${bob.id}/follow`),
      put(cat, `/v1/users/${bob.id}/follow`),
      put(bob, `/v1/users/${ann.id}/follow`),
      put(bob, `/v1/users/${cat.id}/follow`),
      put(bob, `/v1/posts/${annPost.id}/like`),
      put(cat, `/v1/posts/${annPost.id}/like`),
    ]);
    // ann's post has two comments, and the first of them two replies.
    const comment = (user: SignedIn, body: object) =>
      http().post(`/v1/posts/${annPost.id}/comments`).set('Authorization', user.auth).send(body).expect(201);
    const first = (await comment(bob, { text: 'first' })).body as { id: string };
    await comment(cat, { text: 'second' });
    await comment(ann, { text: 'reply 1', replyTo: first.id });
    await comment(cat, { text: 'reply 2', replyTo: first.id });
    const profile = await http().get(`/v1/users/${bob.id}`).set('Authorization', ann.auth).expect(200);
    // ann is private with three pending requests, has blocked and muted two users, and cat has reported two posts of bob's
    // (ann is the admin): every list of hers has a second page. Each of her writes acts on its own user, so none of
    // the valid requests, sent at once, changes what another reads.
    const [blocked, requested, suspended] = await Promise.all(
      [['blockee', 'mutee', 'shushed'], ['asker', 'denied', 'waiting'], ['suspect']].map((names) =>
        Promise.all(names.map((name) => signIn(sut.baseUrl, `${name}@example.com`))),
      ),
    );
    await http().patch('/v1/me').set('Authorization', ann.auth).send({ private: true }).expect(200);
    await Promise.all([
      ...requested.map((user) => put(user, `/v1/users/${ann.id}/follow`)),
      ...blocked
        .slice(1)
        .flatMap((user) => [put(ann, `/v1/users/${user.id}/block`), put(ann, `/v1/users/${user.id}/mute`)]),
    ]);
    const reported = await Promise.all(
      [bobPost, bobOther].map(
        async ({ id }) =>
          (
            await http()
              .post('/v1/reports')
              .set('Authorization', cat.auth)
              .send({ postId: id, reason: 'spam' })
              .expect(201)
          ).body as { id: string },
      ),
    );
    // A path parameter's valid value comes from the path segment before it: /users/{id}, /posts/{id}, ...
    fixtures = {
      pathValues: {
        users: bob.id,
        '/v1/users/{id}/block': blocked[0].id,
        '/v1/users/{id}/mute': blocked[0].id,
        '/v1/admin/users/{id}/suspension': suspended[0].id,
        '/v1/me/follow-requests/{id}': requested[0].id,
        '/v1/me/followers/{id}': bob.id,
        reports: reported[0].id,
        posts: annPost.id,
        tags: 'fuzztag',
        comments: first.id,
        'by-username': (profile.body as { username: string }).username,
      },
      // `media` left out (undefined): a post is made of either `uploadId` or `media`; null removes an avatar.
      examples: {
        'CreatePostRequest.uploadId': upload.uploadId,
        'CreatePostRequest.media': undefined,
        'UpdateMeRequest.username': 'ann_fuzz',
        'UpdateMeRequest.avatarUploadId': null,
        'CreateCommentRequest.replyTo': first.id,
        'UpdateMeRequest.private': true,
        'CreateReportRequest.postId': bobPost.id,
        'CreateReportRequest.commentId': undefined,
        'CreateReportRequest.userId': undefined,
      },
    };
  }, 60_000);

  afterAll(async () => {
    sut?.child.kill('SIGTERM');
    await sut?.exited;
  });

  /** After every case: the process still runs and answers. */
  async function alive(): Promise<boolean> {
    return sut.child.exitCode === null && (await request(sut.baseUrl).get('/healthz')).status === 200;
  }

  async function send(endpoint: Endpoint, call: Call): Promise<Answer> {
    const path = endpoint.path.replace(/\{(\w+)\}/g, (_, name: string) => call.path[name]);
    const query = call.query.map(([name, value]) => `${name}=${value}`).join('&');
    let req = request(sut.baseUrl)
      [endpoint.method](query === '' ? path : `${path}?${query}`)
      .set('Authorization', ann.auth);
    if (call.body !== undefined) {
      req = req.set('Content-Type', 'application/json');
    }
    req = req.set({ ...call.headers });
    const res = await (call.body === undefined ? req : req.send(call.body));
    return { status: res.status, body: (res.body ?? {}) as Answer['body'] };
  }

  it('should answer every malformed body and parameter with a 4xx naming the problem, and never a 5xx', async () => {
    const failures: string[] = [];
    const valid = new Map(endpoints.map((endpoint) => [endpoint, validCall(endpoint, fixtures)]));
    for (const endpoint of endpoints) {
      for (const param of endpoint.params.filter((p) => p.in === 'path')) {
        if (param.schema.pattern === undefined && param.schema.enum === undefined && !isNumeric(param.schema)) {
          failures.push(`${endpoint.name}: the document gives path parameter ${param.name} no pattern`);
        }
      }
    }

    // A valid request to each operation succeeds, so the malformed ones below reach real objects.
    const deletes = endpoints.filter((endpoint) => endpoint.method === 'delete');
    const others = endpoints.filter((endpoint) => endpoint.method !== 'delete');
    const baselines = await pool(others, CONCURRENCY, (endpoint) => send(endpoint, valid.get(endpoint)!));
    baselines.forEach((answer, i) => {
      if (answer.status >= 300) {
        failures.push(`${others[i].name} valid request -> ${describeAnswer(answer)}`);
      }
    });

    // A real cursor of each list, for tampering with and for feeding to the other lists.
    const lists = endpoints.filter((endpoint) => endpoint.params.some((param) => param.name === 'cursor'));
    const firstPages = await pool(lists, CONCURRENCY, (endpoint) => {
      const call = valid.get(endpoint)!;
      const smallest = endpoint.params
        .filter((param) => param.in === 'query' && isNumeric(param.schema) && param.schema.minimum !== undefined)
        .map((param) => [param.name, String(param.schema.minimum)] as const);
      return send(endpoint, {
        ...call,
        query: [...call.query.filter(([n]) => !smallest.some(([m]) => m === n)), ...smallest],
      });
    });
    const cursors = new Map(
      lists.flatMap((endpoint, i) => {
        const cursor = firstPages[i].body.nextCursor;
        if (typeof cursor !== 'string') {
          failures.push(`${endpoint.name}: the fixtures give it no second page, so no real cursor to tamper with`);
          return [];
        }
        return [[endpoint.name, cursor] as const];
      }),
    );
    const secondPages = await pool([...cursors], CONCURRENCY, ([name, cursor]) => {
      const endpoint = lists.find((list) => list.name === name)!;
      const call = valid.get(endpoint)!;
      return send(endpoint, { ...call, query: [...call.query, ['cursor', cursor]] });
    });
    secondPages.forEach((answer, i) => {
      if (answer.status !== 200) {
        failures.push(`${[...cursors.keys()][i]} with its own cursor -> ${describeAnswer(answer)}`);
      }
    });

    const probes = endpoints.flatMap((endpoint) => {
      const call = valid.get(endpoint)!;
      return [...pathProbes(endpoint, call), ...queryProbes(endpoint, call, cursors), ...bodyProbes(endpoint, call)];
    });
    let dead = 0;
    const answers = await pool(probes, CONCURRENCY, async (probe) => {
      const answer = await send(probe.endpoint, probe.call);
      if (!(await alive())) {
        dead += 1;
        failures.push(`${probe.endpoint.name} ${probe.label}: the process is not answering afterwards`);
      }
      return answer;
    });
    const statuses: Record<number, number> = {};
    answers.forEach((answer, i) => {
      statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
      const problem = verdict(answer, probes[i].expect);
      if (problem !== undefined) {
        failures.push(
          `${probes[i].endpoint.name} ${probes[i].label} -> ${describeAnswer(answer).slice(0, 300)}: ${problem}`,
        );
      }
    });

    // Deletes last, deepest path first (the like before the post), the post after everything on it (its comments),
    // once nothing else needs their objects.
    const depth = (path: string) => path.split('/').length * 2 + (path === '/v1/posts/{id}' ? 0 : 1);
    deletes.sort((a, b) => depth(b.path) - depth(a.path));
    for (const endpoint of deletes) {
      const answer = await send(endpoint, valid.get(endpoint)!);
      if (answer.status >= 300) {
        failures.push(`${endpoint.name} valid request -> ${describeAnswer(answer)}`);
      }
    }

    const serverErrors = answers.filter((answer) => answer.status >= 500).length;
    const counts = Object.entries(statuses)
      .map(([status, count]) => `${status}: ${count}`)
      .join(', ');
    process.stdout.write(
      `fuzz: ${endpoints.length} endpoints, ${probes.length} malformed requests, statuses {${counts}}, ` +
        `${serverErrors} 5xx; ${cursors.size} real cursors replayed across lists\n`,
    );
    expect(failures).toEqual([]);
    expect(serverErrors).toBe(0);
    expect(dead).toBe(0);
    expect(sut.child.exitCode).toBeNull();
  }, 120_000);
});
