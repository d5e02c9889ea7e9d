import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderStixObject, STIX_SHARED_OBJECTS } from '../../src/export/stix.js';
import type { StixIndicator, StixObject } from '../../src/export/stix-types.js';
import { requireDependency } from '../support/require.js';
import { hasSharedData } from '../support/shared-data.js';
import { iocRecord, sharedDataRecords, source } from './stix-records.js';

/**
 * Every object the renderer produces passes the OASIS stix2-validator at the strictest
 * profile our content can meet (see test/interop/py/validate_stix.py for what is off and why).
 */
const PYTHON = resolve('.venv/bin/python');
const hasValidator = requireDependency(
  'stix2-validator',
  existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import stix2validator'], { stdio: 'ignore' }).status === 0,
  'install .ci/requirements-interop.txt into .venv',
);

interface ValidatorReport {
  checked: number;
  failures: Array<{ profile: string; errors: string[] }>;
}

function validateStix(objects: readonly StixObject[]): ValidatorReport {
  const run = spawnSync(PYTHON, ['test/interop/py/validate_stix.py'], {
    input: JSON.stringify(objects),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`validate_stix.py failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as ValidatorReport;
}

/** Values that stress escaping, markings, statuses and optional properties. */
const edgeCases = [
  iocRecord({ type: 'url', value: "http://evil.example/it's\\here?q='x'", status: 'revoked', tlp: 'red' }),
  iocRecord({ type: 'url', value: 'http://xn--80ak6aa92e.example/päth', tlp: 'amber+strict', expires_at: '2026-09-01T00:00:00Z' }),
  iocRecord({ type: 'ipv6', value: '2001:db8::/32', status: 'expired', tlp: 'amber' }),
  iocRecord({ type: 'ipv6', value: '2001:db8::7', status: 'allowlisted' }),
  iocRecord({ type: 'domain', value: 'evil.example', mitre_techniques: ['T1105', 'T1071'], industries: ['energy', 'dams'] }),
  iocRecord({ type: 'email', value: 'phish@evil.example', confidence: 'low', context: 'Sender of "invoice" mails' }),
  iocRecord({ type: 'sha512', value: 'ab'.repeat(64) }),
  iocRecord({ type: 'mitre-attack', value: 'T1105' }),
  iocRecord({ type: 'mitre-attack', value: 'T1059.001', status: 'expired' }),
  iocRecord({ type: 'mitre-attack', value: 'TA0001' }),
  iocRecord({
    type: 'cve',
    value: 'CVE-2021-44228',
    sources: [source('cve', 'government', { reference_url: 'https://www.cisa.gov/kev' })],
  }),
  iocRecord({ type: 'domain', value: 'late.example', first_seen: '2026-09-01T00:00:00Z', expires_at: '2026-08-01T00:00:00Z' }),
];

describe.skipIf(!hasValidator || !hasSharedData)('STIX output passes stix2-validator', () => {
  it('validates shared objects, edge cases and records from every shared feed sample', () => {
    const records = [...edgeCases, ...sharedDataRecords()];
    const objects: StixObject[] = [...STIX_SHARED_OBJECTS, ...records.map((r) => renderStixObject(r))];
    const report = validateStix(objects);
    expect(report.checked).toBe(objects.length);
    expect(report.failures.slice(0, 5)).toEqual([]);
  });

  it('catches an invalid object (the check can fail)', () => {
    const bad = renderStixObject(iocRecord({ type: 'domain', value: 'a.example' })) as StixIndicator;
    const report = validateStix([{ ...bad, pattern: "[domain-name:value = 'unterminated]" }]);
    expect(report.failures.length).toBeGreaterThan(0);
  });
});
