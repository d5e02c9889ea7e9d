/**
 * `GET /api/v1/iocs?format=hec`: the envelope writer for a request's `hec_index` and
 * `hec_sourcetype`, and the key its renderings of a cached page are kept under (so pollers
 * asking for the same page with the same options share one rendering).
 */
import { hostname } from 'node:os';
import { DEFAULT_HEC_SOURCE, DEFAULT_HEC_SOURCETYPE, HecEnvelopeWriter } from '../export/splunk.js';

const host = hostname();
const writers = new Map<string, HecEnvelopeWriter>();

/** The envelope writer for a request's hec options, and the key its renderings are cached under. */
export function hecWriterFor(query: { hec_index?: string; hec_sourcetype?: string }): { key: string; writer: HecEnvelopeWriter } {
  const index = query.hec_index ?? null;
  const sourcetype = query.hec_sourcetype ?? DEFAULT_HEC_SOURCETYPE;
  const key = `hec ${index ?? ''} ${sourcetype}`;
  let writer = writers.get(key);
  if (!writer) {
    writer = new HecEnvelopeWriter({ host, source: DEFAULT_HEC_SOURCE, sourcetype, index });
    // A writer is a few strings; the map only grows with distinct index/sourcetype pairs.
    if (writers.size > 1000) writers.clear();
    writers.set(key, writer);
  }
  return { key, writer };
}
