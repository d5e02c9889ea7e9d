import { describe, expect, it } from 'vitest';
import { confidenceFromPercent, firstUrl, isoUtc, present, splitHostPort, splitList } from '../../src/ingest/record-fields.js';

describe('record field readers', () => {
  it.each([
    ['2026-04-12 04:49:28', '2026-04-12T04:49:28.000Z'],
    ['2025-08-25', '2025-08-25T00:00:00.000Z'],
    ['2015-05-15T09:12:16.432678Z', '2015-05-15T09:12:16.432Z'],
    ['2024-01-01T02:00:00+02:00', '2024-01-01T00:00:00.000Z'],
    ['1714521600', '2024-05-01T00:00:00.000Z'],
    [1714521600, '2024-05-01T00:00:00.000Z'],
    ['None', undefined],
    ['not a date', undefined],
    [null, undefined],
  ])('isoUtc(%j) = %j', (input, expected) => {
    expect(isoUtc(input)).toBe(expected);
  });

  it.each([
    ['1.2.3.4:80', { host: '1.2.3.4', port: '80' }],
    ['[2001:db8::1]:443', { host: '2001:db8::1', port: '443' }],
    ['2001:db8::1', { host: '2001:db8::1' }],
    ['evil.example:8080', { host: 'evil.example', port: '8080' }],
    ['1.2.3.4', { host: '1.2.3.4' }],
  ])('splitHostPort(%j)', (input, expected) => {
    expect(splitHostPort(input)).toEqual(expected);
  });

  it.each([
    [100, 'high'],
    ['75', 'high'],
    [74, 'medium'],
    [50, 'medium'],
    [0, 'low'],
    [101, undefined],
    ['', undefined],
    [null, undefined],
  ])('confidenceFromPercent(%j) = %j', (input, expected) => {
    expect(confidenceFromPercent(input)).toBe(expected);
  });

  it('present, splitList and firstUrl', () => {
    expect([present(' x '), present('None'), present('n/a'), present(''), present(3)]).toEqual(['x', undefined, undefined, undefined, '3']);
    expect(splitList('elf, mirai,None,,elf')).toEqual(['elf', 'mirai']);
    expect(firstUrl('see: https://a.example/x ; https://b.example')).toBe('https://a.example/x');
    expect(firstUrl('advisory (https://a.example/y).')).toBe('https://a.example/y');
  });
});
