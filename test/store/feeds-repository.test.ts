import { describe, expect, it } from 'vitest';
import { feedsRepository } from '../../src/store/feeds-repository.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { useTestStore } from './test-store.js';

describe.each(DATABASE_KINDS)('feedsRepository on %s', (kind) => {
  const t = useTestStore(kind);

  it('records runs and reads them back', async () => {
    const feeds = feedsRepository(t.store().db);
    expect(await feeds.getFeedState('urlhaus')).toBeNull();
    expect(await feeds.listFeedStates()).toEqual([]);

    const first = await feeds.recordFeedRun('urlhaus', { last_status: 'running', last_run_at: '2026-01-03T00:00:00.000Z' });
    expect(first).toEqual({
      name: 'urlhaus',
      last_run_at: '2026-01-03T00:00:00.000Z',
      last_success_at: null,
      last_status: 'running',
      last_error: null,
      added: 0,
      updated: 0,
      unchanged: 0,
      rejected: 0,
      etag: null,
      last_modified: null,
      next_run_at: null,
    });

    const done = await feeds.recordFeedRun('urlhaus', { last_status: 'ok', last_success_at: '2026-01-03T00:01:00.000Z', added: 120, rejected: 3, etag: '"abc"' });
    expect(done).toMatchObject({ last_status: 'ok', last_run_at: '2026-01-03T00:00:00.000Z', added: 120, rejected: 3, etag: '"abc"' });

    // Undefined fields leave stored values alone; null clears them.
    const failed = await feeds.recordFeedRun('urlhaus', { last_status: 'error', last_error: 'fetch failed: ENOTFOUND', etag: undefined, next_run_at: null });
    expect(failed).toMatchObject({ last_status: 'error', last_error: 'fetch failed: ENOTFOUND', etag: '"abc"', added: 120 });

    await feeds.recordFeedRun('cisa-kev', {});
    expect((await feeds.listFeedStates()).map((f) => f.name)).toEqual(['cisa-kev', 'urlhaus']);
    expect(await feeds.getFeedState('urlhaus')).toEqual(failed);
  });
});
