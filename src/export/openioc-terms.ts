import type { IocRecord } from '../domain/ioc.js';
import type { IocType } from '../domain/vocabulary.js';

/**
 * The OpenIOC 1.0 search term each IOC type is matched with: the Context (`document`, `search`,
 * term set `mir`) and the Content type of an IndicatorItem. Terms are Mandiant's standard 1.0
 * terms as MISP's OpenIOC export and Mandiant's IOC Editor write them:
 * - IP addresses: `PortItem/remoteIP`, the far end of a connection, which is what a C2 or payload
 *   host is from the endpoint's point of view (and the attacker, for inbound threats);
 * - domains `Network/DNS`; URLs `UrlHistoryItem/URL` (the whole URL, not `Network/URI`'s path);
 * - hashes `FileItem/Md5sum`, `Sha1sum`, `Sha256sum`, `Sha512sum`;
 * - e-mail senders `Email/From`.
 * CVEs and ATT&CK techniques are not observables an endpoint can match; CIDR blocks have no
 * OpenIOC 1.0 term (`PortItem/remoteIP` compares whole addresses), so they have no term either.
 */
export interface OpenIocTerm {
  document: string;
  search: string;
  contentType: string;
}

const TERMS: Readonly<Partial<Record<IocType, OpenIocTerm>>> = {
  ipv4: { document: 'PortItem', search: 'PortItem/remoteIP', contentType: 'IP' },
  ipv6: { document: 'PortItem', search: 'PortItem/remoteIP', contentType: 'IP' },
  domain: { document: 'Network', search: 'Network/DNS', contentType: 'string' },
  url: { document: 'UrlHistoryItem', search: 'UrlHistoryItem/URL', contentType: 'string' },
  md5: { document: 'FileItem', search: 'FileItem/Md5sum', contentType: 'md5' },
  sha1: { document: 'FileItem', search: 'FileItem/Sha1sum', contentType: 'sha1' },
  sha256: { document: 'FileItem', search: 'FileItem/Sha256sum', contentType: 'sha256' },
  sha512: { document: 'FileItem', search: 'FileItem/Sha512sum', contentType: 'sha512' },
  email: { document: 'Email', search: 'Email/From', contentType: 'string' },
};

/** IOC types an OpenIOC document can hold (routes restrict their query to these). */
export const OPENIOC_TYPES: readonly IocType[] = (Object.keys(TERMS) as IocType[]).filter((t) => TERMS[t] !== undefined);

/** The term an IOC is matched with, or null when OpenIOC 1.0 cannot express it. */
export function openIocTermOf(record: Pick<IocRecord, 'type' | 'value'>): OpenIocTerm | null {
  if ((record.type === 'ipv4' || record.type === 'ipv6') && record.value.includes('/')) return null;
  return TERMS[record.type] ?? null;
}
