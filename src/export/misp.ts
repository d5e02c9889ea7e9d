import { v5 as uuidv5 } from 'uuid';
import { SOCD_NAMESPACE } from '../domain/ids.js';
import type { IocRecord } from '../domain/ioc.js';
import type { Tlp } from '../domain/vocabulary.js';
import { mispTagsOf, mispTlpTag, type MispTag } from './misp-tags.js';
import { mispCategoryOf, mispToIds, mispTypeOf, type MispAttributeType, type MispCategory } from './misp-types.js';
import { stricterTlp } from './tlp-rank.js';

/**
 * One MISP event holding one attribute per IOC: the JSON `POST /events/add` takes, MISP feeds
 * publish and PyMISP's `MISPEvent.load` reads (`{"Event": {..., "Attribute": [...], "Tag": [...]}}`).
 *
 * Ids are stable so that importing the same export again updates instead of duplicating: the
 * event uuid is derived from the query that produced it (`mispEventUuid`), and each attribute's
 * uuid is the IOC id, which MISP uses to recognise an attribute it already has. The event is
 * written as text pieces (head, attributes, tail) so a route can stream thousands of IOCs; its
 * TLP tag, the most restrictive TLP among its attributes, goes in the tail, after the attributes
 * that decide it (JSON readers do not care about key order).
 */

/** Who the event says produced it (MISP `Orgc`); the uuid is fixed forever, like our STIX identity. */
export const MISP_ORGC = { name: 'SOC Defenders', uuid: '3c5e8f7a-6b1d-4e2f-9a8c-7d0b1e2f3a4b' } as const;

export const MISP_CONTENT_TYPE = 'application/json; charset=utf-8';

export interface MispAttribute {
  uuid: string;
  type: MispAttributeType;
  category: MispCategory;
  value: string;
  to_ids: boolean;
  comment: string;
  /** Unix seconds, as a string (MISP's own JSON shape). */
  timestamp: string;
  /** 5: inherit the event's distribution. */
  distribution: '5';
  first_seen?: string;
  last_seen?: string;
  disable_correlation: false;
  Tag: MispTag[];
}

/** What the event header says; the route derives it from the request. */
export interface MispEventMeta {
  /** `mispEventUuid(queryKey)`. */
  uuid: string;
  info: string;
  /** When the export was generated. */
  generatedAt: Date;
}

/**
 * The event uuid of an export: UUIDv5 of the canonical query (filters, page position) in the
 * SOC Defenders namespace, so the same query always names the same event.
 *
 * @example mispEventUuid('type=ipv4&confidence=high') // the same uuid on every server, every day
 */
export function mispEventUuid(queryKey: string): string {
  return uuidv5(`misp-event:${queryKey}`, SOCD_NAMESPACE);
}

function unixSeconds(iso: string): number | null {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : Math.floor(ms / 1000);
}

/** The comment MISP shows beside the value: the feed's context, what it is, who reported it. */
function commentOf(record: IocRecord): string {
  const parts: string[] = [];
  const context = record.context?.trim();
  if (context) parts.push(context);
  if (record.threat_type) parts.push(`Threat: ${record.threat_type}`);
  if (record.malware) parts.push(`Malware: ${record.malware}`);
  const feeds = record.sources.length > 0 ? record.sources.map((s) => s.feed_name) : [record.source.feed_name];
  parts.push(`Sources: ${[...new Set(feeds)].join(', ')}`);
  if (record.status !== 'active') parts.push(`Status: ${record.status}`);
  return parts.join(' | ');
}

/** The MISP attribute of one IOC. */
export function mispAttribute(record: IocRecord): MispAttribute {
  const type = mispTypeOf(record);
  const attribute: MispAttribute = {
    uuid: record.id,
    type,
    category: mispCategoryOf(type),
    value: record.value,
    to_ids: mispToIds(type, record),
    comment: commentOf(record),
    timestamp: String(unixSeconds(record.updated_at) ?? 0),
    distribution: '5',
    disable_correlation: false,
    Tag: mispTagsOf(record),
  };
  // MISP refuses an attribute whose last_seen is before its first_seen; keep the pair only when
  // both read as dates in that order.
  const first = Date.parse(record.first_seen);
  const last = Date.parse(record.last_seen);
  if (!Number.isNaN(first)) attribute.first_seen = new Date(first).toISOString();
  if (!Number.isNaN(first) && !Number.isNaN(last) && last >= first) attribute.last_seen = new Date(last).toISOString();
  return attribute;
}

/**
 * Writes one event as text pieces: `head()`, then `attribute(record)` for each IOC, then
 * `tail()`. Pure apart from remembering the most restrictive TLP it has written.
 *
 * @example
 * const w = new MispEventWriter({ uuid: mispEventUuid(key), info: 'SOC Defenders IOCs', generatedAt: new Date() });
 * const json = w.head() + records.map((r) => w.attribute(r)).join('') + w.tail();
 */
export class MispEventWriter {
  private count = 0;
  private tlp: Tlp = 'clear';

  constructor(private readonly meta: MispEventMeta) {}

  head(): string {
    const at = this.meta.generatedAt;
    const event = {
      uuid: this.meta.uuid,
      info: this.meta.info,
      date: at.toISOString().slice(0, 10),
      timestamp: String(Math.floor(at.getTime() / 1000)),
      // 4 undefined: the export mixes threats; 2 completed: the analysis is the feeds'.
      threat_level_id: '4',
      analysis: '2',
      // 0 your organisation only: an import stays in the importing organisation until one of
      // its analysts decides to share it (the TLP tags say how far it may go).
      distribution: '0',
      published: false,
      Orgc: MISP_ORGC,
    };
    const json = JSON.stringify({ Event: event });
    // Reopen the event object to append the attribute list.
    return `${json.slice(0, -2)},"Attribute":[`;
  }

  /** One attribute, preceded by a comma after the first. */
  attribute(record: IocRecord): string {
    this.tlp = stricterTlp(this.tlp, record.tlp);
    const text = JSON.stringify(mispAttribute(record));
    return this.count++ === 0 ? text : `,${text}`;
  }

  tail(): string {
    return `],"Tag":${JSON.stringify([{ name: mispTlpTag(this.tlp) }])}}}`;
  }
}

/** A whole event at once (tests, small exports, push). */
export function renderMispEvent(records: Iterable<IocRecord>, meta: MispEventMeta): string {
  const writer = new MispEventWriter(meta);
  let out = writer.head();
  for (const r of records) out += writer.attribute(r);
  return out + writer.tail();
}
