import { pickJsonValues } from '../json-stream.js';
import { problem } from '../parse-items.js';
import { asObject } from '../record-fields.js';
import type { FeedParser } from '../types.js';
import { fromThreatFoxRecord } from './threatfox-record.js';

/**
 * ThreatFox JSON export (`/export/json/recent/`, `/export/json/full/`): an object keyed by IOC id,
 * each holding an array of IOC objects. Streamed: one IOC object is in memory at a time. Line
 * numbers are record numbers (1-based position of the IOC in the export).
 */
export const threatfoxParser: FeedParser = {
  format: 'threatfox',
  defaults: { category: 'community', confidence: 'medium' },
  async *parse(input) {
    for await (const item of pickJsonValues(input, (path) => path.length === 2)) {
      if (item.kind === 'syntax-error') {
        yield problem(item.record, item.message);
        return;
      }
      const rec = asObject(item.value);
      if (!rec) {
        yield problem(item.record, 'IOC entry is not an object');
        continue;
      }
      yield fromThreatFoxRecord(item.record, { ...rec, ioc_id: rec.ioc_id ?? item.path[0] });
    }
  },
};
