import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { normalize } from '../../src/domain/normalize.js';
import type { IocType } from '../../src/domain/vocabulary.js';
import { hasSharedData, sharedFile } from '../support/shared-data.js';

/**
 * Every indicator in the real feed samples normalizes, to the type the feed says, and where the
 * feeds' own spelling is already canonical it stays byte for byte: normalization must not
 * invent differences between two copies of one IOC.
 */
function dataLines(...path: string[]): string[] {
  return readFileSync(sharedFile(...path), 'utf8')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

function expectAllCanonical(values: string[], expectedType: IocType, claimed?: IocType): void {
  expect(values.length).toBeGreaterThan(0);
  for (const raw of values) {
    const result = normalize(raw, claimed);
    expect(result, raw).toEqual({ ok: true, type: expectedType, value: raw });
  }
}

describe.runIf(hasSharedData)('normalize on real feed samples', () => {
  it('Spamhaus DROP CIDRs', () => {
    expectAllCanonical(dataLines('spamhaus', 'drop.txt'), 'ipv4');
    const v4 = dataLines('spamhaus', 'drop_v4.json')
      .map((l) => JSON.parse(l) as { cidr?: string })
      .flatMap((o) => (o.cidr === undefined ? [] : [o.cidr]));
    expectAllCanonical(v4, 'ipv4', 'ipv4');
  });

  it('Feodo Tracker recommended IPs (8.8.8.8 included: allowlisting is not normalization)', () => {
    const ips = dataLines('feodo', 'ipblocklist_recommended.txt');
    expect(ips).toContain('8.8.8.8');
    expectAllCanonical(ips, 'ipv4');
  });

  it('OpenPhish URLs', () => {
    expectAllCanonical(dataLines('openphish', 'feed.txt'), 'url');
  });

  it('URLhaus URLs', () => {
    const urls = dataLines('urlhaus', 'urlhaus_csv_online.csv').map((l) => l.split('","')[2] ?? '');
    expectAllCanonical(urls, 'url', 'url');
  });

  it('ThreatFox domains, URLs and ip:port (port dropped)', () => {
    const json = JSON.parse(readFileSync(sharedFile('threatfox', 'threatfox_recent.json'), 'utf8')) as Record<
      string,
      Array<{ ioc_value: string; ioc_type: string }>
    >;
    const entries = Object.values(json).flat();
    const domains = entries.filter((e) => e.ioc_type === 'domain');
    expect(domains.length).toBeGreaterThan(200);
    // ThreatFox keeps the reporter's case (`Phomoney177.duckdns.org`); canonical is lower-case.
    for (const { ioc_value } of domains) {
      expect(normalize(ioc_value, 'domain')).toEqual({ ok: true, type: 'domain', value: ioc_value.toLowerCase() });
    }
    expect(domains.some((e) => e.ioc_value !== e.ioc_value.toLowerCase())).toBe(true);
    // An http(s) URL without a path gets its implied `/` (RFC 3986 §6.2.3): `https://27.102.138.146`.
    for (const { ioc_value } of entries.filter((e) => e.ioc_type === 'url')) {
      const expected = /^https?:\/\/[^/]+$/.test(ioc_value) ? `${ioc_value}/` : ioc_value;
      expect(normalize(ioc_value)).toEqual({ ok: true, type: 'url', value: expected });
    }
    const ipPorts = entries.filter((e) => e.ioc_type === 'ip:port');
    expect(ipPorts.length).toBeGreaterThan(400);
    for (const { ioc_value } of ipPorts) {
      expect(normalize(ioc_value, 'ipv4')).toEqual({ ok: true, type: 'ipv4', value: ioc_value.replace(/:\d+$/, '') });
    }
  });

  it('CISA KEV CVE ids', () => {
    const kev = JSON.parse(readFileSync(sharedFile('kev', 'known_exploited_vulnerabilities.json'), 'utf8')) as {
      vulnerabilities: Array<{ cveID: string }>;
    };
    expectAllCanonical(kev.vulnerabilities.map((v) => v.cveID), 'cve');
  });

  it('MalwareBazaar hashes, typed by length', () => {
    expectAllCanonical(dataLines('malwarebazaar', 'full_sha256_head.txt'), 'sha256');
    const rows = dataLines('malwarebazaar', 'malwarebazaar_recent.csv').map((l) => l.split('", "'));
    expectAllCanonical(rows.map((r) => r[1] ?? ''), 'sha256');
    expectAllCanonical(rows.map((r) => r[2] ?? ''), 'md5');
    expectAllCanonical(rows.map((r) => r[3] ?? ''), 'sha1');
  });
});
