import type { Confidence, IocType, Tlp } from './vocabulary.js';

/**
 * What feeds say an indicator is (ThreatFox `threat_type`, URLhaus `threat`, Feodo's botnet C2
 * list, OpenPhish, CISA KEV) mapped to the ATT&CK techniques that describe that use. Kept to
 * what the label really implies: a C2 server is T1071, not every technique its malware has.
 */
const THREAT_TECHNIQUES: Readonly<Record<string, readonly string[]>> = {
  botnet_cc: ['T1071'],
  c2: ['T1071'],
  cc: ['T1071'],
  c_c: ['T1071'],
  botnet_c_c: ['T1071'],
  c2_server: ['T1071'],
  command_and_control: ['T1071'],
  payload_delivery: ['T1105'],
  malware_download: ['T1105'],
  malware_distribution: ['T1105'],
  malware_hosting: ['T1105'],
  payload: ['T1105'],
  phishing: ['T1566'],
  exploited_vulnerability: ['T1190'],
  known_exploited_vulnerability: ['T1190'],
  kev: ['T1190'],
  ransomware: ['T1486'],
  ddos: ['T1498'],
  brute_force: ['T1110'],
  bruteforce: ['T1110'],
  scanner: ['T1595'],
  scanning: ['T1595'],
  cryptomining: ['T1496'],
  dga: ['T1568.002'],
};

/** `Botnet C&C`, `botnet-cc` and `BOTNET_CC` are one label. */
function labelKey(label: string): string {
  return label
    .trim()
    .toLowerCase()
    .replace(/&/g, '_')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/**
 * ATT&CK technique ids for a feed's threat label, refined by the indicator it describes: a C2
 * reached over an http(s) URL adds T1071.001 (Web Protocols), a phishing URL adds T1566.002
 * (Spearphishing Link). Unknown labels map to nothing.
 *
 * @example techniquesForThreat('botnet_cc', 'url', 'http://1.2.3.4/gate.php') // ['T1071', 'T1071.001']
 * @example techniquesForThreat('malware_download')                            // ['T1105']
 */
export function techniquesForThreat(label: string, type?: IocType, value?: string): string[] {
  const base = THREAT_TECHNIQUES[labelKey(label)] ?? [];
  const out = [...base];
  const isWebUrl = type === 'url' && value !== undefined && /^https?:\/\//i.test(value);
  if (base.includes('T1071') && isWebUrl) out.push('T1071.001');
  if (base.includes('T1566') && type === 'url') out.push('T1566.002');
  return out;
}

/**
 * A feed's 0-100 score as a confidence level (ThreatFox `confidence_level`): 75 and above is
 * high, 50 and above medium, anything else, including a missing or unreadable score, low.
 */
export function confidenceFromScore(score: number): Confidence {
  if (!Number.isFinite(score)) return 'low';
  if (score >= 75) return 'high';
  if (score >= 50) return 'medium';
  return 'low';
}

const TLP_BY_CONFIDENCE: Readonly<Record<Confidence, Tlp>> = { high: 'green', medium: 'amber', low: 'clear' };

/** The TLP an IOC gets when its feed sets none, as the hosted product documents: high→green, medium→amber, low→clear. */
export function defaultTlp(confidence: Confidence): Tlp {
  return TLP_BY_CONFIDENCE[confidence];
}
