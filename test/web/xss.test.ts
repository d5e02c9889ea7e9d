/**
 * IOC values and everything around them come from feeds, i.e. from attackers. IOCs (and a feed,
 * a user and a key) whose values, context, tags, malware, feed names, article titles and
 * reference URLs carry `<script>`, `"><img onerror=...>`, `<svg onload=...>` and `javascript:`
 * URLs must render as text on every page: no payload runs (each would set window.__xss), no
 * element or event-handler attribute is injected, no `javascript:` href exists, and the browser
 * reports no CSP or Trusted Types violation. Screenshots: dist/screenshots/xss-<db>/.
 */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IocCandidate } from '../../src/domain/ioc.js';
import { iocId } from '../../src/domain/ids.js';
import type { IocType } from '../../src/domain/vocabulary.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { hasSharedData } from '../support/shared-data.js';
import { hasChromium, launchBrowser, screenshotDir, watchPage } from './support/browser.js';
import { startDashboard, type Dashboard } from './support/dashboard-server.js';
import { ensureWebBuild } from './support/web-build.js';

const SCRIPT = '<script>window.__xss=1</script>';
const IMG = '"><img src=x onerror="window.__xss=2">';
const JS_URL = 'javascript:window.__xss=3';
const SVG = '<svg onload=window.__xss=4>';
const PAYLOADS = [SCRIPT, IMG, JS_URL, SVG];

function hostile(type: IocType, value: string, i: number): IocCandidate {
  const now = new Date().toISOString();
  return {
    type,
    value,
    confidence: 'high',
    source: {
      feed_name: `<b onmouseover=window.__xss=6>feed ${i}</b>`,
      category: 'community',
      origin: 'article',
      reference_url: JS_URL,
      article_id: `"><img src=x onerror=window.__xss=7>`,
      article_title: `<img src=x onerror=window.__xss=7> title ${i}`,
      article_url: `JaVaScRiPt:window.__xss=8`,
      first_seen: now,
      last_seen: now,
      confidence: 'high',
      context: IMG,
    },
    tags: [SVG, SCRIPT],
    mitre_techniques: ['T1071'],
    industries: ['energy'],
    threat_type: IMG,
    malware: SCRIPT,
    tlp: null,
    context: `${SCRIPT} ${IMG} ${JS_URL}`,
  };
}

const IOCS: IocCandidate[] = [
  hostile('url', `http://evil.example/${SCRIPT}`, 1),
  hostile('domain', `${IMG}.evil.example`, 2),
  hostile('email', `${SCRIPT}@evil.example`, 3),
  hostile('url', JS_URL, 4),
];

interface InspectReport {
  xss: unknown;
  scripts: string[];
  handlers: string[];
  injected: string[];
  jsHrefs: string[];
}

/**
 * Run in the page (a string: the test compiles without the DOM library). Collects what a payload
 * would leave behind: the marker it sets, scripts, event-handler attributes, elements the
 * dashboard never renders itself (SVG only inside its charts) and links that are not http(s) or
 * the dashboard's own.
 */
const INSPECT = `(() => {
  const all = [...document.querySelectorAll('*')];
  return {
    xss: window.__xss ?? null,
    scripts: [...document.scripts].map((s) => s.src),
    handlers: all.flatMap((el) => [...el.attributes].filter((a) => a.name.toLowerCase().startsWith('on')).map((a) => el.tagName + ' ' + a.name)),
    injected: all
      .filter((el) => ['IMG', 'IFRAME', 'OBJECT', 'EMBED', 'B'].includes(el.tagName) || (el.tagName === 'svg' && el.closest('figure, td.bar-cell') === null))
      .map((el) => el.outerHTML.slice(0, 80)),
    jsHrefs: [...document.querySelectorAll('a')].map((a) => a.getAttribute('href') ?? '').filter((h) => !['http://', 'https://', '/dashboard'].some((ok) => h.toLowerCase().startsWith(ok))),
  };
})()`;

describe.runIf(hasChromium && hasSharedData).each(DATABASE_KINDS)('hostile IOCs render as text (%s)', (kind) => {
  let dash: Dashboard;
  let browser: Browser;
  let page: Page;
  let watch: { problems: string[] };
  let shots: string;
  let shot = 0;

  /** Every way a payload could have become markup or run, checked in the page. */
  async function assertInert(name: string): Promise<void> {
    await page.screenshot({ path: join(shots, `${String(++shot).padStart(2, '0')}-${name}.png`), fullPage: true });
    const report = (await page.evaluate(INSPECT)) as InspectReport;
    expect(report, name).toEqual({ xss: null, scripts: [report.scripts[0]], handlers: [], injected: [], jsHrefs: [] });
    expect(report.scripts[0]).toMatch(/\/dashboard\/assets\/index-[\w-]+\.js$/);
    expect(watch.problems, name).toEqual([]);
  }

  async function text(): Promise<string> {
    return page.innerText('body');
  }

  beforeAll(async () => {
    await ensureWebBuild();
    dash = await startDashboard(kind);
    await dash.store.upsertBatch(IOCS, { now: new Date(), ttlDays: {} });
    await dash.store.db
      .insertInto('feeds')
      .values({
        name: `<img src=x onerror=window.__xss=9>`,
        last_run_at: new Date().toISOString(),
        last_success_at: null,
        last_status: 'error',
        last_error: `${SCRIPT} ${IMG}`,
        added: 0,
        updated: 0,
        unchanged: 0,
        rejected: 0,
        etag: null,
        last_modified: null,
        next_run_at: null,
      })
      .execute();
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 1360, height: 900 } })).newPage();
    watch = watchPage(page);
    shots = screenshotDir(`xss-${kind}`);
    await page.goto(`${dash.url}/dashboard/`);
    await page.getByTestId('signin-email').fill(dash.admin.email);
    await page.getByTestId('signin-password').fill(dash.admin.password);
    await page.getByTestId('signin-submit').click();
    await page.getByTestId('who').waitFor();
    // A user and a key named like payloads, created through the API as the administrator.
    const csrf = ((await (await page.request.get(`${dash.url}/api/session`)).json()) as { data: { csrf_token: string } }).data.csrf_token;
    const headers = { 'x-csrf-token': csrf };
    const user = await page.request.post(`${dash.url}/api/admin/users`, {
      headers,
      data: { email: `<script>window.__xss=10</script>@evil.example`, password: 'hostile passphrase', role: 'member', plan: 'free' },
    });
    expect(user.status()).toBe(201);
    const key = await page.request.post(`${dash.url}/api/v1/keys`, { headers, data: { name: `${IMG} ${SCRIPT}` } });
    expect(key.status()).toBe(201);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await dash?.close();
  });

  it('overview', async () => {
    await page.goto(`${dash.url}/dashboard/`);
    await expect.poll(text).toContain('<img src=x onerror=window.__xss=9>');
    expect(await text()).toContain(SCRIPT);
    await assertInert('overview');
  });

  it('explorer', async () => {
    await page.goto(`${dash.url}/dashboard/iocs?status=all`);
    await expect.poll(() => page.getByTestId('ioc-link').count()).toBe(IOCS.length);
    const shown = await page.getByTestId('ioc-link').allTextContents();
    expect(shown.sort()).toEqual(IOCS.map((c) => c.value).sort());
    await assertInert('explorer');
  });

  it.each(IOCS.map((c, i) => [i, c] as const))('IOC page %i', async (i, c) => {
    await page.goto(`${dash.url}/dashboard/iocs/${iocId(c.type, c.value)}`);
    await expect.poll(() => page.getByTestId('ioc-value').textContent()).toBe(c.value);
    const body = await text();
    for (const p of PAYLOADS) expect(body).toContain(p);
    expect(body).toContain(`title ${i + 1}`);
    // The javascript: reference URL is shown, as text, not as a link.
    expect(await page.getByTestId('ioc-sources').locator('a').count()).toBe(0);
    await assertInert(`ioc-${i}`);
  });

  it('lookup', async () => {
    for (const c of IOCS) {
      await page.goto(`${dash.url}/dashboard/lookup`);
      await page.getByTestId('lookup-input').fill(c.value);
      await page.getByTestId('lookup-submit').click();
      await expect.poll(async () => (await page.getByTestId('lookup-result').count()) + (await page.getByTestId('error').count())).toBeGreaterThan(0);
      await assertInert(`lookup-${c.type}`);
    }
  });

  it('keys, users, audit log and feeds', async () => {
    for (const path of ['keys', 'admin/users', 'admin/audit', 'feeds', 'usage']) {
      await page.goto(`${dash.url}/dashboard/${path}`);
      await expect.poll(() => page.locator('h1').count()).toBeGreaterThan(0);
      await expect.poll(text).toMatch(path === 'usage' ? /Usage/ : /__xss=/);
      await assertInert(path.replace('/', '-'));
    }
  });
});
