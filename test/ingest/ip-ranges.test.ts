import { describe, expect, it } from 'vitest';
import { IpRangeSet } from '../../src/ingest/ip-ranges.js';

describe('IpRangeSet', () => {
  const set = new IpRangeSet();
  for (const b of ['8.8.8.8', '10.0.0.0/8', '192.168.0.0/24', '192.168.1.0/24', '2001:4860:4860::8888', '2001:db8::/32']) set.add(b);

  it.each([
    ['8.8.8.8', true],
    ['8.8.8.9', false],
    ['8.8.8.8/32', true],
    ['8.8.8.0/24', false],
    ['10.255.255.255', true],
    ['10.1.0.0/16', true],
    ['10.0.0.0/7', false],
    ['11.0.0.0', false],
    // Two adjacent /24s cover the /23 that spans them.
    ['192.168.0.0/23', true],
    ['192.168.0.0/22', false],
    ['2001:4860:4860::8888', true],
    ['2001:4860:4860::8844', false],
    ['2001:db8:1::/48', true],
    ['2001:db9::1', false],
    ['not an ip', false],
  ])('contains(%s) = %s', (value, expected) => {
    expect(set.contains(value)).toBe(expected);
  });

  it('refuses what is not an address', () => {
    const s = new IpRangeSet();
    expect(s.add('example.com')).toBe(false);
    expect(s.add('300.1.1.1')).toBe(false);
    expect(s.add('1.2.3.4/33')).toBe(false);
    expect(s.size).toBe(0);
  });

  it('checks fast against tens of thousands of entries (bisection, not a scan)', () => {
    const s = new IpRangeSet();
    for (let i = 0; i < 60_000; i++) s.add(`${1 + (i % 200)}.${(i >> 8) & 255}.${i & 255}.1`);
    const start = performance.now();
    let hits = 0;
    for (let i = 0; i < 50_000; i++) if (s.contains(`${1 + (i % 200)}.${(i >> 8) & 255}.${i & 255}.1`)) hits++;
    expect(hits).toBe(50_000);
    // A linear scan would take minutes here; bisection takes milliseconds.
    expect(performance.now() - start).toBeLessThan(2000);
  });
});
