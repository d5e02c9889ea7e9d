/**
 * The TAXII 2.1 server (read-only): discovery at `/api/taxii2/` (the hosted product's URL) and at
 * `/taxii2/` (the standard's), the API root `/api/taxii2/api/` with its collections, manifests,
 * objects, objects by id and their versions, and status (always 404: nothing is ever posted).
 * Every path answers with and without its trailing slash.
 *
 * The TAXII paths have their own context: HTTP Basic (user `apikey` or empty, the key as
 * password) or Bearer through the shared key check, a 401 that challenges with Basic, the
 * `taxii` plan feature (pro), the shared quota count (object requests cost 2.5), and every
 * response, errors included, as `application/taxii+json;version=2.1`.
 */
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest, RouteShorthandOptions } from 'fastify';
import { findTaxiiCollection, TAXII_COLLECTIONS, type TaxiiCollection } from '../../domain/taxii-collections.js';
import { identify, presentedKey, requireFeature } from '../plugins/auth.js';
import { countRequest } from '../plugins/quotas.js';
import {
  CollectionParams,
  ObjectParams,
  StatusParams,
  TAXII_ERROR_RESPONSES,
  TAXII_SECURITY,
  TaxiiApiRoot,
  TaxiiCollectionResource,
  TaxiiCollections,
  TaxiiDiscovery,
  TaxiiEnvelope,
  TaxiiManifest,
  TaxiiObjectQuery,
  TaxiiObjectsQuery,
  TaxiiVersions,
  taxiiOk,
} from '../schemas/taxii.js';
import { acceptsTaxii } from './taxii-accept.js';
import { asTaxiiError, notFound, sendTaxiiError, STIX_MEDIA_TYPE, TAXII_MEDIA_TYPE, TaxiiError } from './taxii-errors.js';
import { findCollectionObject, readCollectionPage, type TaxiiPage } from './taxii-objects.js';
import { parseTaxiiQuery, type TaxiiQueryString } from './taxii-query.js';
import { StixRenderCache } from './taxii-render-cache.js';

/** Where the API root lives (the hosted product's documented URL). */
export const TAXII_API_ROOT_PATH = '/api/taxii2/api/';
/** Quota cost of a request for objects (the hosted product's documented 2.5). */
export const TAXII_OBJECTS_COST = 2.5;

export interface TaxiiRoutesOptions {
  /** Adds the per-key request log to a context (app.ts's installRequestLog). */
  logRequests?: (ctx: FastifyInstance) => void;
}

async function authenticateTaxii(request: FastifyRequest): Promise<void> {
  request.apiKey = await identify(request.server, presentedKey(request), new Date());
  requireFeature(request, 'taxii', 'TAXII');
}

async function negotiate(request: FastifyRequest): Promise<void> {
  const accept = request.headers.accept;
  if (!acceptsTaxii(accept)) {
    throw new TaxiiError(406, 'not_acceptable', `this server answers ${TAXII_MEDIA_TYPE}; the Accept header '${accept ?? ''}' allows none of it`);
  }
}

/** Auth, content negotiation, quota, request log, error format and media type of a TAXII context. */
function protect(scope: FastifyInstance, opts: TaxiiRoutesOptions): void {
  scope.setErrorHandler((error: Error, request, reply) => sendTaxiiError(reply, request, asTaxiiError(error, request)));
  scope.setNotFoundHandler((request, reply) =>
    sendTaxiiError(reply, request, notFound('not_found', `no TAXII resource at ${request.url.split('?')[0] ?? ''}`)),
  );
  scope.addHook('onRequest', authenticateTaxii);
  scope.addHook('onRequest', negotiate);
  scope.addHook('onRequest', countRequest);
  opts.logRequests?.(scope);
  scope.addHook('onSend', async (_request, reply, payload) => {
    reply.header('Content-Type', TAXII_MEDIA_TYPE);
    return payload;
  });
}

/** Register `path` (ending in `/`) and, unless the router already ignores it, the form without the slash. */
function both(scope: FastifyInstance, method: 'GET' | 'POST' | 'DELETE', path: string, options: RouteShorthandOptions, handler: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>): void {
  const config = scope.initialConfig as { ignoreTrailingSlash?: boolean; routerOptions?: { ignoreTrailingSlash?: boolean } };
  const ignores = config.routerOptions?.ignoreTrailingSlash ?? config.ignoreTrailingSlash ?? false;
  scope.route({ method, url: path, ...options, handler });
  if (!ignores && path.endsWith('/') && path !== '/') {
    scope.route({ method, url: path.slice(0, -1), ...options, schema: { ...options.schema, hide: true }, handler });
  }
}

function json(reply: FastifyReply, body: unknown): FastifyReply {
  return reply.type(TAXII_MEDIA_TYPE).send(JSON.stringify(body));
}

function collectionOf(request: FastifyRequest): TaxiiCollection {
  const { collectionId } = request.params as { collectionId: string };
  const c = findTaxiiCollection(collectionId);
  if (!c) throw notFound('collection_not_found', `no collection '${collectionId}'; GET ${TAXII_API_ROOT_PATH}collections/ lists them`);
  return c;
}

function collectionResource(c: TaxiiCollection) {
  return {
    id: c.id,
    title: c.title,
    description: c.description,
    alias: c.alias,
    can_read: true,
    can_write: false,
    media_types: [STIX_MEDIA_TYPE],
  };
}

function pageHeaders(reply: FastifyReply, page: Pick<TaxiiPage, 'firstAdded' | 'lastAdded'>): void {
  reply.header('X-TAXII-Date-Added-First', page.firstAdded);
  reply.header('X-TAXII-Date-Added-Last', page.lastAdded);
  reply.header('Cache-Control', 'no-store');
}

/** `{"more":…,"next":…,"<key>":[…]}` from JSON texts; the list is left out when empty (§3.7). */
function envelopeText(page: TaxiiPage, key: 'objects' | 'versions', items: readonly string[]): string {
  let out = `{"more":${page.more}`;
  if (page.next !== null) out += `,"next":${JSON.stringify(page.next)}`;
  if (items.length > 0) out += `,"${key}":[${items.join(',')}]`;
  return `${out}}`;
}

const readOnly = async (): Promise<never> => {
  throw new TaxiiError(403, 'read_only', 'the collections of this server are read-only (can_write is false)');
};

function discoveryRoutes(scope: FastifyInstance): void {
  scope.get(
    '/',
    {
      schema: {
        summary: 'TAXII 2.1 discovery',
        tags: ['taxii'],
        security: TAXII_SECURITY,
        response: { 200: taxiiOk('The server and its API roots', TaxiiDiscovery), ...TAXII_ERROR_RESPONSES },
      },
    },
    async (_request, reply) =>
      json(reply, {
        title: 'SOC Defenders TAXII Server',
        description: 'IOCs as STIX 2.1 from this SOC Defenders server. Collections are read-only.',
        default: TAXII_API_ROOT_PATH,
        api_roots: [TAXII_API_ROOT_PATH],
      }),
  );
}

function apiRootRoutes(scope: FastifyInstance, cache: StixRenderCache): void {
  const tags = ['taxii'];
  const security = TAXII_SECURITY;

  both(
    scope,
    'GET',
    '/api/',
    { schema: { summary: 'TAXII API root', tags, security, response: { 200: taxiiOk('The API root', TaxiiApiRoot), ...TAXII_ERROR_RESPONSES } } },
    async (request, reply) =>
      json(reply, {
        title: 'SOC Defenders',
        description: 'All IOCs and per-type collections as STIX 2.1 indicators, vulnerabilities and attack patterns.',
        versions: [TAXII_MEDIA_TYPE],
        max_content_length: request.server.initialConfig.bodyLimit ?? 1_048_576,
      }),
  );

  both(
    scope,
    'GET',
    '/api/status/:statusId/',
    { schema: { summary: 'TAXII status (none exist: nothing is posted)', tags, security, params: StatusParams, response: TAXII_ERROR_RESPONSES } },
    async (request) => {
      const { statusId } = request.params as { statusId: string };
      throw notFound('status_not_found', `no status '${statusId}': this server accepts no objects`);
    },
  );

  both(
    scope,
    'GET',
    '/api/collections/',
    { schema: { summary: 'TAXII collections', tags, security, response: { 200: taxiiOk('The collections', TaxiiCollections), ...TAXII_ERROR_RESPONSES } } },
    async (_request, reply) => json(reply, { collections: TAXII_COLLECTIONS.map(collectionResource) }),
  );

  both(
    scope,
    'GET',
    '/api/collections/:collectionId/',
    {
      schema: {
        summary: 'A TAXII collection',
        tags,
        security,
        params: CollectionParams,
        response: { 200: taxiiOk('The collection', TaxiiCollectionResource), ...TAXII_ERROR_RESPONSES },
      },
    },
    async (request, reply) => json(reply, collectionResource(collectionOf(request))),
  );

  both(
    scope,
    'GET',
    '/api/collections/:collectionId/manifest/',
    {
      schema: {
        summary: 'Manifest of a TAXII collection',
        tags,
        security,
        params: CollectionParams,
        querystring: TaxiiObjectsQuery,
        response: { 200: taxiiOk('A page of manifest records', TaxiiManifest, true), ...TAXII_ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const collection = collectionOf(request);
      const query = parseTaxiiQuery(request.query as TaxiiQueryString, collection.id, { ids: true, types: true });
      const page = await readCollectionPage(request.server.store, collection, query, { withJson: false, cache });
      pageHeaders(reply, page);
      const items = page.entries.map((e) =>
        JSON.stringify({ id: e.id, date_added: e.dateAdded, version: e.version, media_type: STIX_MEDIA_TYPE }),
      );
      return reply.type(TAXII_MEDIA_TYPE).send(envelopeText(page, 'objects', items));
    },
  );

  both(
    scope,
    'GET',
    '/api/collections/:collectionId/objects/',
    {
      schema: {
        summary: 'Objects of a TAXII collection',
        description: 'Costs 2.5 requests. Page with `next` (and the same match[] filters) or with added_after = X-TAXII-Date-Added-Last.',
        tags,
        security,
        params: CollectionParams,
        querystring: TaxiiObjectsQuery,
        response: { 200: taxiiOk('A page of STIX 2.1 objects', TaxiiEnvelope, true), ...TAXII_ERROR_RESPONSES },
      },
      config: { cost: TAXII_OBJECTS_COST },
    },
    async (request, reply) => {
      const collection = collectionOf(request);
      const query = parseTaxiiQuery(request.query as TaxiiQueryString, collection.id, { ids: true, types: true });
      const page = await readCollectionPage(request.server.store, collection, query, { withJson: true, cache });
      pageHeaders(reply, page);
      // A page is about 1 MB: sent as a Buffer it is encoded once, where Fastify would scan the
      // string for its byte length and the socket encode it again.
      return reply.type(TAXII_MEDIA_TYPE).send(Buffer.from(envelopeText(page, 'objects', page.entries.map((e) => e.json ?? ''))));
    },
  );

  both(
    scope,
    'POST',
    '/api/collections/:collectionId/objects/',
    { schema: { hide: true }, onRequest: readOnly },
    readOnly,
  );

  both(
    scope,
    'GET',
    '/api/collections/:collectionId/objects/:objectId/',
    {
      schema: {
        summary: 'One object of a TAXII collection',
        description: 'Costs 2.5 requests.',
        tags,
        security,
        params: ObjectParams,
        querystring: TaxiiObjectQuery,
        response: { 200: taxiiOk('The object', TaxiiEnvelope, true), ...TAXII_ERROR_RESPONSES },
      },
      config: { cost: TAXII_OBJECTS_COST },
    },
    async (request, reply) => {
      const collection = collectionOf(request);
      const { objectId } = request.params as { objectId: string };
      const entry = await findCollectionObject(request.server.store, collection, objectId);
      if (!entry) throw notFound('object_not_found', `collection '${collection.alias}' holds no object '${objectId}'`);
      const q = { ...(request.query as TaxiiQueryString), 'match[id]': entry.id };
      const query = parseTaxiiQuery(q, `${collection.id}/${entry.id}`, { ids: true, types: false });
      const page = await readCollectionPage(request.server.store, collection, query, { withJson: true, cache });
      pageHeaders(reply, page);
      return reply.type(TAXII_MEDIA_TYPE).send(envelopeText(page, 'objects', page.entries.map((e) => e.json ?? '')));
    },
  );

  both(
    scope,
    'DELETE',
    '/api/collections/:collectionId/objects/:objectId/',
    { schema: { hide: true }, onRequest: readOnly },
    readOnly,
  );

  both(
    scope,
    'GET',
    '/api/collections/:collectionId/objects/:objectId/versions/',
    {
      schema: {
        summary: 'Versions of one object of a TAXII collection',
        description: 'Each object has one version on this server: its current one (a change is a new version that replaces it).',
        tags,
        security,
        params: ObjectParams,
        querystring: TaxiiObjectQuery,
        response: { 200: taxiiOk('The versions', TaxiiVersions, true), ...TAXII_ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const collection = collectionOf(request);
      const { objectId } = request.params as { objectId: string };
      const entry = await findCollectionObject(request.server.store, collection, objectId);
      if (!entry) throw notFound('object_not_found', `collection '${collection.alias}' holds no object '${objectId}'`);
      const q: TaxiiQueryString = { ...(request.query as TaxiiQueryString), 'match[id]': entry.id };
      delete q['match[version]'];
      const query = parseTaxiiQuery(q, `${collection.id}/${entry.id}/versions`, { ids: true, types: false });
      const page = await readCollectionPage(request.server.store, collection, query, { withJson: false, cache });
      pageHeaders(reply, page);
      return reply.type(TAXII_MEDIA_TYPE).send(envelopeText(page, 'versions', page.entries.map((e) => JSON.stringify(e.version))));
    },
  );
}

/**
 * The TAXII route plugin (registered at the root by app.ts): two contexts with the protections
 * above, `/taxii2` (discovery only) and `/api/taxii2` (discovery and the API root).
 */
export const taxiiRoutes: FastifyPluginAsync<TaxiiRoutesOptions> = async (app, opts) => {
  const cache = new StixRenderCache();
  await app.register(
    async (scope) => {
      protect(scope, opts);
      discoveryRoutes(scope);
    },
    { prefix: '/taxii2' },
  );
  await app.register(
    async (scope) => {
      protect(scope, opts);
      discoveryRoutes(scope);
      apiRootRoutes(scope, cache);
    },
    { prefix: '/api/taxii2' },
  );
};
