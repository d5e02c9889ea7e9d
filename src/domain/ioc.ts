import type { Category, Confidence, IocStatus, IocType, Origin, Sector, Tlp } from './vocabulary.js';

/** One source's sighting of an IOC, as stored per (IOC, feed) and returned in `sources`. */
export interface IocSource {
  feed_name: string;
  category: Category;
  origin: Origin;
  reference_url: string | null;
  article_id: string | null;
  article_title: string | null;
  article_url: string | null;
  first_seen: string; // ISO 8601 UTC
  last_seen: string; // ISO 8601 UTC
  confidence: Confidence;
  context: string | null;
}

/**
 * What a feed says about one indicator after normalization: the unit the ingest runner hands
 * the store. `value` is already canonical for `type` (see domain/normalize).
 */
export interface IocCandidate {
  type: IocType;
  value: string;
  confidence: Confidence;
  source: IocSource;
  tags: string[];
  mitre_techniques: string[];
  industries: Sector[];
  threat_type: string | null;
  malware: string | null;
  tlp: Tlp | null;
  context: string | null;
}

/** The IOC record exactly as the API returns it (DESIGN.md §5: hosted fields first, then ours). */
export interface IocRecord {
  id: string;
  type: IocType;
  value: string;
  confidence: Confidence;
  first_seen: string;
  last_seen: string;
  source: Omit<IocSource, 'first_seen' | 'last_seen' | 'confidence' | 'context'>;
  context: string | null;
  tags: string[];
  mitre_techniques: string[];
  sources: IocSource[];
  industries: Sector[];
  threat_type: string | null;
  malware: string | null;
  tlp: Tlp;
  expires_at: string | null;
  status: IocStatus;
  updated_at: string;
  /** Version sequence number of this state of the IOC; strictly increasing with every change. */
  version: number;
}
