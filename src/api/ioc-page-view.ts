/**
 * The dashboard's IOC page: the record plus its ready-to-copy renderings, each made by the same
 * renderer the API serves it with (STIX object, Sigma rule, hunting queries, risk as /lookup
 * computes it) and the curl commands that fetch it. Pure.
 */
import type { IocRecord } from '../domain/ioc.js';
import { renderSigmaRule } from '../export/sigma.js';
import { renderStixObject } from '../export/stix.js';
import { lookupFound } from './lookup-view.js';
import type { IocPage } from './schemas/dashboard.js';

/** `s` as one POSIX shell word: single-quoted, with each `'` closed, escaped and reopened. */
export function shellQuote(s: string): string {
  return `'${s.replaceAll("'", `'\\''`)}'`;
}

/** encodeURIComponent plus the characters it leaves that a shell or a URL parser may treat specially. */
export function encodeQueryValue(v: string): string {
  return encodeURIComponent(v).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function curl(url: string): string {
  return `curl -sS -H "Authorization: Bearer $SOCD_API_KEY" ${shellQuote(url)}`;
}

export function iocPage(record: IocRecord, baseUrl: string, now: Date): IocPage {
  const lookup = lookupFound(record, new Map(), now).data;
  let stix: string;
  try {
    stix = JSON.stringify(renderStixObject(record), null, 2);
  } catch (err) {
    stix = `// no STIX rendering: ${err instanceof Error ? err.message : String(err)}`;
  }
  return {
    ioc: record,
    risk: { score: lookup.risk?.score ?? 0, level: lookup.risk?.level ?? 'low' },
    renderings: {
      stix,
      sigma: renderSigmaRule(record),
      curl: {
        by_id: curl(`${baseUrl}/api/v1/iocs/${record.id}`),
        lookup: curl(`${baseUrl}/api/v1/lookup?ioc=${encodeQueryValue(record.value)}`),
      },
      splunk: lookup.hunting.splunk_query,
      kql: lookup.hunting.kql_query,
    },
  };
}
