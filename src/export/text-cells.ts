/** Small escaping helpers shared by the line-oriented renderers (csv, txt). */

/** Control characters (CR, LF, NUL...) that would break a line-oriented format. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/g;

export function stripControl(s: string): string {
  return s.replace(CONTROL, ' ');
}
