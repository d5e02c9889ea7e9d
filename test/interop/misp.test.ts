import { describe, expect, it } from 'vitest';
import { mispEventUuid, renderMispEvent } from '../../src/export/misp.js';
import { mispTagsOf } from '../../src/export/misp-tags.js';
import { hostileRecords, hostileUrlRecords } from '../export/hostile-records.js';
import { iocRecord, sharedDataRecords } from '../export/stix-records.js';
import { hasSharedData } from '../support/shared-data.js';
import { hasPyMisp, loadWithPyMisp } from './misp-load.js';

/**
 * The MISP export as MISP's own Python library reads it: every attribute round-trips (uuid,
 * type, value, to_ids, tags, comment), and PyMISP's strict validation accepts every
 * type/category pair.
 */
const META = { uuid: mispEventUuid('interop'), info: 'SOC Defenders IOCs <&> "test"', generatedAt: new Date('2026-08-20T12:00:00Z') };

const edgeCases = [
  iocRecord({ type: 'ipv4', value: '198.51.100.7', threat_type: 'botnet_cc', mitre_techniques: ['T1071', 'T1071.001'], tlp: 'red' }),
  iocRecord({ type: 'ipv4', value: '203.0.113.9', threat_type: 'scanner', tlp: 'amber+strict' }),
  iocRecord({ type: 'ipv4', value: '192.0.2.0/24' }),
  iocRecord({ type: 'ipv6', value: '2001:db8::/32' }),
  iocRecord({ type: 'ipv6', value: '2001:db8::7', status: 'expired' }),
  iocRecord({ type: 'email', value: 'phish@evil.example', confidence: 'low' }),
  iocRecord({ type: 'sha512', value: 'ab'.repeat(64) }),
  iocRecord({ type: 'cve', value: 'CVE-2021-44228', confidence: 'high' }),
  iocRecord({ type: 'mitre-attack', value: 'T1059.001' }),
  iocRecord({ type: 'domain', value: 'late.example', first_seen: '2026-09-01T00:00:00Z', last_seen: '2026-08-01T00:00:00Z' }),
];

describe.skipIf(!hasPyMisp || !hasSharedData)('MISP export read by PyMISP', () => {
  it('round-trips every attribute of edge cases, hostile text and every shared feed sample', () => {
    const records = [...edgeCases, ...hostileRecords(), ...hostileUrlRecords(), ...sharedDataRecords()];
    const json = renderMispEvent(records, META);
    const event = loadWithPyMisp(json);
    expect(event).toMatchObject({ uuid: META.uuid, info: META.info, date: '2026-08-20', distribution: 0, published: false });
    expect(event.orgc?.name).toBe('SOC Defenders');
    expect(event.tags).toEqual(['tlp:red']);
    expect(event.attributes).toHaveLength(records.length);
    const expected = (JSON.parse(json) as { Event: { Attribute: Array<{ type: string; to_ids: boolean; comment: string }> } }).Event
      .Attribute;
    event.attributes.forEach((a, i) => {
      const r = records[i];
      if (!r) throw new Error('record missing');
      expect(a.uuid).toBe(r.id);
      expect(a.value).toBe(r.value);
      expect(a.type).toBe(expected[i]?.type);
      expect(a.to_ids).toBe(expected[i]?.to_ids);
      expect(a.comment).toBe(expected[i]?.comment);
      expect(a.tags).toEqual(mispTagsOf(r).map((t) => t.name));
      expect(a.timestamp).toBe(Math.floor(Date.parse(r.updated_at) / 1000));
    });
  });

  it('reads the types, to_ids and dates MISP expects for each kind of IOC', () => {
    const event = loadWithPyMisp(renderMispEvent(edgeCases, META));
    expect(event.attributes.map((a) => [a.type, a.category, a.to_ids])).toEqual([
      ['ip-dst', 'Network activity', true],
      ['ip-src', 'Network activity', true],
      ['ip-dst', 'Network activity', true],
      ['ip-dst', 'Network activity', true],
      ['ip-dst', 'Network activity', false],
      ['email-src', 'Payload delivery', true],
      ['sha512', 'Payload delivery', true],
      ['vulnerability', 'External analysis', false],
      ['text', 'External analysis', false],
      ['domain', 'Network activity', true],
    ]);
    expect(event.attributes[0]?.first_seen).toBe('2026-08-01T10:00:00+00:00');
    expect(event.attributes[0]?.last_seen).toBe('2026-08-18T16:17:08+00:00');
    expect(event.attributes[9]?.last_seen).toBeNull();
  });

  it('PyMISP refuses a broken event (the check can fail)', () => {
    const json = renderMispEvent([iocRecord({ type: 'domain', value: 'a.example' })], META).replace('"type":"domain"', '"type":"no-such-type"');
    expect(() => loadWithPyMisp(json)).toThrow(/PyMISP refused/);
  });
});
