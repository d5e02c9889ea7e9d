import type { ReactNode } from 'react';
import { BarChart, CountTable } from '../components/BarChart.js';
import { Badge, ErrorBox, Loading, Stat } from '../components/Status.js';
import { fmtNumber, fmtTime } from '../format.js';
import { useData } from '../hooks.js';
import type { Overview, Page } from '../types.js';

export function OverviewPage(): ReactNode {
  const { data, error } = useData<Page<Overview>>('/api/dashboard/overview');
  if (error) return <ErrorBox error={error} />;
  if (!data) return <Loading />;
  const o = data.data;
  return (
    <section>
      <h1>Overview</h1>
      <div className="stats">
        <Stat label="IOCs stored" value={fmtNumber(o.totals.iocs)} testId="total-iocs" />
        <Stat label="Active" value={fmtNumber(o.totals.active)} testId="active-iocs" />
        {Object.entries(o.by_status)
          .filter(([s]) => s !== 'active')
          .map(([s, n]) => (
            <Stat key={s} label={s} value={fmtNumber(n)} />
          ))}
      </div>
      <BarChart title="New IOCs per day (first seen, UTC)" bars={o.new_per_day.map((d) => ({ label: d.date, value: d.count }))} testId="new-per-day" />
      <div className="grid3">
        <CountTable caption="Active by type" counts={o.by_type} testId="by-type" />
        <CountTable caption="Active by confidence" counts={o.by_confidence} testId="by-confidence" />
        <CountTable caption="Active by source category" counts={o.by_category} testId="by-category" />
      </div>
      <h2>Feed health</h2>
      {o.feeds.length === 0 ? (
        <p className="muted">No feeds configured or run yet.</p>
      ) : (
        <table className="data" data-testid="feed-health">
          <thead>
            <tr>
              <th>Feed</th>
              <th>Health</th>
              <th>Last status</th>
              <th>Last run</th>
              <th>Last error</th>
            </tr>
          </thead>
          <tbody>
            {o.feeds.map((f) => (
              <tr key={f.name}>
                <td>{f.name}</td>
                <td>
                  <Badge value={f.health} />
                </td>
                <td>
                  <Badge value={f.last_status} />
                </td>
                <td>{fmtTime(f.last_run_at)}</td>
                <td className="wrap">{f.last_error ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="muted small-print">Counts as of {fmtTime(o.computed_at)}.</p>
    </section>
  );
}
