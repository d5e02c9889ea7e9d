import { describe, expect, it } from 'vitest';
import { detectType } from '../../src/domain/detect.js';
import type { IocType } from '../../src/domain/vocabulary.js';

describe('detectType', () => {
  const cases: Array<[string, IocType | null]> = [
    // url: a scheme (or a defanged one) wins over everything the URL contains
    ['https://evil.com/a?b=1', 'url'],
    ['hxxps://evil[.]com/a?b=1', 'url'],
    ['http://1.2.3.4:8080/x', 'url'],
    ['http://alice@evil.com/', 'url'],
    ['ftp://evil.com/d41d8cd98f00b204e9800998ecf8427e', 'url'],
    ['http:///path', 'url'],
    ['evil.com/path', 'url'],
    ['evil.com:8080/path', 'url'],
    ['1.2.3.4/evil.exe', 'url'],
    // email before IPs and domains
    ['Alice+tag@Example.COM', 'email'],
    ['alice[@]evil[.]com', 'email'],
    // ipv4 / ipv6, including blocks, ports and mapped addresses
    ['1.2.3.4', 'ipv4'],
    ['10.0.0.1', 'ipv4'],
    ['1.2.3.4:8080', 'ipv4'],
    ['103.10.120.0/22', 'ipv4'],
    ['1[.]2[.]3[.]4', 'ipv4'],
    ['256.1.1.1', 'ipv4'],
    ['::ffff:1.2.3.4', 'ipv4'],
    ['2606:4700::1111', 'ipv6'],
    ['2001:DB8:0:0:1::1', 'ipv6'],
    ['[2606:4700::1111]:443', 'ipv6'],
    ['2606:4700::/32', 'ipv6'],
    ['::1', 'ipv6'],
    // hashes by length
    ['d41d8cd98f00b204e9800998ecf8427e', 'md5'],
    ['DA39A3EE5E6B4B0D3255BFEF95601890AFD80709', 'sha1'],
    ['e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 'sha256'],
    ['a'.repeat(128), 'sha512'],
    ['d41d8cd98f00b204e9800998ecf8427', null],
    // CVE, technique
    ['cve-2021-44228', 'cve'],
    ['CVE-21-1', 'cve'],
    ['T1071', 'mitre-attack'],
    ['t1071.001', 'mitre-attack'],
    ['TA0011', 'mitre-attack'],
    // domain last
    ['evil.com', 'domain'],
    ['Example.COM.', 'domain'],
    ['bücher.de', 'domain'],
    ['foo.invalidtld', 'domain'],
    ['evil[.]com', 'domain'],
    // nothing
    ['localhost', null],
    ['hello world', null],
    ['', null],
    ['1.2.3.4.5', null],
  ];
  it.each(cases)('detectType(%j) = %s', (raw, expected) => {
    expect(detectType(raw)).toBe(expected);
  });
});
