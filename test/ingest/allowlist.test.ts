import { describe, expect, it } from 'vitest';
import { buildAllowlist, loadAllowlist } from '../../src/ingest/allowlist.js';
import { parseWarninglist, type Warninglist } from '../../src/ingest/warninglist-file.js';
import type { IocType } from '../../src/domain/vocabulary.js';
import { hasSharedData, sharedFile } from '../support/shared-data.js';

const wl = (name: string): string => sharedFile('warninglists', `${name}.json`);

describe.runIf(hasSharedData)('allowlist from the real MISP warninglists', async () => {
  const { allowlist, errors } = hasSharedData
    ? await loadAllowlist(['public-dns-v4', 'public-dns-v6', 'google', 'empty-hashes', 'alexa', 'rfc1918', 'microsoft-office365-ip'].map(wl))
    : { allowlist: buildAllowlist([]), errors: [] };

  it('loads every list without errors or unusable entries', () => {
    expect(errors).toEqual([]);
    expect(allowlist.unusable).toEqual([]);
    expect(allowlist.entries).toBeGreaterThan(62_000);
  });

  it.each([
    ['ipv4', '8.8.8.8', true, 'public-dns-v4'],
    ['ipv4', '1.1.1.1', true, 'public-dns-v4'],
    ['ipv4', '93.48.80.198', false, 'a Feodo C2 from ipblocklist_recommended.txt'],
    ['ipv4', '192.168.10.0/24', true, 'a CIDR fully inside rfc1918 192.168.0.0/16'],
    ['ipv4', '192.0.0.0/8', false, 'a CIDR larger than any allowlisted block'],
    ['ipv4', '104.47.1.0/24', true, 'inside microsoft-office365-ip 104.47.0.0/17'],
    ['ipv6', '2001:4860:4860::8888', true, 'public-dns-v6'],
    ['domain', 'mail.google.com', true, 'subdomain of .google.com in google.json'],
    ['domain', 'google.com', true, 'google.json exact'],
    ['domain', 'notgoogle.com', false, 'a look-alike is not a subdomain'],
    ['domain', 'www.wikipedia.org', true, 'alexa hostname list: subdomains too'],
    ['url', 'https://mail.google.com/mail/u/0', true, 'a URL by its host'],
    ['url', 'https://evil.example/google.com', false, 'the path does not count'],
    ['md5', 'd41d8cd98f00b204e9800998ecf8427e', true, 'empty file md5'],
    ['sha256', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', true, 'empty file sha256'],
    ['sha1', 'da39a3ee5e6b4b0d3255bfef95601890afd80709', true, 'empty file sha1'],
    ['sha256', 'ef537f25c895bfa782526529a9b63d97aa631564d5d789c2b765448c8635fb6c', false, 'a real sample'],
    ['cve', 'CVE-2021-44228', false, 'no list applies to cve'],
  ] as Array<[IocType, string, boolean, string]>)('%s %s → %s (%s)', (type, value, expected) => {
    expect(allowlist.check(type, value)).toBe(expected);
  });

  it('every public-dns-v4 entry matches, fast', async () => {
    const { list } = (await import(wl('public-dns-v4'), { with: { type: 'json' } })).default as Warninglist;
    const start = performance.now();
    expect(list.every((ip) => allowlist.check('ipv4', ip))).toBe(true);
    expect(performance.now() - start).toBeLessThan(2000);
  });
});

describe('warninglist semantics', () => {
  const list = (type: Warninglist['type'], entries: string[], matching: string[] = []): Warninglist => ({ name: type, type, matching_attributes: matching, list: entries });

  it('applies a list only to the types its matching_attributes name', () => {
    const a = buildAllowlist([list('string', ['abc.example'], ['domain'])]);
    expect(a.check('domain', 'abc.example')).toBe(true);
    expect(a.check('url', 'http://abc.example/')).toBe(false);
    expect(a.check('email', 'abc.example')).toBe(false);
  });

  it('substring lists match values containing an entry', () => {
    const a = buildAllowlist([list('substring', ['.cdn.example'], ['domain', 'url'])]);
    expect(a.check('domain', 'img.cdn.example')).toBe(true);
    expect(a.check('url', 'http://x.cdn.example/a')).toBe(true);
    expect(a.check('domain', 'cdn.example')).toBe(false);
  });

  it('validates the file format with codes', () => {
    expect(parseWarninglist({ type: 'regex', list: [] }, 'x.json')).toMatchObject({ ok: false, code: 'warninglist_unsupported' });
    expect(parseWarninglist({ type: 'cidr' }, 'x.json')).toMatchObject({ ok: false, code: 'warninglist_invalid', message: 'x.json: list must be an array' });
    expect(parseWarninglist([], 'x.json')).toMatchObject({ ok: false, code: 'warninglist_invalid' });
  });

  it('a missing file is an error value, not a throw', async () => {
    const { allowlist, errors } = await loadAllowlist(['/nonexistent/list.json']);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^warninglist_unreadable: /);
    expect(allowlist.check('ipv4', '8.8.8.8')).toBe(false);
  });
});
