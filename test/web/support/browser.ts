/**
 * Chromium for the browser suites: Debian's /usr/bin/chromium driven by playwright-core (no
 * browser download). Missing, it skips the suites locally and fails them under CI=true.
 * The flags keep Chromium off the network (this machine's closed network refuses its background
 * connections, and a test must not depend on them anyway).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { PROJECT_ROOT } from '../../cli/run-cli.js';
import { requireDependency } from '../../support/require.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasChromium = requireDependency('Chromium', existsSync(CHROMIUM), `install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH`);

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Where the screenshots of a suite go: dist/screenshots/<suite> (or $SOCD_SCREENSHOTS/<suite>). */
export function screenshotDir(suite: string): string {
  const dir = join(process.env.SOCD_SCREENSHOTS ?? join(PROJECT_ROOT, 'dist', 'screenshots'), suite);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * Everything a page reports that a working, attack-proof dashboard never does: script errors,
 * console errors (CSP and Trusted Types violations among them) and dialogs (alert, confirm). The
 * browser's own "Failed to load resource" lines for answers the test expects (401, 403, 404)
 * are not counted.
 */
export function watchPage(page: Page): { problems: string[] } {
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const text = msg.text();
    if (/^Failed to load resource: the server responded with a status of (401|403|404|409|400)/.test(text)) return;
    problems.push(`console: ${text}`);
  });
  page.on('dialog', (dialog) => {
    problems.push(`dialog: ${dialog.type()} ${dialog.message()}`);
    void dialog.dismiss();
  });
  return { problems };
}
