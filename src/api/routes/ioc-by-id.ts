/** `GET /api/v1/iocs/{id}`: one IOC by its stable id, whatever its status. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { findDocById } from '../../store/search-queries.js';
import { ApiError, invalidParameter } from '../errors.js';
import { responseMeta } from '../observables.js';
import { PrerenderedJson } from '../schemas/prerendered.js';
import { AUTH_ERROR_RESPONSES, RATE_LIMIT_HEADERS, SECURITY, errorResponse } from '../schemas/common.js';
import { IocByIdResponse, IocIdParams } from '../schemas/ioc-by-id.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const iocByIdRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/iocs/:id',
    {
      schema: {
        summary: 'Get one IOC by id',
        description: 'The IOC with this id (stable: UUIDv5 of type:value), in any status.',
        tags: ['iocs'],
        security: SECURITY,
        params: IocIdParams,
        response: {
          200: {
            description: 'The IOC',
            headers: RATE_LIMIT_HEADERS,
            content: { 'application/json': { schema: PrerenderedJson(IocByIdResponse) } },
          },
          ...AUTH_ERROR_RESPONSES,
          404: errorResponse('ioc_not_found: no IOC has this id'),
        },
      },
      config: { feature: 'json' },
    },
    async (request, reply) => {
      const id = request.params.id.toLowerCase();
      if (!UUID.test(id)) throw invalidParameter('id', 'id must be a UUID', { value: request.params.id });
      const row = await findDocById(app.store.db, id);
      if (!row) throw new ApiError(404, 'ioc_not_found', `no IOC with id ${id}`, { id });
      reply.header('Cache-Control', 'no-store');
      return reply
        .type('application/json; charset=utf-8')
        .send(`{"meta":${JSON.stringify(responseMeta(new Date()))},"data":${row.doc}}`);
    },
  );
};
