/**
 * TLS to HEC: verification is on by default (a self-signed server is refused at once, with a
 * hint, instead of being retried), a CA file makes a private CA's certificate acceptable, and
 * verify: false is possible for a lab. Certificates are made by the openssl CLI.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPush } from '../../src/push/run.js';
import { requireDependency } from '../support/require.js';
import { useTestStore } from '../store/test-store.js';
import { HEC_TOKEN, hecDestination, seed } from './support/fixtures.js';
import { startHecServer, type HecServer } from './support/hec-server.js';

const hasOpenssl = requireDependency('openssl', spawnSync('openssl', ['version'], { stdio: 'ignore' }).status === 0, 'apt-get install openssl');

describe.runIf(hasOpenssl)('HEC over TLS', () => {
  const db = useTestStore('sqlite');
  let dir: string;
  let hec: HecServer;
  let certFile: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'socd-tls-'));
    const keyFile = join(dir, 'key.pem');
    certFile = join(dir, 'cert.pem');
    const made = spawnSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'],
      { encoding: 'utf8' },
    );
    if (made.status !== 0) throw new Error(made.stderr);
    hec = await startHecServer({ tokens: { [HEC_TOKEN]: {} }, tls: { key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8') } });
  });
  afterAll(async () => {
    await hec?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a certificate it cannot verify, at once and with a hint', async () => {
    await seed(db.store(), 20);
    const r = await runPush(db.store(), hecDestination(hec.url));
    expect(r.status).toBe('error');
    expect(r.error?.code).toBe('tls_verification_failed');
    expect(r.error?.message).toMatch(/set tls\.ca_file/);
    expect(r.requests).toBe(1);
    expect(hec.events).toHaveLength(0);
  });

  it('accepts it with the CA file, or with verification off', async () => {
    await seed(db.store(), 20);
    const withCa = await runPush(db.store(), hecDestination(hec.url, { tls: { verify: true, caFile: certFile } }));
    expect(withCa).toMatchObject({ status: 'ok', delivered: 20 });
    await seed(db.store(), 5, 1000);
    const lab = await runPush(db.store(), hecDestination(hec.url, { tls: { verify: false, caFile: null } }));
    expect(lab).toMatchObject({ status: 'ok', delivered: 5 });
    expect(hec.events).toHaveLength(25);
  });
});
