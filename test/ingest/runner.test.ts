import { describe, expect, it } from 'vitest';
import type { IocCandidate } from '../../src/domain/ioc.js';
import { DEFAULT_LAST_SEEN_RESOLUTION_MS, IngestInterruptedError, runIngest, type IngestProgress } from '../../src/ingest/runner.js';
import type { FeedDefaults, ParseItem } from '../../src/ingest/types.js';
import type { BatchWriter, BatchWriterLimits, Store, UpsertContext } from '../../src/store/store.js';
import { textStream } from './parse-helpers.js';

/** Records what the runner hands the store; every candidate counts as added. */
class FakeStore implements Pick<Store, 'openBatchWriter' | 'expireDue'> {
  batches: IocCandidate[][] = [];
  contexts: UpsertContext[] = [];
  expiredAt: Date[] = [];
  /** How each writer ended: `close` (commit) or `abort` (roll back). */
  endings: string[] = [];
  failOnBatch = -1;

  limits: Array<BatchWriterLimits | undefined> = [];

  openBatchWriter(ctx: UpsertContext, limits?: BatchWriterLimits): BatchWriter {
    this.contexts.push(ctx);
    this.limits.push(limits);
    return {
      write: async (candidates) => {
        if (this.batches.length === this.failOnBatch) throw new Error('database is locked');
        this.batches.push([...candidates]);
        const allowlisted = ctx.allowlist ? candidates.filter((c) => ctx.allowlist?.(c.type, c.value)).length : 0;
        return { added: candidates.length, updated: 0, unchanged: 0, allowlisted };
      },
      close: async () => void this.endings.push('close'),
      abort: async () => void this.endings.push('abort'),
    };
  }

  async expireDue(now: Date): Promise<number> {
    this.expiredAt.push(now);
    return 0;
  }

  get all(): IocCandidate[] {
    return this.batches.flat();
  }
}

const NOW = new Date('2026-03-01T12:00:00.000Z');
const DEFAULTS: FeedDefaults = { feed_name: 'Test feed', category: 'community', confidence: 'medium', tags: ['Feed-Tag'] };

async function* items(...list: ParseItem[]): AsyncGenerator<ParseItem> {
  yield* list;
}

describe('runIngest with a fake store', () => {
  it('counts parsed, accepted, rejected (with line and code) and skipped; good lines land', async () => {
    const store = new FakeStore();
    const summary = await runIngest({
      store,
      items: items(
        { kind: 'indicator', line: 1, value: 'hxxp://evil-domain[.]xyz/a', type: 'url' },
        { kind: 'problem', line: 2, message: 'expected 9 fields, found 3' },
        { kind: 'indicator', line: 3, value: '10.0.0.1' },
        { kind: 'skip', line: 4, message: 'ASN' },
        { kind: 'indicator', line: 5, value: 'not an ioc at all' },
        { kind: 'indicator', line: 6, value: 'D41D8CD98F00B204E9800998ECF8427E', type: 'md5' },
      ),
      defaults: DEFAULTS,
      ttlDays: { url: 30 },
      now: NOW,
    });
    expect(summary).toEqual({
      lines: 6,
      parsed: 4,
      accepted: 2,
      rejected: 3,
      skipped: 1,
      added: 2,
      updated: 0,
      unchanged: 0,
      allowlisted: 0,
      expired: 0,
      problems: [
        { line: 2, message: 'expected 9 fields, found 3', code: 'parse_error' },
        { line: 3, message: expect.stringContaining('not a public address'), code: 'non_public_address' },
        { line: 5, message: expect.any(String), code: 'unknown_type' },
      ],
    });
    expect(store.all.map((c) => [c.type, c.value])).toEqual([
      ['url', 'http://evil-domain.xyz/a'],
      ['md5', 'd41d8cd98f00b204e9800998ecf8427e'],
    ]);
    expect(store.contexts[0]).toEqual({ now: NOW, ttlDays: { url: 30 }, lastSeenResolutionMs: DEFAULT_LAST_SEEN_RESOLUTION_MS });
    expect(store.expiredAt).toEqual([NOW]);
    expect(store.endings).toEqual(['close']);
  });

  it('builds candidates from record fields over feed defaults, with techniques from the threat type', async () => {
    const store = new FakeStore();
    await runIngest({
      store,
      items: items({
        kind: 'indicator',
        line: 7,
        value: 'http://1.2.3.4/gate.php',
        type: 'url',
        first_seen: '2026-02-01T00:00:00.000Z',
        confidence: 'high',
        tags: ['Mirai', 'elf', 'mirai'],
        threat_type: 'botnet_cc',
        malware: 'Mirai',
        reference_url: 'https://urlhaus.abuse.ch/url/1/',
        context: 'port 80',
        tlp: 'clear',
      }),
      defaults: { ...DEFAULTS, industries: ['energy'], internal: false },
      ttlDays: {},
      now: NOW,
    });
    expect(store.all).toEqual([
      {
        type: 'url',
        value: 'http://1.2.3.4/gate.php',
        confidence: 'high',
        source: {
          feed_name: 'Test feed',
          category: 'community',
          origin: 'feed',
          reference_url: 'https://urlhaus.abuse.ch/url/1/',
          article_id: null,
          article_title: null,
          article_url: null,
          first_seen: '2026-02-01T00:00:00.000Z',
          last_seen: NOW.toISOString(),
          confidence: 'high',
          context: 'port 80',
        },
        tags: ['feed-tag', 'mirai', 'elf'],
        mitre_techniques: ['T1071', 'T1071.001'],
        industries: ['energy'],
        threat_type: 'botnet_cc',
        malware: 'Mirai',
        tlp: 'clear',
        context: 'port 80',
      },
    ]);
  });

  it('merges duplicates within a batch into one candidate', async () => {
    const store = new FakeStore();
    const summary = await runIngest({
      store,
      items: items(
        { kind: 'indicator', line: 1, value: '198.51.100.7', type: 'ipv4', context: 'port 80', tags: ['a'], first_seen: '2026-02-02T00:00:00.000Z' },
        { kind: 'indicator', line: 2, value: '198.51.100.7:443', type: 'ipv4', context: 'port 443', tags: ['b'], confidence: 'high', first_seen: '2026-02-01T00:00:00.000Z' },
      ),
      defaults: { ...DEFAULTS, internal: true },
      ttlDays: {},
      now: NOW,
    });
    expect(summary).toMatchObject({ parsed: 2, accepted: 2, added: 1 });
    expect(store.all).toHaveLength(1);
    expect(store.all[0]).toMatchObject({
      value: '198.51.100.7',
      confidence: 'high',
      context: 'port 443',
      tags: ['feed-tag', 'a', 'b'],
      source: { first_seen: '2026-02-01T00:00:00.000Z', confidence: 'high' },
    });
  });

  it('writes in batches, reports progress, caps the problem list but counts every problem', async () => {
    const store = new FakeStore();
    const progress: IngestProgress[] = [];
    const text = Array.from({ length: 10 }, (_, i) => `198.51.100.${i + 1}\nbad value ${i}`).join('\n');
    const summary = await runIngest({
      store,
      input: textStream(text, 16),
      format: 'list',
      defaults: { ...DEFAULTS, internal: true },
      ttlDays: {},
      now: NOW,
      batchSize: 4,
      maxProblems: 3,
      onProgress: (p) => progress.push(p),
    });
    expect(store.batches.map((b) => b.length)).toEqual([4, 4, 2]);
    expect(summary).toMatchObject({ lines: 20, parsed: 20, accepted: 10, rejected: 10, added: 10 });
    expect(summary.problems.map((p) => p.line)).toEqual([2, 4, 6]);
    expect(progress.at(-1)).toEqual({ lines: 20, accepted: 10, rejected: 10 });
    expect(progress.length).toBeGreaterThanOrEqual(3);
    // No transactionMs: the store's default transaction length.
    expect(store.limits).toEqual([{}]);
  });

  it('passes transactionMs to the store as the longest a transaction stays open', async () => {
    const store = new FakeStore();
    await runIngest({ store, input: textStream('198.51.100.1\n', 16), format: 'list', defaults: { ...DEFAULTS, internal: true }, ttlDays: {}, now: NOW, transactionMs: 200 });
    expect(store.limits).toEqual([{ maxOpenMs: 200 }]);
  });

  it('passes the allowlist to the store, which stores matches as allowlisted', async () => {
    const store = new FakeStore();
    const summary = await runIngest({
      store,
      input: textStream('8.8.8.8\n203.0.113.9\n93.48.80.198\n'),
      format: 'feodo',
      defaults: { ...DEFAULTS, internal: true },
      ttlDays: {},
      allowlist: (type, value) => type === 'ipv4' && value === '8.8.8.8',
      now: NOW,
    });
    expect(summary).toMatchObject({ added: 3, allowlisted: 1 });
  });

  it('an input failing midway: earlier batches and the partial batch are stored, then IngestInterruptedError', async () => {
    const store = new FakeStore();
    async function* dropping(): AsyncGenerator<string> {
      yield '198.51.100.1\n198.51.100.2\n198.51.100.3\n';
      throw new Error('ECONNRESET');
    }
    const run = runIngest({ store, input: dropping(), format: 'list', defaults: { ...DEFAULTS, internal: true }, ttlDays: {}, now: NOW, batchSize: 2 });
    const err = await run.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IngestInterruptedError);
    expect((err as IngestInterruptedError).summary).toMatchObject({ lines: 3, accepted: 3, added: 3 });
    expect(store.all.map((c) => c.value)).toEqual(['198.51.100.1', '198.51.100.2', '198.51.100.3']);
    // Committed, not rolled back: what was read before the failure is kept.
    expect(store.endings).toEqual(['close']);
    expect(store.expiredAt).toEqual([]);
  });

  it('a store failure stops the run with the store error and releases the input', async () => {
    const store = new FakeStore();
    store.failOnBatch = 1;
    let released = false;
    async function* input(): AsyncGenerator<string> {
      try {
        for (let i = 1; i < 100; i++) yield `198.51.100.${i}\n`;
      } finally {
        released = true;
      }
    }
    await expect(runIngest({ store, input: input(), format: 'list', defaults: { ...DEFAULTS, internal: true }, ttlDays: {}, now: NOW, batchSize: 5 })).rejects.toThrow(
      'database is locked',
    );
    expect(released).toBe(true);
    // The uncommitted batches are rolled back: the store keeps whole transactions only.
    expect(store.endings).toEqual(['abort']);
  });
});
