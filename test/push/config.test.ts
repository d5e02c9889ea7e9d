/** The push config (push/config.ts): defaults, `${VAR}` secrets, and one error per bad field. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPushConfig, parsePushConfig, parseSchedule, PushConfigError, type SplunkHecDestination, type WebhookDestination } from '../../src/push/config.js';

const ENV = { SPLUNK_HEC_TOKEN: 'tok-123', HOOK_SECRET: 'whsec_abc', TENANT: 'soc-1' };

function errorsOf(yaml: string, env: NodeJS.ProcessEnv = ENV): string[] {
  try {
    parsePushConfig(yaml, '(test)', process.cwd(), env);
  } catch (err) {
    if (err instanceof PushConfigError) return err.errors.map((e) => `${e.field}: ${e.message}`);
    throw err;
  }
  return [];
}

describe('push config', () => {
  it('reads a Splunk HEC destination with its defaults', () => {
    const { destinations } = parsePushConfig(
      'destinations:\n  - name: splunk-prod\n    type: splunk-hec\n    url: https://splunk.example:8088\n    token: ${SPLUNK_HEC_TOKEN}\n',
      '(test)',
      process.cwd(),
      ENV,
    );
    const d = destinations[0] as SplunkHecDestination;
    expect(d).toMatchObject({
      name: 'splunk-prod',
      type: 'splunk-hec',
      token: 'tok-123',
      index: null,
      sourcetype: 'socd:ioc',
      source: 'soc-defenders',
      enabled: true,
      schedule: '5m',
      scheduleMs: 300_000,
      filter: { status: 'all' },
      start: 'beginning',
      batch: { maxEvents: 1000, maxBytes: 1_000_000 },
      gzip: true,
      timeoutMs: 30_000,
      retry: { maxAttempts: 10, baseMs: 500, maxMs: 30_000 },
      maxInFlight: 4,
      tls: { verify: true, caFile: null },
      ack: { enabled: false, pollMs: 1000, timeoutMs: 300_000 },
      unavailable: null,
    });
    expect(d.host.length).toBeGreaterThan(0);
  });

  it('reads every setting of both types', () => {
    const dir = mkdtempSync(join(tmpdir(), 'socd-push-config-'));
    try {
      writeFileSync(join(dir, 'ca.pem'), 'not really a CA');
      const file = join(dir, 'push.yaml');
      writeFileSync(
        file,
        `destinations:
  - name: splunk-ack
    type: splunk-hec
    url: https://splunk.example:8088/services/collector/event
    token: \${SPLUNK_HEC_TOKEN}
    index: threat_intel
    sourcetype: "threat:ioc"
    source: socd-lab
    host: socd-1
    schedule: every 90s
    start: now
    filter: { type: [ipv4, domain, mitre_attack], confidence: high, category: government, industry: finance, status: active }
    batch: { max_events: 500, max_bytes: 262144 }
    gzip: false
    gzip_level: 6
    timeout_seconds: 10
    retry: { max_attempts: 3, base_ms: 100, max_ms: 1000 }
    max_in_flight: 2
    tls: { verify: true, ca_file: ca.pem }
    ack: { enabled: true, poll_seconds: 0.5, timeout_seconds: 60 }
  - name: soar
    type: webhook
    url: https://soar.example/hooks/socd
    secret: \${HOOK_SECRET}
    headers: { X-Tenant: "\${TENANT}" }
    enabled: false
`,
      );
      const [hec, hook] = loadPushConfig(file, ENV).destinations as [SplunkHecDestination, WebhookDestination];
      expect(hec).toMatchObject({
        index: 'threat_intel',
        sourcetype: 'threat:ioc',
        host: 'socd-1',
        scheduleMs: 90_000,
        start: 'now',
        filter: { types: ['ipv4', 'domain', 'mitre-attack'], confidence: 'high', category: 'government', industry: 'financial-services', status: 'active' },
        batch: { maxEvents: 500, maxBytes: 262_144 },
        gzip: false,
        gzipLevel: 6,
        timeoutMs: 10_000,
        retry: { maxAttempts: 3, baseMs: 100, maxMs: 1000 },
        maxInFlight: 2,
        tls: { verify: true, caFile: join(dir, 'ca.pem') },
        ack: { enabled: true, pollMs: 500, timeoutMs: 60_000 },
      });
      expect(hook).toMatchObject({ type: 'webhook', secret: 'whsec_abc', headers: { 'X-Tenant': 'soc-1' }, enabled: false });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('parses the shipped example, config/push.example.yaml', () => {
    const env = { SPLUNK_HEC_TOKEN: 't', SOCD_WEBHOOK_SECRET: 's', SOC_TENANT: 'x' };
    const { destinations } = loadPushConfig(join(process.cwd(), 'config', 'push.example.yaml'), env, true);
    expect(destinations.map((d) => [d.name, d.type, d.enabled, d.unavailable])).toEqual([
      ['splunk-prod', 'splunk-hec', true, null],
      ['soar', 'webhook', false, null],
    ]);
  });

  it('treats a missing file as no destinations unless it is required', () => {
    expect(loadPushConfig('/nonexistent/push.yaml', ENV).destinations).toEqual([]);
    expect(() => loadPushConfig('/nonexistent/push.yaml', ENV, true)).toThrow(PushConfigError);
  });

  it('marks a destination whose secret variable is unset as unavailable instead of failing the file', () => {
    const { destinations } = parsePushConfig(
      'destinations:\n  - name: s\n    type: splunk-hec\n    url: http://127.0.0.1:8088\n    token: ${UNSET_TOKEN_VAR}\n',
      '(test)',
      process.cwd(),
      {},
    );
    expect(destinations[0]?.unavailable).toBe('environment variable UNSET_TOKEN_VAR (destinations[0].token) is not set');
  });

  it.each([
    ['a literal token', 'token: abc123', 'destinations[0].token: must be an environment variable reference such as ${SPLUNK_HEC_TOKEN}: secrets are never written in the config file'],
    ['no token', '', 'destinations[0].token: is required: name an environment variable, e.g. ${SPLUNK_HEC_TOKEN}'],
    ['an unknown setting', 'token: ${SPLUNK_HEC_TOKEN}\n    indexx: main', 'destinations[0].indexx: unknown setting'],
    ['a bad schedule', 'token: ${SPLUNK_HEC_TOKEN}\n    schedule: 2s', 'destinations[0].schedule: "2s" is not a duration of at least 10s'],
    ['a bad batch size', 'token: ${SPLUNK_HEC_TOKEN}\n    batch: { max_events: 0 }', 'destinations[0].batch.max_events: must be an integer from 1 to 100000'],
    ['a bad filter type', 'token: ${SPLUNK_HEC_TOKEN}\n    filter: { type: [ipv5] }', 'destinations[0].filter.type: unknown type "ipv5"'],
    ['a missing CA file', 'token: ${SPLUNK_HEC_TOKEN}\n    tls: { ca_file: /nonexistent/ca.pem }', 'destinations[0].tls.ca_file: /nonexistent/ca.pem does not exist'],
    ['a non-boolean', 'token: ${SPLUNK_HEC_TOKEN}\n    gzip: "yes"', 'destinations[0].gzip: must be true or false'],
  ])('rejects %s', (_, extra, message) => {
    const yaml = `destinations:\n  - name: s\n    type: splunk-hec\n    url: https://splunk.example:8088\n    ${extra}\n`;
    const errors = errorsOf(yaml);
    expect(errors.some((e) => e.startsWith(message)), errors.join('\n')).toBe(true);
  });

  it.each([
    ['an unknown type', 'destinations:\n  - name: s\n    type: kafka\n    url: https://x', 'destinations[0].type: must be one of splunk-hec, webhook'],
    ['a URL with credentials', 'destinations:\n  - name: s\n    type: webhook\n    url: https://u:p@x.example\n    secret: ${HOOK_SECRET}', 'destinations[0].url: must not carry credentials'],
    ['an ftp URL', 'destinations:\n  - name: s\n    type: webhook\n    url: ftp://x.example\n    secret: ${HOOK_SECRET}', 'destinations[0].url: must be an http:// or https:// URL'],
    ['duplicate names', 'destinations:\n  - { name: s, type: webhook, url: "https://a", secret: "${HOOK_SECRET}" }\n  - { name: s, type: webhook, url: "https://b", secret: "${HOOK_SECRET}" }', 'destinations[1].name: duplicate destination name "s"'],
    ['not a list', 'destinations: {}', 'destinations: must be a list'],
    ['YAML errors', 'destinations: [', '(yaml):'],
  ])('rejects %s', (_, yaml, message) => {
    const errors = errorsOf(yaml);
    expect(errors.some((e) => e.startsWith(message)), errors.join('\n')).toBe(true);
  });

  it.each([
    ['30s', 30_000],
    ['5m', 300_000],
    ['every 6h', 21_600_000],
    ['1d', 86_400_000],
    ['9s', null],
    ['soon', null],
  ])('schedule %s → %s ms', (text, ms) => {
    expect(parseSchedule(text)).toBe(ms);
  });
});
