import { describe, expect, it } from 'vitest';
import type { IocRecord } from '../../src/domain/ioc.js';
import { cefExtensionValue, cefHeaderField, renderCef, renderCefLine } from '../../src/export/cef.js';
import { hasSharedData } from '../support/shared-data.js';
import { CefParseError, parseCef } from './cef-spec-parser.js';
import { HOSTILE_TEXTS, hostileRecords, hostileUrlRecords } from './hostile-records.js';
import { iocRecord, sharedDataRecords } from './stix-records.js';

/** Where each IOC's value must land, read back with the independent parser. */
const VALUE_FIELDS: Array<{ record: IocRecord; key: string; label?: string; name: string; severity: string }> = [
  { record: iocRecord({ type: 'ipv4', value: '198.51.100.7', confidence: 'high' }), key: 'dst', name: 'Malicious IPv4 Indicator', severity: '9' },
  {
    record: iocRecord({ type: 'ipv4', value: '203.0.113.9', threat_type: 'scanner', confidence: 'low' }),
    key: 'src',
    name: 'Malicious IPv4 Indicator',
    severity: '3',
  },
  { record: iocRecord({ type: 'ipv4', value: '192.0.2.0/24' }), key: 'cs6', label: 'network', name: 'Malicious IPv4 Indicator', severity: '6' },
  { record: iocRecord({ type: 'ipv6', value: '2001:db8::7' }), key: 'dst', name: 'Malicious IPv6 Indicator', severity: '6' },
  { record: iocRecord({ type: 'ipv6', value: '2001:db8::/32' }), key: 'cs6', label: 'network', name: 'Malicious IPv6 Indicator', severity: '6' },
  { record: iocRecord({ type: 'domain', value: 'evil.example' }), key: 'dhost', name: 'Malicious Domain Indicator', severity: '6' },
  { record: iocRecord({ type: 'url', value: 'http://evil.example/a?b=c' }), key: 'request', name: 'Malicious URL Indicator', severity: '6' },
  { record: iocRecord({ type: 'md5', value: 'a'.repeat(32) }), key: 'fileHash', name: 'Malicious MD5 Hash Indicator', severity: '6' },
  { record: iocRecord({ type: 'sha1', value: 'b'.repeat(40) }), key: 'fileHash', name: 'Malicious SHA-1 Hash Indicator', severity: '6' },
  { record: iocRecord({ type: 'sha256', value: 'c'.repeat(64) }), key: 'fileHash', name: 'Malicious SHA-256 Hash Indicator', severity: '6' },
  { record: iocRecord({ type: 'sha512', value: 'd'.repeat(128) }), key: 'fileHash', name: 'Malicious SHA-512 Hash Indicator', severity: '6' },
  { record: iocRecord({ type: 'email', value: 'phish@evil.example' }), key: 'suser', name: 'Malicious Email Sender Indicator', severity: '6' },
  { record: iocRecord({ type: 'cve', value: 'CVE-2021-44228' }), key: 'cs6', label: 'cve', name: 'Exploited Vulnerability Indicator', severity: '6' },
  { record: iocRecord({ type: 'mitre-attack', value: 'T1071.001' }), key: 'cs6', label: 'mitreTechnique', name: 'ATT&CK Technique Indicator', severity: '6' },
];

describe('CEF renderer', () => {
  it.each(VALUE_FIELDS)('puts a $record.type value in $key', ({ record, key, label, name, severity }) => {
    const ev = parseCef(renderCefLine(record));
    expect(ev).toMatchObject({ version: 0, vendor: 'SOC Defenders', product: 'Threat Intelligence', deviceVersion: '1.0' });
    expect(ev.signatureId).toBe(record.type);
    expect(ev.name).toBe(name);
    expect(ev.severity).toBe(severity);
    expect(ev.extension[key]).toBe(record.value);
    if (label) expect(ev.extension[`${key}Label`]).toBe(label);
    expect(ev.extension.externalId).toBe(record.id);
    expect(ev.extension.cs1).toBe(record.confidence);
    expect(ev.extension.cs3).toBe(record.tlp);
    expect(ev.extension.rt).toBe(String(Date.parse(record.updated_at)));
  });

  it.each([
    ['a|b', 'a\\|b'],
    ['a\\b', 'a\\\\b'],
    ['a\nb', 'a b'],
    ['a=b', 'a=b'],
  ])('escapes header field %j as %j', (input, expected) => {
    expect(cefHeaderField(input)).toBe(expected);
  });

  it.each([
    ['a=b', 'a\\=b'],
    ['a\\b', 'a\\\\b'],
    ['a\nb', 'a\\nb'],
    ['a\r\nb', 'a\\r\\nb'],
    ['a|b', 'a|b'],
    ['  padded  ', 'padded'],
  ])('escapes extension value %j as %j', (input, expected) => {
    expect(cefExtensionValue(input)).toBe(expected);
  });

  it('round-trips hostile header options', () => {
    const record = iocRecord({ type: 'domain', value: 'evil.example' });
    const ev = parseCef(renderCefLine(record, { vendor: 'Ven|dor\\', product: 'Pro|duct', version: '1|0' }));
    expect([ev.vendor, ev.product, ev.deviceVersion]).toEqual(['Ven|dor\\', 'Pro|duct', '1|0']);
  });

  it('round-trips hostile text in every free-text field exactly (values trimmed)', () => {
    const records = hostileRecords();
    const lines = renderCef(records).split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(HOSTILE_TEXTS.length);
    lines.forEach((line, i) => {
      const text = HOSTILE_TEXTS[i] as string;
      const ev = parseCef(line);
      expect(ev.extension.msg).toBe(text.trim());
      expect(ev.extension.cs2).toBe(text.trim());
      expect(ev.extension.cat).toBe(text.trim());
      expect(ev.extension.flexString2).toBe(text.trim());
      expect(ev.extension.cs5).toBe(`${text},plain-${i}`.trim());
      expect(ev.extension.dhost).toBe(records[i]?.value);
    });
  });

  it('round-trips URL values holding delimiters', () => {
    for (const r of hostileUrlRecords()) expect(parseCef(renderCefLine(r)).extension.request).toBe(r.value);
  });

  it('writes one line per IOC, never a raw line break', () => {
    const text = renderCef(hostileRecords());
    expect(text.split('\n')).toHaveLength(HOSTILE_TEXTS.length + 1);
    expect(text).not.toContain('\r');
  });

  it('the parser rejects what the specification forbids (the checks can fail)', () => {
    expect(() => parseCef('CEF:0|a|b|c|d|e|5|msg=x=y')).toThrow(CefParseError);
    expect(() => parseCef('CEF:0|a|b|c|d|e|5|msg=x\\qy')).toThrow(CefParseError);
    expect(() => parseCef('CEF:0|a|b|c|d|e|11|msg=x')).toThrow(CefParseError);
    expect(() => parseCef('CEF:0|a|b\\x|c|d|e|5|msg=x')).toThrow(CefParseError);
    expect(() => parseCef('CEF:0|a|b|c|d|e|5')).toThrow(CefParseError);
  });
});

describe.skipIf(!hasSharedData)('CEF renderer on the shared feed samples', () => {
  it('every line parses back to the IOC it came from', () => {
    const records = sharedDataRecords();
    expect(records.length).toBeGreaterThan(1000);
    for (const r of records) {
      const ev = parseCef(renderCefLine(r));
      expect(ev.signatureId).toBe(r.type);
      expect(ev.extension.externalId).toBe(r.id);
      const values = Object.entries(ev.extension).filter(([, v]) => v === r.value);
      expect(values.length, `${r.type} ${r.value}`).toBeGreaterThan(0);
      expect(ev.extension.cs2).toBe(r.source.feed_name);
    }
  });
});
