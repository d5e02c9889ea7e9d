/**
 * TAXII content negotiation, lenient on purpose (../shared/research/taxii-stix.md §3): the
 * TAXII 2.1 media type with or without `version`, `application/json`, `*` wildcards, spaces and
 * q-values are all served the TAXII 2.1 representation; only a request that accepts none of
 * them (or asks for another TAXII version) gets 406. No Accept header at all is served too.
 */

function acceptable(range: string): boolean {
  const [type = '', ...params] = range.split(';').map((p) => p.trim().toLowerCase());
  const version = params.find((p) => p.startsWith('version='))?.slice('version='.length);
  const q = params.find((p) => p.startsWith('q='));
  if (q !== undefined && Number(q.slice(2)) === 0) return false;
  switch (type) {
    case 'application/taxii+json':
      return version === undefined || version === '2.1';
    case 'application/json':
    case 'application/*':
    case '*/*':
      return true;
    default:
      return false;
  }
}

/** Whether a request with this Accept header can be served `application/taxii+json;version=2.1`. */
export function acceptsTaxii(accept: string | undefined): boolean {
  if (accept === undefined || accept.trim() === '') return true;
  return accept.split(',').some(acceptable);
}
