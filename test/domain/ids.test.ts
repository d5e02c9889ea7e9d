import { v5 as uuidv5 } from 'uuid';
import { describe, expect, it } from 'vitest';
import { iocId, SOCD_NAMESPACE } from '../../src/domain/ids.js';
import type { IocType } from '../../src/domain/vocabulary.js';

describe('iocId', () => {
  it.each<[IocType, string]>([
    ['ipv4', '1.2.3.4'],
    ['domain', 'xn--bcher-kva.de'],
    ['url', 'https://evil.com/ä?q=1'],
    ['sha256', 'a'.repeat(64)],
    ['email', 'Alice+tag@example.com'],
  ])('is RFC UUIDv5 of %s:%s, as the uuid package computes it', (type, value) => {
    expect(iocId(type, value)).toBe(uuidv5(`${type}:${value}`, SOCD_NAMESPACE));
  });

  it('is stable and distinct per type', () => {
    expect(iocId('ipv4', '1.2.3.4')).toBe(iocId('ipv4', '1.2.3.4'));
    expect(iocId('ipv4', '1.2.3.4')).not.toBe(iocId('ipv6', '1.2.3.4'));
  });
});
