import type { IocCandidate } from '../domain/ioc.js';
import { normalize } from '../domain/normalize.js';
import {
  CONFIDENCES,
  SECTORS,
  type Category,
  type Confidence,
  type IocType,
  type Sector,
} from '../domain/vocabulary.js';
import type { Store } from '../store/store.js';

/**
 * Our own demo dataset (DESIGN.md §10): a few hundred fabricated IOCs of every type, sector,
 * confidence and category, generated deterministically so every fresh install shows the same
 * product. Every record carries the tag `demo` and a `demo:` feed name, so nobody mistakes it
 * for real intelligence.
 */

/** Deterministic PRNG (mulberry32): the same seed always yields the same dataset. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = ['update', 'secure', 'cdn', 'login', 'verify', 'cloud', 'sync', 'portal', 'invoice', 'track', 'mail', 'drive'];
const TLDS = ['xyz', 'top', 'online', 'site', 'info', 'net', 'shop', 'click'];
const MALWARE = ['Emotet', 'QakBot', 'AsyncRAT', 'Cobalt Strike', 'RedLine Stealer', 'IcedID', 'Remcos', 'LockBit'];
const THREATS: Array<{ threat: string; techniques: string[] }> = [
  { threat: 'botnet_cc', techniques: ['T1071', 'T1071.001'] },
  { threat: 'payload_delivery', techniques: ['T1105'] },
  { threat: 'phishing', techniques: ['T1566', 'T1566.002'] },
  { threat: 'exploited_vulnerability', techniques: ['T1190'] },
];
const FEEDS: Array<{ name: string; category: Category }> = [
  { name: 'demo:gov-advisories', category: 'government' },
  { name: 'demo:vendor-intel', category: 'commercial' },
  { name: 'demo:community-blocklist', category: 'community' },
  { name: 'demo:threat-research', category: 'threat-intel' },
  { name: 'demo:security-news', category: 'news' },
];
// Publicly routable prefixes (no private, reserved or documentation ranges).
const IPV4_PREFIXES = ['45.137', '185.220', '91.92', '194.26', '5.188', '103.75', '179.43', '62.204'];

const DAY = 86_400_000;

function pick<T>(rnd: () => number, items: readonly T[]): T {
  return items[Math.floor(rnd() * items.length)] as T;
}

function hex(rnd: () => number, length: number): string {
  let s = '';
  while (s.length < length) s += Math.floor(rnd() * 16).toString(16);
  return s;
}

function demoValue(rnd: () => number, type: IocType, i: number): string {
  switch (type) {
    case 'ipv4':
      // Every tenth is a /22 block, as Spamhaus DROP publishes them.
      return i % 10 === 0
        ? `${pick(rnd, IPV4_PREFIXES)}.${Math.floor(rnd() * 64) * 4}.0/22`
        : `${pick(rnd, IPV4_PREFIXES)}.${1 + Math.floor(rnd() * 254)}.${1 + Math.floor(rnd() * 254)}`;
    case 'ipv6':
      return `2a0${1 + Math.floor(rnd() * 8)}:${hex(rnd, 4)}:${hex(rnd, 4)}::${hex(rnd, 3)}`.replace(/:0+([0-9a-f])/g, ':$1');
    case 'domain':
      return `${pick(rnd, WORDS)}-${pick(rnd, WORDS)}${i}.${pick(rnd, TLDS)}`;
    case 'url':
      return `https://${pick(rnd, WORDS)}${i}.${pick(rnd, TLDS)}/${pick(rnd, WORDS)}/${hex(rnd, 8)}.php?id=${i}`;
    case 'md5':
      return hex(rnd, 32);
    case 'sha1':
      return hex(rnd, 40);
    case 'sha256':
      return hex(rnd, 64);
    case 'sha512':
      return hex(rnd, 128);
    case 'cve':
      return `CVE-${2019 + Math.floor(rnd() * 7)}-${10000 + i}`;
    case 'email':
      return `${pick(rnd, WORDS)}.${pick(rnd, WORDS)}+${i}@${pick(rnd, WORDS)}-mail.${pick(rnd, TLDS)}`;
    case 'mitre-attack':
      return pick(rnd, ['T1071', 'T1105', 'T1566', 'T1190', 'T1486', 'T1059.001', 'T1204.002', 'T1090']);
  }
}

/** Per type, how many demo IOCs (a few hundred in all). */
const COUNTS: Record<IocType, number> = {
  ipv4: 80,
  ipv6: 20,
  domain: 70,
  url: 60,
  md5: 25,
  sha1: 20,
  sha256: 45,
  sha512: 10,
  cve: 30,
  email: 20,
  'mitre-attack': 8,
};

/** The demo candidates, relative to `now` (first/last seen within the last 30 days). */
export function demoCandidates(now: Date = new Date()): IocCandidate[] {
  const rnd = prng(20261126);
  const out: IocCandidate[] = [];
  let i = 0;
  for (const [type, count] of Object.entries(COUNTS) as Array<[IocType, number]>) {
    for (let n = 0; n < count; n++, i++) {
      const feed = FEEDS[i % FEEDS.length] as (typeof FEEDS)[number];
      const confidence: Confidence = CONFIDENCES[i % CONFIDENCES.length] as Confidence;
      const threat = pick(rnd, THREATS);
      const lastSeen = new Date(now.getTime() - Math.floor(rnd() * 20 * DAY));
      const firstSeen = new Date(lastSeen.getTime() - Math.floor(rnd() * 10 * DAY));
      const industries: Sector[] = [SECTORS[i % SECTORS.length] as Sector];
      if (i % 3 === 0) industries.push(SECTORS[(i + 5) % SECTORS.length] as Sector);
      const malware = type === 'cve' || type === 'mitre-attack' ? null : pick(rnd, MALWARE);
      // The generator only aims at canonical values; the normalizer has the last word.
      const normalized = normalize(demoValue(rnd, type, i), type);
      if (!normalized.ok) throw new Error(`demo data generator produced an invalid ${type}: ${normalized.reason}`);
      const value = normalized.value;
      const context = `Demo ${threat.threat.replace(/_/g, ' ')} indicator${malware ? ` associated with ${malware}` : ''}.`;
      out.push({
        type,
        value,
        confidence,
        source: {
          feed_name: feed.name,
          category: feed.category,
          origin: feed.category === 'news' ? 'article' : 'feed',
          reference_url: `https://demo.socdefenders.invalid/reports/${1 + (i % 40)}`,
          article_id: null,
          article_title: feed.category === 'news' ? `Demo report ${1 + (i % 40)}` : null,
          article_url: null,
          first_seen: firstSeen.toISOString(),
          last_seen: lastSeen.toISOString(),
          confidence,
          context,
        },
        tags: ['demo', threat.threat],
        mitre_techniques: type === 'mitre-attack' ? [value] : threat.techniques,
        industries: [...new Set(industries)].sort(),
        threat_type: type === 'cve' ? 'exploited_vulnerability' : threat.threat,
        malware,
        tlp: null,
        context,
      });
    }
  }
  return dedupe(out);
}

function dedupe(cands: IocCandidate[]): IocCandidate[] {
  const seen = new Set<string>();
  return cands.filter((c) => {
    const k = `${c.type}:${c.value}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Load the demo data into an EMPTY store; returns how many IOCs were loaded (0 if not empty). */
export async function loadDemoData(store: Store, now: Date = new Date()): Promise<number> {
  const counts = await store.counts();
  if (counts.total > 0) return 0;
  const cands = demoCandidates(now);
  const res = await store.upsertBatch(cands, { now, ttlDays: {} });
  return res.added;
}
