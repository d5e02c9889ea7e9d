/**
 * OpenAPI 3.1 generated from the route schemas (@fastify/swagger), served at /api/openapi.json
 * and rendered at /api/docs (@fastify/swagger-ui). Register before any route: the document is
 * collected as routes are added.
 * https://github.com/fastify/fastify-swagger, https://github.com/fastify/fastify-swagger-ui
 */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';

const DESCRIPTION = `SOC Defenders self-hosted threat-intelligence API. Compatible with the hosted SOC Defenders
API v1 (same paths, parameters, fields, error codes and rate-limit headers), plus lossless cursor sync,
exact quotas and NDJSON.

Authentication: \`Authorization: Bearer sk_live_...\` or \`X-API-Key: sk_live_...\`.

Quotas: every authenticated request costs 1 (TAXII object pulls 2.5) against the key's per-minute and
per-UTC-day limits. \`X-RateLimit-Limit\`, \`X-RateLimit-Remaining\` and \`X-RateLimit-Reset\` (Unix seconds)
describe the tighter window. A request refused with 429 \`rate_limit_exceeded\` is not counted; wait for
\`Retry-After\` seconds.

Sync: \`GET /api/v1/iocs\` pages in ascending version order. Follow \`meta.next_cursor\` (or the
\`X-Next-Cursor\` header for csv, txt and ndjson) with \`status=all\` to see every change exactly once,
even while ingestion writes.`;

export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'SOC Defenders API', version: '1.0.0', description: DESCRIPTION },
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', description: 'The API key as a Bearer token' },
          apiKeyHeader: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
        },
      },
      tags: [
        { name: 'iocs', description: 'Indicators of compromise' },
        { name: 'system', description: 'Health and documentation' },
      ],
    },
  });
  await app.register(swaggerUi, {
    routePrefix: '/api/docs',
    staticCSP: true,
    uiConfig: { docExpansion: 'list', deepLinking: true },
  });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
