/**
 * The two escapers every Sigma value goes through, kept apart from the rule builder so each
 * can be tested alone and reasoned about once.
 *
 * 1. YAML: every value is written single-quoted, with `'` doubled. Single quotes are the only
 *    style in which nothing but `'` is special, so `no`, `0123`, an all-digit MD5 or an IPv6
 *    address stay strings even under PyYAML's YAML 1.1 rules (which pySigma uses). Single-quoted
 *    scalars cannot carry control characters, tabs or line breaks (a line break folds into a
 *    space, others are not printable), so those never reach `yamlQuoted`: free text is flattened
 *    to one line by `oneLine`, and match values replace them by Sigma's `?` wildcard.
 * 2. Sigma: in a match value `*` and `?` are wildcards and `\` escapes them (Sigma specification,
 *    "Escaping"). pySigma reads `\\` as one backslash, so doubling every backslash is exact
 *    whatever follows it.
 */

/**
 * Characters a single-quoted YAML scalar cannot hold verbatim, for both YAML 1.2 (the `yaml`
 * package) and PyYAML's YAML 1.1: C0 controls (tab and line breaks included), DEL and C1
 * controls (NEL is a YAML 1.1 line break), the Unicode line and paragraph separators (also
 * YAML 1.1 line breaks), a byte-order mark, lone surrogates and the non-characters U+FFFE/U+FFFF.
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]/gu; // with `u`, only lone surrogates match
const UNSAFE_TEST = new RegExp(UNSAFE.source, 'u');
const QUOTE = /'/g;
/** Whitespace other than single inner spaces: text that `oneLine` must rewrite. */
const NOT_ONE_LINE = /[^\S ]| {2}|^ | $/u;

/** True when `s` can be written as a single-quoted YAML scalar without change. */
export function isYamlSafe(s: string): boolean {
  return !UNSAFE_TEST.test(s);
}

/**
 * `s` as a single-quoted YAML scalar. Characters YAML cannot hold there become U+FFFD, as a last
 * line of defence: callers pass text already made safe by `oneLine` or `sigmaMatchValue`.
 *
 * @example yamlQuoted("it's") // "'it''s'"
 */
export function yamlQuoted(s: string): string {
  const safe = UNSAFE_TEST.test(s) ? s.replace(UNSAFE, '\ufffd') : s;
  return safe.includes("'") ? `'${safe.replace(QUOTE, "''")}'` : `'${safe}'`;
}

/**
 * Free text (titles, descriptions, names from feeds) as one clean line: unsafe characters and
 * runs of whitespace become one space, and the result is cut to `max` characters (with `…`).
 * One line matters beyond YAML: Splunk writes the title as a savedsearches.conf stanza name and
 * the description as a conf value, where a line break would end the entry.
 *
 * @example oneLine('Emotet\n\tloader  ') // 'Emotet loader'
 */
export function oneLine(text: string, max = Number.POSITIVE_INFINITY): string {
  // Fast path: most text from feeds is already one clean line.
  if (UNSAFE_TEST.test(text) || NOT_ONE_LINE.test(text)) text = text.replace(UNSAFE, ' ').replace(/\s+/gu, ' ').trim();
  return truncate(text, max);
}


/** `text` cut to at most `max` characters, ending in `…` when cut (never splitting a surrogate pair). */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = Math.max(0, max - 1);
  const last = text.charCodeAt(cut - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut -= 1;
  return `${text.slice(0, cut).trimEnd()}…`;
}

/**
 * A literal IOC value as a Sigma match value: `\`, `*` and `?` escaped with `\`; any character a
 * single-quoted YAML scalar cannot hold (a line break, a tab, a control character) becomes the
 * single-character wildcard `?`, which still matches that character in the log.
 *
 * @example sigmaMatchValue('http://x.test/a.php?id=1*') // 'http://x.test/a.php\\?id=1\\*'
 */
export function sigmaMatchValue(value: string): string {
  const escaped = value.replace(/[\\*?]/g, (c) => `\\${c}`);
  return UNSAFE_TEST.test(escaped) ? escaped.replace(UNSAFE, '?') : escaped;
}
