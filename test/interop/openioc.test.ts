import { describe, expect, it } from 'vitest';
import { openIocDocumentId, renderOpenIoc } from '../../src/export/openioc.js';
import { openIocTermOf } from '../../src/export/openioc-terms.js';
import { hostileRecords, hostileUrlRecords, HOSTILE_TEXTS } from '../export/hostile-records.js';
import { iocRecord, sharedDataRecords } from '../export/stix-records.js';
import { hasSharedData } from '../support/shared-data.js';
import { hasPython, parseOpenIoc } from './openioc-parse.js';

/**
 * The OpenIOC export read by a standard XML parser (Python's expat via ElementTree) and checked
 * against the OpenIOC 1.0 schema's structure: every IOC it can hold comes back as one
 * IndicatorItem with the same value, hostile text included.
 */
const META = {
  id: openIocDocumentId('interop'),
  shortDescription: 'SOC Defenders <IOCs> & "more"',
  description: "line one\nline two ]]> 'quoted'",
  generatedAt: new Date('2026-08-20T12:00:00Z'),
};

describe.skipIf(!hasPython || !hasSharedData)('OpenIOC export read by an XML parser', () => {
  it('round-trips every value, hostile text and the document metadata', () => {
    const records = [
      ...hostileRecords(),
      ...hostileUrlRecords(),
      ...sharedDataRecords(),
      iocRecord({ type: 'email', value: 'phish@evil.example' }),
      iocRecord({ type: 'sha512', value: 'ab'.repeat(64) }),
      iocRecord({ type: 'ipv6', value: '2001:db8::7' }),
    ];
    const kept = records.filter((r) => openIocTermOf(r) !== null && r.status === 'active');
    const doc = parseOpenIoc(renderOpenIoc(records, META));
    expect(doc.errors).toEqual([]);
    expect(doc).toMatchObject({ id: META.id, last_modified: '2026-08-20T12:00:00', short_description: META.shortDescription, description: META.description });
    expect(doc.items).toHaveLength(kept.length);
    doc.items.forEach((item, i) => {
      const r = kept[i];
      if (!r) throw new Error('record missing');
      const term = openIocTermOf(r);
      expect(item).toMatchObject({ id: r.id, condition: 'is', document: term?.document, search: term?.search, context_type: 'mir' });
      expect(item.content_type).toBe(term?.contentType);
      expect(item.content).toBe(r.value);
    });
    HOSTILE_TEXTS.forEach((text, i) => {
      expect(doc.items[i]?.comment?.startsWith(text.trim())).toBe(true);
      expect(doc.items[i]?.comment).toContain(`Sources: ${text}`);
    });
  });

  it('the parser rejects a malformed document (the check can fail)', () => {
    const xml = renderOpenIoc([iocRecord({ type: 'domain', value: 'a.example' })], META).replace('<Content type="string">', '<Content type="string"><');
    expect(() => parseOpenIoc(xml)).toThrow(/not a parseable/);
  });

  it('the structure check reports elements out of schema order (the check can fail)', () => {
    const xml = renderOpenIoc([iocRecord({ type: 'domain', value: 'a.example' })], META).replace(
      /(<short_description>.*<\/short_description>\n)(\s*<description>.*<\/description>\n)/s,
      '$2$1',
    );
    expect(parseOpenIoc(xml).errors.join(' ')).toMatch(/out of schema order/);
  });
});
