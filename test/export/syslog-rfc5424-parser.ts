/**
 * A strict RFC 5424 parser written from the RFC's ABNF (§6), independent of
 * src/export/syslog.ts, for round-trip tests:
 *
 *   SYSLOG-MSG = HEADER SP STRUCTURED-DATA [SP MSG]
 *   HEADER     = PRI VERSION SP TIMESTAMP SP HOSTNAME SP APP-NAME SP PROCID SP MSGID
 *   PRI = "<" 1*3DIGIT ">" (0..191); HOSTNAME 1*255, APP-NAME 1*48, PROCID 1*128, MSGID 1*32
 *   PRINTUSASCII or "-"; TIMESTAMP = "-" / FULL-DATE "T" FULL-TIME (TIME-SECFRAC 1*6DIGIT)
 *   SD-ELEMENT = "[" SD-ID *(SP SD-PARAM) "]"; SD-PARAM = PARAM-NAME "=" DQUOTE PARAM-VALUE DQUOTE
 *   SD-NAME = 1*32 PRINTUSASCII except '=', SP, ']', '"'
 *   PARAM-VALUE: '"', '\' and ']' MUST be escaped (\" \\ \]); a backslash before any other
 *   character is a literal backslash (§6.3.3)
 *   MSG = MSG-ANY / MSG-UTF8; MSG-UTF8 = BOM UTF-8-STRING
 */

export interface SdElement {
  id: string;
  params: Array<[string, string]>;
}

export interface SyslogMessage {
  facility: number;
  severity: number;
  version: number;
  timestamp: string | null;
  hostname: string | null;
  appName: string | null;
  procId: string | null;
  msgId: string | null;
  structuredData: SdElement[];
  msg: string | null;
  /** Whether MSG started with a BOM (MSG-UTF8). */
  bom: boolean;
}

export class SyslogParseError extends Error {}

const PRINT = '[\\x21-\\x7e]';
const HEADER = new RegExp(
  `^<(\\d{1,3})>([1-9]\\d{0,2}) (-|\\S+) (-|${PRINT}{1,255}) (-|${PRINT}{1,48}) (-|${PRINT}{1,128}) (-|${PRINT}{1,32}) `,
);
const TIMESTAMP = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d{1,6})?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/;
const SD_NAME = '[\\x21\\x23-\\x3c\\x3e-\\x5c\\x5e-\\x7e]{1,32}';
const PARAM = new RegExp(`^ (${SD_NAME})="((?:[^"\\\\\\]]|\\\\.)*)"`, 's');
const SD_ID = new RegExp(`^\\[(${SD_NAME})`);

function nil(v: string): string | null {
  return v === '-' ? null : v;
}

function unescapeParam(v: string): string {
  return v.replace(/\\(.)/gs, (whole, c: string) => (c === '"' || c === '\\' || c === ']' ? c : whole));
}

export function parseSyslog(line: string): SyslogMessage {
  const h = HEADER.exec(line);
  if (!h) throw new SyslogParseError(`invalid header: ${line.slice(0, 80)}`);
  const prival = Number(h[1]);
  if (prival > 191) throw new SyslogParseError(`PRI ${prival} out of range`);
  const ts = h[3] as string;
  if (ts !== '-' && !TIMESTAMP.test(ts)) throw new SyslogParseError(`invalid TIMESTAMP ${ts}`);
  let rest = line.slice(h[0].length);
  const structuredData: SdElement[] = [];
  if (rest.startsWith('-')) {
    rest = rest.slice(1);
  } else {
    while (rest.startsWith('[')) {
      const id = SD_ID.exec(rest);
      if (!id) throw new SyslogParseError(`invalid SD-ID at ${rest.slice(0, 40)}`);
      rest = rest.slice(id[0].length);
      const params: Array<[string, string]> = [];
      for (;;) {
        const p = PARAM.exec(rest);
        if (!p) break;
        params.push([p[1] as string, unescapeParam(p[2] as string)]);
        rest = rest.slice(p[0].length);
      }
      if (!rest.startsWith(']')) throw new SyslogParseError(`SD-ELEMENT not closed at ${rest.slice(0, 40)}`);
      rest = rest.slice(1);
      structuredData.push({ id: id[1] as string, params });
    }
    if (structuredData.length === 0) throw new SyslogParseError('STRUCTURED-DATA missing');
  }
  let msg: string | null = null;
  let bom = false;
  if (rest.length > 0) {
    if (!rest.startsWith(' ')) throw new SyslogParseError('no SP before MSG');
    msg = rest.slice(1);
    if (msg.startsWith('\ufeff')) {
      bom = true;
      msg = msg.slice(1);
    }
  }
  return {
    facility: Math.floor(prival / 8),
    severity: prival % 8,
    version: Number(h[2]),
    timestamp: nil(ts),
    hostname: nil(h[4] as string),
    appName: nil(h[5] as string),
    procId: nil(h[6] as string),
    msgId: nil(h[7] as string),
    structuredData,
    msg,
    bom,
  };
}

/** All values of a parameter, in order. */
export function sdValues(el: SdElement, name: string): string[] {
  return el.params.filter(([n]) => n === name).map(([, v]) => v);
}
