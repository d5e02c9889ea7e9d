/**
 * OpenAPI 3.1 at /api/openapi.json, generated from the route schemas and rendered at /api/docs;
 * real responses validate against the schemas the document publishes.
 */
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { candidate, get, ingest, newKey, startApi, type RunningApi } from './support/server.js';

interface OpenApiDoc {
  openapi: string;
  info: { title: string };
  paths: Record<string, Record<string, { parameters?: Array<{ name: string; in: string }>; responses: Record<string, { content?: Record<string, { schema: object }> }> }>>;
  components: { securitySchemes: Record<string, unknown> };
}

describe('OpenAPI document', () => {
  let api: RunningApi;
  let doc: OpenApiDoc;
  let key: string;

  beforeAll(async () => {
    api = await startApi('sqlite');
    key = (await newKey(api.deps, 'free')).key;
    await ingest(api.store, [candidate(1), candidate(2, { type: 'url', industries: ['energy'] })]);
    doc = (await (await fetch(`${api.url}/api/openapi.json`)).json()) as OpenApiDoc;
  });
  afterAll(async () => api?.close());

  it('is OpenAPI 3.1 with both key schemes', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.title).toBe('SOC Defenders API');
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['apiKeyHeader', 'bearerAuth']);
  });

  it('documents every parameter of GET /api/v1/iocs and its error responses', () => {
    const op = doc.paths['/api/v1/iocs']?.get;
    expect(op).toBeDefined();
    const names = (op?.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
    for (const name of ['category', 'confidence', 'cursor', 'format', 'industry', 'limit', 'offset', 'since', 'status', 'type']) {
      expect(names).toContain(name);
    }
    expect(Object.keys(op?.responses ?? {}).sort()).toEqual(['200', '400', '401', '403', '429']);
    expect(Object.keys(op?.responses['200']?.content ?? {})).toEqual(
      expect.arrayContaining(['application/json', 'application/x-ndjson', 'text/csv', 'text/plain']),
    );
  });

  it('describes real responses: a page and an error validate against the published schemas', async () => {
    const op = doc.paths['/api/v1/iocs']?.get;
    const ajv = new Ajv2020.default({ strict: false, allErrors: true });
    addFormats.default(ajv);
    const page = ajv.compile(op?.responses['200']?.content?.['application/json']?.schema ?? {});
    const body: unknown = await (await get(api, '/api/v1/iocs', key)).json();
    expect(page(body), JSON.stringify(page.errors)).toBe(true);
    const error = ajv.compile(op?.responses['400']?.content?.['application/json']?.schema ?? {});
    const bad: unknown = await (await get(api, '/api/v1/iocs?type=nope', key)).json();
    expect(error(bad), JSON.stringify(error.errors)).toBe(true);
  });

  it('renders the docs at /api/docs', async () => {
    const res = await fetch(`${api.url}/api/docs`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(await res.text()).toMatch(/swagger/i);
  });
});
