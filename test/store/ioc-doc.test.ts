import { describe, expect, it } from 'vitest';
import type { IocRecord } from '../../src/domain/ioc.js';
import { parseIocDoc, renderIocDoc } from '../../src/store/ioc-doc.js';

const record: IocRecord = {
  id: '6f1c4a39-8d3e-5f6b-9a0e-2b7c6d1e8f40',
  type: 'ipv4',
  value: '198.51.100.7',
  confidence: 'high',
  first_seen: '2026-01-01T00:00:00.000Z',
  last_seen: '2026-01-02T00:00:00.000Z',
  source: { feed_name: 'Feodo Tracker', category: 'community', origin: 'feed', reference_url: 'https://feodotracker.abuse.ch/', article_id: null, article_title: null, article_url: null },
  context: 'botnet C2 "Dridex"',
  tags: ['botnet'],
  mitre_techniques: ['T1071'],
  sources: [
    {
      feed_name: 'Feodo Tracker',
      category: 'community',
      origin: 'feed',
      reference_url: 'https://feodotracker.abuse.ch/',
      article_id: null,
      article_title: null,
      article_url: null,
      first_seen: '2026-01-01T00:00:00.000Z',
      last_seen: '2026-01-02T00:00:00.000Z',
      confidence: 'high',
      context: null,
    },
  ],
  industries: ['financial-services'],
  threat_type: 'botnet_cc',
  malware: 'Dridex',
  tlp: 'green',
  expires_at: null,
  status: 'active',
  updated_at: '2026-01-03T00:00:00.000001Z',
  version: 42,
};

describe('renderIocDoc', () => {
  it('renders the documented key order whatever the input order', () => {
    const shuffled = Object.fromEntries(Object.entries(record).reverse()) as unknown as IocRecord;
    const doc = renderIocDoc(shuffled);
    expect(doc).toBe(renderIocDoc(record));
    expect(Object.keys(JSON.parse(doc) as object)).toEqual([
      'id', 'type', 'value', 'confidence', 'first_seen', 'last_seen', 'source', 'context', 'tags', 'mitre_techniques',
      'sources', 'industries', 'threat_type', 'malware', 'tlp', 'expires_at', 'status', 'updated_at', 'version',
    ]);
    expect(parseIocDoc(doc)).toEqual(record);
  });

  it('drops fields that are not part of the record', () => {
    const extra = { ...record, internal: 'x', sources: [{ ...record.sources[0], occurrences: 3 }] } as unknown as IocRecord;
    expect(renderIocDoc(extra)).toBe(renderIocDoc(record));
  });
});
