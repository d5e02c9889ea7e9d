import { describe, expect, it } from 'vitest';
import type { IocRecord } from '../../src/domain/ioc.js';
import { CSV_HEADER, csvCell, renderCsv, renderCsvRow } from '../../src/export/csv.js';
import { envelopeHead, envelopeTail, jsonPage } from '../../src/export/json.js';
import { ndjsonFromDocs, renderNdjsonLine } from '../../src/export/ndjson.js';
import { renderTxt, renderTxtLine } from '../../src/export/txt.js';

function ioc(over: Partial<IocRecord> = {}): IocRecord {
  return {
    id: '7d0e1f8a-1111-5222-8333-944455556666',
    type: 'domain',
    value: 'evil.example',
    confidence: 'high',
    first_seen: '2026-01-01T00:00:00.000Z',
    last_seen: '2026-01-02T00:00:00.000Z',
    source: {
      feed_name: 'URLhaus',
      category: 'community',
      origin: 'feed',
      reference_url: null,
      article_id: null,
      article_title: null,
      article_url: null,
    },
    context: null,
    tags: ['phishing', 'kit'],
    mitre_techniques: [],
    sources: [],
    industries: [],
    threat_type: null,
    malware: null,
    tlp: 'clear',
    expires_at: null,
    status: 'active',
    updated_at: '2026-01-02T00:00:00.000001Z',
    version: 1,
    ...over,
  };
}

describe('csv', () => {
  it('has the documented 10 columns', () => {
    expect(CSV_HEADER).toBe('id,type,value,confidence,first_seen,last_seen,source_article,source_feed,category,tags\r\n');
  });

  it('renders one row per IOC', () => {
    expect(renderCsvRow(ioc())).toBe(
      '7d0e1f8a-1111-5222-8333-944455556666,domain,evil.example,high,2026-01-01T00:00:00.000Z,2026-01-02T00:00:00.000Z,,URLhaus,community,phishing;kit\r\n',
    );
    const article = ioc({
      source: { ...ioc().source, origin: 'article', article_title: 'APT "X", again', article_url: 'https://a/1' },
    });
    expect(renderCsvRow(article)).toContain(',"APT ""X"", again",URLhaus,');
    expect(renderCsv([ioc(), ioc()]).split('\r\n')).toHaveLength(4);
  });

  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['line\nbreak', '"line\nbreak"'],
    ['=cmd|calc', "'=cmd|calc"],
    ['+1', "'+1"],
    ['-x', "'-x"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['=a,b', `"'=a,b"`],
    ['', ''],
  ])('escapes %j as %j', (input, out) => expect(csvCell(input)).toBe(out));
  it('renders null as an empty cell', () => expect(csvCell(null)).toBe(''));
});

describe('txt', () => {
  it('is one bare value per line and never splits a value', () => {
    expect(renderTxt([ioc(), ioc({ value: '1.2.3.4' })])).toBe('evil.example\n1.2.3.4\n');
    expect(renderTxtLine({ value: 'a\r\nb' })).toBe('a  b\n');
  });
});

describe('ndjson', () => {
  it('is one JSON document per line', () => {
    const docs = [JSON.stringify(ioc()), JSON.stringify(ioc({ value: 'x\ny' }))];
    const text = ndjsonFromDocs(docs);
    const lines = text.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');
    expect(JSON.parse(lines[1] ?? '').value).toBe('x\ny');
    expect(ndjsonFromDocs([])).toBe('');
    expect(renderNdjsonLine(ioc())).toBe(`${JSON.stringify(ioc())}\n`);
  });
});

describe('json envelope', () => {
  it('concatenates pre-rendered documents into valid JSON', () => {
    const docs = [JSON.stringify(ioc()), JSON.stringify(ioc({ value: 'b.example' }))];
    const text = jsonPage({ total: 2 }, docs, { self: 'http://h/api/v1/iocs', next: null });
    expect(JSON.parse(text)).toEqual({
      meta: { total: 2 },
      data: [ioc(), ioc({ value: 'b.example' })],
      links: { self: 'http://h/api/v1/iocs', next: null },
    });
    expect(JSON.parse(envelopeHead({}) + envelopeTail({ self: 's', next: 'n' }))).toEqual({
      meta: {},
      data: [],
      links: { self: 's', next: 'n' },
    });
  });
});
