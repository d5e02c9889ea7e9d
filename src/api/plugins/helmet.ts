/**
 * Security headers for every response (API, docs, dashboard), configured here and nowhere else
 * with @fastify/helmet. https://github.com/fastify/fastify-helmet
 *
 * @fastify/helmet rebuilds helmet's middleware on every request (about a tenth of the CPU of a
 * small API request in the bench). The headers depend only on this configuration, so they are
 * computed once, by helmet itself on a probe instance, and set from a constant on each request.
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

/** Set the security headers (and the request id) on every response of `app`. */
export async function registerHelmet(app: FastifyInstance): Promise<void> {
  const headers = await helmetHeaders();
  app.addHook('onRequest', (request, reply, done) => {
    reply.headers(headers);
    reply.header('X-Request-Id', request.id);
    done();
  });
}
