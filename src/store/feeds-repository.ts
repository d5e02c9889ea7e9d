import type { Kysely, Selectable, Updateable } from 'kysely';
import type { Database, FeedsTable } from './schema.js';

/** A feed's last run as the feed runner, the scheduler and `socd feeds` see it. */
export type FeedState = Selectable<FeedsTable>;

/** The fields a run records; the rest keep their stored values. */
export type FeedRunPatch = Omit<Updateable<FeedsTable>, 'name'>;

export interface FeedsRepository {
  getFeedState(name: string): Promise<FeedState | null>;
  /** Creates the feed's row on its first run, else updates the given fields. Returns the new state. */
  recordFeedRun(name: string, patch: FeedRunPatch): Promise<FeedState>;
  /** Every feed that has run, by name. */
  listFeedStates(): Promise<FeedState[]>;
}

const EMPTY: Omit<FeedState, 'name'> = {
  last_run_at: null,
  last_success_at: null,
  last_status: null,
  last_error: null,
  added: 0,
  updated: 0,
  unchanged: 0,
  rejected: 0,
  etag: null,
  last_modified: null,
  next_run_at: null,
};

/**
 * The `feeds` table.
 *
 * @example
 * const feeds = feedsRepository(store.db);
 * await feeds.recordFeedRun('urlhaus', { last_status: 'ok', last_run_at: now, added: 120 });
 */
export function feedsRepository(db: Kysely<Database>): FeedsRepository {
  async function getFeedState(name: string): Promise<FeedState | null> {
    return (await db.selectFrom('feeds').selectAll().where('name', '=', name).executeTakeFirst()) ?? null;
  }
  return {
    getFeedState,
    async recordFeedRun(name, patch) {
      const fields = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as FeedRunPatch;
      await db
        .insertInto('feeds')
        .values({ ...EMPTY, ...fields, name } as FeedState)
        .onConflict((oc) => (Object.keys(fields).length > 0 ? oc.column('name').doUpdateSet(fields) : oc.column('name').doNothing()))
        .execute();
      const state = await getFeedState(name);
      if (!state) throw new Error(`feed ${name} vanished while recording its run`);
      return state;
    },
    listFeedStates: () => db.selectFrom('feeds').selectAll().orderBy('name').execute(),
  };
}
