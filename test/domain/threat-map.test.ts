import { describe, expect, it } from 'vitest';
import { techniqueName } from '../../src/domain/attack.js';
import { confidenceFromScore, defaultTlp, techniquesForThreat } from '../../src/domain/threat-map.js';
import type { IocType } from '../../src/domain/vocabulary.js';

describe('techniquesForThreat', () => {
  const cases: Array<[label: string, type: IocType | undefined, value: string | undefined, expected: string[]]> = [
    ['botnet_cc', 'ipv4', '1.2.3.4', ['T1071']],
    ['botnet_cc', 'url', 'http://1.2.3.4/gate.php', ['T1071', 'T1071.001']],
    ['botnet_cc', 'url', 'HTTPS://evil.com/gate.php', ['T1071', 'T1071.001']],
    ['botnet_cc', 'url', 'tcp://evil.com:4444', ['T1071']],
    ['Botnet C&C', 'domain', 'evil.com', ['T1071']],
    ['C2', undefined, undefined, ['T1071']],
    ['payload_delivery', 'url', 'http://evil.com/x.exe', ['T1105']],
    ['malware_download', 'url', 'http://evil.com/x.exe', ['T1105']],
    ['malware_hosting', undefined, undefined, ['T1105']],
    ['phishing', 'url', 'https://evil.com/login', ['T1566', 'T1566.002']],
    ['Phishing', 'domain', 'evil.com', ['T1566']],
    ['exploited_vulnerability', 'cve', 'CVE-2021-44228', ['T1190']],
    ['kev', 'cve', 'CVE-2021-44228', ['T1190']],
    ['ransomware', undefined, undefined, ['T1486']],
    ['cc_skimming', 'domain', 'evil.com', []],
    ['something-else', undefined, undefined, []],
    ['', undefined, undefined, []],
  ];
  it.each(cases)('%j (%s %s) -> %j', (label, type, value, expected) => {
    const techniques = techniquesForThreat(label, type, value);
    expect(techniques).toEqual(expected);
    for (const id of techniques) expect(techniqueName(id)).not.toBeNull();
  });

  it('returns a fresh array each time', () => {
    techniquesForThreat('botnet_cc').push('T0000');
    expect(techniquesForThreat('botnet_cc')).toEqual(['T1071']);
  });
});

describe('confidenceFromScore', () => {
  const cases: Array<[number, string]> = [
    [100, 'high'], [75, 'high'], [74.9, 'medium'], [50, 'medium'], [49, 'low'], [0, 'low'], [-5, 'low'],
    [Number.NaN, 'low'], [Number.POSITIVE_INFINITY, 'low'],
  ];
  it.each(cases)('%s -> %s', (score, level) => {
    expect(confidenceFromScore(score)).toBe(level);
  });
});

describe('defaultTlp', () => {
  it('follows confidence as the hosted product documents', () => {
    expect(defaultTlp('high')).toBe('green');
    expect(defaultTlp('medium')).toBe('amber');
    expect(defaultTlp('low')).toBe('clear');
  });
});
