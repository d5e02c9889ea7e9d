import { describe, expect, it } from 'vitest';
import {
  TACTICS,
  TECHNIQUES,
  attackName,
  attackUrl,
  tacticName,
  tacticShortName,
  techniqueDisplayName,
  techniqueName,
  techniqueTactics,
} from '../../src/domain/attack.js';
import { normalize } from '../../src/domain/normalize.js';

describe('ATT&CK map', () => {
  const required = [
    'T1071', 'T1071.001', 'T1105', 'T1566', 'T1566.001', 'T1566.002', 'T1190', 'T1203', 'T1059', 'T1059.001', 'T1204',
    'T1204.002', 'T1486', 'T1090', 'T1573', 'T1583.001', 'T1568', 'T1568.002', 'T1189', 'T1133', 'T1078', 'T1110',
    'T1498', 'T1499', 'T1041', 'T1027', 'T1055', 'T1547', 'T1053', 'T1021', 'T1210', 'T1212', 'T1068', 'T1219', 'T1095',
    'T1102', 'T1132', 'T1571', 'T1008',
  ];
  it.each(required)('knows %s with a name and at least one tactic', (id) => {
    expect(techniqueName(id)).toMatch(/\S/);
    expect(techniqueTactics(id).length).toBeGreaterThan(0);
  });

  it('has only well-formed ids, every sub-technique under a listed parent, every tactic known', () => {
    const shortNames = new Set(Object.values(TACTICS).map((t) => t.shortName));
    for (const [id, entry] of Object.entries(TECHNIQUES)) {
      expect(normalize(id, 'mitre-attack')).toEqual({ ok: true, type: 'mitre-attack', value: id });
      if (id.includes('.')) {
        expect(entry.tactics).toBeUndefined();
        expect(TECHNIQUES[id.split('.')[0] as string]).toBeDefined();
      } else {
        expect(entry.tactics?.length).toBeGreaterThan(0);
        for (const t of entry.tactics ?? []) expect(shortNames.has(t)).toBe(true);
      }
    }
    expect(Object.keys(TECHNIQUES).length).toBeGreaterThanOrEqual(40);
  });

  const names: Array<[string, string | null, string | null, string[]]> = [
    ['T1071', 'Application Layer Protocol', 'Application Layer Protocol', ['command-and-control']],
    ['t1071.001', 'Web Protocols', 'Application Layer Protocol: Web Protocols', ['command-and-control']],
    ['T1566.002', 'Spearphishing Link', 'Phishing: Spearphishing Link', ['initial-access']],
    ['T1190', 'Exploit Public-Facing Application', 'Exploit Public-Facing Application', ['initial-access']],
    ['T1078', 'Valid Accounts', 'Valid Accounts', ['defense-evasion', 'persistence', 'privilege-escalation', 'initial-access']],
    ['T1583.001', 'Domains', 'Acquire Infrastructure: Domains', ['resource-development']],
    ['T1486', 'Data Encrypted for Impact', 'Data Encrypted for Impact', ['impact']],
    ['T9999', null, null, []],
    ['T1071.999', null, null, []],
  ];
  it.each(names)('%s: name %j, display %j, tactics %j', (id, name, display, tactics) => {
    expect(techniqueName(id)).toBe(name);
    expect(techniqueDisplayName(id)).toBe(display);
    expect(techniqueTactics(id)).toEqual(tactics);
  });

  it('names tactics', () => {
    expect(tacticName('TA0011')).toBe('Command and Control');
    expect(tacticShortName('ta0011')).toBe('command-and-control');
    expect(tacticName('TA0001')).toBe('Initial Access');
    expect(tacticName('TA9999')).toBeNull();
    expect(tacticName('toString')).toBeNull();
    expect(attackName('TA0040')).toBe('Impact');
    expect(attackName('T1105')).toBe('Ingress Tool Transfer');
    expect(Object.keys(TACTICS)).toHaveLength(14);
  });

  it('links to attack.mitre.org', () => {
    expect(attackUrl('T1071.001')).toBe('https://attack.mitre.org/techniques/T1071/001/');
    expect(attackUrl('T1071')).toBe('https://attack.mitre.org/techniques/T1071/');
    expect(attackUrl('TA0011')).toBe('https://attack.mitre.org/tactics/TA0011/');
  });
});
