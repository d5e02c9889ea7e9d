import { dataLines } from '../lines.js';
import { problem, skip } from '../parse-items.js';
import { peekHead } from '../peek.js';
import { asObject, ipTypeOf, joinContext, present } from '../record-fields.js';
import type { FeedParser, ParseItem } from '../types.js';

/**
 * Spamhaus DROP lists, as text or NDJSON (detected from the content):
 * - `drop.txt` / `drop_v6.txt`: one CIDR a line, `;` comments, optionally `1.10.16.0/20 ; SBL256894`;
 * - `drop_v4.json` / `drop_v6.json`: one `{"cidr","sblid","rir"}` object a line, then one
 *   `{"type":"metadata",...,"records":N}` line, which is not an indicator: it is a skip, and a
 *   problem too when its record count differs from the lines read (a cut download);
 * - `asndrop.json`: `{"asn",...}` lines. An AS number is not an IOC type of ours, so each is a
 *   skip with its reason, never a silent drop.
 * Each CIDR is an ipv4/ipv6 block (DESIGN.md §10) with the SBL id in the context.
 */
export const spamhausDropParser: FeedParser = {
  format: 'spamhaus-drop',
  defaults: { category: 'community', confidence: 'high' },
  async *parse(source) {
    const { head, input } = await peekHead(source, 1024);
    if (head.replace(/^\uFEFF/, '').trimStart().startsWith('{')) yield* parseNdjson(input);
    else yield* parseText(input);
  },
};

async function* parseText(input: AsyncIterable<Buffer | string>): AsyncGenerator<ParseItem> {
  for await (const { line, text } of dataLines(input, ';#')) {
    const [cidrPart = '', comment] = text.split(';', 2);
    const cidr = cidrPart.trim();
    if (cidr === '' || /\s/.test(cidr)) {
      yield problem(line, `not a CIDR block: ${text.trim().slice(0, 80)}`);
      continue;
    }
    const sbl = present(comment);
    yield { kind: 'indicator', line, value: cidr, type: ipTypeOf(cidr), context: joinContext('Spamhaus DROP', sbl) };
  }
}

async function* parseNdjson(input: AsyncIterable<Buffer | string>): AsyncGenerator<ParseItem> {
  let records = 0;
  for await (const { line, text } of dataLines(input, '')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      yield problem(line, 'not a JSON object');
      continue;
    }
    const obj = asObject(parsed);
    if (!obj) {
      yield problem(line, 'not a JSON object');
      continue;
    }
    if (obj.type === 'metadata') {
      yield skip(line, 'metadata line (not an indicator)');
      const declared = typeof obj.records === 'number' ? obj.records : undefined;
      if (declared !== undefined && declared !== records) {
        yield problem(line, `metadata declares ${declared} records but ${records} were read: the file may be cut`);
      }
      continue;
    }
    records += 1;
    const cidr = present(obj.cidr);
    if (cidr !== undefined) {
      const sbl = present(obj.sblid);
      const rir = present(obj.rir);
      yield {
        kind: 'indicator',
        line,
        value: cidr,
        type: ipTypeOf(cidr),
        context: joinContext('Spamhaus DROP', sbl, rir && `RIR ${rir}`),
      };
      continue;
    }
    const asn = present(obj.asn);
    if (asn !== undefined) {
      const name = present(obj.asname);
      yield skip(line, `AS${asn}${name ? ` (${name})` : ''}: an AS number is not an IOC type we store`);
      continue;
    }
    yield problem(line, 'entry has neither cidr nor asn');
  }
}
