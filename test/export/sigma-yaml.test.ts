import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { isYamlSafe, oneLine, sigmaMatchValue, truncate, yamlQuoted } from '../../src/export/sigma-yaml.js';

/** How pySigma reads a match value: `\` escapes `*`, `?` and `\`; any other `\x` stays `\x`. */
function sigmaUnescape(v: string): { literal: string; wildcards: number } {
  let literal = '';
  let wildcards = 0;
  for (let i = 0; i < v.length; i++) {
    const c = v[i] ?? '';
    const next = v[i + 1] ?? '';
    if (c === '\\' && (next === '*' || next === '?' || next === '\\')) {
      literal += next;
      i++;
    } else if (c === '*' || c === '?') {
      literal += c;
      wildcards++;
    } else literal += c;
  }
  return { literal, wildcards };
}

describe('yamlQuoted', () => {
  const cases: Array<[string, string]> = [
    ['plain', "'plain'"],
    ["it's", "'it''s'"],
    ["''", "''''''"],
    ['', "''"],
    ['no', "'no'"],
    ['# not a comment', "'# not a comment'"],
    ['a: b', "'a: b'"],
    ['line\nbreak', "'line\ufffdbreak'"],
    ['tab\there', "'tab\ufffdhere'"],
    ['\u2028', "'\ufffd'"],
    ['emoji 😀', "'emoji 😀'"],
  ];
  for (const [input, expected] of cases) {
    it(`quotes ${JSON.stringify(input)}`, () => {
      expect(yamlQuoted(input)).toBe(expected);
    });
  }

  // Both YAML 1.2 (the yaml package) and YAML 1.1 (PyYAML, pySigma) read every value back as the same string.
  const roundTrip = ['no', 'yes', 'on', 'off', '0123', '1e3', '0x1f', '12345678901234567890123456789012', '2001:20:30:40:50:10:10:10',
    '1:20', '~', 'null', '2024-01-02', "'quoted'", '"double"', '- dash', '--- doc', '... end', '&anchor', '*alias', '!tag', '%TAG', '@at', '`tick`',
    '{flow}', '[list]', '|', '>', '  spaced  ', 'ünïcödé', '😀'];
  for (const v of roundTrip) {
    it(`round-trips ${JSON.stringify(v)} under YAML 1.1 and 1.2`, () => {
      expect(parse(`v: ${yamlQuoted(v)}`, { version: '1.1' })).toEqual({ v });
      expect(parse(`v: ${yamlQuoted(v)}`, { version: '1.2' })).toEqual({ v });
    });
  }
});

describe('sigmaMatchValue', () => {
  const cases: Array<[string, string]> = [
    ['evil.example', 'evil.example'],
    ['a.php?id=1', 'a.php\\?id=1'],
    ['a*b', 'a\\*b'],
    ['C:\\Windows\\x', 'C:\\\\Windows\\\\x'],
    ['\\*', '\\\\\\*'],
    ['end\\', 'end\\\\'],
    ['line\nbreak', 'line?break'],
    ['tab\tx\r\u0085\u2028', 'tab?x???'],
  ];
  for (const [input, expected] of cases) {
    it(`escapes ${JSON.stringify(input)}`, () => {
      expect(sigmaMatchValue(input)).toBe(expected);
    });
  }

  it('reads back as the literal value, with no wildcard, for printable input', () => {
    for (const v of ['http://x.test/a.php?id=1*x&y=\\z', '\\\\?*', 'no wild', "it's"]) {
      expect(sigmaUnescape(sigmaMatchValue(v))).toEqual({ literal: v, wildcards: 0 });
    }
  });

  it('turns each unrepresentable character into exactly one single-character wildcard', () => {
    const out = sigmaMatchValue('a\nb\tc');
    expect(out).toBe('a?b?c');
    expect(isYamlSafe(out)).toBe(true);
  });
});

describe('oneLine / truncate', () => {
  it('flattens control characters and whitespace runs', () => {
    expect(oneLine(' a\n\tb\u0000c\u2028d  ')).toBe('a b c d');
  });
  it('cuts with an ellipsis and never splits a surrogate pair', () => {
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('abc', 4)).toBe('abc');
    const cut = truncate('ab😀cd', 4);
    expect(cut.length).toBeLessThanOrEqual(4);
    expect(isYamlSafe(cut)).toBe(true);
  });
});
