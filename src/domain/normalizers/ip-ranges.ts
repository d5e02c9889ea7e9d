import ipaddr from 'ipaddr.js';

/**
 * Address ranges that never hold a public indicator: private, loopback, link-local, multicast,
 * CGNAT, reserved, benchmarking and documentation space. They follow ipaddr.js `range()`
 * (the test suite checks that both agree) but are listed here because a CIDR block must be
 * tested for overlap with a range, which `range()` cannot answer. Documentation ranges are
 * named explicitly so their reason says so.
 */
interface NonPublicRange {
  network: ipaddr.IPv4 | ipaddr.IPv6;
  prefix: number;
  label: string;
}

function ranges(list: ReadonlyArray<readonly [string, string]>): NonPublicRange[] {
  return list.map(([cidr, label]) => {
    const [network, prefix] = ipaddr.parseCIDR(cidr);
    return { network, prefix, label: `${label} ${cidr}` };
  });
}

// Order matters only for the reason given: the first overlapping range is named.
const IPV4_NON_PUBLIC = ranges([
  ['255.255.255.255/32', 'broadcast address'],
  ['0.0.0.0/8', '"this network" (unspecified) range'],
  ['10.0.0.0/8', 'private range'],
  ['172.16.0.0/12', 'private range'],
  ['192.168.0.0/16', 'private range'],
  ['100.64.0.0/10', 'carrier-grade NAT range'],
  ['127.0.0.0/8', 'loopback range'],
  ['169.254.0.0/16', 'link-local range'],
  ['192.0.2.0/24', 'documentation range'],
  ['198.51.100.0/24', 'documentation range'],
  ['203.0.113.0/24', 'documentation range'],
  ['192.0.0.0/24', 'IETF protocol assignments range'],
  ['192.88.99.0/24', 'deprecated 6to4 relay range'],
  ['198.18.0.0/15', 'benchmarking range'],
  ['224.0.0.0/4', 'multicast range'],
  ['240.0.0.0/4', 'reserved range'],
]);

const IPV6_NON_PUBLIC = ranges([
  ['::/128', 'unspecified address'],
  ['::1/128', 'loopback address'],
  ['::ffff:0:0/96', 'IPv4-mapped range'],
  ['64:ff9b::/96', 'NAT64 range'],
  ['64:ff9b:1::/48', 'local NAT64 range'],
  ['100::/64', 'discard range'],
  ['fc00::/7', 'unique-local (private) range'],
  ['fe80::/10', 'link-local range'],
  ['fec0::/10', 'deprecated site-local range'],
  ['ff00::/8', 'multicast range'],
  ['2001:db8::/32', 'documentation range'],
  ['3fff::/20', 'documentation range'],
  ['2001:2::/48', 'benchmarking range'],
  ['2001:10::/28', 'deprecated ORCHID range'],
]);

/** Everything outside 2000::/3 is unassigned or special-purpose: no public host lives there. */
const IPV6_GLOBAL_UNICAST = ipaddr.IPv6.parse('2000::');

/**
 * Why `network/prefix` is not public address space, or null when it is. A block is refused
 * when it overlaps a non-public range at all: `8.0.0.0/6` contains 10.0.0.0/8.
 */
export function nonPublicReason(network: ipaddr.IPv4 | ipaddr.IPv6, prefix: number): string | null {
  const list = network.kind() === 'ipv4' ? IPV4_NON_PUBLIC : IPV6_NON_PUBLIC;
  for (const range of list) {
    if (range.network.kind() === network.kind() && network.match(range.network, Math.min(prefix, range.prefix))) {
      return range.label;
    }
  }
  if (network.kind() === 'ipv6' && !(prefix >= 3 && network.match(IPV6_GLOBAL_UNICAST, 3))) {
    return 'outside global unicast space 2000::/3';
  }
  return null;
}
