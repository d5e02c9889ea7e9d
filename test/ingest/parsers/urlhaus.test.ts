import { describe, expect, it } from 'vitest';
import { urlhausParser } from '../../../src/ingest/parsers/urlhaus.js';
import { hasSharedData } from '../../support/shared-data.js';
import { collect, sharedStream, textStream } from '../parse-helpers.js';

describe.runIf(hasSharedData)('URLhaus parser on the real CSV dump', () => {
  it('maps rows: url, threat, tags, link, dates, status confidence', async () => {
    const { indicators } = await collect(urlhausParser, sharedStream('urlhaus', 'urlhaus_csv_online.csv'));
    expect(indicators[0]).toEqual({
      kind: 'indicator',
      line: 10,
      value: 'http://120.84.215.27:44835/i',
      type: 'url',
      first_seen: '2026-08-18T16:17:08.000Z',
      last_seen: '2026-08-18T16:17:08.000Z',
      confidence: 'high',
      threat_type: 'malware_download',
      tags: [],
      reference_url: 'https://urlhaus.abuse.ch/url/3905439/',
      context: 'URLhaus status: online; reported by GAYINT_DOT_ORG',
    });
    expect(indicators[1]?.tags).toEqual(['176-65-139-212', 'elf', 'mirai', 'ua-wget']);
  });
});

describe('URLhaus parser on bad lines', () => {
  it('reports each bad line with its number and reads the good ones', async () => {
    const text = [
      '# id,dateadded,url,url_status,last_online,threat,tags,urlhaus_link,reporter',
      '"1","2026-01-01 00:00:00","http://a.example/x","offline","","malware_download","None","https://urlhaus.abuse.ch/url/1/","r"',
      '"2","2026-01-01 00:00:00","http://b.example/x"',
      '"3","2026-01-01 00:00:00","http://c.example/x","online","","malware_download","elf","https://urlhaus.abuse.ch/url/3/","r',
      '"4","2026-01-01 00:00:00","","online","","malware_download","","https://urlhaus.abuse.ch/url/4/","r"',
      '"5","2026-01-01 00:00:00","http://e.example/x","online","","malware_download","","https://urlhaus.abuse.ch/url/5/","r"',
    ].join('\r\n');
    const got = await collect(urlhausParser, textStream(text));
    expect(got.indicators.map((i) => [i.line, i.value, i.confidence])).toEqual([
      [2, 'http://a.example/x', 'medium'],
      [6, 'http://e.example/x', 'high'],
    ]);
    expect(got.problems.map((p) => [p.line, p.message])).toEqual([
      [3, 'expected 9 fields, found 3'],
      [4, 'unbalanced quotes'],
      [5, 'empty url field'],
    ]);
  });
});
