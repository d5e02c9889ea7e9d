/**
 * Schemas of the Splunk surfaces: the `format=hec` options of `GET /api/v1/iocs` and the Splunk
 * ES lookup files `GET /api/v1/exports/splunk/{ip,domain,http,file,email}.csv`.
 */
import { Type, type Static } from '@sinclair/typebox';
import { DEFAULT_HEC_SOURCETYPE } from '../../export/splunk.js';
import { IocFilterQueryProperties } from '../ioc-filter.js';

const SPLUNK_NAME = '^[A-Za-z0-9_:.\\-]{1,100}$';

/** Spread into the list query: envelope fields of `format=hec`. */
export const HecQueryProperties = {
  hec_index: Type.Optional(
    Type.String({ pattern: SPLUNK_NAME, description: "format=hec: the envelopes' index (default: none, the HEC token's default index)" }),
  ),
  hec_sourcetype: Type.Optional(
    Type.String({ pattern: SPLUNK_NAME, description: `format=hec: the envelopes' sourcetype (default ${DEFAULT_HEC_SOURCETYPE})` }),
  ),
};

/** Filters a lookup file takes: which active IOCs, not how many (a lookup is the whole set). */
export const SplunkLookupQuery = Type.Object({
  confidence: IocFilterQueryProperties.confidence,
  category: IocFilterQueryProperties.category,
  industry: IocFilterQueryProperties.industry,
  since: IocFilterQueryProperties.since,
});
export type SplunkLookupQueryInput = Static<typeof SplunkLookupQuery>;

export const LookupCsv = Type.String({ description: 'CSV with a header row, CRLF line ends, RFC 4180 quoting' });
