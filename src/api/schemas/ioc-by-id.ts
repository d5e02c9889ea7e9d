/** Schemas of `GET /api/v1/iocs/{id}`. */
import { Type } from '@sinclair/typebox';
import { IocSchema } from './ioc.js';
import { ResponseMetaSchema } from './search.js';

export const IocIdParams = Type.Object({
  id: Type.String({
    // A pattern rather than format: uuid, so the 400 names `id` with a message a person can act on.
    pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$',
    description: 'The IOC id (UUIDv5 of type:value)',
  }),
});

export const IocByIdResponse = Type.Object({ meta: ResponseMetaSchema, data: IocSchema });
