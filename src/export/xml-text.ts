/**
 * Text for XML 1.0 documents. `xmlText` is safe both as element content and inside a quoted
 * attribute, and survives a conforming parser unchanged:
 * - `&`, `<`, `>`, `"`, `'` become entity references;
 * - TAB, LF and CR become character references, because a parser normalizes a raw CR (and, in
 *   attributes, raw TAB and LF) into something else (XML 1.0 §2.11, §3.3.3);
 * - characters XML 1.0 cannot carry at all, even as references (other C0 controls, U+FFFE,
 *   U+FFFF, unpaired surrogates; §2.2 `Char`), become U+FFFD, the replacement character.
 */

const SPECIAL = /[&<>"'\t\n\r]|[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const REFERENCE: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
};

/**
 * @example xmlText('a<b & "c"') // 'a&lt;b &amp; &quot;c&quot;'
 */
export function xmlText(value: string): string {
  return value.replace(SPECIAL, (c) => REFERENCE[c] ?? '\ufffd');
}
