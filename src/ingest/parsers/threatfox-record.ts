import type { IocType } from '../../domain/vocabulary.js';
import { problem, skip } from '../parse-items.js';
import { confidenceFromPercent, ipTypeOf, isoUtc, joinContext, present, splitHostPort, splitList } from '../record-fields.js';
import type { ParseItem } from '../types.js';

/** The fields of one ThreatFox IOC, as both the JSON and the CSV export name them. */
export interface ThreatFoxRecord {
  ioc_id?: unknown;
  ioc_value?: unknown;
  ioc_type?: unknown;
  threat_type?: unknown;
  malware_printable?: unknown;
  malware_alias?: unknown;
  first_seen_utc?: unknown;
  last_seen_utc?: unknown;
  confidence_level?: unknown;
  is_compromised?: unknown;
  reference?: unknown;
  tags?: unknown;
  reporter?: unknown;
}

const HASH_TYPES: Readonly<Record<string, IocType>> = { md5_hash: 'md5', sha1_hash: 'sha1', sha256_hash: 'sha256', sha512_hash: 'sha512' };

/**
 * One ThreatFox IOC as a parse item. ioc_type `ip:port` → an IP indicator with the port in the
 * context; `domain`, `url` and the `*_hash` types map to ours; any other type is skipped.
 * malware_printable → malware (unless "Unknown malware"), threat_type as is, tags, and
 * confidence_level (0-100) → high ≥ 75, medium ≥ 50, else low. reference_url is the IOC's
 * ThreatFox page; the reporter's own reference goes into the context.
 */
export function fromThreatFoxRecord(line: number, rec: ThreatFoxRecord): ParseItem {
  const rawValue = present(rec.ioc_value);
  const iocType = present(rec.ioc_type)?.toLowerCase();
  if (rawValue === undefined) return problem(line, 'empty ioc_value');
  if (iocType === undefined) return problem(line, 'empty ioc_type');

  let value = rawValue;
  let type: IocType;
  let port: string | undefined;
  if (iocType === 'ip:port') {
    const hp = splitHostPort(rawValue);
    value = hp.host;
    port = hp.port;
    type = ipTypeOf(hp.host);
  } else if (iocType === 'domain' || iocType === 'url') {
    type = iocType;
  } else {
    const hash = HASH_TYPES[iocType];
    if (!hash) return skip(line, `ThreatFox ioc_type ${iocType} is not an IOC type we store`);
    type = hash;
  }

  const id = present(rec.ioc_id);
  const malware = present(rec.malware_printable);
  const compromised = present(rec.is_compromised)?.toLowerCase() === 'true' || rec.is_compromised === true;
  const reporter = present(rec.reporter);
  const reference = present(rec.reference);
  return {
    kind: 'indicator',
    line,
    value,
    type,
    first_seen: isoUtc(rec.first_seen_utc),
    last_seen: isoUtc(rec.last_seen_utc),
    confidence: confidenceFromPercent(rec.confidence_level),
    threat_type: present(rec.threat_type),
    malware: malware && malware.toLowerCase() !== 'unknown malware' ? malware : undefined,
    tags: [...splitList(rec.tags), ...(compromised ? ['compromised'] : [])],
    reference_url: id ? `https://threatfox.abuse.ch/ioc/${encodeURIComponent(id)}/` : undefined,
    context: joinContext(
      port && `port ${port}`,
      compromised ? 'compromised legitimate host' : undefined,
      reporter && `reported by ${reporter}`,
      reference && `reference: ${reference}`,
    ),
  };
}
