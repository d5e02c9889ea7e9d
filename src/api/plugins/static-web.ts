/**
 * Serves the dashboard (the Vite build of web/, in dist/web) from `socd serve` itself, at
 * /dashboard/: hashed assets with a year-long immutable cache (@fastify/static,
 * https://github.com/fastify/fastify-static), and index.html for every other /dashboard/ path so
 * that the app's own routes survive a reload. `/` redirects to the dashboard.
 *
 * The dashboard's document gets a stricter Content-Security-Policy than the rest of the server
 * (plugins/helmet.ts sets the general one on every response; this one replaces it on the
 * dashboard's responses): nothing but the app's own script and style files, no inline script or
 * style, no plugins, no framing, and Trusted Types enforced, so that even a bug that handed an
 * attacker-controlled IOC value to an HTML sink would be refused by the browser.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';

/** dist/web beside dist/ (the same path from src/api/plugins under tsx and dist/api/plugins built). */
export const WEB_ROOT = fileURLToPath(new URL('../../../dist/web/', import.meta.url));
export const DASHBOARD_PATH = '/dashboard/';

export const DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "object-src 'none'",
  "require-trusted-types-for 'script'",
  "trusted-types 'none'",
].join('; ');

function dashboardHeaders(reply: FastifyReply): void {
  reply.header('Content-Security-Policy', DASHBOARD_CSP);
  reply.header('Referrer-Policy', 'no-referrer');
  reply.header('X-Frame-Options', 'DENY');
}

/** Register the dashboard's static files and routes on `app` (from `root`, default dist/web). */
export async function registerStaticWeb(app: FastifyInstance, root: string = WEB_ROOT): Promise<void> {
  const assets = join(root, 'assets');
  if (existsSync(assets)) {
    await app.register(fastifyStatic, {
      root: assets,
      prefix: `${DASHBOARD_PATH}assets/`,
      decorateReply: false,
      index: false,
      immutable: true,
      maxAge: '365d',
      setHeaders: (reply) => void reply.header('Content-Security-Policy', DASHBOARD_CSP),
    });
  }

  const index = join(root, 'index.html');
  const sendIndex = async (_req: unknown, reply: FastifyReply): Promise<FastifyReply> => {
    dashboardHeaders(reply);
    reply.header('Cache-Control', 'no-cache');
    if (!existsSync(index)) {
      return reply
        .status(503)
        .type('text/plain; charset=utf-8')
        .send('The dashboard is not built. Run `npm run build:web` (or `npm run build`) and reload.\n');
    }
    return reply.type('text/html; charset=utf-8').send(await readFile(index));
  };
  const hidden = { schema: { hide: true } };
  app.get('/', hidden, async (_req, reply) => reply.redirect(DASHBOARD_PATH, 302));
  app.get('/dashboard', hidden, async (_req, reply) => reply.redirect(DASHBOARD_PATH, 301));
  app.get(DASHBOARD_PATH, hidden, sendIndex);
  app.get(`${DASHBOARD_PATH}*`, hidden, sendIndex);
}

/** The dashboard's files as a route plugin of their own (no session lookup for static files). */
export const staticWebRoutes: FastifyPluginAsyncTypebox = async (app) => registerStaticWeb(app);
