import { pickJsonValues } from '../json-stream.js';
import { problem } from '../parse-items.js';
import { asObject, firstUrl, isoUtc, joinContext, mergeLists, present } from '../record-fields.js';
import type { FeedParser, ParseItem } from '../types.js';

/**
 * CISA Known Exploited Vulnerabilities catalog (JSON): one `cve` indicator per entry of
 * `vulnerabilities`, streamed. Field mapping:
 * - first_seen ← dateAdded; tags ← vendorProject, product, and `ransomware` when
 *   knownRansomwareCampaignUse is "Known"; threat_type `exploited_vulnerability` (→ T1190);
 * - context ← vulnerabilityName, shortDescription, requiredAction and dueDate;
 * - reference_url ← the first URL in notes (the vendor advisory), else the NVD page of the CVE.
 * Government source, high confidence: every entry is exploitation CISA has confirmed.
 */
export const cisaKevParser: FeedParser = {
  format: 'cisa-kev',
  defaults: { category: 'government', confidence: 'high' },
  async *parse(input) {
    const entries = pickJsonValues(input, (path) => path.length === 2 && path[0] === 'vulnerabilities');
    for await (const item of entries) {
      if (item.kind === 'syntax-error') {
        yield problem(item.record, item.message);
        return;
      }
      yield fromKevEntry(item.record, item.value);
    }
  },
};

function fromKevEntry(record: number, value: unknown): ParseItem {
  const entry = asObject(value);
  const cve = present(entry?.cveID);
  if (!entry || cve === undefined) return problem(record, 'vulnerability entry without a cveID');
  const ransomware = present(entry.knownRansomwareCampaignUse)?.toLowerCase() === 'known';
  const due = present(entry.dueDate);
  return {
    kind: 'indicator',
    line: record,
    value: cve,
    type: 'cve',
    first_seen: isoUtc(entry.dateAdded),
    tags: mergeLists([present(entry.vendorProject), present(entry.product)].filter((t): t is string => t !== undefined), ransomware ? ['ransomware'] : []),
    threat_type: 'exploited_vulnerability',
    context: joinContext(
      entry.vulnerabilityName,
      entry.shortDescription,
      present(entry.requiredAction) && `Required action: ${present(entry.requiredAction)}`,
      due && `Due date: ${due}`,
    ),
    reference_url: firstUrl(entry.notes) ?? `https://nvd.nist.gov/vuln/detail/${encodeURIComponent(cve)}`,
  };
}
