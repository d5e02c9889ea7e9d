import { accept, reject, shown, type NormalizeResult } from '../normalize-result.js';

const CVE = /^CVE-(\d{4})-(\d{4,19})$/;
/** The first CVE ids were published in 1999. */
const FIRST_CVE_YEAR = 1999;

/** Typographic dashes that word processors put into CVE ids in advisories and articles. */
const DASHES = /[\u2010-\u2015\u2212]/g;

/** @example normalizeCve('cve-2021-44228') // ok: 'CVE-2021-44228' */
export function normalizeCve(text: string): NormalizeResult {
  const value = text.replace(DASHES, '-').toUpperCase();
  const m = CVE.exec(value);
  if (m === null) return reject('invalid_cve', `${shown(text)} is not a CVE id (CVE-YYYY-NNNN)`);
  if (Number(m[1]) < FIRST_CVE_YEAR) return reject('invalid_cve', `${shown(text)} has a year before ${FIRST_CVE_YEAR}`);
  return accept('cve', value);
}

/** Anything written as a CVE id, well-formed or not, so a broken one is reported as invalid_cve. */
export function looksLikeCve(text: string): boolean {
  return /^CVE-\d+-\d+$/i.test(text.replace(DASHES, '-'));
}
