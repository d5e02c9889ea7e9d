import { createReadStream, readdirSync } from 'node:fs';
import { normalize } from '../../src/domain/normalize.js';
import type { IocRecord } from '../../src/domain/ioc.js';
import { parserFor } from '../../src/ingest/parsers/index.js';
import type { FeedFormat } from '../../src/ingest/types.js';
import { demoCandidates } from '../../src/ingest/demo.js';
import type { IocCandidate } from '../../src/domain/ioc.js';
import { sigmaTestIoc } from './sigma-fixtures.js';
import { sharedFile } from '../support/shared-data.js';

/** Every feed sample of ../shared/data with the parser that reads it. */
export function sharedFeedFiles(): Array<{ format: FeedFormat; path: string }> {
  const stix = readdirSync(sharedFile('stix')).filter((f) => f.endsWith('.json') && !f.startsWith('medallion'));
  const misp = readdirSync(sharedFile('misp')).filter((f) => f.endsWith('.json') && f !== 'manifest.json');
  return [
    { format: 'cisa-kev', path: sharedFile('kev', 'known_exploited_vulnerabilities.json') },
    { format: 'urlhaus', path: sharedFile('urlhaus', 'urlhaus_csv_online.csv') },
    { format: 'threatfox', path: sharedFile('threatfox', 'threatfox_recent.json') },
    { format: 'threatfox-csv', path: sharedFile('threatfox', 'threatfox_recent.csv') },
    { format: 'feodo', path: sharedFile('feodo', 'ipblocklist.csv') },
    { format: 'feodo', path: sharedFile('feodo', 'ipblocklist_recommended.txt') },
    { format: 'spamhaus-drop', path: sharedFile('spamhaus', 'drop.txt') },
    { format: 'spamhaus-drop', path: sharedFile('spamhaus', 'drop_v4.json') },
    { format: 'openphish', path: sharedFile('openphish', 'feed.txt') },
    { format: 'malwarebazaar', path: sharedFile('malwarebazaar', 'malwarebazaar_recent.csv') },
    { format: 'malwarebazaar', path: sharedFile('malwarebazaar', 'full_sha256_head.txt') },
    ...stix.map((f) => ({ format: 'stix' as const, path: sharedFile('stix', f) })),
    ...misp.map((f) => ({ format: 'misp' as const, path: sharedFile('misp', f) })),
  ];
}

/**
 * The IOCs of every shared feed sample as candidates (parsed by our parsers, normalized by the
 * domain, feed defaults filled in), plus the demo data set: the real values the Sigma export
 * must handle. Duplicates (same type and value from two files) are dropped.
 */
export async function sharedAndDemoCandidates(now = new Date('2026-01-31T00:00:00Z')): Promise<IocCandidate[]> {
  const out = new Map<string, IocCandidate>();
  const seen = now.toISOString();
  for (const { format, path } of sharedFeedFiles()) {
    const parser = parserFor(format);
    const feed = `shared:${format}`;
    for await (const item of parser.parse(createReadStream(path))) {
      if (item.kind !== 'indicator') continue;
      const n = normalize(item.value, item.type);
      if (!n.ok) continue;
      const key = `${n.type}:${n.value}`;
      if (out.has(key)) continue;
      const confidence = item.confidence ?? 'medium';
      out.set(key, {
        type: n.type,
        value: n.value,
        confidence,
        source: {
          feed_name: feed,
          category: item.category ?? parser.defaults.category ?? 'community',
          origin: 'feed',
          reference_url: item.reference_url ?? null,
          article_id: null,
          article_title: null,
          article_url: null,
          first_seen: item.first_seen ?? seen,
          last_seen: item.last_seen ?? item.first_seen ?? seen,
          confidence,
          context: item.context ?? null,
        },
        tags: item.tags ?? [],
        mitre_techniques: item.mitre_techniques ?? [],
        industries: item.industries ?? [],
        threat_type: item.threat_type ?? null,
        malware: item.malware ?? null,
        tlp: item.tlp ?? null,
        context: item.context ?? null,
      });
    }
  }
  for (const c of demoCandidates(now)) out.set(`${c.type}:${c.value}`, c);
  return [...out.values()];
}

/** The same IOCs as the records the store would return after a first upsert. */
export async function sharedAndDemoIocs(): Promise<IocRecord[]> {
  return (await sharedAndDemoCandidates()).map(candidateRecord);
}

/** A demo candidate as the record the store would return after its first upsert. */
function candidateRecord(c: IocCandidate): IocRecord {
  const { first_seen, last_seen, confidence, context, ...source } = c.source;
  return sigmaTestIoc(c.type, c.value, {
    confidence: c.confidence,
    first_seen,
    last_seen,
    updated_at: last_seen,
    source,
    sources: [c.source],
    context: c.context ?? context,
    tags: c.tags,
    mitre_techniques: c.mitre_techniques,
    industries: c.industries,
    threat_type: c.threat_type,
    malware: c.malware,
    tlp: c.tlp ?? (confidence === 'high' ? 'green' : confidence === 'medium' ? 'amber' : 'clear'),
  });
}
