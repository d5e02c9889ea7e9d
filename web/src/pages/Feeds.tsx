import { useCallback, useState, type ReactNode } from 'react';
import { ApiFailure, request } from '../api.js';
import { Badge, ErrorBox, Loading } from '../components/Status.js';
import { fmtBytes, fmtNumber, fmtTime } from '../format.js';
import { useData, useInterval } from '../hooks.js';
import type { FeedListBody, FeedView } from '../types.js';

function Progress({ feed }: { feed: FeedView }): ReactNode {
  if (!feed.progress) return feed.running ? <span className="muted">running elsewhere…</span> : null;
  const p = feed.progress;
  return (
    <span className="progress-line" data-testid="feed-progress">
      {fmtNumber(p.lines)} lines, {fmtNumber(p.accepted)} accepted, {fmtNumber(p.rejected)} rejected, {fmtBytes(p.bytes)}
    </span>
  );
}

/** Feeds (administrators): last runs, counts, errors, next run, and "run now" with live progress. */
export function FeedsPage(): ReactNode {
  const { data, error, reload } = useData<FeedListBody>('/api/admin/feeds');
  const [runError, setRunError] = useState<ApiFailure | null>(null);
  const running = data?.data.some((f) => f.running) ?? false;
  const poll = useCallback(() => reload(), [reload]);
  useInterval(poll, 1000, running);

  const run = async (name: string): Promise<void> => {
    setRunError(null);
    try {
      await request('POST', `/api/admin/feeds/${encodeURIComponent(name)}/run`);
    } catch (err) {
      setRunError(err instanceof ApiFailure ? err : new ApiFailure(0, 'error', String(err)));
    }
    reload();
  };

  if (error) return <ErrorBox error={error} />;
  if (!data) return <Loading />;
  return (
    <section>
      <h1>Feeds</h1>
      <p className="muted">
        From <code>{data.meta.config ?? '(no feed config)'}</code>. The scheduler runs enabled feeds on their schedules; “Run now” reads a feed again at once.
      </p>
      {data.meta.config_error ? <p className="error-box">{data.meta.config_error}</p> : null}
      <ErrorBox error={runError} />
      <table className="data" data-testid="feeds-table">
        <thead>
          <tr>
            <th>Feed</th>
            <th>Status</th>
            <th>Last run</th>
            <th>Added</th>
            <th>Updated</th>
            <th>Unchanged</th>
            <th>Rejected</th>
            <th>Last error</th>
            <th>Next run</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {data.data.map((f) => (
            <tr key={f.name} data-testid={`feed-row-${f.name.replace(/[^A-Za-z0-9]+/g, '-')}`}>
              <td className="wrap">
                <strong>{f.name}</strong>
                <div className="muted small-print">
                  {f.format ?? '—'} · {f.schedule ?? '—'}
                  {f.enabled ? '' : ' · disabled'} · <span className="wrap">{f.source ?? 'no longer configured'}</span>
                </div>
                {f.warnings.map((w) => (
                  <div key={w} className="warning small-print">
                    {w}
                  </div>
                ))}
              </td>
              <td>
                <Badge value={f.last_status ?? 'never_run'} /> <Badge value={f.health} />
                <div>
                  <Progress feed={f} />
                </div>
              </td>
              <td>{fmtTime(f.last_run_at)}</td>
              <td className="num" data-testid="feed-added">
                {fmtNumber(f.added)}
              </td>
              <td className="num">{fmtNumber(f.updated)}</td>
              <td className="num">{fmtNumber(f.unchanged)}</td>
              <td className="num" data-testid="feed-rejected">
                {fmtNumber(f.rejected)}
              </td>
              <td className="wrap">{f.last_error ?? ''}</td>
              <td>{fmtTime(f.next_run_at)}</td>
              <td>
                {f.configured ? (
                  <button type="button" className="small" disabled={f.running} onClick={() => void run(f.name)} data-testid="feed-run">
                    {f.running ? 'Running…' : 'Run now'}
                  </button>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
