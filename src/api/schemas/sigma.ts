/** Schemas of `GET /api/v1/iocs/sigma`: the shared IOC filters, and the YAML answer's headers. */
import { Type, type Static } from '@sinclair/typebox';
import { IocFilterQueryProperties } from '../ioc-filter.js';

export const SIGMA_CONTENT_TYPE = 'application/yaml; charset=utf-8';

export const SigmaQuery = Type.Object(IocFilterQueryProperties);
export type SigmaQueryInput = Static<typeof SigmaQuery>;

export const SigmaRules = Type.String({
  description:
    'Sigma rules (specification v2), one per IOC, as one multi-document YAML stream: documents separated by ---, ' +
    'none after the last, a leading # comment naming the IOCs that have no rule. Feed it to `sigma convert`.',
});

export const SIGMA_HEADERS = {
  'X-Total-Count': { type: 'integer', description: 'IOCs with a Sigma rule matching the filters (all pages)' },
  'X-Next-Cursor': { type: 'string', description: 'Pass as cursor to continue after this page (absent when there is none)' },
  'X-Has-More': { type: 'string', enum: ['true', 'false'], description: 'Whether another page is ready now' },
  'X-Sigma-Skipped': {
    type: 'integer',
    description: 'IOCs matching the filters that have no rule because no log source can match them (cve, email, sha512, mitre-attack)',
  },
  'X-Sigma-Skipped-Types': { type: 'string', description: 'The skipped IOCs by type, e.g. `cve=12, email=3` (absent when none)' },
} as const;
