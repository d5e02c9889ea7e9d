import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SECTOR_LABELS, parseSector, sectorsFromText } from '../../src/domain/sectors.js';
import { SECTORS, type Sector } from '../../src/domain/vocabulary.js';
import { hasSharedData, sharedFile } from '../support/shared-data.js';

describe('parseSector', () => {
  const cases: Array<[string, Sector | null]> = [
    ['energy', 'energy'],
    ['ENERGY', 'energy'],
    [' financial-services ', 'financial-services'],
    ['Financial Services', 'financial-services'],
    ['financial_services', 'financial-services'],
    ['finance', 'financial-services'],
    ['healthcare', 'healthcare-public-health'],
    ['Healthcare and Public Health', 'healthcare-public-health'],
    ['IT', 'information-technology'],
    ['Information Technology', 'information-technology'],
    ['Water and Wastewater Systems', 'water-wastewater'],
    ['water', 'water-wastewater'],
    ['Food & Agriculture', 'food-agriculture'],
    ['food-and-agriculture', 'food-agriculture'],
    ['Nuclear Reactors, Materials, and Waste', 'nuclear'],
    ['Transportation Systems', 'transportation'],
    ['Government Services and Facilities', 'government-facilities'],
    ['government', 'government-facilities'],
    ['defense', 'defense-industrial-base'],
    ['retail', null],
    ['', null],
    ['toString', null],
  ];
  it.each(cases)('parseSector(%j) = %s', (input, expected) => {
    expect(parseSector(input)).toBe(expected);
  });

  it('parses every slug and every CISA label back to itself', () => {
    for (const sector of SECTORS) {
      expect(parseSector(sector)).toBe(sector);
      expect(parseSector(SECTOR_LABELS[sector])).toBe(sector);
    }
  });
});

describe('sectorsFromText', () => {
  const cases: Array<[string, Sector[]]> = [
    ['Microsoft Windows', ['information-technology']],
    ['Cisco IOS XE Software', ['information-technology']],
    ['Fortinet FortiOS', ['information-technology']],
    ['D-Link DIR-859 Router', ['communications']],
    ['Siemens SIMATIC S7 PLC', ['critical-manufacturing', 'energy', 'water-wastewater']],
    ['Schneider Electric Modicon', ['critical-manufacturing', 'energy', 'water-wastewater']],
    ['Unitronics Vision PLC and HMI', ['critical-manufacturing', 'energy', 'water-wastewater']],
    ['Hikvision Webserver', ['commercial-facilities']],
    ['NextGen Healthcare Mirth Connect', ['healthcare-public-health']],
    ['Sunhillo SureLine', ['transportation']],
    ['Contec SolarView Compact', ['energy']],
    ['SolarWinds Serv-U', ['information-technology']], // "solar" inside a word is not energy
    ['GitLab CI/CD pipeline', ['information-technology']],
    ['Acme Widget', []],
    ['', []],
  ];
  it.each(cases)('sectorsFromText(%j) = %j', (text, expected) => {
    expect(sectorsFromText(text)).toEqual(expected);
  });
});

interface KevEntry {
  cveID: string;
  vendorProject: string;
  product: string;
  vulnerabilityName: string;
}

describe.runIf(hasSharedData)('sectorsFromText on the real CISA KEV catalog', () => {
  const kev = JSON.parse(readFileSync(sharedFile('kev', 'known_exploited_vulnerabilities.json'), 'utf8')) as {
    vulnerabilities: KevEntry[];
  };
  const tagged = kev.vulnerabilities.map((v) => ({
    v,
    sectors: sectorsFromText(`${v.vendorProject} ${v.product} ${v.vulnerabilityName}`),
  }));

  it('tags every Microsoft, Cisco and Fortinet entry information-technology', () => {
    const big = tagged.filter(({ v }) => ['Microsoft', 'Cisco', 'Fortinet'].includes(v.vendorProject));
    expect(big.length).toBeGreaterThan(400);
    for (const { sectors } of big) expect(sectors).toContain('information-technology');
  });

  it('tags ICS vendors with the sectors that run them', () => {
    const byVendor = (vendor: string) => tagged.filter(({ v }) => v.vendorProject === vendor);
    for (const { sectors } of byVendor('Siemens')) expect(sectors).toContain('critical-manufacturing');
    for (const { sectors } of byVendor('Unitronics')) expect(sectors).toContain('water-wastewater');
    expect(byVendor('Unitronics').length).toBeGreaterThan(0);
  });

  it('tags most of the catalog, and only with known sectors', () => {
    const withSector = tagged.filter(({ sectors }) => sectors.length > 0).length;
    expect(withSector / tagged.length).toBeGreaterThan(0.8);
    for (const { sectors } of tagged) for (const s of sectors) expect(SECTORS).toContain(s);
  });
});
