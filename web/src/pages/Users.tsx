import { useState, type FormEvent, type ReactNode } from 'react';
import { ApiFailure, request } from '../api.js';
import { Badge, ErrorBox, Loading } from '../components/Status.js';
import { fmtTime } from '../format.js';
import { useData } from '../hooks.js';
import { useSession } from '../session.js';
import type { UserView } from '../types.js';

interface UserList {
  data: UserView[];
  meta: { plans: string[] };
}

function CreateUser({ plans, onCreated }: { plans: string[]; onCreated: () => void }): ReactNode {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<'member' | 'admin'>('member');
  const [plan, setPlan] = useState(plans[0] ?? 'free');
  const [error, setError] = useState<ApiFailure | null>(null);
  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setError(null);
    try {
      await request('POST', '/api/admin/users', { email, password, role, plan });
      setEmail('');
      setPassword('');
      onCreated();
    } catch (err) {
      setError(err instanceof ApiFailure ? err : new ApiFailure(0, 'error', String(err)));
    }
  };
  return (
    <form className="card row" onSubmit={(e) => void submit(e)} aria-label="Create a user">
      <label className="grow">
        E-mail
        <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} required data-testid="user-email" />
      </label>
      <label>
        Password (12+ characters)
        <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} minLength={12} required autoComplete="new-password" data-testid="user-password" />
      </label>
      <label>
        Role
        <select value={role} onChange={(e) => setRole(e.target.value === 'admin' ? 'admin' : 'member')} data-testid="user-role">
          <option value="member">member</option>
          <option value="admin">admin</option>
        </select>
      </label>
      <label>
        Plan
        <select value={plan} onChange={(e) => setPlan(e.target.value)} data-testid="user-plan">
          {plans.map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" data-testid="user-create">
        Create user
      </button>
      <ErrorBox error={error} />
    </form>
  );
}

/** Users (administrators): create, set plan, disable / enable. Every change is in the audit log. */
export function UsersPage(): ReactNode {
  const { user: me } = useSession();
  const { data, error, reload } = useData<UserList>('/api/admin/users');
  const [actionError, setActionError] = useState<ApiFailure | null>(null);

  const update = async (id: string, patch: { plan?: string; disabled?: boolean }): Promise<void> => {
    setActionError(null);
    try {
      await request('PATCH', `/api/admin/users/${encodeURIComponent(id)}`, patch);
    } catch (err) {
      setActionError(err instanceof ApiFailure ? err : new ApiFailure(0, 'error', String(err)));
    }
    reload();
  };

  if (error) return <ErrorBox error={error} />;
  if (!data) return <Loading />;
  return (
    <section>
      <h1>Users</h1>
      <CreateUser plans={data.meta.plans} onCreated={reload} />
      <ErrorBox error={actionError} />
      <table className="data" data-testid="users-table">
        <thead>
          <tr>
            <th>E-mail</th>
            <th>Role</th>
            <th>Plan</th>
            <th>State</th>
            <th>Created</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {data.data.map((u) => (
            <tr key={u.id} data-testid={`user-row-${u.email}`}>
              <td>{u.email}</td>
              <td>{u.role}</td>
              <td>
                <select value={u.plan} onChange={(e) => void update(u.id, { plan: e.target.value })} aria-label={`Plan of ${u.email}`} data-testid="user-set-plan">
                  {data.meta.plans.map((p) => (
                    <option key={p} value={p}>
                      {p}
                    </option>
                  ))}
                </select>
              </td>
              <td>
                <Badge value={u.disabled ? 'disabled' : 'active'} />
              </td>
              <td>{fmtTime(u.created_at)}</td>
              <td>
                {u.id === me.id ? (
                  <span className="muted">you</span>
                ) : (
                  <button type="button" className={u.disabled ? 'small' : 'small danger'} onClick={() => void update(u.id, { disabled: !u.disabled })} data-testid="user-toggle">
                    {u.disabled ? 'Enable' : 'Disable'}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
