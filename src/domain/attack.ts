/**
 * The part of MITRE ATT&CK Enterprise (names as of v17) that our feeds map to and our exports
 * name: tactics, and the techniques common in IOC feeds and threat reports. Sub-techniques list
 * only their own name; their tactics are their parent's, as in ATT&CK. Exports use the tactic
 * short names as STIX `kill_chain_phases` (kill_chain_name `mitre-attack`) and Sigma tags.
 * An id not listed here is still a valid `mitre-attack` IOC; it just has no name to show.
 */

export const TACTICS = {
  TA0043: { shortName: 'reconnaissance', name: 'Reconnaissance' },
  TA0042: { shortName: 'resource-development', name: 'Resource Development' },
  TA0001: { shortName: 'initial-access', name: 'Initial Access' },
  TA0002: { shortName: 'execution', name: 'Execution' },
  TA0003: { shortName: 'persistence', name: 'Persistence' },
  TA0004: { shortName: 'privilege-escalation', name: 'Privilege Escalation' },
  TA0005: { shortName: 'defense-evasion', name: 'Defense Evasion' },
  TA0006: { shortName: 'credential-access', name: 'Credential Access' },
  TA0007: { shortName: 'discovery', name: 'Discovery' },
  TA0008: { shortName: 'lateral-movement', name: 'Lateral Movement' },
  TA0009: { shortName: 'collection', name: 'Collection' },
  TA0011: { shortName: 'command-and-control', name: 'Command and Control' },
  TA0010: { shortName: 'exfiltration', name: 'Exfiltration' },
  TA0040: { shortName: 'impact', name: 'Impact' },
} as const;
export type TacticId = keyof typeof TACTICS;
export type Tactic = (typeof TACTICS)[TacticId]['shortName'];

interface TechniqueEntry {
  name: string;
  /** Only on top-level techniques; sub-techniques inherit. */
  tactics?: readonly Tactic[];
}

export const TECHNIQUES: Readonly<Record<string, TechniqueEntry>> = {
  // Reconnaissance and resource development
  T1595: { name: 'Active Scanning', tactics: ['reconnaissance'] },
  'T1595.002': { name: 'Vulnerability Scanning' },
  T1598: { name: 'Phishing for Information', tactics: ['reconnaissance'] },
  T1583: { name: 'Acquire Infrastructure', tactics: ['resource-development'] },
  'T1583.001': { name: 'Domains' },
  'T1583.003': { name: 'Virtual Private Server' },
  T1584: { name: 'Compromise Infrastructure', tactics: ['resource-development'] },
  T1608: { name: 'Stage Capabilities', tactics: ['resource-development'] },
  'T1608.001': { name: 'Upload Malware' },
  // Initial access
  T1189: { name: 'Drive-by Compromise', tactics: ['initial-access'] },
  T1190: { name: 'Exploit Public-Facing Application', tactics: ['initial-access'] },
  T1133: { name: 'External Remote Services', tactics: ['persistence', 'initial-access'] },
  T1566: { name: 'Phishing', tactics: ['initial-access'] },
  'T1566.001': { name: 'Spearphishing Attachment' },
  'T1566.002': { name: 'Spearphishing Link' },
  'T1566.003': { name: 'Spearphishing via Service' },
  T1195: { name: 'Supply Chain Compromise', tactics: ['initial-access'] },
  'T1195.002': { name: 'Compromise Software Supply Chain' },
  T1199: { name: 'Trusted Relationship', tactics: ['initial-access'] },
  T1078: { name: 'Valid Accounts', tactics: ['defense-evasion', 'persistence', 'privilege-escalation', 'initial-access'] },
  // Execution
  T1059: { name: 'Command and Scripting Interpreter', tactics: ['execution'] },
  'T1059.001': { name: 'PowerShell' },
  'T1059.003': { name: 'Windows Command Shell' },
  'T1059.004': { name: 'Unix Shell' },
  'T1059.005': { name: 'Visual Basic' },
  'T1059.007': { name: 'JavaScript' },
  T1203: { name: 'Exploitation for Client Execution', tactics: ['execution'] },
  T1204: { name: 'User Execution', tactics: ['execution'] },
  'T1204.001': { name: 'Malicious Link' },
  'T1204.002': { name: 'Malicious File' },
  T1047: { name: 'Windows Management Instrumentation', tactics: ['execution'] },
  T1053: { name: 'Scheduled Task/Job', tactics: ['execution', 'persistence', 'privilege-escalation'] },
  'T1053.005': { name: 'Scheduled Task' },
  // Persistence and privilege escalation
  T1547: { name: 'Boot or Logon Autostart Execution', tactics: ['persistence', 'privilege-escalation'] },
  'T1547.001': { name: 'Registry Run Keys / Startup Folder' },
  T1543: { name: 'Create or Modify System Process', tactics: ['persistence', 'privilege-escalation'] },
  T1505: { name: 'Server Software Component', tactics: ['persistence'] },
  'T1505.003': { name: 'Web Shell' },
  T1068: { name: 'Exploitation for Privilege Escalation', tactics: ['privilege-escalation'] },
  T1055: { name: 'Process Injection', tactics: ['defense-evasion', 'privilege-escalation'] },
  // Defense evasion
  T1027: { name: 'Obfuscated Files or Information', tactics: ['defense-evasion'] },
  T1036: { name: 'Masquerading', tactics: ['defense-evasion'] },
  T1140: { name: 'Deobfuscate/Decode Files or Information', tactics: ['defense-evasion'] },
  T1218: { name: 'System Binary Proxy Execution', tactics: ['defense-evasion'] },
  T1562: { name: 'Impair Defenses', tactics: ['defense-evasion'] },
  'T1562.001': { name: 'Disable or Modify Tools' },
  T1070: { name: 'Indicator Removal', tactics: ['defense-evasion'] },
  T1497: { name: 'Virtualization/Sandbox Evasion', tactics: ['defense-evasion', 'discovery'] },
  // Credential access
  T1110: { name: 'Brute Force', tactics: ['credential-access'] },
  T1003: { name: 'OS Credential Dumping', tactics: ['credential-access'] },
  T1555: { name: 'Credentials from Password Stores', tactics: ['credential-access'] },
  T1056: { name: 'Input Capture', tactics: ['collection', 'credential-access'] },
  'T1056.001': { name: 'Keylogging' },
  T1212: { name: 'Exploitation for Credential Access', tactics: ['credential-access'] },
  // Discovery, lateral movement, collection
  T1046: { name: 'Network Service Discovery', tactics: ['discovery'] },
  T1082: { name: 'System Information Discovery', tactics: ['discovery'] },
  T1021: { name: 'Remote Services', tactics: ['lateral-movement'] },
  'T1021.001': { name: 'Remote Desktop Protocol' },
  T1210: { name: 'Exploitation of Remote Services', tactics: ['lateral-movement'] },
  T1005: { name: 'Data from Local System', tactics: ['collection'] },
  T1113: { name: 'Screen Capture', tactics: ['collection'] },
  // Command and control
  T1071: { name: 'Application Layer Protocol', tactics: ['command-and-control'] },
  'T1071.001': { name: 'Web Protocols' },
  'T1071.002': { name: 'File Transfer Protocols' },
  'T1071.003': { name: 'Mail Protocols' },
  'T1071.004': { name: 'DNS' },
  T1090: { name: 'Proxy', tactics: ['command-and-control'] },
  'T1090.002': { name: 'External Proxy' },
  'T1090.003': { name: 'Multi-hop Proxy' },
  T1095: { name: 'Non-Application Layer Protocol', tactics: ['command-and-control'] },
  T1102: { name: 'Web Service', tactics: ['command-and-control'] },
  T1105: { name: 'Ingress Tool Transfer', tactics: ['command-and-control'] },
  T1132: { name: 'Data Encoding', tactics: ['command-and-control'] },
  T1001: { name: 'Data Obfuscation', tactics: ['command-and-control'] },
  T1008: { name: 'Fallback Channels', tactics: ['command-and-control'] },
  T1219: { name: 'Remote Access Tools', tactics: ['command-and-control'] },
  T1568: { name: 'Dynamic Resolution', tactics: ['command-and-control'] },
  'T1568.002': { name: 'Domain Generation Algorithms' },
  T1571: { name: 'Non-Standard Port', tactics: ['command-and-control'] },
  T1572: { name: 'Protocol Tunneling', tactics: ['command-and-control'] },
  T1573: { name: 'Encrypted Channel', tactics: ['command-and-control'] },
  // Exfiltration and impact
  T1041: { name: 'Exfiltration Over C2 Channel', tactics: ['exfiltration'] },
  T1048: { name: 'Exfiltration Over Alternative Protocol', tactics: ['exfiltration'] },
  T1567: { name: 'Exfiltration Over Web Service', tactics: ['exfiltration'] },
  T1486: { name: 'Data Encrypted for Impact', tactics: ['impact'] },
  T1485: { name: 'Data Destruction', tactics: ['impact'] },
  T1490: { name: 'Inhibit System Recovery', tactics: ['impact'] },
  T1496: { name: 'Resource Hijacking', tactics: ['impact'] },
  T1498: { name: 'Network Denial of Service', tactics: ['impact'] },
  T1499: { name: 'Endpoint Denial of Service', tactics: ['impact'] },
  T1657: { name: 'Financial Theft', tactics: ['impact'] },
};

function parentId(id: string): string {
  const dot = id.indexOf('.');
  return dot < 0 ? id : id.slice(0, dot);
}

/**
 * ATT&CK's own name for a technique or sub-technique (`T1071.001` → `Web Protocols`), or null
 * when the id is not in our map. Ids are matched case-insensitively.
 */
export function techniqueName(id: string): string | null {
  return TECHNIQUES[id.toUpperCase()]?.name ?? null;
}

/**
 * The name people read: a sub-technique with its parent, as ATT&CK's site and MISP galaxies
 * show it (`T1071.001` → `Application Layer Protocol: Web Protocols`).
 */
export function techniqueDisplayName(id: string): string | null {
  const upper = id.toUpperCase();
  const own = techniqueName(upper);
  const parent = parentId(upper);
  if (own === null || parent === upper) return own;
  const parentName = techniqueName(parent);
  return parentName === null ? own : `${parentName}: ${own}`;
}

/** Tactic short names of a technique; a sub-technique has its parent's. Unknown ids have none. */
export function techniqueTactics(id: string): Tactic[] {
  const upper = id.toUpperCase();
  if (TECHNIQUES[upper] === undefined) return [];
  return [...(TECHNIQUES[parentId(upper)]?.tactics ?? [])];
}

export function isTacticId(id: string): id is TacticId {
  return Object.prototype.hasOwnProperty.call(TACTICS, id);
}

/** `TA0011` → `Command and Control`, or null. */
export function tacticName(id: string): string | null {
  const upper = id.toUpperCase();
  return isTacticId(upper) ? TACTICS[upper].name : null;
}

/** `TA0011` → `command-and-control`, or null. */
export function tacticShortName(id: string): Tactic | null {
  const upper = id.toUpperCase();
  return isTacticId(upper) ? TACTICS[upper].shortName : null;
}

/** Name of any `mitre-attack` IOC value, technique or tactic, for `{id, name}` in API answers. */
export function attackName(id: string): string | null {
  return techniqueDisplayName(id) ?? tacticName(id);
}

/** The ATT&CK page of a technique, sub-technique or tactic id, for STIX external_references and links. */
export function attackUrl(id: string): string {
  const upper = id.toUpperCase();
  if (upper.startsWith('TA')) return `https://attack.mitre.org/tactics/${upper}/`;
  return `https://attack.mitre.org/techniques/${upper.replace('.', '/')}/`;
}
