/** HEC event envelopes (export/splunk.ts): time, key order, the document as the event, escaping. */
import { describe, expect, it } from 'vitest';
import type { IocRecord } from '../../src/domain/ioc.js';
import { hecTime, HecEnvelopeWriter, renderHecEvent, type HecEnvelopeMeta } from '../../src/export/splunk.js';
import { HOSTILE_TEXTS, hostileRecords } from './hostile-records.js';
import { iocRecord } from './stix-records.js';

const META: HecEnvelopeMeta = { host: 'socd-1', source: 'soc-defenders', sourcetype: 'socd:ioc', index: 'threat_intel' };

describe('hecTime', () => {
  it.each([
    ['2026-11-26T07:04:43.123456Z', '1795676683.123456'],
    ['1970-01-01T00:00:00.000000Z', '0.000000'],
    ['2026-11-26T07:04:43.000001Z', '1795676683.000001'],
    ['2026-11-26T07:04:43.123Z', '1795676683.123'],
    ['2026-11-26T09:04:43+02:00', '1795676683.000'],
    ['not a date', null],
  ])('%s → %s', (iso, expected) => {
    expect(hecTime(iso)).toBe(expected);
  });
});

describe('HEC envelopes', () => {
  it('put the keys in the documented order, the stored document as the event, one envelope a line', () => {
    const record = iocRecord({ type: 'ipv4', value: '45.1.2.3', updated_at: '2026-11-26T07:04:43.123456Z' });
    const doc = JSON.stringify(record);
    const line = new HecEnvelopeWriter(META).event({ updated_at: record.updated_at, doc });
    expect(line.endsWith('}\n')).toBe(true);
    expect(line.indexOf('\n')).toBe(line.length - 1);
    expect(line).toBe(`{"time":1795676683.123456,"host":"socd-1","source":"soc-defenders","sourcetype":"socd:ioc","index":"threat_intel","event":${doc}}\n`);
    const parsed = JSON.parse(line) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual(['time', 'host', 'source', 'sourcetype', 'index', 'event']);
    expect(parsed.event).toEqual(record);
  });

  it('leave out index when none is set (the token default) and time when updated_at is not a date', () => {
    const writer = new HecEnvelopeWriter({ ...META, index: null });
    const line = writer.event({ updated_at: 'garbage', doc: '{"id":"x"}' });
    expect(JSON.parse(line)).toEqual({ host: 'socd-1', source: 'soc-defenders', sourcetype: 'socd:ioc', event: { id: 'x' } });
  });

  it('escape hostile metadata and carry hostile IOC text unchanged', () => {
    const meta: HecEnvelopeMeta = { host: 'h"\n', source: 's\\', sourcetype: 'st</>', index: 'i,x' };
    const records: IocRecord[] = hostileRecords();
    const batch = new HecEnvelopeWriter(meta).events(records.map((r) => ({ updated_at: r.updated_at, doc: JSON.stringify(r) })));
    const lines = batch.trimEnd().split('\n');
    expect(lines).toHaveLength(records.length);
    lines.forEach((line, i) => {
      const env = JSON.parse(line) as { host: string; source: string; sourcetype: string; index: string; event: IocRecord };
      expect(env).toMatchObject({ host: 'h"\n', source: 's\\', sourcetype: 'st</>', index: 'i,x' });
      expect(env.event).toEqual(records[i]);
      expect(env.event.context).toBe(HOSTILE_TEXTS[i]);
    });
  });

  it('renderHecEvent gives the same line as the writer over the stored document', () => {
    const record = iocRecord({ type: 'domain', value: 'evil.example' });
    expect(renderHecEvent(record, META)).toBe(new HecEnvelopeWriter(META).event({ updated_at: record.updated_at, doc: JSON.stringify(record) }));
  });

  it('encode documents given as UTF-8 bytes to the same lines, non-ASCII metadata included', () => {
    const meta: HecEnvelopeMeta = { host: 'hôte-東京', source: 's"q', sourcetype: 'socd:ioc', index: null };
    const records = [...hostileRecords(), iocRecord({ type: 'domain', value: 'x.example', updated_at: 'not stored form' })];
    const rows = records.map((r) => ({ updated_at: r.updated_at, doc: JSON.stringify(r) }));
    const text = new HecEnvelopeWriter(meta).events(rows);
    const bytes = new HecEnvelopeWriter(meta).encode(rows.map((r) => ({ updated_at: r.updated_at, doc: Buffer.from(r.doc, 'utf8') })));
    expect(bytes.toString('utf8')).toBe(text);
    expect(bytes.length).toBe(Buffer.byteLength(text));
  });

  it('compute time per row when rows cross seconds', () => {
    const writer = new HecEnvelopeWriter(META);
    const times = ['2026-11-26T07:04:43.999999Z', '2026-11-26T07:04:44.000000Z', '2026-11-26T07:04:44.000001Z'].map(
      (t) => (JSON.parse(writer.event({ updated_at: t, doc: '{}' })) as { time: number }).time,
    );
    expect(times).toEqual([1795676683.999999, 1795676684, 1795676684.000001]);
  });
});
