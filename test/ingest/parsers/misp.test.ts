import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mispParser, parseMispFeedDirectory } from '../../../src/ingest/parsers/misp.js';
import { hasSharedData } from '../../support/shared-data.js';
import { collect, collectItems, sharedStream, textStream } from '../parse-helpers.js';

function event(attributes: object[], extra: object = {}, tagsFirst = true): string {
  const tags = { Tag: [{ name: 'tlp:amber' }, { name: 'type:OSINT' }, { name: 'misp-galaxy:mitre-attack-pattern="Application Layer Protocol - T1071"' }] };
  const base = { info: 'Campaign X', date: '2024-05-01', threat_level_id: '2', ...extra };
  const body = tagsFirst ? { ...base, ...tags, Attribute: attributes } : { ...base, Attribute: attributes, ...tags };
  return JSON.stringify({ Event: body });
}
const attr = (type: string, value: string, extra: object = {}): object => ({ type, value, to_ids: true, uuid: `u-${value}`, timestamp: '1714521600', ...extra });

describe('MISP event parser', () => {
  it.each([
    ['ip-dst', '198.51.100.7', 'ipv4', '198.51.100.7'],
    ['ip-src', '2001:db8::7', 'ipv6', '2001:db8::7'],
    ['ip-dst|port', '198.51.100.8|443', 'ipv4', '198.51.100.8'],
    ['domain', 'evil.example', 'domain', 'evil.example'],
    ['hostname', 'a.evil.example', 'domain', 'a.evil.example'],
    ['domain|ip', 'b.evil.example|198.51.100.9', 'domain', 'b.evil.example'],
    ['url', 'http://evil.example/x', 'url', 'http://evil.example/x'],
    ['md5', 'd41d8cd98f00b204e9800998ecf8427e', 'md5', 'd41d8cd98f00b204e9800998ecf8427e'],
    ['filename|sha256', `a.exe|${'e'.repeat(64)}`, 'sha256', 'e'.repeat(64)],
    ['malware-sample', `a.exe|${'f'.repeat(32)}`, 'md5', 'f'.repeat(32)],
    ['email-src', 'bad@evil.example', 'email', 'bad@evil.example'],
    ['vulnerability', 'CVE-2024-3400', 'cve', 'CVE-2024-3400'],
  ] as const)('%s %s → %s %s', async (mispType, value, type, expected) => {
    const got = await collect(mispParser, textStream(event([attr(mispType, value)])));
    expect(got.indicators.map((i) => [i.type, i.value])).toEqual([[type, expected]]);
  });

  it('skips attributes not flagged to_ids, deleted ones and types we do not store', async () => {
    const got = await collect(
      mispParser,
      textStream(event([attr('domain', 'a.example', { to_ids: false }), attr('domain', 'b.example', { deleted: true }), attr('text', 'hello'), attr('comment', 'x'), attr('domain', 'ok.example')])),
    );
    expect(got.indicators.map((i) => [i.line, i.value])).toEqual([[5, 'ok.example']]);
    expect(got.skips.map((s) => s.line)).toEqual([1, 2, 3, 4]);
    expect(got.skips[2]?.message).toBe('MISP attribute type text is not an IOC type we store');
  });

  it('event and attribute tags, TLP from tlp: tags (the attribute wins), techniques, context and a URL comment as reference', async () => {
    const text = event([
      attr('domain', 'a.example', { comment: 'https://x.com/someone/status/1', Tag: [{ name: 'malware' }, { name: 'tlp:red' }] }),
      attr('domain', 'b.example', { comment: 'seen in phishing mails' }),
    ]);
    const got = await collect(mispParser, textStream(text));
    expect(got.indicators[0]).toEqual({
      kind: 'indicator',
      line: 1,
      value: 'a.example',
      type: 'domain',
      first_seen: '2024-05-01T00:00:00.000Z',
      last_seen: undefined,
      confidence: 'medium',
      tags: ['type:OSINT', 'misp-galaxy:mitre-attack-pattern="Application Layer Protocol - T1071"', 'malware'],
      mitre_techniques: ['T1071'],
      tlp: 'red',
      context: 'Campaign X',
      reference_url: 'https://x.com/someone/status/1',
    });
    expect(got.indicators[1]).toMatchObject({ tlp: 'amber', context: 'Campaign X; seen in phishing mails', reference_url: undefined });
  });

  it('event tags written after the attributes still apply, and object attributes count', async () => {
    const text = event([attr('domain', 'a.example')], { Object: [{ name: 'file', Attribute: [attr('sha1', 'b'.repeat(40))] }] }, false);
    const got = await collect(mispParser, textStream(text, 11));
    // Document order: the Object (in `extra`) comes before Attribute in this event.
    expect(got.indicators.map((i) => [i.line, i.type, i.tlp])).toEqual([
      [1, 'sha1', 'amber'],
      [2, 'domain', 'amber'],
    ]);
  });
});

describe.runIf(hasSharedData)('MISP parser on the TweetFeed feed', () => {
  it('a real event: tags, tlp:clear and the tweet as reference', async () => {
    const got = await collect(mispParser, sharedStream('misp', '06159a36-6012-5d68-bff5-7fac1110a2a6.json'));
    expect(got.indicators[0]).toEqual({
      kind: 'indicator',
      line: 1,
      value: 'leap39.com',
      type: 'domain',
      first_seen: new Date(1787187115 * 1000).toISOString(),
      last_seen: undefined,
      confidence: undefined,
      tags: ['TweetFeed', 'type:OSINT', 'infostealer', 'malvertising', 'malware'],
      mitre_techniques: [],
      tlp: 'clear',
      context: 'TweetFeed IOCs 2026-08-20',
      reference_url: 'https://x.com/masaomi346/status/2090240377358102881',
    });
  });
});

describe('MISP feed directory', () => {
  it('never turns a manifest key into a path outside the directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'socd-misp-'));
    try {
      const id = '11111111-2222-3333-4444-555555555555';
      writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ '../../etc/passwd': { info: 'x' }, [id]: { info: 'y' } }));
      writeFileSync(join(dir, `${id}.json`), event([attr('domain', 'dir.example')]));
      const got = await collectItems(parseMispFeedDirectory(dir));
      expect(got.problems.map((p) => [p.line, p.message])).toEqual([[1, 'manifest.json: event key "../../etc/passwd" is not a UUID']]);
      expect(got.indicators.map((i) => i.value)).toEqual(['dir.example']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
