import { useEffect, useState, type ReactNode } from 'react';
import { ApiFailure, get, withQuery } from '../api.js';
import { ErrorBox, Loading } from '../components/Status.js';
import { fmtTime } from '../format.js';
import type { AuditEntryView } from '../types.js';

interface AuditPageBody {
  data: AuditEntryView[];
  meta: { next_before: number | null };
}

function details(d: Record<string, unknown>): string {
  return Object.entries(d)
    .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join('; ');
}

/** The audit log (administrators), newest first. */
export function AuditPage(): ReactNode {
  const [rows, setRows] = useState<AuditEntryView[]>([]);
  const [next, setNext] = useState<number | null>(null);
  const [error, setError] = useState<ApiFailure | null>(null);
  const [loaded, setLoaded] = useState(false);

  const load = async (before?: number): Promise<void> => {
    try {
      const page = await get<AuditPageBody>(withQuery('/api/admin/audit', { limit: 100, before }));
      setRows((r) => (before === undefined ? page.data : [...r, ...page.data]));
      setNext(page.meta.next_before);
      setError(null);
    } catch (err) {
      setError(err instanceof ApiFailure ? err : new ApiFailure(0, 'error', String(err)));
    } finally {
      setLoaded(true);
    }
  };
  useEffect(() => {
    void load();
  }, []);

  if (error) return <ErrorBox error={error} />;
  if (!loaded) return <Loading />;
  return (
    <section>
      <h1>Audit log</h1>
      <table className="data" data-testid="audit-table">
        <thead>
          <tr>
            <th>When</th>
            <th>Who</th>
            <th>Action</th>
            <th>Target</th>
            <th>Details</th>
            <th>From</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id}>
              <td>{fmtTime(r.at)}</td>
              <td>{r.actor?.email ?? '—'}</td>
              <td>
                <code>{r.action}</code>
              </td>
              <td className="wrap">{r.target ? `${r.target.type} ${r.target.id}` : '—'}</td>
              <td className="wrap">{details(r.details)}</td>
              <td>{r.ip ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {next !== null ? (
        <button type="button" className="secondary" onClick={() => void load(next)}>
          Older entries
        </button>
      ) : null}
    </section>
  );
}
