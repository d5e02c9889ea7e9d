/**
 * Synthetic IOCs shared by the benchmarks: the n-th value of each type (distinct canonical
 * values), the candidate a feed would hand the store, and the record the store would hold.
 * Each bench picks its own types and the fields that matter to what it measures.
 */
import type { IocCandidate, IocRecord } from '../src/domain/ioc.js';
import type { Category, Confidence, IocType } from '../src/domain/vocabulary.js';

export function hexOf(n: number, len: number): string {
  return n.toString(16).padStart(len, '0');
}

export function ipv4Of(n: number): string {
  return `${11 + ((n >> 24) & 127)}.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
}

/** The n-th value of `type` (types the benches do not use get an empty value). */
export function benchValue(type: IocType, n: number): string {
  switch (type) {
    case 'ipv4':
      return ipv4Of(n);
    case 'ipv6':
      return `2a01:4f8:${(n >> 16).toString(16)}::${(n & 0xffff).toString(16)}`;
    case 'domain':
      return `host${n}.bench-example.net`;
    case 'url':
      return `http://host${n}.bench-example.net/payload/${n}.exe`;
    case 'sha256':
      return hexOf(n, 64);
    case 'md5':
      return hexOf(n, 32);
    case 'sha1':
      return hexOf(n, 40);
    case 'email':
      return `sender${n}@bench-example.net`;
    case 'cve':
      return `CVE-2024-${100000 + n}`;
    default:
      return '';
  }
}

/** What varies between benches; the rest of a candidate is the same everywhere. */
export interface CandidateFields {
  type: IocType;
  value: string;
  seen: string;
  confidence?: Confidence;
  feed?: string;
  category?: Category;
  sourceContext?: string | null;
  mitre?: string[];
  industries?: IocCandidate['industries'];
  context?: string | null;
}

export function benchCandidate(n: number, f: CandidateFields): IocCandidate {
  return {
    type: f.type,
    value: f.value,
    confidence: f.confidence ?? 'medium',
    source: {
      feed_name: f.feed ?? 'bench-feed',
      category: f.category ?? 'community',
      origin: 'feed',
      reference_url: `https://feed.example/entry/${n}`,
      article_id: null,
      article_title: null,
      article_url: null,
      first_seen: f.seen,
      last_seen: f.seen,
      confidence: 'medium',
      context: f.sourceContext ?? null,
    },
    tags: ['bench', 'botnet'],
    mitre_techniques: f.mitre ?? [],
    industries: f.industries ?? [],
    threat_type: 'botnet_cc',
    malware: 'Emotet',
    tlp: null,
    context: f.context ?? null,
  };
}

/** The active, green record the store would hold for candidate `c` (one source). */
export function benchRecord(c: IocCandidate, id: string, updatedAt: string, version: number): IocRecord {
  const { first_seen, last_seen, confidence: _c, context: _x, ...source } = c.source;
  return {
    id,
    type: c.type,
    value: c.value,
    confidence: c.confidence,
    first_seen,
    last_seen,
    source,
    context: c.context,
    tags: c.tags,
    mitre_techniques: c.mitre_techniques,
    sources: [c.source],
    industries: c.industries,
    threat_type: c.threat_type,
    malware: c.malware,
    tlp: 'green',
    expires_at: null,
    status: 'active',
    updated_at: updatedAt,
    version,
  };
}
