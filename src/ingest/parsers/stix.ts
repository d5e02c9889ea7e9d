import type { IocType, Tlp } from '../../domain/vocabulary.js';
import { pickJsonValues, type JsonPath } from '../json-stream.js';
import { problem, skip } from '../parse-items.js';
import { asArray, asObject, confidenceFromPercent, isoUtc, joinContext, mergeLists, present } from '../record-fields.js';
import type { FeedParser, ParseItem } from '../types.js';

// `[type:property = 'value']`, one comparison, nothing around it. Anything else (AND/OR,
// several observations, MATCHES/LIKE, qualifiers) is not one indicator value.
const SINGLE_COMPARISON = /^\s*\[\s*([a-z0-9-]+):([^\s=!<>]+)\s*=\s*'((?:[^'\\]|\\.)*)'\s*\]\s*$/;

const VALUE_PROPERTIES: Readonly<Record<string, IocType>> = {
  'ipv4-addr:value': 'ipv4',
  'ipv6-addr:value': 'ipv6',
  'domain-name:value': 'domain',
  'url:value': 'url',
  'email-addr:value': 'email',
};
// STIX hash names: 'SHA-256' (spec), SHA256 and md5 (seen in the wild).
const FILE_HASHES: Readonly<Record<string, IocType>> = { MD5: 'md5', SHA1: 'sha1', SHA256: 'sha256', SHA512: 'sha512' };

// The fixed TLP marking-definition ids: TLP 1.0 (STIX 2.1 §7.2.1.4) and TLP 2.0 (OASIS extension).
const TLP_MARKINGS: Readonly<Record<string, Tlp>> = {
  'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9': 'clear',
  'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da': 'green',
  'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82': 'amber',
  'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed': 'red',
  'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487': 'clear',
  'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb': 'green',
  'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421': 'amber',
  'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003': 'amber+strict',
  'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1': 'red',
};

/** Objects of a bundle or TAXII envelope (`objects[n]`), also nested (a TAXII server's data file). */
function isStixObjectPath(path: JsonPath): boolean {
  return path.length >= 2 && typeof path[path.length - 1] === 'number' && path[path.length - 2] === 'objects';
}

/**
 * STIX 2.x bundles (and TAXII `objects` envelopes), streamed object by object:
 * - an `indicator` whose pattern is one equality comparison on ipv4-addr, ipv6-addr, domain-name,
 *   url, email-addr `:value` or `file:hashes.<MD5|SHA-1|SHA-256|SHA-512>` gives one indicator:
 *   name and description → context, labels → tags, valid_from → first_seen, confidence (0-100),
 *   TLP marking → tlp, mitre-attack external references → techniques. Compound patterns, other
 *   observables (email-message:subject, file:name...), non-STIX pattern types and revoked
 *   indicators are skips with their reason. Kill-chain phases are ignored: they name tactics,
 *   not techniques.
 * - a `vulnerability` with a `cve` external reference gives a cve indicator.
 * Other objects (malware, relationships, identities...) are context, not indicators: ignored.
 * Line numbers are object numbers in document order.
 */
export const stixParser: FeedParser = {
  format: 'stix',
  defaults: { category: 'threat-intel', confidence: 'medium' },
  async *parse(input) {
    for await (const item of pickJsonValues(input, isStixObjectPath, { maxDepth: 8 })) {
      if (item.kind === 'syntax-error') {
        yield problem(item.record, item.message);
        return;
      }
      const obj = asObject(item.value);
      if (!obj) {
        yield problem(item.record, 'STIX object is not a JSON object');
        continue;
      }
      if (obj.type === 'indicator') yield fromIndicator(item.record, obj);
      else if (obj.type === 'vulnerability') yield fromVulnerability(item.record, obj);
    }
  },
};

function fromIndicator(line: number, obj: Record<string, unknown>): ParseItem {
  const id = present(obj.id) ?? 'indicator';
  if (obj.revoked === true) return skip(line, `${id} is revoked`);
  const patternType = present(obj.pattern_type)?.toLowerCase();
  if (patternType !== undefined && patternType !== 'stix') return skip(line, `${id}: pattern_type ${patternType} is not a STIX pattern`);
  const pattern = present(obj.pattern);
  if (pattern === undefined) return problem(line, `${id} has no pattern`);
  const match = SINGLE_COMPARISON.exec(pattern);
  if (!match) return skip(line, `${id}: pattern is not a single equality comparison: ${pattern.slice(0, 120)}`);
  const [, objectType = '', property = '', quoted = ''] = match;
  const type = typeOfProperty(objectType, property);
  if (!type) return skip(line, `${id}: ${objectType}:${property} is not an IOC type we store`);
  return {
    kind: 'indicator',
    line,
    value: quoted.replace(/\\(.)/g, '$1'),
    type,
    first_seen: isoUtc(obj.valid_from) ?? isoUtc(obj.created),
    confidence: confidenceFromPercent(obj.confidence),
    tags: mergeLists(asArray(obj.labels).filter((l): l is string => typeof l === 'string')),
    mitre_techniques: attackTechniques(obj),
    tlp: tlpOf(obj),
    context: joinContext(obj.name, obj.description),
    reference_url: firstReferenceUrl(obj),
  };
}

function fromVulnerability(line: number, obj: Record<string, unknown>): ParseItem {
  const refs = asArray(obj.external_references).map(asObject);
  const cve = refs.find((r) => present(r?.source_name)?.toLowerCase() === 'cve');
  const cveId = present(cve?.external_id);
  if (cveId === undefined) return skip(line, `${present(obj.id) ?? 'vulnerability'} has no cve external reference`);
  return {
    kind: 'indicator',
    line,
    value: cveId,
    type: 'cve',
    first_seen: isoUtc(obj.created),
    tags: mergeLists(asArray(obj.labels).filter((l): l is string => typeof l === 'string')),
    tlp: tlpOf(obj),
    context: joinContext(obj.name !== cveId ? obj.name : undefined, obj.description),
    reference_url: present(cve?.url) ?? firstReferenceUrl(obj),
  };
}

function typeOfProperty(objectType: string, property: string): IocType | undefined {
  const direct = VALUE_PROPERTIES[`${objectType}:${property}`];
  if (direct) return direct;
  if (objectType !== 'file' || !property.startsWith('hashes.')) return undefined;
  const hashName = property.slice('hashes.'.length).replace(/'/g, '').replace(/[-_]/g, '').toUpperCase();
  return FILE_HASHES[hashName];
}

function attackTechniques(obj: Record<string, unknown>): string[] {
  const ids: string[] = [];
  for (const ref of asArray(obj.external_references).map(asObject)) {
    const id = present(ref?.external_id);
    if (present(ref?.source_name)?.toLowerCase() === 'mitre-attack' && id && /^T\d{4}(\.\d{3})?$/i.test(id)) ids.push(id.toUpperCase());
  }
  return ids;
}

function firstReferenceUrl(obj: Record<string, unknown>): string | undefined {
  for (const ref of asArray(obj.external_references).map(asObject)) {
    const url = present(ref?.url);
    if (url) return url;
  }
  return undefined;
}

function tlpOf(obj: Record<string, unknown>): Tlp | undefined {
  for (const ref of asArray(obj.object_marking_refs)) {
    const tlp = typeof ref === 'string' ? TLP_MARKINGS[ref] : undefined;
    if (tlp) return tlp;
  }
  return undefined;
}
