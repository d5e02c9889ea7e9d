import { useState, type ReactNode } from 'react';
import { BarChart } from '../components/BarChart.js';
import { Badge, ErrorBox, Loading, Stat } from '../components/Status.js';
import { fmtMs, fmtNumber, fmtPercent, fmtTime } from '../format.js';
import { useData } from '../hooks.js';
import { Link } from '../router.js';
import type { KeyDetail, KeyUsage, Page } from '../types.js';

/** Usage analytics of one key (GET /api/v1/keys/{id}/usage). */
export function KeyUsagePage({ id }: { id: string }): ReactNode {
  const [days, setDays] = useState(30);
  const key = useData<Page<KeyDetail>>(`/api/v1/keys/${encodeURIComponent(id)}`);
  const usage = useData<Page<KeyUsage>>(`/api/v1/keys/${encodeURIComponent(id)}/usage?days=${days}`);
  if (key.error) return <ErrorBox error={key.error} />;
  if (!key.data) return <Loading />;
  const k = key.data.data;
  const u = usage.data?.data;
  return (
    <section data-testid="key-usage">
      <p>
        <Link to="/keys">← API keys</Link>
      </p>
      <h1>
        {k.name} <code>{k.key_prefix}…</code> <Badge value={k.status} />
      </h1>
      <p className="muted">
        Plan {k.plan}: {fmtNumber(k.rate_limit_per_minute)} requests a minute, {fmtNumber(k.rate_limit_per_day)} a UTC day. Created {fmtTime(k.created_at)}; last used{' '}
        {fmtTime(k.last_used_at)}
        {k.revoked_at ? `; revoked ${fmtTime(k.revoked_at)} (${k.revoked_reason ?? ''})` : ''}.
      </p>
      <label className="inline">
        Window
        <select value={days} onChange={(e) => setDays(Number(e.target.value))} data-testid="usage-days">
          {[1, 7, 30, 90].map((d) => (
            <option key={d} value={d}>
              {d} day{d === 1 ? '' : 's'}
            </option>
          ))}
        </select>
      </label>
      <ErrorBox error={usage.error} />
      {!u ? (
        <Loading />
      ) : (
        <>
          <div className="stats">
            <Stat label="Requests" value={fmtNumber(u.total_requests)} testId="usage-total" />
            <Stat label="Successful" value={fmtNumber(u.successful)} hint={fmtPercent(u.success_rate)} testId="usage-successful" />
            <Stat label="Client errors" value={fmtNumber(u.client_errors)} testId="usage-client-errors" />
            <Stat label="Server errors" value={fmtNumber(u.server_errors)} />
            <Stat label="Average latency" value={fmtMs(u.avg_response_time_ms)} />
            <Stat label="p50 / p95 / p99" value={`${fmtMs(u.latency_p50_ms)} / ${fmtMs(u.latency_p95_ms)} / ${fmtMs(u.latency_p99_ms)}`} />
            <Stat label="Peak per minute" value={`${fmtNumber(u.rate_limit_peak_per_minute)} / ${fmtNumber(u.rate_limit_per_minute)}`} />
            <Stat label="Peak per day" value={`${fmtNumber(u.rate_limit_peak_per_day)} / ${fmtNumber(u.rate_limit_per_day)}`} />
          </div>
          <BarChart
            title="Requests per day (errors darker)"
            bars={u.daily.map((d) => ({ label: d.date, value: d.requests, overlay: d.errors }))}
            overlayLabel="errors"
            testId="usage-daily"
          />
          <div className="grid2">
            <table className="data" data-testid="usage-endpoints">
              <caption>Top endpoints</caption>
              <tbody>
                {u.top_endpoints.map((e) => (
                  <tr key={e.path}>
                    <td className="wrap">
                      <code>{e.path}</code>
                    </td>
                    <td className="num">{fmtNumber(e.count)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <table className="data" data-testid="usage-status">
              <caption>By status</caption>
              <tbody>
                {Object.entries(u.by_status).map(([s, n]) => (
                  <tr key={s}>
                    <td>{s}</td>
                    <td className="num">{fmtNumber(n)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <h2>Rate-limit hits (429) by hour</h2>
          {u.rate_limit_hits_by_hour.length === 0 ? (
            <p className="muted" data-testid="usage-429">
              None in this window.
            </p>
          ) : (
            <BarChart title="429 answers per hour" bars={u.rate_limit_hits_by_hour.map((h) => ({ label: h.hour.slice(0, 13).replace('T', ' ') + 'h', value: h.count }))} testId="usage-429" />
          )}
        </>
      )}
    </section>
  );
}
