import { Type, type TSchema, type TUnsafe } from '@sinclair/typebox';

/**
 * A JSON response the route sends as text it built from stored IOC documents (DESIGN.md §11:
 * pages are concatenated, never re-serialized). `schema` documents the body in OpenAPI; the
 * static type is string because that is what the handler sends, and Fastify sends a string with
 * a JSON content type as it is.
 */
export function PrerenderedJson(schema: TSchema): TUnsafe<string> {
  return Type.Unsafe<string>({ ...schema });
}
