import { useState, type FormEvent, type ReactNode } from 'react';
import { ApiFailure, request } from '../api.js';
import { ErrorBox } from '../components/Status.js';
import type { SessionBody } from '../types.js';

export function SignInPage({ onSignedIn, expired }: { onSignedIn: (b: SessionBody) => void; expired: boolean }): ReactNode {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiFailure | null>(null);

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await request<SessionBody>('POST', '/api/session', { email, password }));
    } catch (err) {
      setError(err instanceof ApiFailure ? err : new ApiFailure(0, 'error', String(err)));
      setPassword('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="signin">
      <form onSubmit={(e) => void submit(e)} className="card" aria-labelledby="signin-title">
        <h1 id="signin-title">SOC Defenders</h1>
        <p className="muted">Sign in to the dashboard.</p>
        {expired ? <p className="notice">Your session ended; sign in again.</p> : null}
        <label>
          E-mail
          <input type="email" name="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} data-testid="signin-email" />
        </label>
        <label>
          Password
          <input
            type="password"
            name="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            data-testid="signin-password"
          />
        </label>
        <ErrorBox error={error} />
        <button type="submit" disabled={busy} data-testid="signin-submit">
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        <p className="muted small-print">
          No account? An administrator creates one (the first with <code>socd users create --admin</code>).
        </p>
      </form>
    </main>
  );
}
