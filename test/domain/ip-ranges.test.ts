import ipaddr from 'ipaddr.js';
import { describe, expect, it } from 'vitest';
import { nonPublicReason } from '../../src/domain/normalizers/ip-ranges.js';

/** ipaddr.js range names we treat as not public; every other name is public address space. */
const NON_PUBLIC_RANGES = new Set([
  'unspecified',
  'broadcast',
  'multicast',
  'linkLocal',
  'loopback',
  'carrierGradeNat',
  'private',
  'reserved',
  'benchmarking',
  'uniqueLocal',
  'ipv4Mapped',
  'rfc6145',
  'rfc6052',
  'discard',
  'deprecatedSiteLocal',
  'deprecatedOrchid',
]);

describe('nonPublicReason agrees with ipaddr.js range()', () => {
  const samples = [
    '0.0.0.0', '0.1.2.3', '10.1.2.3', '100.64.0.1', '100.127.255.255', '127.0.0.1', '169.254.9.9', '172.16.0.1',
    '172.31.255.255', '172.32.0.1', '192.0.0.8', '192.0.2.1', '192.88.99.1', '192.168.0.1', '198.18.0.1',
    '198.19.255.255', '198.20.0.1', '198.51.100.1', '203.0.113.1', '224.0.0.1', '239.255.255.255', '240.0.0.1',
    '255.255.255.255', '1.1.1.1', '8.8.8.8', '100.63.255.255', '100.128.0.0', '169.253.0.1', '223.255.255.255',
    '192.175.48.1', '192.52.193.1',
    '::', '::1', '::ffff:1.2.3.4', 'fe80::1', 'fc00::1', 'fd12:3456::1', 'ff02::1', 'fec0::1', '100::1', '64:ff9b::1',
    '2001:db8::1', '2001:2::1', '2001:10::1', '3fff::1', '2606:4700::1111', '2a00:1450:4001::200e', '2001:4860::8888',
    '2002:102:304::1', '2001::1',
  ];
  it.each(samples)('%s', (text) => {
    const address = ipaddr.parse(text);
    const full = address.kind() === 'ipv4' ? 32 : 128;
    expect(nonPublicReason(address, full) !== null).toBe(NON_PUBLIC_RANGES.has(address.range()));
  });
});

describe('nonPublicReason for blocks', () => {
  const blocks: Array<[string, boolean]> = [
    ['103.10.120.0/22', true],
    ['8.0.0.0/7', true],
    ['8.0.0.0/6', false], // contains 10.0.0.0/8
    ['0.0.0.0/0', false],
    ['192.168.0.0/16', false],
    ['192.168.10.0/24', false], // inside a private range
    ['2606:4700::/32', true],
    ['2000::/3', false], // contains 2001:db8::/32
    ['2001:db8:1::/48', false],
  ];
  it.each(blocks)('%s public: %s', (cidr, isPublic) => {
    const [network, prefix] = ipaddr.parseCIDR(cidr);
    expect(nonPublicReason(network, prefix) === null).toBe(isPublic);
  });
});
