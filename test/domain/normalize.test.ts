import { describe, expect, it } from 'vitest';
import { normalize, REJECT_CODES, type RejectCode } from '../../src/domain/normalize.js';
import type { IocType } from '../../src/domain/vocabulary.js';

type Accepted = [raw: string, type: IocType | undefined, outType: IocType, value: string];

describe('normalize: accepted values and their canonical forms', () => {
  const accepted: Accepted[] = [
    // URLs
    ['hxxps://evil[.]com/a?b=1', undefined, 'url', 'https://evil.com/a?b=1'],
    ['HTTPS://EVIL.COM/Path/To?Q=A#Frag', undefined, 'url', 'https://evil.com/Path/To?Q=A#Frag'],
    ['http://evil.com', undefined, 'url', 'http://evil.com/'],
    ['http://evil.com?x=1', undefined, 'url', 'http://evil.com/?x=1'],
    ['http://evil.com:80/a', undefined, 'url', 'http://evil.com/a'],
    ['https://evil.com:443/a', undefined, 'url', 'https://evil.com/a'],
    ['http://evil.com:8080/a', undefined, 'url', 'http://evil.com:8080/a'],
    ['http://evil.com./a', undefined, 'url', 'http://evil.com/a'],
    ['http://Bücher.de/x', undefined, 'url', 'http://xn--bcher-kva.de/x'],
    ['http://evil.com/a b/ä', undefined, 'url', 'http://evil.com/a%20b/%C3%A4'],
    ['http://evil.com/a/../b/%2e%2E/c?x=%41', undefined, 'url', 'http://evil.com/a/../b/%2e%2E/c?x=%41'],
    ['http://paypal.com@evil.com/login', undefined, 'url', 'http://paypal.com@evil.com/login'],
    ['hxxp://1.2.3.4:8080/bins/mozi.m', undefined, 'url', 'http://1.2.3.4:8080/bins/mozi.m'],
    ['http://[2606:4700:0:0:0:0:0:1111]:8443/x', undefined, 'url', 'http://[2606:4700::1111]:8443/x'],
    ['ftp://files.evil.com/x.exe', undefined, 'url', 'ftp://files.evil.com/x.exe'],
    ['tcp://evil.com:4444', undefined, 'url', 'tcp://evil.com:4444'],
    ['evil.com/path', undefined, 'url', 'http://evil.com/path'],
    ['evil.com/path', 'url', 'url', 'http://evil.com/path'],
    ['evil.com', 'url', 'url', 'http://evil.com/'],
    ['//evil.com/x', 'url', 'url', 'http://evil.com/x'],
    ['https://socheaphost.com/SSA_GOV/', 'url', 'url', 'https://socheaphost.com/SSA_GOV/'],
    // IPv4
    ['1.2.3.4', undefined, 'ipv4', '1.2.3.4'],
    ['8.8.8.8', undefined, 'ipv4', '8.8.8.8'],
    ['1.2.3.4:8080', undefined, 'ipv4', '1.2.3.4'],
    ['1.2.3.4:8080', 'ipv4', 'ipv4', '1.2.3.4'],
    ['001.002.003.004', 'ipv4', 'ipv4', '1.2.3.4'],
    ['103.10.120.0/22', undefined, 'ipv4', '103.10.120.0/22'],
    ['1.2.3.77/24', undefined, 'ipv4', '1.2.3.0/24'],
    ['103.10.123.255/22', 'ipv4', 'ipv4', '103.10.120.0/22'],
    ['1.2.3.4/32', undefined, 'ipv4', '1.2.3.4'],
    ['1[.]2[.]3[.]4', undefined, 'ipv4', '1.2.3.4'],
    // IPv4-mapped IPv6 is the IPv4 address, whatever type the caller claimed.
    ['::ffff:1.2.3.4', undefined, 'ipv4', '1.2.3.4'],
    ['::ffff:1.2.3.4', 'ipv4', 'ipv4', '1.2.3.4'],
    ['::ffff:1.2.3.4', 'ipv6', 'ipv4', '1.2.3.4'],
    ['::FFFF:0102:0304', undefined, 'ipv4', '1.2.3.4'],
    ['::ffff:1.2.3.0/120', undefined, 'ipv4', '1.2.3.0/24'],
    // IPv6
    ['2606:4700:0:0:0:0:0:1111', undefined, 'ipv6', '2606:4700::1111'],
    ['2606:4700:0000:0000:0000:0000:0000:1111', 'ipv6', 'ipv6', '2606:4700::1111'],
    ['2A00:1450:4001:0:0:0:0:200E', undefined, 'ipv6', '2a00:1450:4001::200e'],
    ['2606:4700:0:0:1:0:0:1', undefined, 'ipv6', '2606:4700::1:0:0:1'],
    ['[2606:4700::1111]:443', undefined, 'ipv6', '2606:4700::1111'],
    ['2606:4700::1/32', undefined, 'ipv6', '2606:4700::/32'],
    ['2606:4700::1/128', undefined, 'ipv6', '2606:4700::1'],
    // Domains
    ['bücher.de', undefined, 'domain', 'xn--bcher-kva.de'],
    ['Example.COM.', undefined, 'domain', 'example.com'],
    ['evil[.]com', undefined, 'domain', 'evil.com'],
    ['sub.evil.co.uk', 'domain', 'domain', 'sub.evil.co.uk'],
    ['a_b.evil.com', 'domain', 'domain', 'a_b.evil.com'],
    ['x.duckdns.org', undefined, 'domain', 'x.duckdns.org'],
    ['XN--BCHER-KVA.DE', undefined, 'domain', 'xn--bcher-kva.de'],
    // Hashes
    ['D41D8CD98F00B204E9800998ECF8427E', undefined, 'md5', 'd41d8cd98f00b204e9800998ecf8427e'],
    ['DA39A3EE5E6B4B0D3255BFEF95601890AFD80709', undefined, 'sha1', 'da39a3ee5e6b4b0d3255bfef95601890afd80709'],
    [
      'E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855',
      undefined,
      'sha256',
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    ],
    [
      'CF83E1357EEFB8BDF1542850D66D8007D620E4050B5715DC83F4A921D36CE9CE47D0D13C5D85F2B0FF8318D2877EEC2F63B931BD47417A81A538327AF927DA3E',
      'sha512',
      'sha512',
      'cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e',
    ],
    ['  d41d8cd98f00b204e9800998ecf8427e  ', 'md5', 'md5', 'd41d8cd98f00b204e9800998ecf8427e'],
    // CVE
    ['cve-2021-44228', undefined, 'cve', 'CVE-2021-44228'],
    ['CVE\u20112021\u201144228', 'cve', 'cve', 'CVE-2021-44228'],
    ['CVE-1999-0001', 'cve', 'cve', 'CVE-1999-0001'],
    ['CVE-2024-123456', undefined, 'cve', 'CVE-2024-123456'],
    // Email
    ['Alice+tag@Example.COM', undefined, 'email', 'Alice+tag@example.com'],
    ['alice[@]evil[.]com', undefined, 'email', 'alice@evil.com'],
    ['mailto:Bob@Bücher.de', 'email', 'email', 'Bob@xn--bcher-kva.de'],
    // ATT&CK
    ['T1071', undefined, 'mitre-attack', 'T1071'],
    ['t1071.001', undefined, 'mitre-attack', 'T1071.001'],
    ['ta0011', 'mitre-attack', 'mitre-attack', 'TA0011'],
  ];

  it.each(accepted)('normalize(%j, %s) is %s %j', (raw, type, outType, value) => {
    expect(normalize(raw, type)).toEqual({ ok: true, type: outType, value });
  });

  it('is idempotent: a canonical value normalizes to itself', () => {
    for (const [raw, type] of accepted) {
      const first = normalize(raw, type);
      if (!first.ok) throw new Error(`expected ${raw} to be accepted`);
      expect(normalize(first.value, first.type)).toEqual(first);
      expect(normalize(first.value)).toEqual(first);
    }
  });
});

describe('normalize: rejected values', () => {
  const rejected: Array<[raw: string, type: IocType | undefined, code: RejectCode]> = [
    ['', undefined, 'empty'],
    ['   \u200b ', undefined, 'empty'],
    ['x'.repeat(2049), 'domain', 'too_long'],
    [`http://evil.com/${'a'.repeat(9000)}`, undefined, 'too_long'],
    ['foo', undefined, 'unknown_type'],
    ['localhost', undefined, 'unknown_type'],
    ['localhost', 'domain', 'invalid_domain'],
    ['hello world', undefined, 'unknown_type'],
    // Non-public addresses
    ['10.0.0.1', undefined, 'non_public_address'],
    ['192.168.1.1', undefined, 'non_public_address'],
    ['172.16.5.4', undefined, 'non_public_address'],
    ['127.0.0.1', undefined, 'non_public_address'],
    ['0.0.0.0', undefined, 'non_public_address'],
    ['255.255.255.255', undefined, 'non_public_address'],
    ['100.64.0.1', undefined, 'non_public_address'],
    ['169.254.1.1', undefined, 'non_public_address'],
    ['224.0.0.1', undefined, 'non_public_address'],
    ['192.0.2.10', undefined, 'non_public_address'],
    ['198.51.100.7', undefined, 'non_public_address'],
    ['203.0.113.5', undefined, 'non_public_address'],
    ['198.18.0.1', undefined, 'non_public_address'],
    ['240.0.0.1', undefined, 'non_public_address'],
    ['10.0.0.1:8080', 'ipv4', 'non_public_address'],
    ['::ffff:10.0.0.1', undefined, 'non_public_address'],
    ['fe80::1', undefined, 'non_public_address'],
    ['::1', undefined, 'non_public_address'],
    ['::', undefined, 'non_public_address'],
    ['fd00::1', undefined, 'non_public_address'],
    ['ff02::1', undefined, 'non_public_address'],
    ['2001:DB8:0:0:1::1', undefined, 'non_public_address'],
    ['3fff::1', undefined, 'non_public_address'],
    ['64:ff9b::1.2.3.4', undefined, 'non_public_address'],
    // CIDR blocks overlapping non-public space
    ['10.0.0.0/8', undefined, 'non_public_address'],
    ['8.0.0.0/6', undefined, 'non_public_address'],
    ['0.0.0.0/0', undefined, 'non_public_address'],
    ['192.168.0.0/24', undefined, 'non_public_address'],
    ['2001:db8::/32', undefined, 'non_public_address'],
    ['2000::/2', undefined, 'non_public_address'],
    ['::/0', undefined, 'non_public_address'],
    // Broken IPs
    ['256.1.1.1', undefined, 'invalid_ipv4'],
    ['1.2.3.4:70000', undefined, 'invalid_ipv4'],
    ['1.2.3', 'ipv4', 'invalid_ipv4'],
    ['evil.com', 'ipv4', 'invalid_ipv4'],
    ['1.2.3.4/33', undefined, 'invalid_cidr'],
    ['1.2.3.4/', undefined, 'invalid_cidr'],
    ['2606:4700::/129', undefined, 'invalid_cidr'],
    ['2606:4700::1::2', undefined, 'invalid_ipv6'],
    ['fe80::1%eth0', undefined, 'invalid_ipv6'],
    ['[2606:4700::1', undefined, 'invalid_ipv6'],
    ['1.2.3.4', 'ipv6', 'type_mismatch'],
    ['2606:4700::1111', 'ipv4', 'type_mismatch'],
    // Domains
    ['foo.invalidtld', undefined, 'no_public_suffix'],
    ['evil.local', undefined, 'no_public_suffix'],
    ['co.uk', undefined, 'no_public_suffix'],
    ['-evil.com', 'domain', 'invalid_domain'],
    ['evil-.com', 'domain', 'invalid_domain'],
    ['ev!l.com', 'domain', 'invalid_domain'],
    ['evil..com', 'domain', 'invalid_domain'],
    [`${'a'.repeat(64)}.com`, 'domain', 'invalid_domain'],
    [`${'abcdefghi.'.repeat(26)}com`, 'domain', 'invalid_domain'],
    ['xn--zz.com', 'domain', 'invalid_domain'],
    ['evil.com:443', 'domain', 'invalid_domain'],
    ['ev%69l.com', 'domain', 'invalid_domain'],
    ['1.2.3.4', 'domain', 'type_mismatch'],
    ['http://evil.com/', 'domain', 'type_mismatch'],
    // URLs
    ['http:///path', undefined, 'url_without_host'],
    ['http://', undefined, 'url_without_host'],
    ['mailto:alice@evil.com', 'url', 'url_without_host'],
    ['http:/evil.com/x', 'url', 'url_without_host'],
    ['http://evil.com:99999/', undefined, 'invalid_url'],
    ['http://evil.com/a\u0001b', undefined, 'invalid_url'],
    ['http://10.0.0.1/admin', undefined, 'non_public_address'],
    ['http://0x7f.1/', undefined, 'non_public_address'],
    ['http://[::1]/', undefined, 'non_public_address'],
    ['http://localhost/x', undefined, 'invalid_domain'],
    ['http://evil.invalidtld/x', undefined, 'no_public_suffix'],
    ['alice@evil.com', 'url', 'type_mismatch'],
    // Hashes
    ['d41d8cd98f00b204e9800998ecf8427', 'md5', 'invalid_hash_length'],
    ['d41d8cd98f00b204e9800998ecf8427e', 'sha256', 'invalid_hash_length'],
    ['zz1d8cd98f00b204e9800998ecf8427e', 'md5', 'non_hex_hash'],
    ['d41d8cd98f00b204e9800998ecf8427g', 'md5', 'non_hex_hash'],
    // CVE
    ['CVE-21-1', undefined, 'invalid_cve'],
    ['CVE-21-1', 'cve', 'invalid_cve'],
    ['CVE-1998-0001', 'cve', 'invalid_cve'],
    ['CVE-2021-123', 'cve', 'invalid_cve'],
    ['2021-44228', 'cve', 'invalid_cve'],
    // Email
    ['alice@localhost', 'email', 'invalid_domain'],
    ['alice@evil.invalidtld', undefined, 'no_public_suffix'],
    ['alice@@evil.com', 'email', 'invalid_email'],
    ['.alice@evil.com', 'email', 'invalid_email'],
    ['al..ice@evil.com', 'email', 'invalid_email'],
    ['alice@[1.2.3.4]', 'email', 'invalid_email'],
    ['alice', 'email', 'invalid_email'],
    // ATT&CK
    ['T107', 'mitre-attack', 'invalid_technique'],
    ['T1071.1', 'mitre-attack', 'invalid_technique'],
    ['X1071', 'mitre-attack', 'invalid_technique'],
    // A type we do not know (as an untyped JS caller might pass).
    ['evil.com', 'domains' as IocType, 'unknown_type'],
  ];

  it.each(rejected)('normalize(%j, %s) is rejected with %s', (raw, type, code) => {
    const result = normalize(raw, type);
    expect(result).toMatchObject({ ok: false, code });
    if (!result.ok) expect(result.reason.length).toBeGreaterThan(0);
  });

  it('uses only listed reject codes', () => {
    for (const [raw, type] of rejected) {
      const result = normalize(raw, type);
      if (!result.ok) expect(REJECT_CODES).toContain(result.code);
    }
  });

  it('keeps reasons short even for huge input', () => {
    const result = normalize(`${'a'.repeat(5000)}.invalidtld`, 'domain');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason.length).toBeLessThan(200);
  });
});

describe('normalize: allowInternal', () => {
  const internal: Array<[raw: string, type: IocType | undefined, outType: IocType, value: string]> = [
    ['10.0.0.1', undefined, 'ipv4', '10.0.0.1'],
    ['192.168.1.77/24', undefined, 'ipv4', '192.168.1.0/24'],
    ['fe80::1', undefined, 'ipv6', 'fe80::1'],
    ['2001:DB8:0:0:1::1', undefined, 'ipv6', '2001:db8::1:0:0:1'],
    ['http://10.0.0.1/admin', undefined, 'url', 'http://10.0.0.1/admin'],
    ['intranet.corp', 'domain', 'domain', 'intranet.corp'],
    ['alice@corp.local', 'email', 'email', 'alice@corp.local'],
  ];
  it.each(internal)('accepts %j with allowInternal', (raw, type, outType, value) => {
    expect(normalize(raw, type, { allowInternal: true })).toEqual({ ok: true, type: outType, value });
    expect(normalize(raw, type).ok).toBe(false);
  });

  it('still enforces syntax', () => {
    expect(normalize('256.0.0.1', undefined, { allowInternal: true })).toMatchObject({ ok: false, code: 'invalid_ipv4' });
    expect(normalize('localhost', 'domain', { allowInternal: true })).toMatchObject({ ok: false, code: 'invalid_domain' });
  });
});
