import { tacticShortName, techniqueTactics } from '../domain/attack.js';
import type { IocRecord, IocSource } from '../domain/ioc.js';
import type { Confidence, IocStatus, Tlp } from '../domain/vocabulary.js';
import type { SigmaRuleShape } from './sigma-detection.js';
import { isYamlSafe, oneLine, truncate } from './sigma-yaml.js';

/**
 * The descriptive fields of a Sigma rule built from an IOC: title, status, description,
 * references, dates, tags and level. Pure functions of the IOC record.
 */

/**
 * Titles become Splunk saved-search names and Sentinel/Elastic rule names: they must be unique
 * per rule. SigmaHQ keeps titles under 120 characters; past that the value is shortened and the
 * rule id's first block appended, which keeps the title unique.
 */
export const SIGMA_TITLE_MAX = 120;
const QUALIFIER_MAX = 48;
const DESCRIPTION_MAX = 1500;
const VALUE_IN_TEXT_MAX = 300;
const REFERENCES_MAX = 10;

export type SigmaStatus = 'test' | 'experimental' | 'deprecated';
export type SigmaLevel = 'low' | 'medium' | 'high';

/**
 * A rule from an active IOC is `test` (high and medium confidence) or `experimental` (low); an
 * IOC that is no longer active (expired, revoked, allowlisted; only with `status=all`) gives
 * `deprecated`, so a SIEM sync that loads the same ids again retires the rule.
 */
export function sigmaStatus(status: IocStatus, confidence: Confidence): SigmaStatus {
  if (status !== 'active') return 'deprecated';
  return confidence === 'low' ? 'experimental' : 'test';
}

export function sigmaLevel(confidence: Confidence): SigmaLevel {
  return confidence;
}

/** `amber+strict` is `tlp.amber-strict`: tags allow only `[a-z0-9._-]`. */
export function tlpTag(tlp: Tlp): string {
  return `tlp.${tlp.replace('+', '-')}`;
}

const TECHNIQUE_ID = /^T\d{4}(\.\d{3})?$/i;
const TACTIC_ID = /^TA\d{4}$/i;
const CVE_TAG = /^CVE-(\d{4}-\d{4,})$/i;

/**
 * ATT&CK tactic tags then technique tags (`attack.command-and-control`, `attack.t1071`), one
 * `cve.YYYY-NNNN` per CVE among the IOC's tags, `detection.emerging-threats` (SigmaHQ's class
 * for rules about a specific threat's indicators) and the TLP tag. No duplicates.
 */
export function sigmaTags(ioc: Pick<IocRecord, 'mitre_techniques' | 'tags' | 'tlp'>): string[] {
  const tactics = new Set<string>();
  const techniques = new Set<string>();
  for (const raw of ioc.mitre_techniques) {
    const id = raw.trim();
    if (TECHNIQUE_ID.test(id)) {
      techniques.add(`attack.${id.toLowerCase()}`);
      for (const tactic of techniqueTactics(id)) tactics.add(`attack.${tactic}`);
    } else if (TACTIC_ID.test(id)) {
      const tactic = tacticShortName(id);
      if (tactic !== null) tactics.add(`attack.${tactic}`);
    }
  }
  const cves = new Set<string>();
  for (const tag of ioc.tags) {
    const m = CVE_TAG.exec(tag.trim());
    if (m?.[1] !== undefined) cves.add(`cve.${m[1]}`);
  }
  return [...tactics, ...techniques, ...cves, 'detection.emerging-threats', tlpTag(ioc.tlp)];
}

/** `botnet_cc` → `Botnet C2`, `payload_delivery` → `Payload Delivery`; null when nothing readable is left. */
export function threatLabel(threatType: string | null): string | null {
  if (threatType === null) return null;
  const words = oneLine(threatType)
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .replace(/\b(c ?c|c2|c ?and ?c)\b/gi, 'C2')
    .split(' ')
    .filter((w) => w !== '')
    .map((w) => (w === 'C2' ? w : w.charAt(0).toUpperCase() + w.slice(1).toLowerCase()));
  return words.length > 0 ? words.join(' ') : null;
}

/** What the IOC is known as: `Emotet Botnet C2`, `Phishing`, or `Malicious` when feeds say nothing. */
export function threatQualifier(ioc: Pick<IocRecord, 'malware' | 'threat_type'>): string {
  // Feeds use few distinct malware/threat pairs; remembering them keeps the renderer fast.
  const key = `${ioc.malware ?? ''}\u0000${ioc.threat_type ?? ''}`;
  const hit = qualifiers.get(key);
  if (hit !== undefined) return hit;
  const malware = ioc.malware === null ? '' : oneLine(ioc.malware);
  const parts = [malware, threatLabel(ioc.threat_type) ?? ''].filter((p) => p !== '');
  const qualifier = parts.length > 0 ? oneLine(parts.join(' '), QUALIFIER_MAX) : 'Malicious';
  if (qualifiers.size >= QUALIFIER_CACHE) qualifiers.clear();
  qualifiers.set(key, qualifier);
  return qualifier;
}
const QUALIFIER_CACHE = 4096;
const qualifiers = new Map<string, string>();

/**
 * A title unique to the IOC: action, what is known of it, and its value
 * (`Network Connection To Emotet Botnet C2 IP 203.0.113.42`). Too long, it drops the qualifier,
 * then shortens the value and appends the id's first block. A value that had to be cleaned for
 * one line (control characters) also gets the id block, so no two IOCs share a title.
 */
export function sigmaTitle(plan: SigmaRuleShape, ioc: Pick<IocRecord, 'value' | 'malware' | 'threat_type'>, id: string): string {
  const value = oneLine(ioc.value);
  const exact = value === ioc.value;
  const head = `${plan.titleAction} ${threatQualifier(ioc)} ${plan.titleSubject}`;
  if (exact) {
    const full = `${head} ${value}`;
    if (full.length <= SIGMA_TITLE_MAX) return full;
    const plain = `${plan.titleAction} ${plan.titleSubject} ${value}`;
    if (plain.length <= SIGMA_TITLE_MAX) return plain;
  }
  const suffix = ` (${id.slice(0, 8)})`;
  const start = `${plan.titleAction} ${plan.titleSubject} `;
  return `${start}${truncate(value, SIGMA_TITLE_MAX - start.length - suffix.length)}${suffix}`;
}

/** The unique feed names of the IOC's sources, most relevant first. */
function sourceNames(ioc: Pick<IocRecord, 'source' | 'sources'>): string[] {
  const names: string[] = [];
  for (let i = -1; i < ioc.sources.length; i++) {
    const name = oneLine(i < 0 ? ioc.source.feed_name : (ioc.sources[i] as IocSource).feed_name, 80);
    if (name !== '' && !names.includes(name)) names.push(name);
  }
  return names;
}

/**
 * One line saying what the rule detects, what the IOC is, who reported it and when:
 * `Detects a network connection to the IP address 203.0.113.42, listed as Emotet Botnet C2 by
 * Feodo Tracker, ThreatFox. First seen 2024-01-02, last seen 2024-03-01; confidence high. …`
 */
export function sigmaDescription(plan: SigmaRuleShape, ioc: IocRecord): string {
  const parts: string[] = [];
  if (ioc.status !== 'active') {
    parts.push(`Deprecated: the IOC was ${ioc.status} on ${isoDate(ioc.updated_at)}; retire this rule.`);
  }
  const what = threatQualifier(ioc);
  const listed = what === 'Malicious' ? 'listed as malicious' : `listed as ${what}`;
  const feeds = sourceNames(ioc);
  const by = feeds.length > 0 ? ` by ${feeds.join(', ')}` : '';
  parts.push(`Detects ${plan.activity} ${oneLine(ioc.value, VALUE_IN_TEXT_MAX)}${plan.activityTail}, ${listed}${by}.`);
  parts.push(`First seen ${isoDate(ioc.first_seen)}, last seen ${isoDate(ioc.last_seen)}; confidence ${ioc.confidence}.`);
  const article = ioc.source.article_title ?? ioc.sources.find((s) => s.article_title !== null)?.article_title ?? null;
  if (article !== null && oneLine(article) !== '') parts.push(`Reported in: ${oneLine(article, 200)}.`);
  if (ioc.context !== null && oneLine(ioc.context) !== '') parts.push(`Context: ${oneLine(ioc.context, 400)}`);
  // Every part is already one clean line.
  return truncate(parts.join(' '), DESCRIPTION_MAX);
}

const HTTP_URL = /^https?:\/\/\S+$/i;

/** Every http(s) reference of the IOC and its sources, unique, at most ten. */
export function sigmaReferences(ioc: Pick<IocRecord, 'source' | 'sources'>): string[] {
  const candidates = [ioc.source.reference_url, ioc.source.article_url];
  for (const s of ioc.sources) candidates.push(s.reference_url, s.article_url);
  const out: string[] = [];
  for (const url of candidates) {
    if (url === null || out.length >= REFERENCES_MAX) continue;
    const u = url.trim();
    if (HTTP_URL.test(u) && isYamlSafe(u) && !out.includes(u)) out.push(u);
  }
  return out;
}

const DATE = /^(\d{4})-(0[1-9]|1[012])-(0[1-9]|[12]\d|3[01])/;

/** `2024-01-02T03:04:05Z` → `2024-01-02`; anything unreadable → `1970-01-01` (never invalid YAML). */
export function isoDate(timestamp: string): string {
  const m = DATE.exec(timestamp);
  return m === null ? '1970-01-01' : m[0];
}

/** `date` is the first sighting, `modified` the last change of the IOC, never before `date`. */
export function sigmaDates(ioc: Pick<IocRecord, 'first_seen' | 'updated_at'>): { date: string; modified: string } {
  const date = isoDate(ioc.first_seen);
  const updated = isoDate(ioc.updated_at);
  return { date, modified: updated < date ? date : updated };
}
