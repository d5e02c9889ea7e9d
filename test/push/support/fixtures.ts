/** Destinations, IOC candidates and checks shared by the push suites. */
import type { IocCandidate, IocRecord } from '../../../src/domain/ioc.js';
import type { IocType } from '../../../src/domain/vocabulary.js';
import type { DestinationBase, SplunkHecDestination, WebhookDestination } from '../../../src/push/config.js';
import type { Store } from '../../../src/store/store.js';
import type { HecServer } from './hec-server.js';

export const HEC_TOKEN = '6b9a1f2e-3c4d-4e5f-8a9b-0c1d2e3f4a5b';

const TYPES: IocType[] = ['ipv4', 'domain', 'url', 'sha256', 'email', 'md5', 'ipv6'];

function valueOf(type: IocType, n: number): string {
  switch (type) {
    case 'ipv4':
      return `45.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
    case 'ipv6':
      return `2a01:4f8::${(n & 0xffff).toString(16)}:${((n >> 16) & 0xffff).toString(16)}`;
    case 'domain':
      return `host${n}.evil-example.net`;
    case 'url':
      return `http://host${n}.evil-example.net/gate.php?id=${n}`;
    case 'sha256':
      return n.toString(16).padStart(64, '0');
    case 'md5':
      return n.toString(16).padStart(32, '0');
    case 'email':
      return `phisher${n}@evil-example.net`;
    default:
      throw new Error(`no test values for ${type}`);
  }
}

/** The n-th test IOC (types rotate), with feed text that needs escaping in every format. */
export function candidate(n: number, type: IocType = TYPES[n % TYPES.length] as IocType): IocCandidate {
  const seen = '2026-11-20T10:00:00.000Z';
  return {
    type,
    value: valueOf(type, n),
    confidence: n % 3 === 0 ? 'high' : 'medium',
    source: {
      feed_name: 'push-test-feed',
      category: 'community',
      origin: 'feed',
      reference_url: `https://feed.example/${n}`,
      article_id: null,
      article_title: null,
      article_url: null,
      first_seen: seen,
      last_seen: seen,
      confidence: 'medium',
      context: null,
    },
    tags: ['test', 'c2'],
    mitre_techniques: ['T1071'],
    industries: [],
    threat_type: 'botnet_cc',
    malware: 'Emotet',
    tlp: null,
    context: `C2 "seen" at ${n}\nline two, a=b & c|d`,
  };
}

/** Ingest `count` IOCs numbered from `from`, in store batches. */
export async function seed(store: Store, count: number, from = 0): Promise<void> {
  for (let i = 0; i < count; i += 2000) {
    const batch = Array.from({ length: Math.min(2000, count - i) }, (_, k) => candidate(from + i + k));
    await store.upsertBatch(batch, { now: new Date(), ttlDays: {} });
  }
}

/** Every stored IOC id with its current version. */
export async function storedVersions(store: Store): Promise<Map<string, number>> {
  const rows = await store.db.selectFrom('iocs').select(['id', 'version']).execute();
  return new Map(rows.map((r) => [r.id, Number(r.version)]));
}

const FAST_RETRY = { maxAttempts: 8, baseMs: 5, maxMs: 40 };

/** What every test destination shares: pushed in small, quickly retried batches, all statuses. */
export function testDestinationBase(url: string): Omit<DestinationBase, 'name' | 'type' | 'gzip'> {
  return {
    url,
    enabled: true,
    schedule: '1m',
    scheduleMs: 60_000,
    filter: { status: 'all' },
    start: 'beginning',
    batch: { maxEvents: 100, maxBytes: 1_000_000 },
    gzipLevel: 1,
    timeoutMs: 2_000,
    retry: FAST_RETRY,
    maxInFlight: 1,
    tls: { verify: true, caFile: null },
    unavailable: null,
  };
}

export function hecDestination(url: string, o: Partial<SplunkHecDestination> = {}): SplunkHecDestination {
  return {
    name: 'splunk-test',
    type: 'splunk-hec',
    ...testDestinationBase(url),
    gzip: true,
    token: HEC_TOKEN,
    index: 'threat_intel',
    sourcetype: 'socd:ioc',
    source: 'soc-defenders',
    host: 'socd-test',
    ack: { enabled: false, pollMs: 20, timeoutMs: 2_000 },
    ...o,
  };
}

export function webhookDestination(url: string, o: Partial<WebhookDestination> = {}): WebhookDestination {
  return {
    name: 'webhook-test',
    type: 'webhook',
    ...testDestinationBase(url),
    gzip: false,
    secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    headers: {},
    ...o,
  };
}

/** IOC ids the HEC server indexed, in arrival order. */
export function receivedIds(hec: HecServer): string[] {
  return hec.events.map((e) => (e.envelope.event as IocRecord).id);
}

/** How many times each id arrived beyond the first. */
export function duplicates(ids: readonly string[]): Map<string, number> {
  const seen = new Map<string, number>();
  for (const id of ids) seen.set(id, (seen.get(id) ?? 0) + 1);
  const dup = new Map<string, number>();
  for (const [id, n] of seen) if (n > 1) dup.set(id, n - 1);
  return dup;
}

export function sum(values: Iterable<number>): number {
  let n = 0;
  for (const v of values) n += v;
  return n;
}
