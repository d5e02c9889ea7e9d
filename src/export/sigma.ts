import type { IocRecord } from '../domain/ioc.js';
import type { IocType } from '../domain/vocabulary.js';
import {
  SIGMA_UNSUPPORTED,
  isSigmaRuleType,
  sigmaDetectionPlan,
  type SigmaDetectionPlan,
  type SigmaMatch,
  type SigmaRuleShape,
} from './sigma-detection.js';
import {
  sigmaDates,
  sigmaDescription,
  sigmaLevel,
  sigmaReferences,
  sigmaStatus,
  sigmaTags,
  sigmaTitle,
} from './sigma-meta.js';
import { oneLine, yamlQuoted } from './sigma-yaml.js';

/**
 * The Sigma rendering of IOCs for `GET /api/v1/iocs/sigma`: one rule per IOC (Sigma
 * specification v2), in one multi-document YAML stream that `sigma convert` reads as is.
 *
 * - `id` is the IOC id, the UUIDv5 of `type:value` (domain/ids.ts `iocId`): the same IOC always
 *   yields the same rule id, so a SIEM refresh updates rules instead of duplicating them.
 * - Titles are unique per IOC (they become Splunk saved-search names).
 * - Every value is single-quoted with `'` doubled; match values have `*`, `?` and `\` escaped.
 * - Documents are separated by `---` with nothing after the last one: an empty trailing
 *   document is `None` to PyYAML and crashes pySigma.
 * The YAML is written by hand, line by line (no YAML library), for speed and so the quoting
 * above holds for every value by construction.
 */

export { SIGMA_RULE_TYPES, SIGMA_UNSUPPORTED, isSigmaRuleType } from './sigma-detection.js';
export type { SigmaRuleType } from './sigma-detection.js';

const INDENT = '    ';
export const SIGMA_AUTHOR = 'SOC Defenders';
const AUTHOR_LINE = `author: ${yamlQuoted(SIGMA_AUTHOR)}\n`;

function listBlock(key: string, items: readonly string[]): string {
  if (items.length === 0) return '';
  let out = `${key}:\n`;
  for (const item of items) out += `${INDENT}- ${yamlQuoted(item)}\n`;
  return out;
}

function matchLine(m: SigmaMatch): string {
  return `${m.field}: ${yamlQuoted(m.value)}`;
}

function detectionBlock(plan: SigmaDetectionPlan): string {
  let out = `detection:\n${INDENT}selection:\n`;
  if ('all' in plan.selection) {
    for (const m of plan.selection.all) out += `${INDENT}${INDENT}${matchLine(m)}\n`;
  } else {
    for (const m of plan.selection.any) out += `${INDENT}${INDENT}- ${matchLine(m)}\n`;
  }
  return `${out}${INDENT}condition: 'selection'\n`;
}

/** The blocks every rule of one shape shares, rendered once. */
interface ShapeYaml {
  logsource: string;
  falsepositives: string;
}
const shapeYaml = new Map<SigmaRuleShape, ShapeYaml>();

function yamlOfShape(shape: SigmaRuleShape): ShapeYaml {
  let y = shapeYaml.get(shape);
  if (y === undefined) {
    let logsource = `logsource:\n${INDENT}category: ${yamlQuoted(shape.logsource.category)}\n`;
    if (shape.logsource.product !== undefined) logsource += `${INDENT}product: ${yamlQuoted(shape.logsource.product)}\n`;
    y = { logsource, falsepositives: listBlock('falsepositives', shape.falsepositives) };
    shapeYaml.set(shape, y);
  }
  return y;
}

/** Tags match `[a-z0-9_-]+\.[a-z0-9._-]+` by construction: nothing to escape. */
function tagsBlock(tags: readonly string[]): string {
  let out = 'tags:\n';
  for (const tag of tags) out += `${INDENT}- '${tag}'\n`;
  return out;
}

/**
 * One Sigma rule as a YAML document (ending in a newline, without `---`), or null for the IOC
 * types no log source can match (SIGMA_UNSUPPORTED).
 *
 * @example renderSigmaRule(ioc) // "title: 'Network Connection To Emotet Botnet C2 IP 203.0.113.42'\nid: '…'\n…"
 */
export function renderSigmaRule(ioc: IocRecord): string | null {
  const plan = sigmaDetectionPlan(ioc.type, ioc.value);
  if (plan === null) return null;
  const shape = yamlOfShape(plan.shape);
  // The IOC id is already the UUIDv5 of `type:value` (domain/ids.ts): no need to hash again.
  const id = ioc.id;
  // Dates are YYYY-MM-DD by construction.
  const { date, modified } = sigmaDates(ioc);
  return (
    `title: ${yamlQuoted(sigmaTitle(plan.shape, ioc, id))}\n` +
    `id: ${yamlQuoted(id)}\n` +
    `status: '${sigmaStatus(ioc.status, ioc.confidence)}'\n` +
    `description: ${yamlQuoted(sigmaDescription(plan.shape, ioc))}\n` +
    listBlock('references', sigmaReferences(ioc)) +
    AUTHOR_LINE +
    `date: '${date}'\n` +
    `modified: '${modified}'\n` +
    tagsBlock(sigmaTags(ioc)) +
    shape.logsource +
    detectionBlock(plan) +
    shape.falsepositives +
    `level: '${sigmaLevel(ioc.confidence)}'\n`
  );
}

/**
 * Joins rules into one multi-document stream as they are rendered: `---` goes before every
 * rule but the first, so the stream never ends with a separator or holds an empty document.
 * IOCs of unsupported types yield '' and are counted in `skipped`.
 *
 * @example
 * const w = new SigmaStreamWriter();
 * for (const ioc of iocs) res.write(w.write(ioc));
 */
export class SigmaStreamWriter {
  rules = 0;
  readonly skipped: Partial<Record<IocType, number>> = {};

  write(ioc: IocRecord): string {
    const rule = renderSigmaRule(ioc);
    if (rule === null) {
      this.skipped[ioc.type] = (this.skipped[ioc.type] ?? 0) + 1;
      return '';
    }
    this.rules += 1;
    return this.rules === 1 ? rule : `---\n${rule}`;
  }
}

export interface SigmaPreamble {
  generatedAt: string;
  /** IOCs the request matched that have no rule, by type. */
  skipped: Partial<Record<IocType, number>>;
}

/**
 * The leading YAML comment of an export: when it was generated and how many matching IOCs have
 * no rule, by type and why. Comments are not documents, so pySigma ignores them.
 *
 * @example sigmaPreamble({ generatedAt: '2026-01-01T00:00:00Z', skipped: { cve: 2 } })
 */
export function sigmaPreamble(p: SigmaPreamble): string {
  let out = `# SOC Defenders Sigma rules, one per IOC, generated ${oneLine(p.generatedAt)}.\n`;
  const entries = Object.entries(p.skipped).filter((e): e is [IocType, number] => typeof e[1] === 'number' && e[1] > 0);
  const total = entries.reduce((n, [, c]) => n + c, 0);
  if (total === 0) return out;
  out += `# ${total} matching IOC${total === 1 ? ' has' : 's have'} no Sigma rule: no log source can match them.\n`;
  for (const [type, count] of entries) {
    if (isSigmaRuleType(type)) continue;
    out += `#   ${type}: ${count} (${SIGMA_UNSUPPORTED[type]})\n`;
  }
  return out;
}

/**
 * The whole export as a stream of chunks: the preamble, then each rule as it is rendered.
 * Memory stays flat whatever the number of IOCs.
 */
export async function* renderSigmaStream(
  iocs: AsyncIterable<IocRecord> | Iterable<IocRecord>,
  preamble: SigmaPreamble,
): AsyncGenerator<string> {
  yield sigmaPreamble(preamble);
  const writer = new SigmaStreamWriter();
  for await (const ioc of iocs) {
    const chunk = writer.write(ioc);
    if (chunk !== '') yield chunk;
  }
}
