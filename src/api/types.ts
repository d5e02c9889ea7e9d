/**
 * What the API adds to Fastify's types: the decorations every route can rely on, and the route
 * `config` keys the auth and quota plugins read. Imported once by app.ts; the `declare module`
 * blocks apply project-wide.
 */
import type { FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import type { Feature, Plan, Plans } from '../domain/plans.js';
import type { AccountsRepository } from '../store/accounts-repository.js';
import type { KeysRepository } from '../store/keys-repository.js';
import type { UsageRepository } from '../store/usage-repository.js';
import type { Store } from '../store/store.js';
import type { RateLimitState } from './plugins/quotas.js';

/** The authenticated caller of an `/api/v1` request (set by the auth plugin). */
export interface ApiKeyIdentity {
  id: string;
  userId: string;
  plan: Plan;
  scopes: readonly string[];
}

declare module 'fastify' {
  interface FastifyInstance {
    store: Store;
    config: Config;
    plans: Plans;
    accounts: AccountsRepository;
    apiKeys: KeysRepository;
    usage: UsageRepository;
  }
  interface FastifyRequest {
    /** Null outside authenticated contexts (healthz, docs). */
    apiKey: ApiKeyIdentity | null;
    /** The store's last IOC version when the request was authenticated (read with the key). */
    iocVersion: number | null;
    /** The quota state after this request was counted; null when it was not counted. */
    rateLimit: RateLimitState | null;
  }
  interface FastifyContextConfig {
    /**
     * A plan feature the route needs (403 plan_upgrade_required otherwise), or a function of the
     * (not yet validated) request naming it, e.g. from `?format=`. Checked right after
     * authentication, so a refused request is not counted against the quota.
     */
    feature?: Feature | ((request: FastifyRequest) => Feature | null);
    /** Quota cost of one request (default 1; TAXII object pulls 2.5). Multiples of 0.1. */
    cost?: number;
  }
}
