import { SECTOR_ALIASES, SECTORS, isSector, type Sector } from './vocabulary.js';

/** CISA's names for the sectors (cisa.gov/topics/critical-infrastructure-security-and-resilience). */
export const SECTOR_LABELS: Readonly<Record<Sector, string>> = {
  chemical: 'Chemical',
  'commercial-facilities': 'Commercial Facilities',
  communications: 'Communications',
  'critical-manufacturing': 'Critical Manufacturing',
  dams: 'Dams',
  'defense-industrial-base': 'Defense Industrial Base',
  'emergency-services': 'Emergency Services',
  energy: 'Energy',
  'financial-services': 'Financial Services',
  'food-agriculture': 'Food and Agriculture',
  'government-facilities': 'Government Services and Facilities',
  'healthcare-public-health': 'Healthcare and Public Health',
  'information-technology': 'Information Technology',
  nuclear: 'Nuclear Reactors, Materials, and Waste',
  transportation: 'Transportation Systems',
  'water-wastewater': 'Water and Wastewater Systems',
};

function slug(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** Slugs of CISA's names, with and without "and", mapped to sectors: `Food and Agriculture`, `food-and-agriculture`. */
const LABEL_SLUGS: ReadonlyMap<string, Sector> = new Map(
  SECTORS.flatMap((sector) => {
    const full = slug(SECTOR_LABELS[sector]);
    return [
      [full, sector],
      [full.replace(/-and-/g, '-'), sector],
    ] as const;
  }),
);

/**
 * The sector a user or a feed means: a slug (`energy`), a hosted-API alias (`healthcare`,
 * `finance`) or CISA's name (`Water and Wastewater Systems`), case-insensitive; null otherwise.
 */
export function parseSector(input: string): Sector | null {
  const key = slug(input);
  if (isSector(key)) return key;
  return SECTOR_ALIASES[key] ?? SECTOR_ALIASES[input.trim().toLowerCase()] ?? LABEL_SLUGS.get(key) ?? null;
}

/**
 * Keywords (whole words, case-insensitive) that tie a vendor, product or description to the
 * sectors that run it. Deliberately modest: used to tag CISA KEV entries (vendorProject,
 * product, vulnerabilityName) with the industries most exposed, not to classify prose.
 * Mainstream IT vendors mean information-technology; router and phone makers communications;
 * ICS/SCADA vendors the sectors that run industrial control systems; camera and DVR makers
 * commercial facilities (CISA's home for video surveillance).
 */
const SECTOR_KEYWORDS: ReadonlyArray<readonly [Sector[], readonly string[]]> = [
  [
    ['information-technology'],
    [
      'microsoft', 'windows', 'exchange server', 'sharepoint', 'cisco', 'fortinet', 'fortigate', 'fortios', 'ivanti',
      'pulse secure', 'vmware', 'citrix', 'palo alto networks', 'pan-os', 'oracle', 'sap', 'atlassian', 'confluence',
      'apache', 'linux', 'apple', 'google', 'chrome', 'adobe', 'sonicwall', 'juniper', 'f5', 'big-ip', 'sophos',
      'solarwinds', 'progress', 'moveit', 'ibm', 'red hat', 'trend micro', 'zoho', 'manageengine', 'veeam',
      'kaseya', 'connectwise', 'jenkins', 'gitlab', 'jetbrains', 'mozilla', 'firefox', 'check point',
      'barracuda', 'zyxel', 'qnap', 'synology', 'dell', 'hewlett packard', 'servicenow', 'elastic', 'docker',
    ],
  ],
  [
    ['communications'],
    [
      'd-link', 'netgear', 'tp-link', 'draytek', 'mikrotik', 'tenda', 'zyxel', 'ubiquiti', 'arcadyan', 'netis',
      'edimax', 'realtek', 'grandstream', 'yealink', 'mitel', 'router', 'modem', 'voip', 'samsung', 'qualcomm',
      'mediatek', 'android', 'simalliance', 'telemessage', 'dasan', 'ruckus', 'alcatel',
    ],
  ],
  [
    ['energy', 'water-wastewater', 'critical-manufacturing'],
    ['scada', 'industrial control', 'plc', 'hmi', 'siemens', 'schneider electric', 'rockwell', 'delta electronics', 'indusoft', 'trihedral', 'modbus'],
  ],
  [['water-wastewater'], ['unitronics', 'water', 'wastewater']],
  [['energy'], ['solarview', 'solar', 'inverter', 'power grid', 'substation', 'oil and gas']],
  [['commercial-facilities'], ['hikvision', 'dahua', 'geovision', 'reolink', 'nuuo', 'ptzoptics', 'amcrest', 'tvt', 'dvr', 'nvr', 'ip camera']],
  [['healthcare-public-health'], ['nextgen healthcare', 'healthcare', 'hospital', 'medical', 'patient', 'pacs', 'dicom']],
  [['financial-services'], ['bank', 'banking', 'payment']],
  [['government-facilities'], ['justice av solutions', 'government', 'e-government', 'courtroom']],
  [['transportation'], ['sunhillo', 'aviation', 'airport', 'railway', 'maritime', 'automotive']],
  [['emergency-services'], ['public safety', 'emergency alert', '911']],
  [['nuclear'], ['nuclear']],
  [['chemical'], ['chemical']],
  [['defense-industrial-base'], ['defense contractor', 'military']],
  [['food-agriculture'], ['agriculture', 'agricultural']],
];

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Word boundaries that also hold next to `-` inside names like `d-link` and `pan-os`. */
const MATCHERS: ReadonlyArray<readonly [Sector[], RegExp]> = SECTOR_KEYWORDS.map(([sectors, words]) => [
  sectors,
  new RegExp(`(?<![a-z0-9])(?:${[...new Set(words)].map(escapeRegExp).join('|')})(?![a-z0-9])`, 'i'),
]);

/**
 * Sectors a vendor/product text points at, in SECTORS order, without duplicates; [] when no
 * keyword matches.
 *
 * @example sectorsFromText('Siemens SIMATIC S7 PLC') // ['critical-manufacturing', 'energy', 'water-wastewater']
 * @example sectorsFromText('Microsoft Exchange Server') // ['information-technology']
 */
export function sectorsFromText(text: string): Sector[] {
  const found = new Set<Sector>();
  for (const [sectors, pattern] of MATCHERS) {
    if (pattern.test(text)) for (const s of sectors) found.add(s);
  }
  return SECTORS.filter((s) => found.has(s));
}
