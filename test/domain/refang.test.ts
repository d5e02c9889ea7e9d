import { describe, expect, it } from 'vitest';
import { refang } from '../../src/domain/refang.js';

describe('refang', () => {
  const cases: Array<[string, string]> = [
    ['hxxps://evil[.]com/a?b=1', 'https://evil.com/a?b=1'],
    ['hxxp://evil[.]com', 'http://evil.com'],
    ['hXXp://evil(.)com', 'http://evil.com'],
    ['hXXps://evil{.}com', 'https://evil.com'],
    ['fxp://files[.]evil[.]com/x', 'ftp://files.evil.com/x'],
    ['h**p://evil[.]com', 'http://evil.com'],
    ['http[:]//evil[.]com', 'http://evil.com'],
    ['https[://]evil[.]com/x', 'https://evil.com/x'],
    ['evil[dot]com', 'evil.com'],
    ['evil(DOT)com', 'evil.com'],
    ['evil [.] com', 'evil.com'],
    ['1[.]2[.]3[.]4', '1.2.3.4'],
    ['1.2.3.4[:]8080', '1.2.3.4:8080'],
    ['alice[@]evil[.]com', 'alice@evil.com'],
    ['alice[at]evil[.]com', 'alice@evil.com'],
    ['  evil.com \t\n', 'evil.com'],
    ['\u00a0evil.com\u00a0', 'evil.com'],
    ['ev\u200bil.com\u200d', 'evil.com'],
    ['\ufeffevil.com', 'evil.com'],
    ['"evil.com"', 'evil.com'],
    ["'evil.com'", 'evil.com'],
    ['\u201cevil.com\u201d', 'evil.com'],
    ['<http://evil.com/>', 'http://evil.com/'],
    ['"[1.2.3.4]"', '1.2.3.4'],
    ['[evil[.]com]', 'evil.com'],
    ['(evil.com)', 'evil.com'],
    ['[2001:db8::1]', '2001:db8::1'],
    // Brackets that are part of the value stay.
    ['[2001:db8::1]:443', '[2001:db8::1]:443'],
    ['(a)(b)', '(a)(b)'],
    ['http://evil.com/a(b)', 'http://evil.com/a(b)'],
    // Already clean values are untouched.
    ['https://evil.com/a?b=1', 'https://evil.com/a?b=1'],
    ['hxxpfoo.com', 'hxxpfoo.com'],
    ['', ''],
  ];
  it.each(cases)('refang(%j) = %j', (raw, expected) => {
    expect(refang(raw)).toBe(expected);
  });

  it.each(cases)('is idempotent on %j', (raw) => {
    expect(refang(refang(raw))).toBe(refang(raw));
  });
});
