import { openSync, readSync, closeSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectFormat } from '../../src/ingest/detect-format.js';
import type { FeedFormat } from '../../src/ingest/types.js';
import { hasSharedData, sharedFile } from '../support/shared-data.js';

function head(...parts: string[]): string {
  const fd = openSync(sharedFile(...parts), 'r');
  try {
    const buf = Buffer.alloc(4096);
    const n = readSync(fd, buf, 0, buf.length, 0);
    return buf.subarray(0, n).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

describe.runIf(hasSharedData)('detectFormat on the real samples (content first, then the file name)', () => {
  it.each([
    [['kev', 'known_exploited_vulnerabilities.json'], 'cisa-kev'],
    [['urlhaus', 'urlhaus_csv_online.csv'], 'urlhaus'],
    [['threatfox', 'threatfox_recent.json'], 'threatfox'],
    [['threatfox', 'threatfox_recent.csv'], 'threatfox-csv'],
    [['feodo', 'ipblocklist.csv'], 'feodo'],
    [['feodo', 'ipblocklist_recommended.txt'], 'feodo'],
    [['feodo', 'ipblocklist.json'], 'feodo'],
    [['spamhaus', 'drop.txt'], 'spamhaus-drop'],
    [['spamhaus', 'drop_v4.json'], 'spamhaus-drop'],
    [['spamhaus', 'asndrop.json'], 'spamhaus-drop'],
    [['openphish', 'feed.txt'], 'openphish'],
    [['malwarebazaar', 'malwarebazaar_recent.csv'], 'malwarebazaar'],
    [['malwarebazaar', 'full_sha256_head.txt'], 'malwarebazaar'],
    [['misp', '06159a36-6012-5d68-bff5-7fac1110a2a6.json'], 'misp'],
    [['misp', 'manifest.json'], 'misp'],
    [['stix', 'apt1.json'], 'stix'],
    [['stix', 'indicator-for-c2-ip-address.json'], 'stix'],
  ] as Array<[string[], FeedFormat]>)('%j → %s', (parts, format) => {
    expect(detectFormat(head(...parts), sharedFile(...parts))).toBe(format);
  });

  it('the abuse.ch and KEV samples are recognised from content alone', () => {
    for (const [parts, format] of [
      [['kev', 'known_exploited_vulnerabilities.json'], 'cisa-kev'],
      [['urlhaus', 'urlhaus_csv_online.csv'], 'urlhaus'],
      [['threatfox', 'threatfox_recent.csv'], 'threatfox-csv'],
      [['feodo', 'ipblocklist_recommended.txt'], 'feodo'],
      [['malwarebazaar', 'malwarebazaar_recent.csv'], 'malwarebazaar'],
      [['spamhaus', 'drop_v4.json'], 'spamhaus-drop'],
    ] as Array<[string[], FeedFormat]>) {
      expect(detectFormat(head(...parts)), parts.join('/')).toBe(format);
    }
  });
});

describe('detectFormat on synthetic heads', () => {
  it.each([
    ['{"type": "bundle", "id": "bundle--1", "objects": [', undefined, 'stix'],
    ['{"objects": [{"type": "indicator", "spec_version": "2.1"', undefined, 'stix'],
    ['{"Event": {"info": "x"', undefined, 'misp'],
    ['; Spamhaus DROP List 2024/01/01\n1.10.16.0/20 ; SBL256894\n', undefined, 'spamhaus-drop'],
    // A STIX description naming URLhaus is still STIX: banners count only on comment lines.
    ['{"type":"bundle","objects":[{"description":"from URLhaus"}', undefined, 'stix'],
    ['value,type\n1.2.3.4,ipv4\n', undefined, 'csv'],
    ['# my list\n8.8.4.4\nevil.example\n', 'blocklist.txt', 'list'],
    ['https://a.example/\n', 'openphish-feed.txt', 'openphish'],
    ['', 'whatever.txt', null],
    ['', 'known_exploited_vulnerabilities.json', 'cisa-kev'],
  ] as Array<[string, string | undefined, FeedFormat | null]>)('%j (%s) → %s', (text, name, format) => {
    expect(detectFormat(text, name)).toBe(format);
  });
});
