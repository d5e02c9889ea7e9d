/**
 * The JSON list envelope `{meta, data, links}` (DESIGN.md §7), built by concatenating IOC
 * documents already rendered at write time (DESIGN.md §11): no per-request JSON.stringify of IOCs.
 * Split into head and tail so a route can stream the documents in between.
 */

export interface ListLinks {
  self: string;
  next: string | null;
}

/** `{"meta":{...},"data":[` */
export function envelopeHead(meta: object): string {
  return `{"meta":${JSON.stringify(meta)},"data":[`;
}

/** `],"links":{...}}` */
export function envelopeTail(links: ListLinks): string {
  return `],"links":${JSON.stringify(links)}}`;
}

/**
 * A whole list page from pre-rendered JSON documents (each one a valid JSON value).
 *
 * @example jsonPage({ total: 1 }, ['{"id":"..."}'], { self: 'http://h/api/v1/iocs', next: null })
 */
export function jsonPage(meta: object, docs: readonly string[], links: ListLinks): string {
  return envelopeHead(meta) + docs.join(',') + envelopeTail(links);
}
