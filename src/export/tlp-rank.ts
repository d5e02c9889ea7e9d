import { TLPS, type Tlp } from '../domain/vocabulary.js';

/**
 * TLP levels in order of restriction (clear < green < amber < amber+strict < red): the order of
 * TLPS in domain/vocabulary.ts. Exports use it to label a document with its most restrictive
 * content and to let a requested TLP raise, never lower, an IOC's own marking.
 */
const TLP_RANK: Readonly<Record<Tlp, number>> = Object.fromEntries(TLPS.map((t, i) => [t, i])) as Record<Tlp, number>;

/** The more restrictive of two TLP levels. */
export function stricterTlp(a: Tlp, b: Tlp): Tlp {
  return TLP_RANK[a] >= TLP_RANK[b] ? a : b;
}
