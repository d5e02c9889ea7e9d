import { describe, expect, it } from 'vitest';
import type { IocRecord } from '../../src/domain/ioc.js';
import { MISP_ORGC, mispAttribute, mispEventUuid, MispEventWriter, renderMispEvent } from '../../src/export/misp.js';
import { mispAttackTag, mispTagsOf } from '../../src/export/misp-tags.js';
import { HOSTILE_TEXTS, hostileRecords } from './hostile-records.js';
import { iocRecord } from './stix-records.js';

interface ParsedEvent {
  Event: {
    uuid: string;
    info: string;
    date: string;
    timestamp: string;
    distribution: string;
    published: boolean;
    Orgc: { name: string; uuid: string };
    Attribute: Array<ReturnType<typeof mispAttribute>>;
    Tag: Array<{ name: string }>;
  };
}

const META = { uuid: mispEventUuid('type=ipv4'), info: 'SOC Defenders IOCs', generatedAt: new Date('2026-08-20T12:00:00Z') };

const TYPES: Array<{ record: IocRecord; type: string; category: string; toIds: boolean }> = [
  { record: iocRecord({ type: 'ipv4', value: '198.51.100.7', threat_type: 'botnet_cc' }), type: 'ip-dst', category: 'Network activity', toIds: true },
  { record: iocRecord({ type: 'ipv4', value: '198.51.100.8' }), type: 'ip-dst', category: 'Network activity', toIds: true },
  { record: iocRecord({ type: 'ipv4', value: '203.0.113.9', threat_type: 'Brute-Force' }), type: 'ip-src', category: 'Network activity', toIds: true },
  { record: iocRecord({ type: 'ipv6', value: '2001:db8::7', threat_type: 'scanner' }), type: 'ip-src', category: 'Network activity', toIds: true },
  { record: iocRecord({ type: 'ipv4', value: '192.0.2.0/24' }), type: 'ip-dst', category: 'Network activity', toIds: true },
  { record: iocRecord({ type: 'domain', value: 'evil.example' }), type: 'domain', category: 'Network activity', toIds: true },
  { record: iocRecord({ type: 'url', value: 'http://evil.example/x' }), type: 'url', category: 'Network activity', toIds: true },
  { record: iocRecord({ type: 'md5', value: 'a'.repeat(32) }), type: 'md5', category: 'Payload delivery', toIds: true },
  { record: iocRecord({ type: 'sha1', value: 'b'.repeat(40) }), type: 'sha1', category: 'Payload delivery', toIds: true },
  { record: iocRecord({ type: 'sha256', value: 'c'.repeat(64) }), type: 'sha256', category: 'Payload delivery', toIds: true },
  { record: iocRecord({ type: 'sha512', value: 'd'.repeat(128) }), type: 'sha512', category: 'Payload delivery', toIds: true },
  { record: iocRecord({ type: 'email', value: 'phish@evil.example' }), type: 'email-src', category: 'Payload delivery', toIds: true },
  { record: iocRecord({ type: 'cve', value: 'CVE-2021-44228' }), type: 'vulnerability', category: 'External analysis', toIds: false },
  { record: iocRecord({ type: 'mitre-attack', value: 'T1105' }), type: 'text', category: 'External analysis', toIds: false },
  { record: iocRecord({ type: 'domain', value: 'old.example', status: 'expired' }), type: 'domain', category: 'Network activity', toIds: false },
  { record: iocRecord({ type: 'domain', value: 'ok.example', status: 'allowlisted' }), type: 'domain', category: 'Network activity', toIds: false },
];

describe('MISP attributes', () => {
  it.each(TYPES)('maps $record.type $record.value to $type / $category, to_ids $toIds', ({ record, type, category, toIds }) => {
    const a = mispAttribute(record);
    expect(a).toMatchObject({ uuid: record.id, type, category, value: record.value, to_ids: toIds, distribution: '5' });
    expect(a.timestamp).toBe(String(Math.floor(Date.parse(record.updated_at) / 1000)));
  });

  it('tags TLP, confidence, ATT&CK galaxy clusters and the IOC tags', () => {
    const record = iocRecord({
      type: 'url',
      value: 'http://evil.example/gate.php',
      tlp: 'amber+strict',
      confidence: 'medium',
      mitre_techniques: ['T1071', 't1071.001', 'T9999'],
      tags: ['emotet', 'emotet', ' ', 'TLP:WHITE', 'tlp:red'],
    });
    expect(mispTagsOf(record).map((t) => t.name)).toEqual([
      'tlp:amber+strict',
      'estimative-language:confidence-in-analytic-judgment="moderate"',
      'misp-galaxy:mitre-attack-pattern="Application Layer Protocol - T1071"',
      'misp-galaxy:mitre-attack-pattern="Web Protocols - T1071.001"',
      'mitre-attack:technique="T9999"',
      'emotet',
    ]);
  });

  it('gives a technique IOC its own galaxy tag', () => {
    const names = mispTagsOf(iocRecord({ type: 'mitre-attack', value: 'T1566.002' })).map((t) => t.name);
    expect(names).toContain(mispAttackTag('T1566.002'));
    expect(mispAttackTag('T1566.002')).toBe('misp-galaxy:mitre-attack-pattern="Spearphishing Link - T1566.002"');
  });

  it('keeps first_seen/last_seen only in order', () => {
    const ok = mispAttribute(iocRecord({ type: 'domain', value: 'a.example' }));
    expect(ok.first_seen).toBe('2026-08-01T10:00:00.000Z');
    expect(ok.last_seen).toBe('2026-08-18T16:17:08.000Z');
    const reversed = mispAttribute(
      iocRecord({ type: 'domain', value: 'b.example', first_seen: '2026-09-01T00:00:00Z', last_seen: '2026-08-01T00:00:00Z' }),
    );
    expect(reversed.first_seen).toBe('2026-09-01T00:00:00.000Z');
    expect(reversed).not.toHaveProperty('last_seen');
  });
});

describe('MISP event', () => {
  it('is one JSON event with an attribute per IOC and the strictest TLP as event tag', () => {
    const records = [
      iocRecord({ type: 'domain', value: 'a.example', tlp: 'green' }),
      iocRecord({ type: 'domain', value: 'b.example', tlp: 'amber' }),
      iocRecord({ type: 'domain', value: 'c.example', tlp: 'clear' }),
    ];
    const event = (JSON.parse(renderMispEvent(records, META)) as ParsedEvent).Event;
    expect(event).toMatchObject({
      uuid: META.uuid,
      info: META.info,
      date: '2026-08-20',
      timestamp: String(Date.parse('2026-08-20T12:00:00Z') / 1000),
      distribution: '0',
      published: false,
      Orgc: MISP_ORGC,
    });
    expect(event.Attribute.map((a) => a.value)).toEqual(['a.example', 'b.example', 'c.example']);
    expect(event.Tag).toEqual([{ name: 'tlp:amber' }]);
  });

  it('is valid JSON when empty', () => {
    const event = (JSON.parse(renderMispEvent([], META)) as ParsedEvent).Event;
    expect(event.Attribute).toEqual([]);
    expect(event.Tag).toEqual([{ name: 'tlp:clear' }]);
  });

  it('streams as pieces that concatenate to the whole event', () => {
    const records = hostileRecords();
    const w = new MispEventWriter(META);
    const pieces = [w.head(), ...records.map((r) => w.attribute(r)), w.tail()];
    expect(pieces.join('')).toBe(renderMispEvent(records, META));
  });

  it('round-trips hostile text in values, comments and tags', () => {
    const event = (JSON.parse(renderMispEvent(hostileRecords(), META)) as ParsedEvent).Event;
    event.Attribute.forEach((a, i) => {
      const text = HOSTILE_TEXTS[i] as string;
      expect(a.comment.startsWith(text.trim())).toBe(true);
      expect(a.Tag.map((t) => t.name)).toContain(text);
    });
  });

  it('names the same query with the same uuid, another query with another', () => {
    expect(mispEventUuid('type=ipv4')).toBe(mispEventUuid('type=ipv4'));
    expect(mispEventUuid('type=ipv4')).not.toBe(mispEventUuid('type=ipv6'));
    expect(mispEventUuid('type=ipv4')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
