import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from '../../src/api/cursor.js';

describe('cursors', () => {
  it.each([0, 1, 42, 1_000_000, Number.MAX_SAFE_INTEGER])('round-trip version %d', (v) => {
    const c = encodeCursor(v);
    expect(c).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(c)).toBe(v);
  });

  it('refuse tampered, truncated and foreign cursors', () => {
    const good = encodeCursor(1234);
    const forged = Buffer.from('c1.9999.' + Buffer.from(good, 'base64url').toString().split('.')[2], 'utf8').toString('base64url');
    for (const bad of [good.slice(0, -2), forged, 'abc', '', 'MTIzNA', Buffer.from('c1.01.xxxx').toString('base64url'), 'a'.repeat(100), 'ab+/=']) {
      expect(decodeCursor(bad)).toBeNull();
    }
  });
});
