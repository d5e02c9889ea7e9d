import { describe, expect, it } from 'vitest';
import { renderSyslog, renderSyslogLine, sdParamValue, syslogHeaderField } from '../../src/export/syslog.js';
import { hasSharedData } from '../support/shared-data.js';
import { parseCef } from './cef-spec-parser.js';
import { HOSTILE_TEXTS, hostileRecords, hostileUrlRecords } from './hostile-records.js';
import { iocRecord, sharedDataRecords, source } from './stix-records.js';
import { parseSyslog, sdValues, SyslogParseError } from './syslog-rfc5424-parser.js';

/** What the structured data may carry of a text: control characters become spaces (syslog.ts). */
function sdForm(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f]/g, ' ');
}

describe('RFC 5424 renderer', () => {
  it('writes the header fields the RFC defines', () => {
    const record = iocRecord({ type: 'ipv4', value: '198.51.100.7', confidence: 'high', updated_at: '2026-08-18T16:17:08.123456Z' });
    const msg = parseSyslog(renderSyslogLine(record, { hostname: 'socd-1.example' }));
    expect(msg).toMatchObject({
      facility: 16,
      severity: 4,
      version: 1,
      timestamp: '2026-08-18T16:17:08.123456Z',
      hostname: 'socd-1.example',
      appName: 'socd',
      procId: null,
      msgId: 'ipv4',
      bom: false,
    });
    expect(msg.structuredData).toHaveLength(1);
    expect(msg.structuredData[0]?.id).toBe('ioc@32473');
  });

  it.each([
    ['high', 4],
    ['medium', 5],
    ['low', 6],
  ] as const)('maps %s confidence to severity %i', (confidence, severity) => {
    const msg = parseSyslog(renderSyslogLine(iocRecord({ type: 'domain', value: 'a.example', confidence }), { facility: 4 }));
    expect([msg.facility, msg.severity]).toEqual([4, severity]);
  });

  it('takes another enterprise number and a missing hostname as NILVALUE', () => {
    const msg = parseSyslog(renderSyslogLine(iocRecord({ type: 'domain', value: 'a.example' }), { enterpriseId: 99999 }));
    expect(msg.structuredData[0]?.id).toBe('ioc@99999');
    expect(msg.hostname).toBeNull();
  });

  it.each([
    ['host name with spaces', 255, 'hostnamewithspaces'],
    ['', 255, '-'],
    ['ünï', 255, 'n'],
    ['éè', 255, '-'],
    ['x'.repeat(60), 48, 'x'.repeat(48)],
  ])('makes header field %j printable (%i max)', (input, max, expected) => {
    expect(syslogHeaderField(input, max)).toBe(expected);
  });

  it.each([
    ['a"b', 'a\\"b'],
    ['a\\b', 'a\\\\b'],
    ['a]b', 'a\\]b'],
    ['a\nb', 'a b'],
    ['a|b=c', 'a|b=c'],
  ])('escapes PARAM-VALUE %j as %j', (input, expected) => {
    expect(sdParamValue(input)).toBe(expected);
  });

  it('carries every field as SD-PARAMs, lists as repeated parameters', () => {
    const record = iocRecord({
      type: 'url',
      value: 'http://evil.example/x',
      tags: ['a,b', 'c'],
      mitre_techniques: ['T1071', 'T1105'],
      industries: ['energy', 'dams'],
      threat_type: 'malware_download',
      malware: 'Emotet',
      sources: [source('URLhaus', 'community', { reference_url: 'https://urlhaus.abuse.ch/url/1/' })],
    });
    const el = parseSyslog(renderSyslogLine(record)).structuredData[0];
    if (!el) throw new Error('no SD-ELEMENT');
    expect(sdValues(el, 'id')).toEqual([record.id]);
    expect(sdValues(el, 'value')).toEqual([record.value]);
    expect(sdValues(el, 'tag')).toEqual(['a,b', 'c']);
    expect(sdValues(el, 'technique')).toEqual(['T1071', 'T1105']);
    expect(sdValues(el, 'industry')).toEqual(['energy', 'dams']);
    expect(sdValues(el, 'threat_type')).toEqual(['malware_download']);
    expect(sdValues(el, 'malware')).toEqual(['Emotet']);
    expect(sdValues(el, 'source')).toEqual(['URLhaus']);
    expect(sdValues(el, 'reference_url')).toEqual(['https://urlhaus.abuse.ch/url/1/']);
    expect(sdValues(el, 'status')).toEqual(['active']);
  });

  it('round-trips hostile text: exactly in MSG (CEF), and in SD-PARAMs up to control characters', () => {
    const records = hostileRecords();
    const lines = renderSyslog(records, { hostname: 'h' }).split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(HOSTILE_TEXTS.length);
    lines.forEach((line, i) => {
      const text = HOSTILE_TEXTS[i] as string;
      const msg = parseSyslog(line);
      const el = msg.structuredData[0];
      if (!el || msg.msg === null) throw new Error('incomplete message');
      expect(sdValues(el, 'tag')).toEqual([sdForm(text), `plain-${i}`]);
      expect(sdValues(el, 'source')).toEqual([sdForm(text)]);
      expect(sdValues(el, 'malware')).toEqual([sdForm(text)]);
      expect(sdValues(el, 'threat_type')).toEqual([sdForm(text)]);
      const cef = parseCef(msg.msg);
      expect(cef.extension.msg).toBe(text.trim());
      expect(cef.extension.cs2).toBe(text.trim());
      expect(msg.bom).toBe(/[^\x00-\x7f]/.test(text));
    });
  });

  it('round-trips URL values holding delimiters in SD and MSG', () => {
    for (const r of hostileUrlRecords()) {
      const msg = parseSyslog(renderSyslogLine(r));
      const el = msg.structuredData[0];
      if (!el || msg.msg === null) throw new Error('incomplete message');
      expect(sdValues(el, 'value')).toEqual([r.value]);
      expect(parseCef(msg.msg).extension.request).toBe(r.value);
    }
  });

  it('the parser rejects what the RFC forbids (the checks can fail)', () => {
    expect(() => parseSyslog('<192>1 - - - - - -')).toThrow(SyslogParseError);
    expect(() => parseSyslog('<13>1 2026-13-01T00:00:00Z h a - m -')).toThrow(SyslogParseError);
    expect(() => parseSyslog('<13>1 2026-01-01T00:00:00.1234567Z h a - m -')).toThrow(SyslogParseError);
    expect(() => parseSyslog('<13>1 - h a - m [x@1 k="a"b"]')).toThrow(SyslogParseError);
    expect(() => parseSyslog('<13>1 - h a - m [x@1 k="a]b"]')).toThrow(SyslogParseError);
    expect(() => parseSyslog('<13>1 - h a - m [x@1 k="v"]msg')).toThrow(SyslogParseError);
    expect(parseSyslog('<13>1 - h a - m [x@1 k="a\\]\\"\\\\b\\x"] hi').structuredData[0]?.params).toEqual([['k', 'a]"\\b\\x']]);
  });
});

describe.skipIf(!hasSharedData)('RFC 5424 renderer on the shared feed samples', () => {
  it('every message parses, its SD names the IOC and its MSG is the IOC CEF line', () => {
    for (const r of sharedDataRecords()) {
      const msg = parseSyslog(renderSyslogLine(r, { hostname: 'socd' }));
      const el = msg.structuredData[0];
      if (!el || msg.msg === null) throw new Error('incomplete message');
      expect(sdValues(el, 'value')).toEqual([r.value]);
      expect(sdValues(el, 'type')).toEqual([r.type]);
      expect(parseCef(msg.msg).extension.externalId).toBe(r.id);
    }
  });
});
