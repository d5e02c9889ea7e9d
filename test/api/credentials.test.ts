import { describe, expect, it } from 'vitest';
import {
  API_KEY_PREFIX,
  generateApiKey,
  hashApiKey,
  hashPassword,
  hashesEqual,
  looksLikeApiKey,
  verifyPassword,
} from '../../src/api/credentials.js';

describe('API keys', () => {
  it('are sk_live_ + 32 base62 characters, with a 12-character display prefix and a SHA-256 hash', () => {
    const k = generateApiKey();
    expect(k.key).toMatch(/^sk_live_[0-9A-Za-z]{32}$/);
    expect(k.prefix).toBe(k.key.slice(0, 12));
    expect(k.prefix.startsWith(API_KEY_PREFIX)).toBe(true);
    expect(k.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(k.hash).toBe(hashApiKey(k.key));
    expect(looksLikeApiKey(k.key)).toBe(true);
  });

  it('draw every base62 character about uniformly', () => {
    const counts = new Map<string, number>();
    const n = 2000;
    for (let i = 0; i < n; i++) for (const c of generateApiKey().key.slice(8)) counts.set(c, (counts.get(c) ?? 0) + 1);
    expect(counts.size).toBe(62);
    const expected = (n * 32) / 62;
    for (const v of counts.values()) expect(Math.abs(v - expected) / expected).toBeLessThan(0.2);
  });

  it.each([
    ['sk_live_short', false],
    ['sk_test_' + 'a'.repeat(32), false],
    ['sk_live_' + 'a'.repeat(31) + '!', false],
    ['sk_live_' + 'a'.repeat(33), false],
    ['sk_live_' + 'aZ09'.repeat(8), true],
  ])('looksLikeApiKey(%s) = %s', (s, ok) => expect(looksLikeApiKey(s)).toBe(ok));

  it('compares hashes in constant time and only equal ones match', () => {
    const a = hashApiKey('x');
    expect(hashesEqual(a, a)).toBe(true);
    expect(hashesEqual(a, hashApiKey('y'))).toBe(false);
    expect(hashesEqual(a, a.slice(0, 10))).toBe(false);
    expect(hashesEqual('', '')).toBe(false);
  });
});

describe('passwords', () => {
  it('hash as scrypt$N$r$p$salt$hash with a per-user salt and verify', async () => {
    const h1 = await hashPassword('correct horse battery');
    const h2 = await hashPassword('correct horse battery');
    expect(h1).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]+\$[A-Za-z0-9_-]+$/);
    expect(h1).not.toBe(h2);
    expect(await verifyPassword('correct horse battery', h1)).toBe(true);
    expect(await verifyPassword('correct horse batterY', h1)).toBe(false);
  });

  it.each(['', 'scrypt$1$2$3', 'bcrypt$32768$8$1$c2FsdA$aGFzaA', 'scrypt$x$8$1$c2FsdA$aGFzaA', 'scrypt$99999999$8$1$c2FsdA$aGFzaA'])(
    'refuses the malformed hash %j',
    async (stored) => expect(await verifyPassword('pw', stored)).toBe(false),
  );
});
