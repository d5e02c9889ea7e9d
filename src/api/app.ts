/**
 * The Fastify application: only wiring (fastify/demo style). Plugins each configure one concern
 * (plugins/*), routes live one file per resource (routes/*, listed in routes/index.ts), schemas
 * apart (schemas/*). `socd serve` builds it and listens; tests build it the same way.
 */
import { randomUUID } from 'node:crypto';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import { resolvePlans } from '../domain/plans.js';
import { AccountsRepository } from '../store/accounts-repository.js';
import { KeysRepository } from '../store/keys-repository.js';
import type { Store } from '../store/store.js';
import { UsageRepository } from '../store/usage-repository.js';
import { installAuth } from './plugins/auth.js';
import { installErrorHandling } from './plugins/error-handler.js';
import { registerHelmet } from './plugins/helmet.js';
import { registerOpenApi } from './plugins/openapi.js';
import { countRequest, installQuotas } from './plugins/quotas.js';
import { installRequestLog } from './plugins/request-log.js';
import { ownAuthRoutes, publicRoutes, v1Routes } from './routes/index.js';
import './types.js';

export interface BuildAppOptions {
  store: Store;
  config: Config;
  /** Fastify logger option; default: pino at `config.logLevel`. Tests pass false. */
  logger?: boolean | object;
}

/** Limits that keep one client from holding the server (request size and duration). */
export const BODY_LIMIT_BYTES = 1024 * 1024;
export const REQUEST_TIMEOUT_MS = 30_000;

export async function buildApp(opts: BuildAppOptions): Promise<FastifyInstance> {
  const { store, config } = opts;
  const plans = resolvePlans(config.plans);
  const app = Fastify({
    logger: opts.logger ?? { level: config.logLevel },
    // The hosted product's request ids look like `req_...`; clients cannot choose their own.
    genReqId: () => `req_${randomUUID().replaceAll('-', '')}`,
    requestIdHeader: false,
    bodyLimit: BODY_LIMIT_BYTES,
    requestTimeout: REQUEST_TIMEOUT_MS,
    // Longer than common load balancers' idle timeout (60 s), so they close first.
    keepAliveTimeout: 65_000,
    trustProxy: config.trustProxy,
    return503OnClosing: true,
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: true, useDefaults: true, allErrors: true } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.decorate('store', store);
  app.decorate('config', config);
  app.decorate('plans', plans);
  app.decorate('accounts', new AccountsRepository(store.db));
  app.decorate('apiKeys', new KeysRepository(store.db, store.syncReader));
  app.decorate('usage', new UsageRepository(store.db));
  app.decorateRequest('apiKey', null);
  app.decorateRequest('rateLimit', null);
  app.decorateRequest('iocVersion', null);
  installErrorHandling(app);
  await registerHelmet(app);
  await registerOpenApi(app);
  const logRequests = installRequestLog(app);

  for (const routes of publicRoutes) await app.register(routes);
  for (const routes of ownAuthRoutes) await app.register(routes, { logRequests });
  await app.register(
    async (v1) => {
      installAuth(v1, countRequest);
      installQuotas(v1);
      logRequests(v1);
      for (const routes of v1Routes) await v1.register(routes);
    },
    { prefix: '/api/v1' },
  );
  return app;
}
