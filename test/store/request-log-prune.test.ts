/**
 * Request-log retention (store/usage-repository.ts pruneRequestLog): rows older than the cutoff
 * go, newer rows stay, and one call looks at no more than `maxRows` of the oldest rows.
 */
import { describe, expect, it } from 'vitest';
import { UsageRepository, type RequestLogEntry } from '../../src/store/usage-repository.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { useTestStore } from './test-store.js';

const entry = (ts: string, path = '/api/v1/iocs'): RequestLogEntry => ({ key_id: 'key-1', ts, method: 'GET', path, status: 200, latency_ms: 1 });

describe.each(DATABASE_KINDS)('request-log pruning on %s', (kind) => {
  const t = useTestStore(kind);
  const paths = async (): Promise<string[]> =>
    (await t.store().db.selectFrom('request_log').select('path').orderBy('id').execute()).map((r) => r.path);

  it('deletes rows logged before the cutoff and keeps the rest', async () => {
    const usage = new UsageRepository(t.store().db);
    await usage.logRequests([entry('2026-01-01T00:00:00.000Z', '/old-1'), entry('2026-01-02T00:00:00.000Z', '/old-2'), entry('2026-03-01T00:00:00.000Z', '/new')]);
    expect(await usage.pruneRequestLog('2026-02-01T00:00:00.000Z', 100)).toBe(2);
    expect(await paths()).toEqual(['/new']);
    expect(await usage.pruneRequestLog('2026-02-01T00:00:00.000Z', 100)).toBe(0);
  });

  it('examines at most maxRows of the oldest rows per call', async () => {
    const usage = new UsageRepository(t.store().db);
    await usage.logRequests(Array.from({ length: 5 }, (_, i) => entry(`2026-01-0${i + 1}T00:00:00.000Z`, `/old-${i + 1}`)));
    expect(await usage.pruneRequestLog('2026-02-01T00:00:00.000Z', 2)).toBe(2);
    expect(await paths()).toEqual(['/old-3', '/old-4', '/old-5']);
    expect(await usage.pruneRequestLog('2026-02-01T00:00:00.000Z', 10)).toBe(3);
    expect(await paths()).toEqual([]);
  });
});
