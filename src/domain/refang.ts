/**
 * Undoes the "defanging" that reports and feeds apply so an indicator cannot be clicked or
 * resolved by accident (`hxxp://evil[.]com`), and strips the packaging a value picks up when it
 * is copied out of prose, CSV or chat: surrounding whitespace, quotes, brackets and invisible
 * characters. Pure, and idempotent for anything wrapped fewer than four layers deep.
 *
 * @example refang('hxxps://evil[.]com/a?b=1') // 'https://evil.com/a?b=1'
 */
export function refang(raw: string): string {
  let s = raw.replace(INVISIBLE, '').trim();
  s = stripWrappers(s);
  for (const [pattern, replacement] of REPLACEMENTS) s = s.replace(pattern, replacement);
  s = s.replace(DEFANGED_SCHEME, (_m, scheme: string) => SCHEME_FIXES[scheme.toLowerCase()] ?? scheme);
  return stripWrappers(s.trim());
}

/**
 * Zero-width space/joiners, word joiner, BOM and soft hyphen: invisible in a browser or a PDF,
 * so they survive copy and paste and would make `evil.com` and `evil\u200b.com` two IOCs.
 */
const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF\u00AD]/g;

/**
 * Bracket forms of `.`, `:`, `://` and `@` seen in the wild. One space either side is part of
 * the disguise (`evil [.] com`); it is matched as `\s?`, not `\s*`, to keep matching linear.
 */
const REPLACEMENTS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\s?\[:\/\/\]\s?/g, '://'],
  [/\s?\[:\]\s?\/\//g, '://'],
  [/\s?[[({](?:\.|dot)[\])}]\s?/gi, '.'],
  [/\s?\[:\]\s?/g, ':'],
  [/\s?[[(](?:@|at)[\])]\s?/gi, '@'],
  [/\[\/\]/g, '/'],
];

/** `hxxp`, `hXXps`, `h**p`, `fxp` at the start of a value, before `:`; mapped back below. */
const DEFANGED_SCHEME = /^(hxxps?|h\*\*ps?|hxtps?|fxps?)(?=:)/i;
const SCHEME_FIXES: Readonly<Record<string, string>> = {
  hxxp: 'http',
  hxxps: 'https',
  'h**p': 'http',
  'h**ps': 'https',
  hxtp: 'http',
  hxtps: 'https',
  fxp: 'ftp',
  fxps: 'ftps',
};

const PAIRS: Readonly<Record<string, string>> = {
  '"': '"',
  "'": "'",
  '`': '`',
  '\u201C': '\u201D', // “ ”
  '\u2018': '\u2019', // ‘ ’
  '<': '>',
  '(': ')',
  '[': ']',
  '{': '}',
};

/**
 * Removes wrappers such as `"…"`, `<…>` or `[…]` when they enclose the whole value, a few
 * layers deep (`"[1.2.3.4]"`); the cap keeps hostile input from costing quadratic time. A
 * bracket is only removed when its partner is the last character, so `[2001:db8::1]:443` and
 * `(a)(b)` keep theirs.
 */
function stripWrappers(value: string): string {
  let s = value;
  for (let layer = 0; layer < MAX_WRAPPER_LAYERS; layer++) {
    const open = s[0];
    const close = open === undefined ? undefined : PAIRS[open];
    if (close === undefined || s.length < 2 || s[s.length - 1] !== close) return s;
    if (open !== close && matchingClose(s, open as string, close) !== s.length - 1) return s;
    s = s.slice(1, -1).trim();
  }
  return s;
}

const MAX_WRAPPER_LAYERS = 4;

function matchingClose(s: string, open: string, close: string): number {
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === open) depth++;
    else if (s[i] === close && --depth === 0) return i;
  }
  return -1;
}
