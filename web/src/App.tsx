/**
 * The dashboard: the signed-in user (GET /api/session) or the sign-in page, then one page per
 * path under /dashboard/. Every value from the server is rendered as React text (escaped);
 * nothing is ever inserted as HTML.
 */
import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiFailure, get, request, setCsrfToken, setSignedOutHandler } from './api.js';
import { Layout } from './components/Layout.js';
import { Loading } from './components/Status.js';
import { AuditPage } from './pages/Audit.js';
import { ExplorerPage } from './pages/Explorer.js';
import { FeedsPage } from './pages/Feeds.js';
import { IocDetailPage } from './pages/IocDetail.js';
import { KeysPage } from './pages/Keys.js';
import { KeyUsagePage } from './pages/KeyUsage.js';
import { LookupPage } from './pages/Lookup.js';
import { OverviewPage } from './pages/Overview.js';
import { SignInPage } from './pages/SignIn.js';
import { UsagePage } from './pages/Usage.js';
import { UsersPage } from './pages/Users.js';
import { navigate, useLocation, type Location } from './router.js';
import { SessionContext, type SessionState, type SessionUser } from './session.js';
import type { SessionBody } from './types.js';

type State = { status: 'loading' } | { status: 'signed-out'; expired: boolean } | { status: 'signed-in'; user: SessionUser };

function page(loc: Location): ReactNode {
  const p = loc.path.replace(/\/+$/, '') || '/';
  const iocMatch = /^\/iocs\/([0-9a-fA-F-]{36})$/.exec(p);
  if (iocMatch?.[1]) return <IocDetailPage id={iocMatch[1]} />;
  const keyMatch = /^\/keys\/([0-9a-fA-F-]{36})$/.exec(p);
  if (keyMatch?.[1]) return <KeyUsagePage id={keyMatch[1]} />;
  switch (p) {
    case '/':
    case '/signin':
      return <OverviewPage />;
    case '/lookup':
      return <LookupPage />;
    case '/iocs':
      return <ExplorerPage />;
    case '/keys':
      return <KeysPage />;
    case '/usage':
      return <UsagePage />;
    case '/feeds':
      return <FeedsPage />;
    case '/admin/users':
      return <UsersPage />;
    case '/admin/audit':
      return <AuditPage />;
    default:
      return (
        <section>
          <h1>Not found</h1>
          <p>There is no dashboard page at this address.</p>
        </section>
      );
  }
}

export function App(): ReactNode {
  const [state, setState] = useState<State>({ status: 'loading' });
  const loc = useLocation();

  const accept = useCallback((body: SessionBody) => {
    setCsrfToken(body.data.csrf_token);
    setState({ status: 'signed-in', user: body.data.user });
  }, []);

  useEffect(() => {
    setSignedOutHandler(() => {
      setCsrfToken(null);
      setState({ status: 'signed-out', expired: true });
    });
    get<SessionBody>('/api/session')
      .then(accept)
      .catch((e: unknown) => {
        if (!(e instanceof ApiFailure) || e.status !== 401) console.warn('session check failed', e);
        setState({ status: 'signed-out', expired: false });
      });
  }, [accept]);

  const session: SessionState | null = useMemo(() => {
    if (state.status !== 'signed-in') return null;
    return {
      user: state.user,
      signOut: async () => {
        try {
          await request('DELETE', '/api/session');
        } finally {
          setCsrfToken(null);
          setState({ status: 'signed-out', expired: false });
          navigate('/', { replace: true });
        }
      },
    };
  }, [state]);

  if (state.status === 'loading') return <Loading what="Starting" />;
  if (state.status === 'signed-out' || !session) {
    return <SignInPage onSignedIn={accept} expired={state.status === 'signed-out' && state.expired} />;
  }
  return (
    <SessionContext.Provider value={session}>
      <Layout>{page(loc)}</Layout>
    </SessionContext.Provider>
  );
}
