/** Splunk ES lookup rows (export/splunk-lookups.ts): one table of records and the rows they make. */
import { parse as parseCsv } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { IocRecord } from '../../src/domain/ioc.js';
import { exactCsvCell, lookupDescription, lookupHeader, renderLookupRow, SPLUNK_LOOKUPS } from '../../src/export/splunk-lookups.js';
import { iocRecord, source } from './stix-records.js';

const CASES: Array<{ name: string; layout: keyof typeof SPLUNK_LOOKUPS; record: IocRecord; row: string }> = [
  {
    name: 'an IPv4 with threat and malware',
    layout: 'ip',
    record: iocRecord({ type: 'ipv4', value: '45.1.2.3', threat_type: 'botnet_cc', malware: 'Emotet', confidence: 'high', sources: [source('Feodo Tracker', 'community')] }),
    row: 'botnet_cc Emotet (high confidence; Feodo Tracker),45.1.2.3,3\r\n',
  },
  {
    name: 'a CIDR block without threat text',
    layout: 'ip',
    record: iocRecord({ type: 'ipv4', value: '45.9.148.0/24', confidence: 'low', sources: [source('Spamhaus DROP', 'community')] }),
    row: 'ipv4 indicator (low confidence; Spamhaus DROP),45.9.148.0/24,1\r\n',
  },
  {
    name: 'a domain with context',
    layout: 'domain',
    record: iocRecord({ type: 'domain', value: 'evil.example', context: 'phishing kit', sources: [source('OpenPhish', 'community')] }),
    row: 'domain indicator (medium confidence; OpenPhish): phishing kit,evil.example,2\r\n',
  },
  {
    name: 'a URL that needs quoting, in the http layout',
    layout: 'http',
    record: iocRecord({ type: 'url', value: 'http://evil.example/a,b"c"', threat_type: 'malware_download' }),
    row: 'malware_download (medium confidence; URLhaus),,,"http://evil.example/a,b""c""",2\r\n',
  },
  {
    name: 'a hash in the file layout',
    layout: 'file',
    record: iocRecord({ type: 'sha256', value: 'a'.repeat(64), malware: 'AsyncRAT' }),
    row: `AsyncRAT (medium confidence; URLhaus),${'a'.repeat(64)},,2\r\n`,
  },
  {
    name: 'a sender address starting with a formula character stays exact',
    layout: 'email',
    record: iocRecord({ type: 'email', value: '=cmd@evil.example', threat_type: '=HYPERLINK("x")' }),
    row: `"'=HYPERLINK(""x"") (medium confidence; URLhaus)",=cmd@evil.example,,2\r\n`,
  },
  {
    name: 'a description with a line break and a leading @',
    layout: 'domain',
    record: iocRecord({ type: 'domain', value: 'x.example', threat_type: '@SUM(1)', context: 'a\nb' }),
    row: `"'@SUM(1) (medium confidence; URLhaus): a\nb",x.example,2\r\n`,
  },
];

describe('Splunk ES lookup rows', () => {
  it('headers are the ES column lists with no spaces', () => {
    expect(lookupHeader(SPLUNK_LOOKUPS.ip)).toBe('description,ip,weight\r\n');
    expect(lookupHeader(SPLUNK_LOOKUPS.domain)).toBe('description,domain,weight\r\n');
    expect(lookupHeader(SPLUNK_LOOKUPS.http)).toBe('description,http_referrer,http_user_agent,url,weight\r\n');
    expect(lookupHeader(SPLUNK_LOOKUPS.file)).toBe('description,file_hash,file_name,weight\r\n');
    expect(lookupHeader(SPLUNK_LOOKUPS.email)).toBe('description,src_user,subject,weight\r\n');
  });

  it.each(CASES)('$name', ({ layout, record, row }) => {
    const text = renderLookupRow(SPLUNK_LOOKUPS[layout], record);
    expect(text).toBe(row);
    const [parsed] = parseCsv(lookupHeader(SPLUNK_LOOKUPS[layout]) + text, { columns: true }) as Array<Record<string, string>>;
    expect(parsed?.[SPLUNK_LOOKUPS[layout].valueColumn]).toBe(record.value);
    expect(parsed?.description).not.toMatch(/^[=+\-@\t\r]/);
  });

  it('describes with the first source context when the IOC has none', () => {
    const r = iocRecord({ type: 'domain', value: 'y.example', sources: [source('Feed', 'community', { context: 'from the feed' })] });
    expect(lookupDescription(r)).toBe('domain indicator (medium confidence; Feed): from the feed');
  });

  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['line\nbreak', '"line\nbreak"'],
    ['=1+1', '=1+1'],
  ])('exact cell %j → %j', (value, cell) => {
    expect(exactCsvCell(value)).toBe(cell);
  });
});
