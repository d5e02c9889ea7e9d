import type { ReactNode } from 'react';
import type { ApiFailure } from '../api.js';

export function Loading({ what = 'Loading' }: { what?: string }): ReactNode {
  return (
    <p className="loading" role="status">
      {what}…
    </p>
  );
}

export function ErrorBox({ error }: { error: ApiFailure | null }): ReactNode {
  if (!error) return null;
  return (
    <div className="error-box" role="alert" data-testid="error">
      <strong>{error.status === 403 && error.code === 'forbidden' ? 'Not allowed' : 'Error'}</strong>{' '}
      <span>{error.message}</span> <code className="muted">{error.code}</code>
    </div>
  );
}

const TONE: Record<string, string> = {
  active: 'ok',
  ok: 'ok',
  healthy: 'ok',
  not_modified: 'ok',
  critical: 'bad',
  high: 'bad',
  revoked: 'bad',
  error: 'bad',
  expired: 'warn',
  degraded: 'warn',
  medium: 'warn',
  running: 'info',
  allowlisted: 'info',
  low: 'muted',
  never_run: 'muted',
};

export function Badge({ value }: { value: string | null | undefined }): ReactNode {
  const v = value ?? '—';
  return <span className={`badge badge-${TONE[v] ?? 'muted'}`}>{v}</span>;
}

export function Stat({ label, value, hint, testId }: { label: string; value: ReactNode; hint?: ReactNode; testId?: string }): ReactNode {
  return (
    <div className="stat" data-testid={testId}>
      <div className="stat-label">{label}</div>
      <div className="stat-value" data-testid={testId ? `${testId}-value` : undefined}>
        {value}
      </div>
      {hint !== undefined ? <div className="stat-hint">{hint}</div> : null}
    </div>
  );
}
