/**
 * The route plugins app.ts registers. Add a resource by appending its plugin to a list:
 * - `v1Routes` are mounted under `/api/v1`, behind API key authentication, the route's
 *   `config.feature` check and the quota count (so every one of them is authenticated and counted).
 * - `publicRoutes` are mounted at the root, without API key authentication (the dashboard's
 *   routes, `/api/session`, `/api/v1/keys`, `/api/admin`, `/api/dashboard`, `/dashboard/`, use
 *   its session cookie instead: routes/dashboard.ts).
 * - `ownAuthRoutes` are mounted at the root and install authentication, quota and the request
 *   log (handed to them) in their own contexts: TAXII, whose auth challenge and errors differ.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { staticWebRoutes } from '../plugins/static-web.js';
import { cefRoutes } from './cef.js';
import { dashboardRoutes } from './dashboard.js';
import { healthRoutes } from './health.js';
import { iocByIdRoutes } from './ioc-by-id.js';
import { iocsRoutes } from './iocs.js';
import { lookupRoutes } from './lookup.js';
import { matchRoutes } from './match.js';
import { mispRoutes } from './misp.js';
import { openIocRoutes } from './openioc.js';
import { searchRoutes } from './search.js';
import { sigmaRoutes } from './sigma.js';
import { splunkLookupRoutes } from './splunk-lookups.js';
import { statsRoutes } from './stats.js';
import { stixExportRoutes } from './stix-export.js';
import { taxiiRoutes, type TaxiiRoutesOptions } from './taxii.js';
import { usageRoutes } from './usage.js';

export const v1Routes: FastifyPluginAsyncTypebox[] = [
  iocsRoutes,
  searchRoutes,
  lookupRoutes,
  matchRoutes,
  statsRoutes,
  sigmaRoutes,
  stixExportRoutes,
  mispRoutes,
  openIocRoutes,
  cefRoutes,
  splunkLookupRoutes,
  usageRoutes,
  iocByIdRoutes,
];

export const publicRoutes: FastifyPluginAsyncTypebox[] = [healthRoutes, dashboardRoutes, staticWebRoutes];

export const ownAuthRoutes: Array<FastifyPluginAsync<TaxiiRoutesOptions>> = [taxiiRoutes];
