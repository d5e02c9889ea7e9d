import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import type { Confidence, IocType, Tlp } from '../../domain/vocabulary.js';
import { pickJsonValues, type JsonPath } from '../json-stream.js';
import { problem, skip } from '../parse-items.js';
import { asArray, asObject, ipTypeOf, isUrl, isoUtc, joinContext, present } from '../record-fields.js';
import type { FeedParser, ParseItem, RawIndicator } from '../types.js';

/** How a MISP attribute type maps to ours: the IOC type and which `|`-separated part holds the value. */
interface AttributeMapping {
  type: IocType | 'ip';
  part: 0 | 1;
}

const ATTRIBUTE_TYPES: Readonly<Record<string, AttributeMapping>> = {
  'ip-dst': { type: 'ip', part: 0 },
  'ip-src': { type: 'ip', part: 0 },
  'ip-dst|port': { type: 'ip', part: 0 },
  'ip-src|port': { type: 'ip', part: 0 },
  domain: { type: 'domain', part: 0 },
  hostname: { type: 'domain', part: 0 },
  'domain|ip': { type: 'domain', part: 0 },
  'hostname|port': { type: 'domain', part: 0 },
  url: { type: 'url', part: 0 },
  md5: { type: 'md5', part: 0 },
  sha1: { type: 'sha1', part: 0 },
  sha256: { type: 'sha256', part: 0 },
  sha512: { type: 'sha512', part: 0 },
  'filename|md5': { type: 'md5', part: 1 },
  'filename|sha1': { type: 'sha1', part: 1 },
  'filename|sha256': { type: 'sha256', part: 1 },
  'filename|sha512': { type: 'sha512', part: 1 },
  'malware-sample': { type: 'md5', part: 1 },
  email: { type: 'email', part: 0 },
  'email-src': { type: 'email', part: 0 },
  'email-dst': { type: 'email', part: 0 },
  'email-reply-to': { type: 'email', part: 0 },
  vulnerability: { type: 'cve', part: 0 },
};

const TLP_TAGS: Readonly<Record<string, Tlp>> = {
  'tlp:white': 'clear',
  'tlp:clear': 'clear',
  'tlp:green': 'green',
  'tlp:amber': 'amber',
  'tlp:amber+strict': 'amber+strict',
  'tlp:red': 'red',
};

// MISP threat levels 1-3 (4 is "undefined"): the event author's rating, our closest confidence.
const CONFIDENCE_BY_THREAT_LEVEL: Readonly<Record<string, Confidence>> = { '1': 'high', '2': 'medium', '3': 'low' };

// Attributes held back until the event's tags are known; past this, they go out without them.
const MAX_HELD_ATTRIBUTES = 10_000;

interface EventInfo {
  info?: string;
  date?: string;
  confidence?: Confidence;
  tags: string[];
  techniques: string[];
  tlp?: Tlp;
  tagsSeen: boolean;
}

function isEventPart(path: JsonPath): boolean {
  if (path[0] !== 'Event') return false;
  if (path.length === 2) return ['Tag', 'info', 'date', 'threat_level_id'].includes(String(path[1]));
  if (path.length === 3) return path[1] === 'Attribute';
  return path.length === 5 && path[1] === 'Object' && path[3] === 'Attribute';
}

/**
 * A MISP event in the MISP feed format (`{"Event": {...}}`), streamed attribute by attribute.
 * Only attributes flagged `to_ids` become indicators (others are skips: MISP's own rule for what
 * is meant for detection), object attributes included. Types map as ATTRIBUTE_TYPES says
 * (`ip-dst|port` → the IP, `filename|sha256` → the hash...); any other type is a skip.
 * tags ← event and attribute tags except `tlp:` ones, which set tlp (the attribute's wins);
 * techniques ← `misp-galaxy:mitre-attack-pattern` tags; context ← event info and the comment;
 * a comment that is a bare URL becomes reference_url; first_seen ← the attribute's first_seen,
 * else its timestamp, else the event date; confidence ← the event threat level (1-3).
 * Line numbers are attribute numbers in document order.
 */
export const mispParser: FeedParser = {
  format: 'misp',
  defaults: { category: 'threat-intel', confidence: 'medium' },
  parse: (input) => parseMispEvent(input, ''),
};

async function* parseMispEvent(input: AsyncIterable<Buffer | string>, label: string): AsyncGenerator<ParseItem> {
  const event: EventInfo = { tags: [], techniques: [], tagsSeen: false };
  const held: Array<{ line: number; attr: Record<string, unknown> }> = [];
  let attributes = 0;
  for await (const item of pickJsonValues(input, isEventPart, { maxDepth: 5 })) {
    if (item.kind === 'syntax-error') {
      yield* releaseHeld();
      yield problem(attributes + 1, `${label}${item.message}`);
      return;
    }
    const key = item.path[1];
    if (item.path.length === 2) {
      if (key === 'Tag') readEventTags(event, item.value);
      else if (key === 'info') event.info = present(item.value);
      else if (key === 'date') event.date = present(item.value);
      else if (key === 'threat_level_id') event.confidence = CONFIDENCE_BY_THREAT_LEVEL[present(item.value) ?? ''];
      if (key === 'Tag') yield* releaseHeld();
      continue;
    }
    attributes += 1;
    const attr = asObject(item.value);
    if (!attr) {
      yield problem(attributes, `${label}attribute is not an object`);
      continue;
    }
    if (!event.tagsSeen && held.length < MAX_HELD_ATTRIBUTES) held.push({ line: attributes, attr });
    else {
      yield* releaseHeld();
      yield fromAttribute(attributes, attr, event, label);
    }
  }
  yield* releaseHeld();

  function* releaseHeld(): Generator<ParseItem> {
    for (const h of held.splice(0)) yield fromAttribute(h.line, h.attr, event, label);
  }
}

function readEventTags(event: EventInfo, value: unknown): void {
  event.tagsSeen = true;
  const { tags, techniques, tlp } = readTags(value);
  event.tags = tags;
  event.techniques = techniques;
  event.tlp = tlp;
}

function readTags(value: unknown): { tags: string[]; techniques: string[]; tlp?: Tlp } {
  const tags: string[] = [];
  const techniques: string[] = [];
  let tlp: Tlp | undefined;
  for (const t of asArray(value)) {
    const name = present(asObject(t)?.name);
    if (name === undefined) continue;
    const level = TLP_TAGS[name.toLowerCase()];
    if (level) {
      tlp = level;
      continue;
    }
    if (name.toLowerCase().startsWith('misp-galaxy:mitre-')) {
      for (const m of name.matchAll(/\b(T\d{4}(?:\.\d{3})?)\b/g)) if (m[1] && !techniques.includes(m[1])) techniques.push(m[1]);
    }
    if (!tags.includes(name)) tags.push(name);
  }
  return tlp ? { tags, techniques, tlp } : { tags, techniques };
}

function fromAttribute(line: number, attr: Record<string, unknown>, event: EventInfo, label: string): ParseItem {
  const misp = present(attr.type)?.toLowerCase() ?? '';
  const uuid = present(attr.uuid) ?? `attribute ${line}`;
  if (attr.deleted === true || attr.deleted === '1') return skip(line, `${label}${uuid} is deleted`);
  const toIds = attr.to_ids === true || attr.to_ids === '1' || attr.to_ids === 1;
  if (!toIds) return skip(line, `${label}${uuid} (${misp}) is not flagged to_ids`);
  const mapping = ATTRIBUTE_TYPES[misp];
  if (!mapping) return skip(line, `${label}MISP attribute type ${misp || '(none)'} is not an IOC type we store`);
  const raw = present(attr.value);
  if (raw === undefined) return problem(line, `${label}${uuid} has no value`);
  const value = (mapping.type === 'ip' || mapping.part === 1 || misp.includes('|') ? raw.split('|')[mapping.part] : raw)?.trim();
  if (!value) return problem(line, `${label}${uuid}: ${misp} value has no part ${mapping.part + 1}`);

  const own = readTags(attr.Tag);
  const comment = present(attr.comment);
  const indicator: RawIndicator = {
    kind: 'indicator',
    line,
    value,
    type: mapping.type === 'ip' ? ipTypeOf(value) : mapping.type,
    first_seen: isoUtc(attr.first_seen) ?? isoUtc(attr.timestamp) ?? isoUtc(event.date),
    last_seen: isoUtc(attr.last_seen),
    confidence: event.confidence,
    tags: [...event.tags, ...own.tags.filter((t) => !event.tags.includes(t))],
    mitre_techniques: [...event.techniques, ...own.techniques.filter((t) => !event.techniques.includes(t))],
    tlp: own.tlp ?? event.tlp,
    context: joinContext(event.info, comment !== undefined && !isUrl(comment) ? comment : undefined),
    reference_url: comment !== undefined && isUrl(comment) ? comment : undefined,
  };
  return indicator;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A MISP feed directory (a local mirror of a MISP feed): `manifest.json` lists the events, each in
 * `<uuid>.json` beside it. Events are read one after the other, each streamed. An event the
 * manifest lists but whose file is absent is a skip (a partial mirror); a manifest key that is
 * not a UUID is a problem and is never used as a path. Messages name the event file; line
 * numbers count attributes within each event.
 *
 * @example
 * for await (const item of parseMispFeedDirectory('/srv/misp-feed')) ...
 */
export async function* parseMispFeedDirectory(dir: string): AsyncGenerator<ParseItem> {
  const manifest = pickJsonValues(createReadStream(join(dir, 'manifest.json')), (path) => path.length === 1);
  for await (const entry of manifest) {
    if (entry.kind === 'syntax-error') {
      yield problem(entry.record, `manifest.json: ${entry.message}`);
      return;
    }
    const uuid = String(entry.path[0]);
    if (!UUID.test(uuid)) {
      yield problem(entry.record, `manifest.json: event key ${JSON.stringify(uuid.slice(0, 60))} is not a UUID`);
      continue;
    }
    const file = join(dir, `${uuid}.json`);
    try {
      await access(file);
    } catch {
      yield skip(entry.record, `manifest.json: event ${uuid} has no file ${uuid}.json`);
      continue;
    }
    yield* parseMispEvent(createReadStream(file), `${uuid}.json: `);
  }
}
