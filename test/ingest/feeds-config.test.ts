import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FeedsConfigError, loadFeedsConfig, parseFeedsConfig, parseSchedule } from '../../src/ingest/feeds-config.js';
import { DEFAULT_WARNINGLISTS } from '../../src/ingest/warninglist-file.js';

const SHIPPED = fileURLToPath(new URL('../../config/feeds.yaml', import.meta.url));

function errorsOf(yaml: string): string[] {
  try {
    parseFeedsConfig(yaml, 'test.yaml', '/base', { KEY: 'secret' });
  } catch (err) {
    if (err instanceof FeedsConfigError) {
      expect(err.code).toBe('invalid_feeds_config');
      return err.errors.map((e) => `${e.field}: ${e.message}`);
    }
    throw err;
  }
  return [];
}

describe('the shipped config/feeds.yaml', () => {
  const config = loadFeedsConfig(SHIPPED, {});

  it('lists the real public feeds at their real URLs', () => {
    expect(config.feeds.map((f) => [f.name, f.format, f.url])).toEqual([
      ['CISA KEV', 'cisa-kev', 'https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json'],
      ['URLhaus', 'urlhaus', 'https://urlhaus.abuse.ch/downloads/csv_online/'],
      ['ThreatFox', 'threatfox', 'https://threatfox.abuse.ch/export/json/recent/'],
      ['Feodo Tracker', 'feodo', 'https://feodotracker.abuse.ch/downloads/ipblocklist_recommended.txt'],
      ['Spamhaus DROP', 'spamhaus-drop', 'https://www.spamhaus.org/drop/drop_v4.json'],
      ['OpenPhish', 'openphish', 'https://openphish.com/feed.txt'],
      ['MalwareBazaar', 'malwarebazaar', 'https://bazaar.abuse.ch/export/csv/recent/'],
    ]);
    expect(config.feeds.every((f) => f.enabled && f.scheduleMs >= 3_600_000)).toBe(true);
  });

  it('gives categories per source (KEV government, abuse.ch and OpenPhish community)', () => {
    const category = Object.fromEntries(config.feeds.map((f) => [f.name, f.defaults.category]));
    expect(category['CISA KEV']).toBe('government');
    for (const name of ['URLhaus', 'ThreatFox', 'Feodo Tracker', 'MalwareBazaar', 'OpenPhish']) expect(category[name]).toBe('community');
    expect(config.feeds.every((f) => f.defaults.feed_name === f.name)).toBe(true);
  });

  it('has TTLs per type, cve never expiring, our shipped resolver list, and the default warninglists', () => {
    expect(config.ttlDays).toMatchObject({ ipv4: 30, url: 30, domain: 90, sha256: 365 });
    expect(config.ttlDays.cve).toBeUndefined();
    const [shipped, ...downloaded] = config.allowlists;
    expect(shipped?.name).toBe('public-resolvers');
    expect(shipped?.path).toMatch(/config\/allowlists\/public-resolvers\.json$/);
    expect(downloaded).toEqual(DEFAULT_WARNINGLISTS.map((d) => ({ name: d.name, url: d.url })));
  });

  it('sends the abuse.ch Auth-Key only when the environment has one', () => {
    const withKey = loadFeedsConfig(SHIPPED, { ABUSE_CH_AUTH_KEY: 'k123' });
    expect(withKey.feeds.find((f) => f.name === 'URLhaus')?.headers).toEqual({ 'Auth-Key': 'k123' });
    const urlhaus = config.feeds.find((f) => f.name === 'URLhaus');
    expect(urlhaus?.headers).toEqual({});
    expect(urlhaus?.warnings[0]).toMatch(/ABUSE_CH_AUTH_KEY is not set/);
  });
});

describe('feed config validation names the field', () => {
  it.each([
    ['feeds: [{name: a, url: "https://a.example/x", format: nope}]', 'feeds[0].format: must be one of cisa-kev,'],
    ['feeds: [{name: a, format: list}]', 'feeds[0]: needs exactly one of url or path'],
    ['feeds: [{name: a, url: "ftp://a.example/x", format: list}]', 'feeds[0].url: must be an http(s) URL'],
    ['feeds: [{name: a, path: x.txt, format: list, schedule: "every tuesday"}]', 'feeds[0].schedule: must be an interval'],
    ['feeds: [{name: a, path: x.txt, format: list, schedule: 10s}]', 'feeds[0].schedule: must be at least 1m'],
    ['feeds: [{name: a, path: x.txt, format: list, defaults: {confidence: certain}}]', 'feeds[0].defaults.confidence: must be one of high, medium, low'],
    ['feeds: [{name: a, path: x.txt, format: list, defaults: {category: blog}}]', 'feeds[0].defaults.category: must be one of government,'],
    ['feeds: [{name: a, path: x.txt, format: list, defaults: {industries: [energy, banks]}}]', 'feeds[0].defaults.industries[1]: "banks" is not a CISA sector slug'],
    ['feeds: [{name: a, path: x.txt, format: list, shedule: 1h}]', 'feeds[0].shedule: unknown setting'],
    ['feeds: [{name: a, path: x.txt, format: list, csv: {value: 1}}]', 'feeds[0].csv: only applies to format csv'],
    ['feeds: [{name: a, path: x.txt, format: csv, csv: {value: 0}}]', 'feeds[0].csv.value: must be a column name or a 1-based column number'],
    ['feeds: [{name: a, path: x.txt, format: csv, csv: {type: ja3}}]', 'feeds[0].csv.type: must be one of ipv4,'],
    ['feeds: [{name: a, path: x.txt, format: list}, {name: A, path: y.txt, format: list}]', 'feeds[1].name: duplicate feed name "A"'],
    ['feeds: [{path: x.txt, format: list}]', 'feeds[0].name: is required'],
    ['ttl_days: {ipv4: -1}', 'ttl_days.ipv4: must be a positive number of days'],
    ['ttl_days: {ip: 3}', 'ttl_days.ip: not an IOC type'],
    ['allowlists: [{name: x}]', 'allowlists[0]: needs exactly one of url or path'],
    ['feeds: {a: 1}', 'feeds: must be a list'],
    ['extra: 1', 'extra: unknown setting'],
    ['feeds: [{name: a, path: x.txt, format: list, headers: {"Bad Header": v}}]', 'feeds[0].headers.Bad Header: is not a valid HTTP header name'],
  ])('%s', (yaml, expected) => {
    const errors = errorsOf(yaml);
    expect(errors.some((e) => e.startsWith(expected)), errors.join('\n')).toBe(true);
  });

  it('collects every error in one message', () => {
    try {
      parseFeedsConfig('feeds: [{name: a, format: nope}]\nttl_days: {ip: 3}', 'bad.yaml');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(FeedsConfigError);
      expect((err as Error).message).toMatch(/^bad\.yaml: ttl_days\.ip: .*feeds\[0\]: needs exactly one of url or path; feeds\[0\]\.format: /);
    }
  });

  it('an unreadable file and bad YAML are errors naming the file', () => {
    expect(() => loadFeedsConfig('/nonexistent/feeds.yaml')).toThrow(/\/nonexistent\/feeds\.yaml: \(file\):/);
    expect(() => parseFeedsConfig('feeds: [', 'x.yaml')).toThrow(/x\.yaml: \(yaml\):/);
  });
});

describe('feed config defaults', () => {
  it('fills what a feed leaves out from its format, resolves paths from the config directory', () => {
    const config = parseFeedsConfig(
      ['feeds:', '  - {name: kev, path: data/kev.json, format: cisa-kev}', '  - {name: mine, path: /abs/list.txt, format: list, schedule: every 30m, enabled: false, defaults: {tags: [internal], internal: true, tlp: amber}}', 'allowlists: [lists/dns.json]'].join('\n'),
      'x.yaml',
      '/etc/socd',
    );
    const [kev, mine] = config.feeds;
    expect(kev).toMatchObject({ path: '/etc/socd/data/kev.json', schedule: '24h', scheduleMs: 86_400_000, enabled: true, defaults: { feed_name: 'kev', category: 'government', confidence: 'high', internal: false } });
    expect(mine).toMatchObject({ path: '/abs/list.txt', scheduleMs: 1_800_000, enabled: false, defaults: { category: 'community', confidence: 'medium', tags: ['internal'], internal: true, tlp: 'amber' } });
    expect(config.allowlists).toEqual([{ name: 'lists/dns.json', path: '/etc/socd/lists/dns.json' }]);
    expect(config.ttlDays).toEqual({});
  });

  it.each([
    ['1h', 3_600_000],
    ['every 6h', 21_600_000],
    ['30m', 1_800_000],
    ['1d', 86_400_000],
    ['90s', 90_000],
    ['hourly', null],
    ['0h', null],
  ])('parseSchedule(%j) = %j', (text, ms) => {
    expect(parseSchedule(text)).toBe(ms);
  });
});
