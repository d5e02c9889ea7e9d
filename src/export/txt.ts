/**
 * TXT: one bare IOC value per line (firewall and proxy block lists). Canonical values never hold
 * whitespace or control characters; any that did would be replaced so one value stays one line.
 */
import type { IocRecord } from '../domain/ioc.js';
import { stripControl } from './text-cells.js';

export const TXT_CONTENT_TYPE = 'text/plain; charset=utf-8';

export function renderTxtLine(record: Pick<IocRecord, 'value'>): string {
  return `${stripControl(record.value)}\n`;
}

export function renderTxt(records: Iterable<Pick<IocRecord, 'value'>>): string {
  let out = '';
  for (const r of records) out += renderTxtLine(r);
  return out;
}
