/**
 * Security headers for every response (API, docs, dashboard), configured here and nowhere else
 * with @fastify/helmet. https://github.com/fastify/fastify-helmet
 *
 * @fastify/helmet rebuilds helmet's middleware on every request (about a tenth of the CPU of a
 * small API request in the bench). The headers depend only on this configuration, so they are
 * computed once, by helmet itself on a probe instance, and set from a constant on each request.
 *
 * Responses of the REST API (`/api/v1/...`: JSON, CSV, text, never an HTML document) get the
 * short set the OWASP REST Security Cheat Sheet recommends for API responses instead
 * (https://cheatsheetseries.owasp.org/cheatsheets/REST_Security_Cheat_Sheet.html#security-headers):
 * the rest of helmet's set (COOP, CORP, Origin-Agent-Cluster, Referrer-Policy, DNS prefetch,
 * X-Download-Options, ...) steers how a browser treats a document and protects nothing in a
 * JSON body, while every client pays for parsing a kilobyte of it on each response (the bench's
 * client, on the same machine, was the bottleneck doing exactly that). HTML (dashboard,
 * /api/docs) and every other path keep the full set.
 */
import helmet, { type FastifyHelmetOptions } from '@fastify/helmet';
import Fastify, { type FastifyInstance } from 'fastify';

const OPTIONS: FastifyHelmetOptions = {
  global: true,
  contentSecurityPolicy: {
    directives: {
      defaultSrc: ["'self'"],
      // The dashboard and Swagger UI load only their own bundles; styles may be inline.
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      objectSrc: ["'none'"],
      frameAncestors: ["'none'"],
      baseUri: ["'self'"],
      formAction: ["'self'"],
      upgradeInsecureRequests: null,
    },
  },
  // Served over plain HTTP on a laptop as often as behind TLS; HSTS belongs to the TLS terminator.
  strictTransportSecurity: false,
  crossOriginResourcePolicy: { policy: 'same-site' },
};

/** Response headers of a plain probe request that are not helmet's. */
const NOT_HELMET = new Set(['content-type', 'content-length', 'date', 'connection', 'keep-alive']);

/** The headers helmet sets with OPTIONS, computed by helmet itself. */
export async function helmetHeaders(): Promise<Record<string, string>> {
  const probe = Fastify({ logger: false });
  await probe.register(helmet, OPTIONS);
  probe.get('/', async () => '');
  const res = await probe.inject({ url: '/' });
  await probe.close();
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(res.headers)) {
    if (!NOT_HELMET.has(name) && typeof value === 'string') headers[name] = value;
  }
  return headers;
}

/** Paths whose responses are API data, never a document a browser renders. */
export const API_PATH_PREFIX = '/api/v1/';

/**
 * OWASP's set for API responses. HSTS is left to the TLS terminator (see OPTIONS). Cache-Control
 * is a default: a route whose answer may be cached (stats) sets its own.
 */
export const API_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'cache-control': 'no-store',
  'content-security-policy': "frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
};

/**
 * Set the security headers (and the request id, which error bodies quote and clients report)
 * on every response of `app`: the API set under API_PATH_PREFIX, helmet's full set elsewhere.
 */
export async function registerHelmet(app: FastifyInstance): Promise<void> {
  const headers = await helmetHeaders();
  app.addHook('onRequest', (request, reply, done) => {
    reply.headers(request.url.startsWith(API_PATH_PREFIX) ? API_SECURITY_HEADERS : headers);
    reply.header('X-Request-Id', request.id);
    done();
  });
}
