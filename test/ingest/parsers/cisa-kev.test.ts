import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cisaKevParser } from '../../../src/ingest/parsers/cisa-kev.js';
import { hasSharedData, sharedFile } from '../../support/shared-data.js';
import { collect, sharedStream, textStream } from '../parse-helpers.js';

interface KevEntry {
  cveID: string;
  knownRansomwareCampaignUse: string;
  notes: string;
}

describe.runIf(hasSharedData)('CISA KEV parser on the real catalog', () => {
  it('maps the first entry field by field', async () => {
    const { indicators } = await collect(cisaKevParser, sharedStream('kev', 'known_exploited_vulnerabilities.json'));
    expect(indicators[0]).toEqual({
      kind: 'indicator',
      line: 1,
      value: 'CVE-2025-48384',
      type: 'cve',
      first_seen: '2025-08-25T00:00:00.000Z',
      tags: ['Git'],
      threat_type: 'exploited_vulnerability',
      context:
        'Git Link Following Vulnerability; Git contains a link following vulnerability that stems from Git’s inconsistent handling of carriage return characters in configuration files.; Required action: Apply mitigations per vendor instructions, follow applicable BOD 22-01 guidance for cloud services, or discontinue use of the product if mitigations are unavailable.; Due date: 2025-09-15',
      reference_url: 'https://github.com/git/git/security/advisories/GHSA-vwqx-4fm8-6qc9',
    });
  });

  it('tags exactly the entries with known ransomware use', async () => {
    const entries = (JSON.parse(readFileSync(sharedFile('kev', 'known_exploited_vulnerabilities.json'), 'utf8')) as { vulnerabilities: KevEntry[] }).vulnerabilities;
    const known = new Set(entries.filter((e) => e.knownRansomwareCampaignUse === 'Known').map((e) => e.cveID));
    const { indicators } = await collect(cisaKevParser, sharedStream('kev', 'known_exploited_vulnerabilities.json'));
    const tagged = new Set(indicators.filter((i) => i.tags?.includes('ransomware')).map((i) => i.value));
    expect(known.size).toBeGreaterThan(0);
    expect(tagged).toEqual(known);
    // Entries whose notes hold no URL fall back to the NVD page.
    const withoutUrl = entries.find((e) => !/https?:\/\//.test(e.notes));
    if (withoutUrl) {
      expect(indicators.find((i) => i.value === withoutUrl.cveID)?.reference_url).toBe(`https://nvd.nist.gov/vuln/detail/${withoutUrl.cveID}`);
    }
  });
});

describe('CISA KEV parser on bad input', () => {
  it('reports an entry without cveID and a truncated catalog, keeping what came before', async () => {
    const text = '{"catalogVersion":"x","vulnerabilities":[{"cveID":"CVE-2024-0001","dateAdded":"2024-01-02"},{"product":"none"},{"cveID":"CVE-2024-0002"},{"cveID":"CVE-20';
    const got = await collect(cisaKevParser, textStream(text, 1 << 16));
    expect(got.indicators.map((i) => [i.line, i.value])).toEqual([
      [1, 'CVE-2024-0001'],
      [3, 'CVE-2024-0002'],
    ]);
    expect(got.problems.map((p) => p.line)).toEqual([2, 4]);
    expect(got.problems[0]?.message).toMatch(/cveID/);
    expect(got.problems[1]?.message).toMatch(/invalid JSON/);
  });
});
