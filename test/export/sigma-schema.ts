import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import addFormatsPlugin from 'ajv-formats';
import { parseAllDocuments } from 'yaml';
import { sharedFile } from '../support/shared-data.js';

/**
 * The Sigma rule JSON schema (SigmaHQ/sigma-specification, draft 2020-12) compiled once, and a
 * YAML reader that looks at our export the way the SIEM tools will.
 */

type FormatsPlugin = (ajv: Ajv2020) => Ajv2020;
// ajv-formats is CommonJS with `exports.default`; under NodeNext its default import is the module object.
const addFormats = ((addFormatsPlugin as unknown as { default?: FormatsPlugin }).default ??
  (addFormatsPlugin as unknown as FormatsPlugin)) as FormatsPlugin;

let validator: ((rule: unknown) => ErrorObject[]) | null = null;

/** Schema errors of one parsed rule (empty when valid). Reads the schema from ../shared/data/sigma/. */
export function sigmaSchemaErrors(rule: unknown): ErrorObject[] {
  if (validator === null) {
    const schema = JSON.parse(readFileSync(sharedFile('sigma', 'sigma-detection-rule-schema.json'), 'utf8')) as object;
    // strict: false: the published schema uses `items` beside `type: object`, which strict mode rejects.
    const ajv = addFormats(new Ajv2020({ strict: false, allErrors: true }));
    const validate = ajv.compile(schema);
    validator = (r) => (validate(r) ? [] : [...(validate.errors ?? [])]);
  }
  return validator(rule);
}

/**
 * The documents of a multi-document YAML export, parsed under YAML 1.2 (`yaml`, core schema:
 * dates stay strings) or YAML 1.1 (the rules PyYAML and so pySigma apply: `no` is a boolean,
 * `0123` octal). Throws on a YAML error or warning.
 */
export function parseRules(yamlText: string, version: '1.1' | '1.2' = '1.2'): unknown[] {
  return parseAllDocuments(yamlText, { version }).map((doc) => {
    const problems = [...doc.errors, ...doc.warnings];
    if (problems.length > 0) throw new Error(`YAML ${version}: ${problems.map((p) => p.message).join('; ')}`);
    return doc.toJS() as unknown;
  });
}
