import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parserFor, parseMispFeedDirectory } from '../../../src/ingest/parsers/index.js';
import type { FeedFormat } from '../../../src/ingest/types.js';
import { hasSharedData, sharedFile } from '../../support/shared-data.js';
import { collect, collectItems, sharedStream, type Collected } from '../parse-helpers.js';

/**
 * Every real feed sample in ../shared/data, through its parser: the exact number of indicators,
 * problems and skips, each expected count derived from the file by a simpler, independent
 * reading (line counts, JSON.parse), never a bare magic number.
 */

interface Expected {
  indicators: number;
  problems: number;
  skips: number;
}

const read = (...parts: string[]): string => readFileSync(sharedFile(...parts), 'utf8');
const lines = (...parts: string[]): string[] => read(...parts).split(/\r?\n/).filter((l) => l.trim() !== '');
const dataLines = (...parts: string[]): string[] => lines(...parts).filter((l) => !l.trimStart().startsWith('#'));
const json = (...parts: string[]): unknown => JSON.parse(read(...parts));

interface MispAttribute {
  type: string;
  to_ids: boolean;
}
const MISP_TYPES_WE_STORE = new Set(['ip-dst', 'ip-src', 'domain', 'hostname', 'url', 'md5', 'sha1', 'sha256', 'sha512']);
function mispExpected(file: string): Expected {
  const attrs = (json('misp', file) as { Event: { Attribute: MispAttribute[] } }).Event.Attribute;
  const stored = attrs.filter((a) => a.to_ids && MISP_TYPES_WE_STORE.has(a.type)).length;
  return { indicators: stored, problems: 0, skips: attrs.length - stored };
}

interface StixObject {
  type: string;
  pattern?: string;
}
// The simple patterns the samples use, recognised by a plain prefix check.
const SIMPLE_PATTERN = /^\[\s*(ipv4-addr:value|ipv6-addr:value|domain-name:value|url:value|email-addr:value|file:hashes\.\S+)\s*=\s*'[^']*'\s*\]$/;
function stixExpected(objects: StixObject[]): Expected {
  const indicators = objects.filter((o) => o.type === 'indicator');
  const simple = indicators.filter((o) => SIMPLE_PATTERN.test(o.pattern ?? '')).length;
  return { indicators: simple, problems: 0, skips: indicators.length - simple };
}
function stixBundleExpected(file: string): Expected {
  return stixExpected((json('stix', file) as { objects: StixObject[] }).objects);
}

const THREATFOX_TYPES_WE_STORE = new Set(['ip:port', 'domain', 'url', 'md5_hash', 'sha1_hash', 'sha256_hash']);

const CASES: Array<{ name: string; format: FeedFormat; path: string[]; expected: () => Expected }> = [
  {
    name: 'CISA KEV catalog',
    format: 'cisa-kev',
    path: ['kev', 'known_exploited_vulnerabilities.json'],
    expected: () => ({ indicators: (json('kev', 'known_exploited_vulnerabilities.json') as { vulnerabilities: unknown[] }).vulnerabilities.length, problems: 0, skips: 0 }),
  },
  {
    name: 'URLhaus CSV (online)',
    format: 'urlhaus',
    path: ['urlhaus', 'urlhaus_csv_online.csv'],
    expected: () => ({ indicators: dataLines('urlhaus', 'urlhaus_csv_online.csv').length, problems: 0, skips: 0 }),
  },
  {
    name: 'ThreatFox JSON export',
    format: 'threatfox',
    path: ['threatfox', 'threatfox_recent.json'],
    expected: () => {
      const entries = Object.values(json('threatfox', 'threatfox_recent.json') as Record<string, Array<{ ioc_type: string }>>).flat();
      const stored = entries.filter((e) => THREATFOX_TYPES_WE_STORE.has(e.ioc_type)).length;
      return { indicators: stored, problems: 0, skips: entries.length - stored };
    },
  },
  {
    name: 'ThreatFox CSV export',
    format: 'threatfox-csv',
    path: ['threatfox', 'threatfox_recent.csv'],
    expected: () => ({ indicators: dataLines('threatfox', 'threatfox_recent.csv').length, problems: 0, skips: 0 }),
  },
  {
    name: 'Feodo CSV (uncommented header row)',
    format: 'feodo',
    path: ['feodo', 'ipblocklist.csv'],
    expected: () => ({ indicators: dataLines('feodo', 'ipblocklist.csv').length - 1, problems: 0, skips: 0 }),
  },
  {
    name: 'Feodo recommended TXT',
    format: 'feodo',
    path: ['feodo', 'ipblocklist_recommended.txt'],
    expected: () => ({ indicators: dataLines('feodo', 'ipblocklist_recommended.txt').length, problems: 0, skips: 0 }),
  },
  {
    name: 'Feodo JSON',
    format: 'feodo',
    path: ['feodo', 'ipblocklist.json'],
    expected: () => ({ indicators: (json('feodo', 'ipblocklist.json') as unknown[]).length, problems: 0, skips: 0 }),
  },
  {
    name: 'Spamhaus drop.txt',
    format: 'spamhaus-drop',
    path: ['spamhaus', 'drop.txt'],
    expected: () => ({ indicators: lines('spamhaus', 'drop.txt').filter((l) => !l.startsWith(';')).length, problems: 0, skips: 0 }),
  },
  {
    name: 'Spamhaus drop_v4.json (metadata line is a skip)',
    format: 'spamhaus-drop',
    path: ['spamhaus', 'drop_v4.json'],
    expected: () => {
      const rows = lines('spamhaus', 'drop_v4.json').map((l) => JSON.parse(l) as { cidr?: string; type?: string });
      return { indicators: rows.filter((r) => r.cidr).length, problems: 0, skips: rows.filter((r) => r.type === 'metadata').length };
    },
  },
  {
    name: 'Spamhaus asndrop.json (ASNs are skips)',
    format: 'spamhaus-drop',
    path: ['spamhaus', 'asndrop.json'],
    expected: () => ({ indicators: 0, problems: 0, skips: lines('spamhaus', 'asndrop.json').length }),
  },
  {
    name: 'OpenPhish feed.txt',
    format: 'openphish',
    path: ['openphish', 'feed.txt'],
    expected: () => ({ indicators: lines('openphish', 'feed.txt').length, problems: 0, skips: 0 }),
  },
  {
    name: 'MalwareBazaar CSV (three hashes a row)',
    format: 'malwarebazaar',
    path: ['malwarebazaar', 'malwarebazaar_recent.csv'],
    expected: () => ({ indicators: 3 * dataLines('malwarebazaar', 'malwarebazaar_recent.csv').length, problems: 0, skips: 0 }),
  },
  {
    name: 'MalwareBazaar SHA256 list',
    format: 'malwarebazaar',
    path: ['malwarebazaar', 'full_sha256_head.txt'],
    expected: () => ({ indicators: dataLines('malwarebazaar', 'full_sha256_head.txt').length, problems: 0, skips: 0 }),
  },
  ...['06159a36-6012-5d68-bff5-7fac1110a2a6.json', 'ec185261-dda2-5256-bf1a-f93d913192fa.json', '67317f07-5461-555f-9491-d7685196f614.json'].map(
    (file) => ({ name: `MISP event ${file}`, format: 'misp' as const, path: ['misp', file], expected: () => mispExpected(file) }),
  ),
  ...[
    'apt1.json',
    'indicator-for-c2-ip-address.json',
    'indicators-for-C2-with-COA.json',
    'malicious-email-indicator-with-attachment.json',
    'indicator-to-campaign-relationship.json',
  ].map((file) => ({ name: `STIX bundle ${file}`, format: 'stix' as const, path: ['stix', file], expected: () => stixBundleExpected(file) })),
  {
    name: 'STIX objects nested in a TAXII server data file (medallion)',
    format: 'stix',
    path: ['stix', 'medallion_default_data.json'],
    expected: () => {
      const doc = json('stix', 'medallion_default_data.json') as Record<string, { collections?: Array<{ objects?: StixObject[] }> }>;
      return stixExpected(Object.values(doc).flatMap((root) => (root.collections ?? []).flatMap((c) => c.objects ?? [])));
    },
  },
];

function counts(c: Collected): Expected {
  return { indicators: c.indicators.length, problems: c.problems.length, skips: c.skips.length };
}

describe.runIf(hasSharedData)('parsers on every real feed sample', () => {
  it.each(CASES)('$name', async ({ format, path, expected }) => {
    const want = expected();
    const got = await collect(parserFor(format), sharedStream(...path));
    expect(counts(got)).toEqual(want);
    expect(want.indicators + want.skips).toBeGreaterThan(0);
    // Every record number is a real, increasing position in the input.
    const positions = [...got.indicators, ...got.skips].map((i) => i.line);
    expect(positions.every((n) => Number.isInteger(n) && n >= 1)).toBe(true);
  });

  it('MISP feed directory: manifest events present are parsed, absent ones are skips', async () => {
    const manifest = Object.keys(json('misp', 'manifest.json') as Record<string, unknown>);
    const present = manifest.filter((uuid) => {
      try {
        readFileSync(sharedFile('misp', `${uuid}.json`));
        return true;
      } catch {
        return false;
      }
    });
    const perEvent = present.map((uuid) => mispExpected(`${uuid}.json`));
    const got = await collectItems(parseMispFeedDirectory(sharedFile('misp')));
    expect(present.length).toBe(3);
    expect(counts(got)).toEqual({
      indicators: perEvent.reduce((n, e) => n + e.indicators, 0),
      problems: 0,
      skips: manifest.length - present.length + perEvent.reduce((n, e) => n + e.skips, 0),
    });
  });
});
