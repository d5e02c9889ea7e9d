import type { IocRecord } from '../../src/domain/ioc.js';
import { iocRecord, source } from './stix-records.js';

/**
 * Text that breaks naive renderers: CEF header and extension delimiters, XML markup, syslog
 * structured-data delimiters, JSON quoting, line breaks, non-ASCII. Every export test puts each
 * of them in every free-text field and checks it comes back exactly.
 */
export const HOSTILE_TEXTS: readonly string[] = [
  'pipe|in|text',
  'back\\slash\\',
  'equals=sign a=b',
  'line\nbreak',
  'carriage\r\nreturn',
  '<script>alert(1)</script>',
  'amp & ampersand &amp;',
  'double "quotes" and \'single\'',
  'bracket ] and [ and ]]>',
  'CEF:0|fake|header|',
  '\\n literal backslash-n',
  'ünïcödé — 東京',
  'tab\there',
];

/** One record per hostile text, with the text in context, tags, feed name, malware and threat type. */
export function hostileRecords(): IocRecord[] {
  return HOSTILE_TEXTS.map((text, i) =>
    iocRecord({
      type: 'domain',
      value: `hostile-${i}.example`,
      context: text,
      tags: [text, `plain-${i}`],
      malware: text,
      threat_type: text,
      sources: [source(text, 'community')],
      mitre_techniques: ['T1071'],
      tlp: 'amber',
      confidence: 'high',
    }),
  );
}

/** URLs whose values themselves hold characters every format escapes. */
export function hostileUrlRecords(): IocRecord[] {
  return [
    iocRecord({ type: 'url', value: 'http://evil.example/a|b?c=d&e=<f>"g"' }),
    iocRecord({ type: 'url', value: "http://evil.example/it's\\here]" }),
    iocRecord({ type: 'url', value: 'http://evil.example/%0d%0a=x' }),
  ];
}
