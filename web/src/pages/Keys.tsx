import { useState, type FormEvent, type ReactNode } from 'react';
import { ApiFailure, request, withQuery } from '../api.js';
import { CopyBox } from '../components/CopyBox.js';
import { Badge, ErrorBox, Loading } from '../components/Status.js';
import { fmtNumber, fmtTime } from '../format.js';
import { useData } from '../hooks.js';
import { Link } from '../router.js';
import { useSession } from '../session.js';
import type { CreatedKeyBody, KeySummary } from '../types.js';

interface KeyList {
  meta: { total: number; keys_per_user: number; active: number };
  data: KeySummary[];
}

const EXPIRY_CHOICES = [
  { days: 0, label: 'never' },
  { days: 30, label: '30 days' },
  { days: 90, label: '90 days' },
  { days: 180, label: '180 days' },
  { days: 365, label: '1 year' },
];

function CreateKey({ onCreated }: { onCreated: (k: CreatedKeyBody) => void }): ReactNode {
  const [name, setName] = useState('');
  const [days, setDays] = useState(0);
  const [error, setError] = useState<ApiFailure | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const created = await request<CreatedKeyBody>('POST', '/api/v1/keys', { name: name.trim(), ...(days > 0 ? { expires_in_days: days } : {}) });
      setName('');
      onCreated(created);
    } catch (err) {
      setError(err instanceof ApiFailure ? err : new ApiFailure(0, 'error', String(err)));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="card row" onSubmit={(e) => void submit(e)} aria-label="Create an API key">
      <label className="grow">
        Name
        <input value={name} onChange={(e) => setName(e.target.value)} maxLength={100} required placeholder="e.g. splunk-prod" data-testid="key-name" />
      </label>
      <label>
        Expires
        <select value={days} onChange={(e) => setDays(Number(e.target.value))} data-testid="key-expiry">
          {EXPIRY_CHOICES.map((c) => (
            <option key={c.days} value={c.days}>
              {c.label}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" disabled={busy || name.trim() === ''} data-testid="key-create">
        Create key
      </button>
      <ErrorBox error={error} />
    </form>
  );
}

/** The new key, shown this once: copy it now. */
function NewKey({ created, onDone }: { created: CreatedKeyBody; onDone: () => void }): ReactNode {
  return (
    <div className="card new-key" role="alert" data-testid="new-key-panel">
      <h2>New key “{created.data.name}”</h2>
      <p className="warning">
        <strong>Copy this key now.</strong> {created.meta.warning}
      </p>
      <CopyBox label="API key" text={created.data.key} testId="new-key" multiline={false} />
      <p className="muted">
        Use it as <code>Authorization: Bearer &lt;key&gt;</code> or <code>X-API-Key: &lt;key&gt;</code>.
      </p>
      <button type="button" onClick={onDone} data-testid="new-key-done">
        I have stored it
      </button>
    </div>
  );
}

function RevokeKey({ apiKey, onRevoked, onCancel }: { apiKey: KeySummary; onRevoked: () => void; onCancel: () => void }): ReactNode {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<ApiFailure | null>(null);
  const [busy, setBusy] = useState(false);
  const confirm = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setBusy(true);
    try {
      await request('DELETE', `/api/v1/keys/${apiKey.id}`, { reason: reason.trim() });
      onRevoked();
    } catch (err) {
      setError(err instanceof ApiFailure ? err : new ApiFailure(0, 'error', String(err)));
      setBusy(false);
    }
  };
  return (
    <form className="card confirm" onSubmit={(e) => void confirm(e)} role="alertdialog" aria-label="Confirm revocation" data-testid="revoke-dialog">
      <p>
        Revoke <strong>{apiKey.name}</strong> (<code>{apiKey.key_prefix}…</code>)? Every request with it fails from now on. This cannot be undone.
      </p>
      <label>
        Reason
        <input value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} required placeholder="e.g. leaked in a ticket" data-testid="revoke-reason" />
      </label>
      <ErrorBox error={error} />
      <div className="row">
        <button type="submit" className="danger" disabled={busy || reason.trim() === ''} data-testid="revoke-confirm">
          Revoke key
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** The API Keys tab: create (shown once), list, revoke with confirmation, per-key usage. */
export function KeysPage(): ReactNode {
  const { user } = useSession();
  const [all, setAll] = useState(false);
  const { data, error, loading, reload } = useData<KeyList>(withQuery('/api/v1/keys', { all: all ? 'true' : undefined }));
  const [created, setCreated] = useState<CreatedKeyBody | null>(null);
  const [revoking, setRevoking] = useState<KeySummary | null>(null);

  return (
    <section>
      <h1>API keys</h1>
      {data ? (
        <p className="muted" data-testid="key-quota">
          {data.meta.active} of {data.meta.keys_per_user} active keys allowed on your {user.plan} plan.
        </p>
      ) : null}
      {created ? (
        <NewKey
          created={created}
          onDone={() => {
            setCreated(null);
            reload();
          }}
        />
      ) : (
        <CreateKey
          onCreated={(c) => {
            setCreated(c);
            reload();
          }}
        />
      )}
      {user.role === 'admin' ? (
        <label className="checkbox">
          <input type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} data-testid="keys-all" /> Show every user’s keys
        </label>
      ) : null}
      {revoking ? (
        <RevokeKey
          apiKey={revoking}
          onCancel={() => setRevoking(null)}
          onRevoked={() => {
            setRevoking(null);
            reload();
          }}
        />
      ) : null}
      <ErrorBox error={error} />
      {loading && !data ? <Loading /> : null}
      {data ? (
        <table className="data" data-testid="keys-table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Key</th>
              {all ? <th>User</th> : null}
              <th>Plan</th>
              <th>Created</th>
              <th>Last used</th>
              <th>Expires</th>
              <th>Requests</th>
              <th>Status</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {data.data.map((k) => (
              <tr key={k.id} data-testid={`key-row-${k.key_prefix}`}>
                <td className="wrap">{k.name}</td>
                <td>
                  <code>{k.key_prefix}…</code>
                </td>
                {all ? <td>{k.user_email ?? k.user_id}</td> : null}
                <td>{k.plan}</td>
                <td>{fmtTime(k.created_at)}</td>
                <td>{fmtTime(k.last_used_at)}</td>
                <td>{fmtTime(k.expires_at)}</td>
                <td className="num">{fmtNumber(k.total_requests)}</td>
                <td>
                  <Badge value={k.status} />
                  {k.revoked_reason ? <div className="muted small-print">{k.revoked_reason}</div> : null}
                </td>
                <td className="actions">
                  <Link to={`/keys/${k.id}`} data-testid="key-usage-link">
                    Usage
                  </Link>
                  {k.status !== 'revoked' ? (
                    <button type="button" className="small danger" onClick={() => setRevoking(k)} data-testid="key-revoke">
                      Revoke
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {data && data.data.length === 0 ? <p className="muted">No keys yet.</p> : null}
    </section>
  );
}
