import type { ReactNode } from 'react';
import { BarChart } from '../components/BarChart.js';
import { ErrorBox, Loading, Stat } from '../components/Status.js';
import { fmtNumber, fmtTime } from '../format.js';
import { useData } from '../hooks.js';
import { Link } from '../router.js';
import type { DashboardUsage, Page, PlanView } from '../types.js';

function PlanFacts({ plan }: { plan: PlanView }): ReactNode {
  return (
    <dl className="facts">
      <dt>Results per request</dt>
      <dd>{fmtNumber(plan.results_per_request)}</dd>
      <dt>Requests per minute</dt>
      <dd>{fmtNumber(plan.requests_per_minute)}</dd>
      <dt>Requests per UTC day</dt>
      <dd>{fmtNumber(plan.requests_per_day)}</dd>
      <dt>Lookback</dt>
      <dd>
        {plan.lookback_days} day{plan.lookback_days === 1 ? '' : 's'}
      </dd>
      <dt>API keys</dt>
      <dd>{plan.keys_per_user}</dd>
      <dt>Formats and features</dt>
      <dd>{plan.features.join(', ')}</dd>
    </dl>
  );
}

/** Requests today against the plan's quotas (per key), a per-day chart, the plan and what the next one unlocks. */
export function UsagePage(): ReactNode {
  const { data, error } = useData<Page<DashboardUsage>>('/api/dashboard/usage?days=30');
  if (error) return <ErrorBox error={error} />;
  if (!data) return <Loading />;
  const u = data.data;
  return (
    <section>
      <h1>Usage</h1>
      <div className="stats">
        <Stat label="Requests today (all your keys)" value={fmtNumber(u.today.requests)} testId="usage-today" />
        <Stat label="Plan" value={u.plan.name} testId="usage-plan" />
        <Stat label="Per key per day" value={fmtNumber(u.plan.requests_per_day)} />
        <Stat label="Per key per minute" value={fmtNumber(u.plan.requests_per_minute)} />
      </div>
      <h2>Today, per key</h2>
      {u.keys.length === 0 ? (
        <p className="muted">
          No active keys. <Link to="/keys">Create one</Link>.
        </p>
      ) : (
        <table className="data" data-testid="usage-keys">
          <thead>
            <tr>
              <th>Key</th>
              <th>This minute</th>
              <th>Today</th>
              <th>Quota used</th>
              <th>Resets</th>
            </tr>
          </thead>
          <tbody>
            {u.keys.map((k) => (
              <tr key={k.id}>
                <td>
                  <Link to={`/keys/${k.id}`}>{k.name}</Link> <code>{k.key_prefix}…</code>
                </td>
                <td className="num">
                  {fmtNumber(k.minute.used)} / {fmtNumber(k.minute.limit)}
                </td>
                <td className="num">
                  {fmtNumber(k.day.used)} / {fmtNumber(k.day.limit)}
                </td>
                <td>
                  <progress max={k.day.limit} value={Math.min(k.day.used, k.day.limit)} aria-label={`${k.name} quota used today`} />
                </td>
                <td>{fmtTime(k.day.resets_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <BarChart title="Requests per day, all your keys (last 30 UTC days)" bars={u.daily.map((d) => ({ label: d.date, value: d.requests }))} testId="usage-chart" />
      <div className="grid2">
        <div className="card">
          <h2>Your plan: {u.plan.name}</h2>
          <PlanFacts plan={u.plan} />
        </div>
        {u.upgrade ? (
          <div className="card upgrade" data-testid="upgrade">
            <h2>What {u.upgrade.plan.name} unlocks</h2>
            <p>{u.upgrade.unlocks.join(', ')}</p>
            <PlanFacts plan={u.upgrade.plan} />
            <p className="muted">Ask an administrator to change your plan.</p>
          </div>
        ) : null}
      </div>
    </section>
  );
}
