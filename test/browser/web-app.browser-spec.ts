import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { photoJpeg } from '../support/images.js';
import { publishPost } from '../support/posts.js';
import { spawnServer, UNLIMITED_RATES, freePort, type ServerProcess } from '../support/server-process.js';
import { describeInBrowser, launchChromium, layoutShift, openPage, screenshot } from './browser.js';

/** Small enough that a test file can be over it without megabytes of work. */
const UPLOAD_MAX_BYTES = 400_000;
const ALBUM = [
  { name: 'landscape.jpg', width: 1200, height: 800 },
  { name: 'portrait.jpg', width: 600, height: 900 },
  { name: 'square.jpg', width: 700, height: 700 },
];

async function signIn(page: Page, email: string, name: string): Promise<void> {
  await page.goto('/');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Name').fill(name);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
}

/** My username, read off the Profile link once /v1/me has answered. */
async function usernameOf(page: Page): Promise<string> {
  const link = page.locator('nav a[href^="/u/"]', { hasText: 'Profile' });
  await link.waitFor();
  return ((await link.getAttribute('href')) ?? '').replace('/u/', '');
}

describeInBrowser('the web app in Chromium', () => {
  let server: ServerProcess;
  let browser: Browser;
  let files: string;

  beforeAll(async () => {
    files = mkdtempSync(join(tmpdir(), 'picfeed-browser-files-'));
    for (const image of ALBUM) {
      writeFileSync(join(files, image.name), await photoJpeg(image.width, image.height, 80));
    }
    writeFileSync(join(files, 'huge.jpg'), await photoJpeg(1600, 1200, 95, 60));
    writeFileSync(join(files, 'notes.txt'), 'not an image');
    const port = String(await freePort());
    server = await spawnServer({
      ...UNLIMITED_RATES,
      PORT: port,
      STORE: 'memory',
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      UPLOAD_MAX_BYTES: String(UPLOAD_MAX_BYTES),
      ADMIN_EMAILS: 'gina@example.com',
    });
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    server?.child.kill('SIGTERM');
    await server?.exited;
    rmSync(files, { recursive: true, force: true });
  });

  it('should let one person post a 3-image album and another follow, see it in shape, like it and see the likers', async () => {
    const alice = await openPage(browser, server.baseUrl);
    const bob = await openPage(browser, server.baseUrl);

    await alice.page.goto('/');
    await alice.page.getByRole('heading', { name: 'Sign in (local dev issuer)' }).waitFor();
    await screenshot(alice.page, '01-sign-in');
    await signIn(alice.page, 'alice@example.com', 'Alice Liddell');
    await alice.page.getByRole('heading', { name: 'Your timeline is empty' }).waitFor();
    await screenshot(alice.page, '02-empty-timeline');
    const aliceName = await usernameOf(alice.page);

    // The composer: three generated photos, alt text for each, a caption, a progress bar per file.
    await alice.page.getByRole('link', { name: 'New post' }).click();
    await alice.page.getByLabel(/Choose photos/).setInputFiles(ALBUM.map((image) => join(files, image.name)));
    for (const [index, image] of ALBUM.entries()) {
      await alice.page
        .getByLabel(`Alt text for photo ${index + 1}`)
        .fill(`A ${image.name.replace('.jpg', '')} test photo`);
    }
    await alice.page.getByLabel('Caption').fill('Three shapes');
    await screenshot(alice.page, '03-composer');
    await alice.page.getByRole('button', { name: 'Share' }).click();
    await alice.page.waitForURL(/\/p\/[\w-]+$/);
    const postPath = new URL(alice.page.url()).pathname;
    await alice.page.getByRole('heading', { name: aliceName, level: 1 }).waitFor();
    await screenshot(alice.page, '04-post-page');

    // Bob finds Alice by username from his empty timeline and follows her.
    await signIn(bob.page, 'bob@example.com', 'Bob');
    await bob.page.getByLabel('Find a person by username').fill(aliceName);
    await bob.page.getByRole('button', { name: 'Go' }).click();
    await bob.page.getByRole('heading', { name: aliceName, level: 1 }).waitFor();
    await bob.page.getByRole('button', { name: 'Follow' }).click();
    await bob.page.getByRole('button', { name: 'Following' }).waitFor();
    await bob.page.getByText('1 follower', { exact: true }).waitFor();
    await screenshot(bob.page, '05-profile-followed');

    // Her album reaches his timeline (the backfill is a background task: reload until it has run).
    await bob.page.getByRole('link', { name: 'Home' }).click();
    const post = bob.page.getByRole('article');
    for (let attempt = 0; attempt < 20 && (await post.count()) === 0; attempt++) {
      await bob.page.waitForTimeout(250);
      await bob.page.reload();
      await bob.page.getByRole('navigation', { name: 'Main' }).waitFor();
      await bob.page.waitForLoadState('networkidle');
    }
    await post.first().waitFor();
    expect(await post.count()).toBe(1);
    await bob.page.waitForFunction(() => {
      const first = document.querySelector<HTMLImageElement>('article .frame img');
      return first !== null && first.complete && first.naturalWidth > 0;
    });
    const frames = await post.locator('.frame').evaluateAll((elements) =>
      elements.map((element) => {
        const box = element.getBoundingClientRect();
        const image = element.querySelector('img');
        return {
          ratio: box.width / box.height,
          alt: image?.alt,
          placeholder: element.querySelector('canvas') !== null,
        };
      }),
    );
    expect(frames).toHaveLength(3);
    for (const [index, image] of ALBUM.entries()) {
      expect(frames[index].ratio).toBeCloseTo(image.width / image.height, 1);
      expect(frames[index].alt).toBe(`A ${image.name.replace('.jpg', '')} test photo`);
      expect(frames[index].placeholder).toBe(true);
    }
    // Every frame had its size before its image arrived: nothing moved as the photos loaded.
    expect(await layoutShift(bob.page)).toBeLessThan(0.01);
    await screenshot(bob.page, '06-timeline');

    // He likes it; the count is the server's after a reload.
    await post.getByRole('button', { name: 'Like', exact: true, pressed: false }).click();
    await post.getByRole('button', { name: 'Like', exact: true, pressed: true }).waitFor();
    expect(await post.getByTestId('like-count').textContent()).toBe('1 like');
    await bob.page.waitForLoadState('networkidle');
    await bob.page.reload();
    await bob.page.getByRole('button', { name: 'Like', exact: true, pressed: true }).waitFor();
    expect(await bob.page.getByTestId('like-count').first().textContent()).toBe('1 like');

    // The likers list names him.
    await bob.page.getByRole('link', { name: /1 like: see who liked it/ }).click();
    await bob.page.getByRole('heading', { name: 'Likes', level: 1 }).waitFor();
    const likers = bob.page.getByRole('list', { name: 'People who liked this post' });
    await likers.getByText(await usernameOf(bob.page), { exact: true }).waitFor();
    expect(await likers.getByRole('listitem').count()).toBe(1);
    await screenshot(bob.page, '07-likers');

    // Alice sees the like on her post page, and her followers list has Bob.
    await alice.page.goto(postPath);
    await alice.page.getByTestId('like-count').getByText('1 like').waitFor();
    await alice.page.goto(`/u/${aliceName}/followers`);
    await alice.page
      .getByRole('list', { name: `Followers of ${aliceName}` })
      .getByText('bob', { exact: true })
      .waitFor();
    await screenshot(alice.page, '08-followers');

    // Unlike from the keyboard alone.
    await bob.page.goto('/');
    await bob.page.getByRole('button', { name: 'Like', exact: true, pressed: true }).focus();
    await bob.page.keyboard.press('Enter');
    await bob.page.getByRole('button', { name: 'Like', exact: true, pressed: false }).waitFor();
    await bob.page.getByTestId('like-count').getByText('0 likes').waitFor();

    expect(alice.errors).toEqual([]);
    expect(bob.errors).toEqual([]);
    await Promise.all([alice.context.close(), bob.context.close()]);
  }, 120_000);

  it('should change only what the person edited on their profile, and set and remove an avatar', async () => {
    const dana = await openPage(browser, server.baseUrl);
    await signIn(dana.page, 'dana@example.com', 'Dana Scully');
    const username = await usernameOf(dana.page);
    await dana.page.getByRole('link', { name: 'Profile', exact: true }).click();
    await dana.page.getByRole('heading', { name: username, level: 1 }).waitFor();
    await dana.page.getByText('No posts yet.').waitFor();
    await dana.page.getByRole('link', { name: 'Edit profile' }).click();
    await dana.page.getByLabel('Bio').fill('Photos of the sea');
    const saved = dana.page.waitForRequest((request) => request.method() === 'PATCH');
    await dana.page.getByRole('button', { name: 'Save' }).click();
    expect((await saved).postDataJSON()).toEqual({ bio: 'Photos of the sea' });
    await dana.page.getByRole('status').getByText('Saved.').waitFor();

    await dana.page.getByLabel('Choose a profile photo').setInputFiles(join(files, 'square.jpg'));
    await dana.page.getByRole('button', { name: 'Remove photo' }).waitFor();
    const avatar = dana.page.getByRole('region', { name: 'Profile photo' }).locator('img.avatar');
    await dana.page.waitForFunction(() => {
      const image = document.querySelector<HTMLImageElement>('section[aria-label="Profile photo"] img.avatar');
      return image !== null && image.complete && image.naturalWidth === 320;
    });
    expect(await avatar.getAttribute('src')).toMatch(/-s320/);
    await screenshot(dana.page, '10-edit-profile');

    await dana.page.getByRole('link', { name: 'View profile' }).click();
    // The profile's heading first: the edit page (still showing as the link is followed) has the bio too.
    await dana.page.getByRole('heading', { name: username, level: 1 }).waitFor();
    await dana.page.getByRole('main').getByText('Photos of the sea', { exact: true }).waitFor();
    await screenshot(dana.page, '11-own-profile');

    await dana.page.goto('/settings/profile');
    await dana.page.getByRole('button', { name: 'Remove photo' }).click();
    await dana.page.getByLabel('Choose a profile photo').waitFor();
    expect(await dana.page.getByRole('region', { name: 'Profile photo' }).locator('img').count()).toBe(0);
    expect(dana.errors).toEqual([]);
    await dana.context.close();
  }, 60_000);

  it('should carry a two-person comment thread: comment, reply, like, delete, and comments turned off', async () => {
    const erin = await openPage(browser, server.baseUrl);
    const finn = await openPage(browser, server.baseUrl);
    await signIn(erin.page, 'erin@example.com', 'Erin');
    await signIn(finn.page, 'finn@example.com', 'Finn');
    const erinName = await usernameOf(erin.page);
    const finnName = await usernameOf(finn.page);
    const token = await erin.page.evaluate(
      () => (JSON.parse(window.localStorage.getItem('picfeed.session') ?? '{}') as { idToken: string }).idToken,
    );
    const { id: postId } = await publishPost(server.baseUrl, { id: '', auth: `Bearer ${token}` }, 'comment on me');

    await finn.page.goto(`/p/${postId}`);
    await finn.page.getByText('No comments yet. Be the first.').waitFor();
    await finn.page.getByLabel('Add a comment').fill(`Great shot @${erinName} #light`);
    await finn.page.getByRole('button', { name: 'Post', exact: true }).click();
    const finnsComment = finn.page.getByRole('article', { name: `Comment by ${finnName}` });
    await finnsComment.getByText(`Great shot @${erinName} #light`).waitFor();
    await finn.page.getByRole('heading', { name: 'Comments (1)' }).waitFor();

    // Erin is told: the badge counts it, the list shows it, and opening the list clears the badge.
    await erin.page.reload();
    await erin.page.getByRole('link', { name: 'Notifications, 1 unread' }).click();
    const told = erin.page.getByRole('link', { name: new RegExp(`${finnName} commented: “Great shot @${erinName}`) });
    await told.waitFor();
    await erin.page.getByRole('link', { name: 'Notifications', exact: true }).waitFor();
    await screenshot(erin.page, '12a-notifications');
    await told.click();
    await erin.page.waitForURL(`**/p/${postId}`);
    await erin.page.getByRole('button', { name: `Reply to ${finnName}’s comment` }).click();
    await erin.page.getByLabel(`Reply to ${finnName}`, { exact: true }).fill('Thank you!');
    await erin.page.getByRole('button', { name: 'Reply', exact: true }).click();
    await erin.page.getByRole('button', { name: 'View 1 reply' }).click();
    await erin.page
      .getByRole('article', { name: `Comment by ${erinName}` })
      .getByText('Thank you!')
      .waitFor();
    await erin.page.getByRole('heading', { name: 'Comments (2)' }).waitFor();
    await screenshot(erin.page, '12-comment-thread');

    await finn.page.reload();
    await finn.page.getByRole('button', { name: 'View 1 reply' }).click();
    const like = finn.page.getByRole('button', { name: `Like ${erinName}’s comment` });
    await like.click();
    await finn.page.getByRole('button', { name: `Like ${erinName}’s comment`, pressed: true }).waitFor();
    await finn.page.reload();
    await finn.page.getByRole('button', { name: 'View 1 reply' }).click();
    await finn.page.getByRole('button', { name: `Like ${erinName}’s comment`, pressed: true }).waitFor();

    // The post's author deletes Finn's comment: its reply goes with it, and the count is 0.
    erin.page.once('dialog', (dialog) => void dialog.accept());
    await erin.page.reload();
    await erin.page
      .getByRole('article', { name: `Comment by ${finnName}` })
      .getByRole('button', { name: 'Delete' })
      .click();
    await erin.page.getByRole('heading', { name: 'Comments (0)' }).waitFor();
    await erin.page.getByText('No comments yet. Be the first.').waitFor();
    await erin.page.getByRole('button', { name: 'Edit caption' }).click();
    await erin.page.getByRole('form', { name: 'Edit caption' }).getByLabel('Caption').fill('comment on me #edited');
    await erin.page.getByRole('button', { name: 'Save caption' }).click();
    await erin.page.getByText('comment on me #edited').waitFor();
    await erin.page.getByText('· edited').waitFor();
    await erin.page.getByRole('button', { name: 'Turn comments off' }).click();
    await erin.page.getByText('Comments are turned off for this post.').waitFor();
    await finn.page.reload();
    await finn.page.getByText('Comments are turned off for this post.').waitFor();
    expect(await finn.page.getByLabel('Add a comment').count()).toBe(0);
    await screenshot(finn.page, '13-comments-off');

    expect(erin.errors).toEqual([]);
    expect(finn.errors).toEqual([]);
    await Promise.all([erin.context.close(), finn.context.close()]);
  }, 90_000);

  it('should keep a private account to the followers it approves, and mute, report, review and block', async () => {
    const gina = await openPage(browser, server.baseUrl);
    const hugo = await openPage(browser, server.baseUrl);
    await signIn(gina.page, 'gina@example.com', 'Gina');
    await signIn(hugo.page, 'hugo@example.com', 'Hugo');
    const ginaName = await usernameOf(gina.page);
    const hugoName = await usernameOf(hugo.page);
    const token = await gina.page.evaluate(
      () => (JSON.parse(window.localStorage.getItem('picfeed.session') ?? '{}') as { idToken: string }).idToken,
    );

    // Gina goes private: the switch saves on its own and stays after a reload.
    await gina.page.goto('/settings/profile');
    await gina.page.getByLabel('Private account').check();
    await gina.page.getByText('Only your followers see your posts').waitFor();
    await gina.page.reload();
    expect(await gina.page.getByLabel('Private account').isChecked()).toBe(true);
    const { id: postId } = await publishPost(server.baseUrl, { id: '', auth: `Bearer ${token}` }, 'followers only');

    // Hugo sees the profile, not the posts, and asks to follow.
    await hugo.page.goto(`/u/${ginaName}`);
    await hugo.page.getByText('This account is private. Follow to see its posts.').waitFor();
    await hugo.page.getByRole('button', { name: 'Follow' }).click();
    await hugo.page.getByRole('button', { name: 'Requested' }).waitFor();
    await hugo.page.getByText('Your request to follow is waiting.').waitFor();

    // Gina approves from her requests inbox.
    await gina.page.goto(`/u/${ginaName}`);
    await gina.page.getByRole('link', { name: 'Follow requests' }).click();
    await gina.page.getByRole('button', { name: `Approve ${hugoName}` }).click();
    await gina.page.getByText('No one is waiting.').waitFor();
    await screenshot(gina.page, '14-follow-requests');

    // Hugo follows now, sees the post, reports it and mutes Gina.
    await hugo.page.reload();
    await hugo.page.getByRole('button', { name: 'Following' }).waitFor();
    await hugo.page.getByRole('list', { name: `Posts by ${ginaName}` }).waitFor();
    await hugo.page.goto(`/p/${postId}`);
    await hugo.page.getByRole('button', { name: 'Report this post' }).click();
    await hugo.page.getByLabel('Why are you reporting this post?').selectOption('spam');
    await hugo.page.getByLabel('Anything else (optional)').fill('selling things');
    await hugo.page.getByRole('button', { name: 'Send report' }).click();
    await hugo.page.getByText('Thanks. The admins will look at this post.').waitFor();
    await hugo.page.goto(`/u/${ginaName}`);
    await hugo.page.getByLabel(`More actions for ${ginaName}`).click();
    await hugo.page.getByRole('button', { name: 'Mute' }).click();
    await hugo.page.getByRole('button', { name: 'Unmute' }).waitFor();
    await screenshot(hugo.page, '15-profile-menu');

    // Gina, an admin, reviews the report and dismisses it.
    await gina.page.goto(`/u/${ginaName}`);
    await gina.page.getByRole('link', { name: 'Reports' }).click();
    const report = gina.page.getByRole('list', { name: 'Reports' }).getByRole('listitem');
    await report.getByText('selling things').waitFor();
    await screenshot(gina.page, '16-reports');
    await report.getByRole('button', { name: 'Dismiss' }).click();
    await gina.page.getByText('Nothing reported.').waitFor();

    // Gina blocks Hugo: he finds her nowhere; then she unblocks him from her blocked list.
    await gina.page.goto(`/u/${hugoName}`);
    gina.page.once('dialog', (dialog) => void dialog.accept());
    await gina.page.getByLabel(`More actions for ${hugoName}`).click();
    await gina.page.getByRole('button', { name: 'Block' }).click();
    await gina.page.getByText(`You blocked ${hugoName}. Unblock them to see their posts.`).waitFor();
    await hugo.page.reload();
    await hugo.page.getByRole('heading', { name: 'Not found' }).waitFor();
    await gina.page.goto('/settings/blocked');
    await gina.page.getByRole('button', { name: `Unblock ${hugoName}` }).click();
    await gina.page.getByText('You have not blocked anyone.').waitFor();
    await hugo.page.reload();
    await hugo.page.getByRole('button', { name: 'Follow' }).waitFor();

    expect(gina.errors).toEqual([]);
    // The one 404: Hugo's profile view of Gina while she blocked him.
    expect(hugo.errors.filter((error) => !/status of 404/.test(error))).toEqual([]);
    await Promise.all([gina.context.close(), hugo.context.close()]);
  }, 90_000);

  it('should find a person by part of their name, a hashtag from a caption, and explore, and follow a suggestion', async () => {
    const ivan = await openPage(browser, server.baseUrl);
    const jana = await openPage(browser, server.baseUrl);
    await signIn(ivan.page, 'ivan@example.com', 'Ivan Ñandú');
    await signIn(jana.page, 'jana@example.com', 'Jana');
    const ivanName = await usernameOf(ivan.page);
    const token = await ivan.page.evaluate(
      () => (JSON.parse(window.localStorage.getItem('picfeed.session') ?? '{}') as { idToken: string }).idToken,
    );
    const { id: postId } = await publishPost(server.baseUrl, { id: '', auth: `Bearer ${token}` }, 'sunny #Beach day');

    // Jana's timeline is empty: it suggests Ivan, whom she follows from there.
    await jana.page.goto('/');
    await jana.page.getByRole('heading', { name: 'Suggested for you' }).waitFor();
    await jana.page.getByRole('button', { name: `Follow ${ivanName}` }).click();
    // Followed: the button says so, or (once the backfill has run) the timeline shows his post instead.
    await jana.page
      .getByRole('button', { name: `Following ${ivanName}` })
      .or(jana.page.getByRole('link', { name: '#Beach' }))
      .first()
      .waitFor();

    await jana.page.getByRole('link', { name: 'Search', exact: true }).click();
    await jana.page.getByRole('searchbox', { name: 'Search people and hashtags' }).fill('nandu');
    await jana.page
      .getByRole('list', { name: 'People' })
      .getByRole('link', { name: new RegExp(ivanName) })
      .click();
    await jana.page.waitForURL(`**/u/${ivanName}`);

    await jana.page.goto(`/p/${postId}`);
    await jana.page.getByRole('link', { name: '#Beach' }).click();
    await jana.page.getByRole('heading', { name: '#beach' }).waitFor();
    await jana.page.getByText('1 post', { exact: true }).waitFor();
    await jana.page.getByRole('list', { name: 'Posts tagged #beach' }).getByRole('link').first().waitFor();
    await screenshot(jana.page, '14-tag-page');

    // Ivan follows nobody: his own post is not his to explore, Jana's is.
    await publishPost(
      server.baseUrl,
      {
        id: '',
        auth: `Bearer ${await jana.page.evaluate(
          () => (JSON.parse(window.localStorage.getItem('picfeed.session') ?? '{}') as { idToken: string }).idToken,
        )}`,
      },
      'from jana',
    );
    await ivan.page.getByRole('link', { name: 'Explore', exact: true }).click();
    await ivan.page.getByRole('list', { name: 'Posts to explore' }).getByRole('link').first().waitFor();
    await screenshot(ivan.page, '15-explore');

    expect(ivan.errors).toEqual([]);
    expect(jana.errors).toEqual([]);
    await Promise.all([ivan.context.close(), jana.context.close()]);
  }, 90_000);

  it('should keep the top bar to one line: a tab bar of icons on a phone, named links on a wide screen', async () => {
    const hana = await openPage(browser, server.baseUrl);
    await signIn(hana.page, 'hana@example.com', 'Hana');
    const nav = hana.page.getByRole('navigation', { name: 'Main' });
    const header = hana.page.locator('header.top-bar');
    const box = async (locator: typeof nav) => (await locator.boundingBox())!;
    // A phone: the bar is the brand and Sign out, one line; the six destinations sit along the bottom edge.
    expect((await box(header)).height).toBeLessThan(64);
    const tabs = await box(nav);
    expect(tabs.y + tabs.height).toBe(915);
    const links = nav.getByRole('link');
    expect(await links.count()).toBe(6);
    const tops = await Promise.all((await links.all()).map(async (link) => (await box(link)).y));
    expect(new Set(tops).size).toBe(1);
    await nav.getByRole('link', { name: 'Explore' }).click();
    await hana.page.waitForURL(/\/explore$/);

    // A wide screen: one line with the named links in it.
    await hana.page.setViewportSize({ width: 1280, height: 800 });
    expect((await box(header)).height).toBeLessThan(64);
    expect((await box(nav)).y).toBeLessThan(64);
    expect(await nav.getByText('New post', { exact: true }).isVisible()).toBe(true);
    await screenshot(hana.page, '17-wide-top-bar');
    expect(hana.errors).toEqual([]);
    await hana.context.close();
  }, 60_000);

  it('should tell a person which file is too large or not an image, and post nothing', async () => {
    const carol = await openPage(browser, server.baseUrl);
    await signIn(carol.page, 'carol@example.com', 'Carol');
    await carol.page.goto('/new');
    await carol.page.getByLabel(/Choose photos/).setInputFiles([join(files, 'notes.txt')]);
    await carol.page.getByText('notes.txt is not a JPEG, PNG, WebP or AVIF image (text/plain).').waitFor();
    await carol.page.getByLabel(/Choose photos/).setInputFiles([join(files, 'huge.jpg')]);
    await carol.page.getByRole('button', { name: 'Share' }).click();
    const refusal = carol.page.getByRole('alert').filter({ hasText: /^huge\.jpg is too large/ });
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(
      /^huge\.jpg is too large \([\d.]+ (kB|MB)\): the largest photo picfeed takes is 400 kB\.$/,
    );
    await screenshot(carol.page, '09-too-large');
    expect(carol.page.url()).toMatch(/\/new$/);
    // The browser reports the refused request itself; nothing else may be on the console.
    expect(carol.errors.filter((error) => !/status of 413/.test(error))).toEqual([]);
    expect(carol.errors.filter((error) => /status of 413/.test(error))).toHaveLength(1);
    await carol.page.goto('/');
    await carol.page.getByRole('heading', { name: 'Your timeline is empty' }).waitFor();
    await carol.context.close();
  }, 60_000);
});
