import { accept, reject, shown, type NormalizeResult } from '../normalize-result.js';

/**
 * ATT&CK technique (`T1071`), sub-technique (`T1071.001`) or tactic (`TA0011`) id. Tactic ids
 * are accepted because the hosted product's lookup shows them under the same type; any
 * well-formed id is accepted, known to domain/attack.ts or not, since ATT&CK grows each release.
 */
const ATTACK_ID = /^(?:T\d{4}(?:\.\d{3})?|TA\d{4})$/;

/** @example normalizeTechnique('t1071.001') // ok: 'T1071.001' */
export function normalizeTechnique(text: string): NormalizeResult {
  const value = text.toUpperCase();
  if (!ATTACK_ID.test(value)) return reject('invalid_technique', `${shown(text)} is not an ATT&CK id (T1234, T1234.001 or TA0001)`);
  return accept('mitre-attack', value);
}

export function looksLikeTechnique(text: string): boolean {
  return ATTACK_ID.test(text.toUpperCase());
}
