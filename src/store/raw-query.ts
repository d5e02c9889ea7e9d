import { CompiledQuery, type Kysely } from 'kysely';
import type { Database } from './schema.js';

/**
 * Runs one parameterized statement built from constant SQL text (never from input) and bound
 * `params`. Used on the ingest path, where building a Kysely tree per row costs more than the
 * insert itself; everything else uses the query builder.
 */
export async function runRaw<R>(db: Kysely<Database>, text: string, params: readonly unknown[]): Promise<R[]> {
  const query = CompiledQuery.raw(text, [...params]) as CompiledQuery<R>;
  return (await db.executeQuery(query)).rows;
}

/** Splits `items` into slices of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
