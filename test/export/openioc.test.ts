import { describe, expect, it } from 'vitest';
import type { IocRecord } from '../../src/domain/ioc.js';
import { openIocDocumentId, openIocItem, OpenIocWriter, renderOpenIoc } from '../../src/export/openioc.js';
import { OPENIOC_TYPES, openIocTermOf } from '../../src/export/openioc-terms.js';
import { xmlText } from '../../src/export/xml-text.js';
import { hostileRecords } from './hostile-records.js';
import { iocRecord } from './stix-records.js';

const META = { id: openIocDocumentId('type=domain'), shortDescription: 'SOC Defenders IOCs', description: 'test', generatedAt: new Date('2026-08-20T12:00:00Z') };

const TERMS: Array<{ record: IocRecord; search: string | null; content?: string }> = [
  { record: iocRecord({ type: 'ipv4', value: '198.51.100.7' }), search: 'PortItem/remoteIP', content: 'IP' },
  { record: iocRecord({ type: 'ipv6', value: '2001:db8::7' }), search: 'PortItem/remoteIP', content: 'IP' },
  { record: iocRecord({ type: 'ipv4', value: '192.0.2.0/24' }), search: null },
  { record: iocRecord({ type: 'domain', value: 'evil.example' }), search: 'Network/DNS', content: 'string' },
  { record: iocRecord({ type: 'url', value: 'http://evil.example/x' }), search: 'UrlHistoryItem/URL', content: 'string' },
  { record: iocRecord({ type: 'md5', value: 'a'.repeat(32) }), search: 'FileItem/Md5sum', content: 'md5' },
  { record: iocRecord({ type: 'sha1', value: 'b'.repeat(40) }), search: 'FileItem/Sha1sum', content: 'sha1' },
  { record: iocRecord({ type: 'sha256', value: 'c'.repeat(64) }), search: 'FileItem/Sha256sum', content: 'sha256' },
  { record: iocRecord({ type: 'sha512', value: 'd'.repeat(128) }), search: 'FileItem/Sha512sum', content: 'sha512' },
  { record: iocRecord({ type: 'email', value: 'phish@evil.example' }), search: 'Email/From', content: 'string' },
  { record: iocRecord({ type: 'cve', value: 'CVE-2021-44228' }), search: null },
  { record: iocRecord({ type: 'mitre-attack', value: 'T1105' }), search: null },
];

describe('OpenIOC terms', () => {
  it.each(TERMS)('matches $record.type $record.value with $search', ({ record, search, content }) => {
    const term = openIocTermOf(record);
    expect(term?.search ?? null).toBe(search);
    if (search === null) {
      expect(openIocItem(record)).toBeNull();
      return;
    }
    const item = openIocItem(record);
    expect(item).toContain(`search="${search}" type="mir"`);
    expect(item).toContain(`<Content type="${content}">${record.value}</Content>`);
    expect(item).toContain(`<IndicatorItem id="${record.id}" condition="is">`);
  });

  it('lists the types a document can hold', () => {
    expect([...OPENIOC_TYPES].sort()).toEqual(['domain', 'email', 'ipv4', 'ipv6', 'md5', 'sha1', 'sha256', 'sha512', 'url']);
  });
});

describe('XML text', () => {
  it.each([
    ['a<b>c', 'a&lt;b&gt;c'],
    ['a&b', 'a&amp;b'],
    [`"'`, '&quot;&apos;'],
    ['a\r\nb\tc', 'a&#13;&#10;b&#9;c'],
    ['nul\u0000 bell\u0007 ffff\uffff', 'nul\ufffd bell\ufffd ffff\ufffd'],
    ['lone \ud800 high', 'lone \ufffd high'],
    ['pair 😀 ok', 'pair 😀 ok'],
    [']]>', ']]&gt;'],
  ])('escapes %j as %j', (input, expected) => {
    expect(xmlText(input)).toBe(expected);
  });
});

describe('OpenIOC document', () => {
  it('is an OpenIOC 1.0 document with an OR indicator and a note of what was left out', () => {
    const records = [
      iocRecord({ type: 'domain', value: 'a.example' }),
      iocRecord({ type: 'ipv4', value: '192.0.2.0/24' }),
      iocRecord({ type: 'domain', value: 'b.example', status: 'revoked' }),
    ];
    const xml = renderOpenIoc(records, META);
    expect(xml.startsWith('<?xml version="1.0" encoding="utf-8"?>\n<ioc ')).toBe(true);
    expect(xml).toContain('xmlns="http://schemas.mandiant.com/2010/ioc"');
    expect(xml).toContain(`id="${META.id}" last-modified="2026-08-20T12:00:00"`);
    expect(xml).toContain('<definition>\n    <Indicator operator="OR" id="');
    expect(xml.match(/<IndicatorItem /g)).toHaveLength(1);
    expect(xml).toContain('<!-- 2 IOCs left out');
    expect(xml.endsWith('</ioc>\n')).toBe(true);
  });

  it('streams as pieces that concatenate to the whole document', () => {
    const records = hostileRecords();
    const w = new OpenIocWriter(META);
    expect([w.head(), ...records.map((r) => w.item(r)), w.tail()].join('')).toBe(renderOpenIoc(records, META));
  });

  it('escapes hostile text everywhere it goes', () => {
    const xml = renderOpenIoc(hostileRecords(), { ...META, shortDescription: '<x>&"', description: "]]> '" });
    expect(xml).not.toMatch(/<script>|&(?!amp;|lt;|gt;|quot;|apos;|#\d+;)/);
    expect(xml).toContain('<short_description>&lt;x&gt;&amp;&quot;</short_description>');
  });

  it('names the same query with the same id', () => {
    expect(openIocDocumentId('q')).toBe(openIocDocumentId('q'));
    expect(openIocDocumentId('q')).not.toBe(openIocDocumentId('r'));
  });
});
