/**
 * The dashboard in a real browser (Debian's Chromium driven by playwright-core) against a real
 * `socd serve`: sign in, run a feed and see its counts, look up a defanged value, explore and open
 * an IOC page, create a key and read it once, use it against the API, see its usage, revoke it and
 * see the API refuse it; and a member who cannot reach admin pages or another user's keys.
 * Every page visited is saved as a screenshot (dist/screenshots/dashboard-<db>/).
 */
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../support/databases.js';
import { hasSharedData } from '../support/shared-data.js';
import { hasChromium, launchBrowser, screenshotDir, watchPage } from './support/browser.js';
import { URLHAUS_FEED, startDashboard, type Dashboard } from './support/dashboard-server.js';
import { ensureWebBuild } from './support/web-build.js';

const DEFANGED = 'hxxp://176.65.139[.]212/eclipse.sh4';
const REFANGED = 'http://176.65.139.212/eclipse.sh4';
const MEMBER = { email: 'member@example.com', password: 'member passphrase 1' };

describe.runIf(hasChromium && hasSharedData).each(DATABASE_KINDS)('dashboard in Chromium (%s)', (kind) => {
  let dash: Dashboard;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let watch: { problems: string[] };
  let shots: string;
  let shot = 0;
  let apiKey = '';
  let apiKeyId = '';

  const go = async (path: string): Promise<void> => {
    await page.goto(`${dash.url}/dashboard${path}`);
  };
  const snap = async (name: string, p: Page = page): Promise<void> => {
    await p.screenshot({ path: join(shots, `${String(++shot).padStart(2, '0')}-${name}.png`), fullPage: true });
  };
  const signIn = async (p: Page, email: string, password: string): Promise<void> => {
    await p.getByTestId('signin-email').fill(email);
    await p.getByTestId('signin-password').fill(password);
    await p.getByTestId('signin-submit').click();
  };
  const api = (path: string, key: string): Promise<Response> => fetch(`${dash.url}${path}`, { headers: { authorization: `Bearer ${key}` } });

  beforeAll(async () => {
    await ensureWebBuild();
    dash = await startDashboard(kind);
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
    page = await context.newPage();
    watch = watchPage(page);
    shots = screenshotDir(`dashboard-${kind}`);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await dash?.close();
  });

  it('serves the dashboard from socd serve with a strict Content-Security-Policy', async () => {
    const res = await fetch(`${dash.url}/`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/dashboard/');
    const doc = await fetch(`${dash.url}/dashboard/keys`);
    expect(doc.status).toBe(200);
    const csp = doc.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("require-trusted-types-for 'script'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    const html = await doc.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });

  it('refuses a wrong password, then signs the administrator in', async () => {
    await go('/');
    await expect.poll(() => page.getByTestId('signin-email').isVisible()).toBe(true);
    await snap('sign-in');
    await signIn(page, dash.admin.email, 'not the password');
    await expect.poll(() => page.getByTestId('error').textContent()).toContain('wrong');
    await snap('sign-in-refused');
    await signIn(page, dash.admin.email, dash.admin.password);
    await expect.poll(() => page.getByTestId('who').textContent()).toBe(dash.admin.email);
    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name === 'socd_session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    await expect.poll(() => page.getByTestId('total-iocs').isVisible()).toBe(true);
    await snap('overview-empty');
  });

  it('runs a feed now and sees its counts', async () => {
    await go('/feeds');
    const row = page.getByTestId(`feed-row-${URLHAUS_FEED.replace(/[^A-Za-z0-9]+/g, '-')}`);
    await expect.poll(() => row.isVisible()).toBe(true);
    await snap('feeds-before-run');
    await row.getByTestId('feed-run').click();
    await expect.poll(() => row.getByTestId('feed-added').textContent(), { timeout: 60_000 }).not.toBe('0');
    await expect.poll(() => row.getByTestId('feed-run').textContent(), { timeout: 60_000 }).toBe('Run now');
    const state = await dash.store.db.selectFrom('feeds').selectAll().where('name', '=', URLHAUS_FEED).executeTakeFirstOrThrow();
    expect(state.last_status).toBe('ok');
    expect(Number(state.added)).toBeGreaterThan(400);
    expect(await row.getByTestId('feed-added').textContent()).toBe(Number(state.added).toLocaleString('en-US'));
    expect(await row.getByTestId('feed-rejected').textContent()).toBe(Number(state.rejected).toLocaleString('en-US'));
    await snap('feeds-after-run');
    await go('/');
    await expect.poll(async () => Number((await page.getByTestId('total-iocs-value').textContent())?.replaceAll(',', '')), { timeout: 10_000 }).toBeGreaterThan(400);
    await snap('overview');
  });

  it('looks up a defanged value', async () => {
    await go('/lookup');
    await page.getByTestId('lookup-input').fill(DEFANGED);
    await page.getByTestId('lookup-submit').click();
    await expect.poll(() => page.getByTestId('lookup-value').textContent()).toBe(REFANGED);
    expect(await page.getByTestId('risk').textContent()).toMatch(/\d+ \/ 100/);
    expect(await page.getByTestId('lookup-sources').textContent()).toContain(URLHAUS_FEED);
    expect(await page.getByTestId('splunk-query-text').textContent()).toContain(REFANGED);
    expect(await page.getByTestId('kql-query-text').textContent()).toContain(REFANGED);
    await snap('lookup');
  });

  it('filters the explorer and opens an IOC page with its renderings', async () => {
    await go('/iocs');
    await page.getByTestId('filter-type').selectOption('url');
    await page.getByTestId('filter-apply').click();
    await expect.poll(() => page.getByTestId('explorer-total').textContent()).toMatch(/^[\d,]+ IOCs match/);
    const rows = page.getByTestId('ioc-link');
    await expect.poll(() => rows.count()).toBe(50);
    expect(page.url()).toContain('type=url');
    await snap('explorer');
    const firstOfPage1 = await rows.first().textContent();
    await page.getByTestId('next-page').click();
    await expect.poll(() => page.url()).toContain('before=');
    await expect.poll(() => rows.first().textContent()).not.toBe(firstOfPage1);
    const value = (await rows.first().textContent()) ?? '';
    await rows.first().click();
    await expect.poll(() => page.getByTestId('ioc-value').textContent()).toBe(value);
    expect(await page.getByTestId('ioc-sources').textContent()).toContain(URLHAUS_FEED);
    expect(await page.getByTestId('first-seen').textContent()).toMatch(/UTC/);
    expect(await page.getByTestId('stix-text').textContent()).toContain('"type": "indicator"');
    expect(await page.getByTestId('sigma-text').textContent()).toMatch(/^title: /);
    expect(await page.getByTestId('curl-by-id-text').textContent()).toMatch(/^curl .*\/api\/v1\/iocs\/[0-9a-f-]{36}'$/);
    await snap('ioc-page');
  });

  it('creates a key, shows it once, and the key works against the API', async () => {
    await go('/keys');
    await page.getByTestId('key-name').fill('ci-key');
    await page.getByTestId('key-expiry').selectOption('30');
    await page.getByTestId('key-create').click();
    await expect.poll(() => page.getByTestId('new-key-text').textContent()).toMatch(/^sk_live_[0-9A-Za-z]{32}$/);
    apiKey = (await page.getByTestId('new-key-text').textContent()) ?? '';
    expect(await page.getByTestId('new-key-panel').textContent()).toContain('shown only this once');
    await snap('key-created');
    await page.getByTestId('new-key-done').click();
    await expect.poll(() => page.getByTestId('new-key-panel').count()).toBe(0);
    expect(await page.content()).not.toContain(apiKey);
    await page.reload();
    await expect.poll(() => page.getByTestId('keys-table').isVisible()).toBe(true);
    expect(await page.content()).not.toContain(apiKey);
    const row = page.getByTestId(`key-row-${apiKey.slice(0, 12)}`);
    expect(await row.textContent()).toContain('ci-key');
    await snap('keys');

    const lookup = await api(`/api/v1/lookup?ioc=${encodeURIComponent(DEFANGED)}`, apiKey);
    expect(lookup.status).toBe(200);
    expect(((await lookup.json()) as { found: boolean }).found).toBe(true);
    expect((await api('/api/v1/iocs?type=url&limit=5', apiKey)).status).toBe(200);
    expect((await api('/api/v1/iocs/stats', apiKey)).status).toBe(200);
    expect((await api('/api/v1/iocs?limit=100000', apiKey)).status).toBe(400);
    // A key manages nothing: the key endpoints want the session.
    const keys = await api('/api/v1/keys', apiKey);
    expect(keys.status).toBe(401);
    apiKeyId = ((await dash.store.db.selectFrom('api_keys').select('id').where('key_prefix', '=', apiKey.slice(0, 12)).executeTakeFirstOrThrow()) as { id: string }).id;
  });

  it("shows the key's usage", async () => {
    // The server writes its request log about once a second.
    await new Promise((r) => setTimeout(r, 1500));
    await go('/keys');
    await page.getByTestId(`key-row-${apiKey.slice(0, 12)}`).getByTestId('key-usage-link').click();
    await expect.poll(() => page.getByTestId('usage-total').textContent()).toContain('4');
    expect(await page.getByTestId('usage-successful').textContent()).toContain('3');
    expect(await page.getByTestId('usage-client-errors').textContent()).toContain('1');
    expect(await page.getByTestId('usage-status').textContent()).toContain('400');
    expect(await page.getByTestId('usage-endpoints').textContent()).toContain('/api/v1/lookup');
    await snap('key-usage');
  });

  it('revokes the key with a reason, and the API refuses it', async () => {
    await go('/keys');
    const row = page.getByTestId(`key-row-${apiKey.slice(0, 12)}`);
    await row.getByTestId('key-revoke').click();
    await page.getByTestId('revoke-reason').fill('rotated after the CI run');
    await snap('key-revoke-confirm');
    await page.getByTestId('revoke-confirm').click();
    await expect.poll(() => row.textContent()).toContain('revoked');
    expect(await row.textContent()).toContain('rotated after the CI run');
    await snap('key-revoked');
    const res = await api('/api/v1/iocs', apiKey);
    expect(res.status).toBe(401);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('invalid_api_key');
    expect(body.error.message).toContain('revoked');
  });

  it('shows usage against the plan', async () => {
    await go('/usage');
    await expect.poll(() => page.getByTestId('usage-plan').textContent()).toContain('pro');
    expect(await page.getByTestId('usage-today').textContent()).toContain('4');
    await snap('usage');
  });

  it('lets the administrator create a member, and audits every admin action', async () => {
    await go('/admin/users');
    await page.getByTestId('user-email').fill(MEMBER.email);
    await page.getByTestId('user-password').fill(MEMBER.password);
    await page.getByTestId('user-create').click();
    await expect.poll(() => page.getByTestId(`user-row-${MEMBER.email}`).isVisible()).toBe(true);
    await page.getByTestId(`user-row-${MEMBER.email}`).getByTestId('user-set-plan').selectOption('pro');
    await expect.poll(() => page.getByTestId(`user-row-${MEMBER.email}`).getByTestId('user-set-plan').inputValue()).toBe('pro');
    await snap('users');
    await go('/admin/audit');
    const audit = page.getByTestId('audit-table');
    await expect.poll(() => audit.textContent()).toContain('user.set_plan');
    const text = (await audit.textContent()) ?? '';
    for (const action of ['session.sign_in', 'session.sign_in_failed', 'feed.run', 'key.create', 'key.revoke', 'user.create']) {
      expect(text).toContain(action);
    }
    expect(text).not.toContain(apiKey);
    await snap('audit');
  });

  it("keeps a member out of admin pages and other users' keys", async () => {
    const memberContext = await browser.newContext({ viewport: { width: 1360, height: 900 } });
    const member = await memberContext.newPage();
    const memberWatch = watchPage(member);
    try {
      await member.goto(`${dash.url}/dashboard/`);
      await signIn(member, MEMBER.email, MEMBER.password);
      await expect.poll(() => member.getByTestId('who').textContent()).toBe(MEMBER.email);
      expect(await member.getByTestId('nav-feeds').count()).toBe(0);
      expect(await member.getByTestId('nav-users').count()).toBe(0);
      await snap('member-overview', member);
      await member.goto(`${dash.url}/dashboard/feeds`);
      await expect.poll(() => member.getByTestId('error').textContent()).toContain('administrator');
      await snap('member-feeds-refused', member);
      await member.goto(`${dash.url}/dashboard/admin/users`);
      await expect.poll(() => member.getByTestId('error').textContent()).toContain('administrator');
      await member.goto(`${dash.url}/dashboard/keys/${apiKeyId}`);
      await expect.poll(() => member.getByTestId('error').textContent()).toContain('no API key');
      await snap('member-other-key-refused', member);
      await member.goto(`${dash.url}/dashboard/keys`);
      await expect.poll(() => member.getByTestId('keys-table').isVisible()).toBe(true);
      expect(await member.getByTestId('keys-all').count()).toBe(0);
      expect(await member.getByTestId('keys-table').textContent()).not.toContain('ci-key');

      // The same through the API with the member's session cookie.
      const req = memberContext.request;
      expect((await req.get(`${dash.url}/api/admin/users`)).status()).toBe(403);
      expect((await req.get(`${dash.url}/api/admin/feeds`)).status()).toBe(403);
      expect((await req.get(`${dash.url}/api/v1/keys?all=true`)).status()).toBe(403);
      expect((await req.get(`${dash.url}/api/v1/keys/${apiKeyId}`)).status()).toBe(404);
      expect((await req.get(`${dash.url}/api/v1/keys/${apiKeyId}/usage`)).status()).toBe(404);
      const session = (await (await req.get(`${dash.url}/api/session`)).json()) as { data: { csrf_token: string } };
      const del = await req.delete(`${dash.url}/api/v1/keys/${apiKeyId}`, {
        headers: { 'x-csrf-token': session.data.csrf_token },
        data: { reason: 'not mine' },
      });
      expect(del.status()).toBe(404);
      expect(memberWatch.problems).toEqual([]);
    } finally {
      await memberContext.close();
    }
  });

  it('signs out', async () => {
    await go('/');
    await page.getByTestId('sign-out').click();
    await expect.poll(() => page.getByTestId('signin-email').isVisible()).toBe(true);
    expect((await context.request.get(`${dash.url}/api/session`)).status()).toBe(401);
    await snap('signed-out');
  });

  it('met no script error, CSP or Trusted Types violation, or dialog on any page', () => {
    expect(watch.problems).toEqual([]);
  });
});
