/** Display formatting. Pure; every result is rendered as text (React escapes it). */

export function fmtNumber(n: number): string {
  return Number.isInteger(n) ? n.toLocaleString('en-US') : n.toLocaleString('en-US', { maximumFractionDigits: 1 });
}

/** `2026-11-26 07:04 UTC`, or an em dash for null. */
export function fmtTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  return `${new Date(t).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function fmtMs(ms: number | null): string {
  return ms === null ? '—' : `${ms.toLocaleString('en-US', { maximumFractionDigits: 1 })} ms`;
}

export function fmtPercent(share: number | null): string {
  return share === null ? '—' : `${(share * 100).toLocaleString('en-US', { maximumFractionDigits: 1 })} %`;
}

export function fmtBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

/**
 * The URL to use as a link target, or null: only absolute http(s) URLs become links. Anything
 * else an attacker could put in a feed (`javascript:`, `data:`, relative paths) is shown as text.
 */
export function safeHttpUrl(s: string | null | undefined): string | null {
  if (!s) return null;
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}
