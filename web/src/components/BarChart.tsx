import type { ReactNode } from 'react';
import { fmtNumber } from '../format.js';

export interface Bar {
  label: string;
  value: number;
  /** A second value drawn over the bar (e.g. errors among requests). */
  overlay?: number;
}

/**
 * A vertical bar chart as plain SVG (no chart library, no HTML strings): one bar per entry,
 * the first and last labels on the axis, every value in a tooltip.
 */
export function BarChart({ bars, title, testId, overlayLabel }: { bars: readonly Bar[]; title: string; testId?: string; overlayLabel?: string }): ReactNode {
  const width = 720;
  const height = 180;
  const pad = { top: 12, right: 8, bottom: 22, left: 44 };
  const max = Math.max(1, ...bars.map((b) => b.value));
  const slot = (width - pad.left - pad.right) / Math.max(1, bars.length);
  const barW = Math.max(1, slot * 0.75);
  const y = (v: number): number => pad.top + (height - pad.top - pad.bottom) * (1 - v / max);
  const first = bars[0];
  const last = bars[bars.length - 1];
  return (
    <figure className="chart" data-testid={testId}>
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={title}>
        <line x1={pad.left} x2={width - pad.right} y1={y(0)} y2={y(0)} className="axis" />
        <text x={pad.left - 6} y={y(max) + 4} className="tick" textAnchor="end">
          {fmtNumber(max)}
        </text>
        <text x={pad.left - 6} y={y(0)} className="tick" textAnchor="end">
          0
        </text>
        {bars.map((b, i) => {
          const x = pad.left + i * slot + (slot - barW) / 2;
          return (
            <g key={b.label}>
              <rect x={x} y={y(b.value)} width={barW} height={Math.max(0, y(0) - y(b.value))} className="bar">
                <title>{`${b.label}: ${fmtNumber(b.value)}${b.overlay !== undefined ? `, ${overlayLabel ?? 'of which'} ${fmtNumber(b.overlay)}` : ''}`}</title>
              </rect>
              {b.overlay !== undefined && b.overlay > 0 ? (
                <rect x={x} y={y(b.overlay)} width={barW} height={Math.max(0, y(0) - y(b.overlay))} className="bar-overlay" />
              ) : null}
            </g>
          );
        })}
        {first ? (
          <text x={pad.left} y={height - 6} className="tick">
            {first.label}
          </text>
        ) : null}
        {last && bars.length > 1 ? (
          <text x={width - pad.right} y={height - 6} className="tick" textAnchor="end">
            {last.label}
          </text>
        ) : null}
      </svg>
    </figure>
  );
}

/** Label, count and a proportional bar per row (counts by type, confidence, category...). */
export function CountTable({ counts, testId, caption }: { counts: Record<string, number>; testId?: string; caption: string }): ReactNode {
  const entries = Object.entries(counts);
  const max = Math.max(1, ...entries.map(([, n]) => n));
  return (
    <table className="counts" data-testid={testId}>
      <caption>{caption}</caption>
      <tbody>
        {entries.map(([k, n]) => (
          <tr key={k}>
            <th scope="row">{k}</th>
            <td className="num">{fmtNumber(n)}</td>
            <td className="bar-cell">
              <svg viewBox="0 0 100 8" preserveAspectRatio="none" aria-hidden="true">
                <rect x="0" y="0" width={(100 * n) / max} height="8" className="bar" />
              </svg>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
