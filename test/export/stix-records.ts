import { readFileSync } from 'node:fs';
import { parse as parseCsv } from 'csv-parse/sync';
import { iocId } from '../../src/domain/ids.js';
import type { IocRecord, IocSource } from '../../src/domain/ioc.js';
import type { Category, IocType } from '../../src/domain/vocabulary.js';
import { sharedFile } from '../support/shared-data.js';

/** IOC records for renderer tests: a factory, and real values from ../shared/data. */

type RecordInput = Partial<Omit<IocRecord, 'type' | 'value'>> & { type: IocType; value: string };

export function source(feed: string, category: Category, extra: Partial<IocSource> = {}): IocSource {
  return {
    feed_name: feed,
    category,
    origin: 'feed',
    reference_url: null,
    article_id: null,
    article_title: null,
    article_url: null,
    first_seen: '2026-08-01T10:00:00.000Z',
    last_seen: '2026-08-18T16:17:08.000Z',
    confidence: 'medium',
    context: null,
    ...extra,
  };
}

export function iocRecord(input: RecordInput): IocRecord {
  const sources = input.sources ?? [source('URLhaus', 'community')];
  const main = sources[0] ?? source('URLhaus', 'community');
  return {
    id: iocId(input.type, input.value),
    confidence: 'medium',
    first_seen: '2026-08-01T10:00:00.000Z',
    last_seen: '2026-08-18T16:17:08.000Z',
    source: {
      feed_name: main.feed_name,
      category: main.category,
      origin: main.origin,
      reference_url: main.reference_url,
      article_id: main.article_id,
      article_title: main.article_title,
      article_url: main.article_url,
    },
    context: null,
    tags: [],
    mitre_techniques: [],
    industries: [],
    threat_type: null,
    malware: null,
    tlp: 'clear',
    expires_at: null,
    status: 'active',
    updated_at: '2026-08-18T16:17:08.123456Z',
    version: 1,
    ...input,
    sources,
  };
}

function csvRows(path: string): string[][] {
  const text = readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '' && !l.startsWith('#'))
    .join('\n');
  return parseCsv(text, { relax_quotes: true, trim: true, relax_column_count: true }) as string[][];
}

function utc(feedTime: string): string {
  return `${feedTime.replace(' ', 'T')}.000Z`;
}

/**
 * A few thousand records of every type built from the real feed samples (values taken as the
 * feeds print them; normalization is not under test here), with versions 1..n.
 */
export function sharedDataRecords(): IocRecord[] {
  const out: IocRecord[] = [];
  for (const row of csvRows(sharedFile('urlhaus', 'urlhaus_csv_online.csv'))) {
    const [, added, url, , , threat, tags, link] = row;
    if (!url || !added) continue;
    out.push(
      iocRecord({
        type: 'url',
        value: url,
        first_seen: utc(added),
        threat_type: threat ?? null,
        tags: tags && tags !== 'None' ? tags.split(',') : [],
        sources: [source('URLhaus', 'community', { reference_url: link ?? null, first_seen: utc(added) })],
        mitre_techniques: ['T1105'],
      }),
    );
  }
  for (const row of csvRows(sharedFile('malwarebazaar', 'malwarebazaar_recent.csv')).slice(0, 40)) {
    const [seen, sha256, md5, sha1, , , , , signature] = row;
    const common = {
      first_seen: utc(seen ?? '2026-07-22 22:38:50'),
      malware: signature && signature !== 'n/a' ? signature : null,
      sources: [source('MalwareBazaar', 'community', { reference_url: `https://bazaar.abuse.ch/sample/${sha256}/` })],
      confidence: 'high' as const,
    };
    if (sha256) out.push(iocRecord({ type: 'sha256', value: sha256, ...common }));
    if (md5) out.push(iocRecord({ type: 'md5', value: md5, ...common }));
    if (sha1) out.push(iocRecord({ type: 'sha1', value: sha1, ...common }));
  }
  for (const line of readFileSync(sharedFile('spamhaus', 'drop.txt'), 'utf8').split('\n').slice(0, 200)) {
    const cidr = line.split(';')[0]?.trim();
    if (!cidr || line.startsWith(';')) continue;
    out.push(iocRecord({ type: 'ipv4', value: cidr, tlp: 'green', sources: [source('Spamhaus DROP', 'commercial')] }));
  }
  for (const line of readFileSync(sharedFile('openphish', 'feed.txt'), 'utf8').split('\n').slice(0, 150)) {
    const url = line.trim();
    if (url) out.push(iocRecord({ type: 'url', value: url, threat_type: 'phishing', tlp: 'amber+strict' }));
  }
  const kev = JSON.parse(readFileSync(sharedFile('kev', 'known_exploited_vulnerabilities.json'), 'utf8')) as {
    vulnerabilities: Array<{ cveID: string; dateAdded: string; shortDescription: string; vulnerabilityName: string }>;
  };
  for (const v of kev.vulnerabilities.slice(0, 150)) {
    out.push(
      iocRecord({
        type: 'cve',
        value: v.cveID,
        first_seen: `${v.dateAdded}T00:00:00.000Z`,
        context: `${v.vulnerabilityName}. ${v.shortDescription}`,
        confidence: 'high',
        industries: ['information-technology'],
        sources: [source('CISA KEV', 'government', { reference_url: `https://nvd.nist.gov/vuln/detail/${v.cveID}` })],
      }),
    );
  }
  const unique = new Map(out.map((r) => [r.id, r]));
  return [...unique.values()].map((r, i) => ({ ...r, version: i + 1 }));
}
