/**
 * A strict CEF parser written from the ArcSight CEF specification ("Implementing ArcSight Common
 * Event Format", rev. 25), independent of src/export/cef.ts, for round-trip tests:
 * - `CEF:Version|Device Vendor|Device Product|Device Version|Signature ID|Name|Severity|Extension`;
 * - header fields: `\|` is a pipe, `\\` a backslash; any other backslash, or a line break, is an error;
 * - extension: `key=value` pairs separated by a space; a value runs to the space before the next
 *   `key=`; in values `\\`, `\=`, `\n`, `\r` are the only escapes, an unescaped `=` is an error;
 * - severity 0-10 (or Unknown/Low/Medium/High/Very-High), keys alphanumeric.
 * No PyPI CEF parser is installed in .venv, so this one is the independent reader.
 */

export interface CefEvent {
  version: number;
  vendor: string;
  product: string;
  deviceVersion: string;
  signatureId: string;
  name: string;
  severity: string;
  extension: Record<string, string>;
  /** Extension keys in the order they appeared (duplicates are an error). */
  keys: string[];
}

export class CefParseError extends Error {}

function readHeaderField(line: string, start: number): { value: string; next: number } {
  let value = '';
  for (let i = start; i < line.length; i++) {
    const c = line[i] as string;
    if (c === '\\') {
      const n = line[i + 1];
      if (n !== '|' && n !== '\\') throw new CefParseError(`invalid header escape \\${n ?? ''} at ${i}`);
      value += n;
      i++;
    } else if (c === '|') {
      return { value, next: i + 1 };
    } else if (c === '\n' || c === '\r') {
      throw new CefParseError('line break in header');
    } else {
      value += c;
    }
  }
  throw new CefParseError('header ended before 7 fields');
}

const KEY = /^[A-Za-z0-9_]+$/;
const NEXT_KEY = /^ ([A-Za-z0-9_]+)=/;

function parseExtension(text: string): { extension: Record<string, string>; keys: string[] } {
  const extension: Record<string, string> = {};
  const keys: string[] = [];
  let i = 0;
  while (i < text.length) {
    const eq = text.indexOf('=', i);
    if (eq < 0) throw new CefParseError(`extension key without value at ${i}`);
    const key = text.slice(i, eq);
    if (!KEY.test(key)) throw new CefParseError(`invalid extension key "${key}"`);
    if (key in extension) throw new CefParseError(`duplicate extension key ${key}`);
    let value = '';
    let j = eq + 1;
    for (; j < text.length; j++) {
      const c = text[j] as string;
      if (c === '\\') {
        const n = text[j + 1];
        if (n === '\\' || n === '=') value += n;
        else if (n === 'n') value += '\n';
        else if (n === 'r') value += '\r';
        else throw new CefParseError(`invalid extension escape \\${n ?? ''} in ${key}`);
        j++;
      } else if (c === '=') {
        throw new CefParseError(`unescaped = in value of ${key}`);
      } else if (c === ' ' && NEXT_KEY.test(text.slice(j))) {
        break;
      } else if (c === '\n' || c === '\r') {
        throw new CefParseError(`raw line break in value of ${key}`);
      } else {
        value += c;
      }
    }
    extension[key] = value;
    keys.push(key);
    i = j + 1;
  }
  return { extension, keys };
}

export function parseCef(line: string): CefEvent {
  if (!line.startsWith('CEF:')) throw new CefParseError('does not start with CEF:');
  const fields: string[] = [];
  let pos = 4;
  for (let k = 0; k < 7; k++) {
    const { value, next } = readHeaderField(line, pos);
    fields.push(value);
    pos = next;
  }
  const [version, vendor, product, deviceVersion, signatureId, name, severity] = fields as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  if (!/^\d+$/.test(version)) throw new CefParseError(`invalid version ${version}`);
  const sev = Number(severity);
  const validSeverity =
    (/^\d{1,2}$/.test(severity) && sev >= 0 && sev <= 10) || ['Unknown', 'Low', 'Medium', 'High', 'Very-High'].includes(severity);
  if (!validSeverity) throw new CefParseError(`invalid severity ${severity}`);
  const { extension, keys } = parseExtension(line.slice(pos));
  return { version: Number(version), vendor, product, deviceVersion, signatureId, name, severity, extension, keys };
}
