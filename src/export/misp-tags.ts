import { techniqueName } from '../domain/attack.js';
import type { IocRecord } from '../domain/ioc.js';
import type { Confidence, Tlp } from '../domain/vocabulary.js';

/**
 * MISP tags of an IOC, in the machine-tag forms MISP's own taxonomies and galaxies use, so an
 * import attaches them to the right taxonomy entry and galaxy cluster instead of creating free
 * tags:
 * - `tlp:clear` … `tlp:red` (MISP taxonomy `tlp`, which has `clear` and `amber+strict`);
 * - `estimative-language:confidence-in-analytic-judgment="high|moderate|low"`;
 * - `misp-galaxy:mitre-attack-pattern="Web Protocols - T1071.001"`: the cluster value MISP's
 *   mitre-attack-pattern galaxy gives each technique (its own name, a dash, the id). A technique
 *   we have no name for cannot name its cluster, so it becomes the machine tag
 *   `mitre-attack:technique="T9999"` rather than a wrong galaxy reference;
 * - the IOC's own tags, unchanged, except `tlp:` tags (one TLP per attribute: the IOC's).
 */

export interface MispTag {
  name: string;
}

export function mispTlpTag(tlp: Tlp): string {
  return `tlp:${tlp}`;
}

const JUDGMENT: Readonly<Record<Confidence, string>> = { high: 'high', medium: 'moderate', low: 'low' };

export function mispConfidenceTag(confidence: Confidence): string {
  return `estimative-language:confidence-in-analytic-judgment="${JUDGMENT[confidence]}"`;
}

/** The galaxy tag of an ATT&CK technique id. */
export function mispAttackTag(techniqueId: string): string {
  const id = techniqueId.toUpperCase();
  const name = techniqueName(id);
  // A `"` inside a machine-tag value would end it early; ATT&CK names never hold one.
  return name === null ? `mitre-attack:technique="${id}"` : `misp-galaxy:mitre-attack-pattern="${name} - ${id}"`;
}

/** Every tag of one IOC, without duplicates, in a fixed order. */
export function mispTagsOf(record: IocRecord): MispTag[] {
  const names: string[] = [mispTlpTag(record.tlp), mispConfidenceTag(record.confidence)];
  const techniques = record.type === 'mitre-attack' ? [record.value, ...record.mitre_techniques] : record.mitre_techniques;
  for (const t of techniques) names.push(mispAttackTag(t));
  // A feed's own `tlp:` tag would contradict the one above (the IOC's TLP already says it).
  for (const t of record.tags) if (t.trim() !== '' && !/^tlp:/i.test(t.trim())) names.push(t);
  return [...new Set(names)].map((name) => ({ name }));
}
