import { describe, expect, it } from 'vitest';
import { renderStixExport, StixExportWriter, type StixExportOptions } from '../../src/export/stix-export.js';
import { STIX_PRODUCER_ID } from '../../src/export/stix-identity.js';
import { TLP_MARKING } from '../../src/export/stix-markings.js';
import { iocRecord } from './stix-records.js';

interface Bundle {
  type: string;
  id: string;
  objects?: Array<{ type: string; id: string; object_marking_refs?: string[] }>;
}

const BASE: StixExportOptions = {
  format: 'bundle',
  includeIdentity: true,
  includeMarkings: true,
  bundleId: 'bundle--6b2c5d0e-1f3a-4c8e-9d7b-2a1e0f9c8b7d',
};

const records = [
  iocRecord({ type: 'domain', value: 'a.example', tlp: 'clear' }),
  iocRecord({ type: 'domain', value: 'b.example', tlp: 'red' }),
  iocRecord({ type: 'cve', value: 'CVE-2021-44228', tlp: 'green' }),
];

describe('STIX export bundle', () => {
  it('starts with the identity and the five TLP markings, then one object per IOC', () => {
    const bundle = JSON.parse(renderStixExport(records, BASE)) as Bundle;
    expect(bundle.type).toBe('bundle');
    expect(bundle.id).toBe(BASE.bundleId);
    expect(bundle).not.toHaveProperty('spec_version');
    expect(bundle.objects?.map((o) => o.type)).toEqual([
      'identity',
      ...Array(5).fill('marking-definition'),
      'indicator',
      'indicator',
      'vulnerability',
    ]);
    expect(bundle.objects?.[0]?.id).toBe(STIX_PRODUCER_ID);
  });

  it.each([
    [{ includeIdentity: false, includeMarkings: true }, 5],
    [{ includeIdentity: true, includeMarkings: false }, 1],
    [{ includeIdentity: false, includeMarkings: false }, 0],
  ])('leaves out what %j turns off', (flags, shared) => {
    const bundle = JSON.parse(renderStixExport(records, { ...BASE, ...flags })) as Bundle;
    expect(bundle.objects).toHaveLength(shared + records.length);
  });

  it('answers the bare array with format=objects', () => {
    const objects = JSON.parse(renderStixExport(records, { ...BASE, format: 'objects', includeMarkings: false })) as Array<{ type: string }>;
    expect(objects.map((o) => o.type)).toEqual(['identity', 'indicator', 'indicator', 'vulnerability']);
  });

  it('never writes an empty objects list', () => {
    const empty = { ...BASE, includeIdentity: false, includeMarkings: false };
    expect(JSON.parse(renderStixExport([], empty))).toEqual({ type: 'bundle', id: BASE.bundleId });
    expect(JSON.parse(renderStixExport([], { ...empty, format: 'objects' }))).toEqual([]);
  });

  it.each([
    ['clear', [TLP_MARKING.clear.id, TLP_MARKING.red.id, TLP_MARKING.green.id]],
    ['amber', [TLP_MARKING.amber.id, TLP_MARKING.red.id, TLP_MARKING.amber.id]],
    ['red', [TLP_MARKING.red.id, TLP_MARKING.red.id, TLP_MARKING.red.id]],
  ] as const)('raises markings to at least tlp=%s, never lowers them', (tlp, expected) => {
    const bundle = JSON.parse(renderStixExport(records, { ...BASE, includeIdentity: false, includeMarkings: false, minimumTlp: tlp })) as Bundle;
    expect(bundle.objects?.map((o) => o.object_marking_refs?.[0])).toEqual(expected);
  });

  it('streams as pieces that concatenate to the whole bundle', () => {
    const w = new StixExportWriter(BASE);
    expect([w.head(), ...records.map((r) => w.item(r)), w.tail()].join('')).toBe(renderStixExport(records, BASE));
  });
});
