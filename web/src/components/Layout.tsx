import type { ReactNode } from 'react';
import { Link, useLocation } from '../router.js';
import { useSession } from '../session.js';

const NAV: Array<{ to: string; label: string; admin?: boolean }> = [
  { to: '/', label: 'Overview' },
  { to: '/lookup', label: 'Lookup' },
  { to: '/iocs', label: 'IOCs' },
  { to: '/keys', label: 'API Keys' },
  { to: '/usage', label: 'Usage' },
  { to: '/feeds', label: 'Feeds', admin: true },
  { to: '/admin/users', label: 'Users', admin: true },
  { to: '/admin/audit', label: 'Audit log', admin: true },
];

function active(path: string, to: string): boolean {
  return to === '/' ? path === '/' : path === to || path.startsWith(`${to}/`);
}

export function Layout({ children }: { children: ReactNode }): ReactNode {
  const { user, signOut } = useSession();
  const { path } = useLocation();
  return (
    <div className="app">
      <header className="topbar">
        <Link to="/" className="brand">
          SOC Defenders
        </Link>
        <nav aria-label="Main">
          {NAV.filter((n) => !n.admin || user.role === 'admin').map((n) => (
            <Link key={n.to} to={n.to} className={active(path, n.to) ? 'nav active' : 'nav'} data-testid={`nav-${n.label.toLowerCase().replaceAll(' ', '-')}`}>
              {n.label}
            </Link>
          ))}
        </nav>
        <div className="who">
          <span data-testid="who">{user.email}</span> <span className="badge badge-muted">{user.role}</span>{' '}
          <span className="badge badge-info">{user.plan}</span>{' '}
          <button type="button" className="small" onClick={() => void signOut()} data-testid="sign-out">
            Sign out
          </button>
        </div>
      </header>
      <main>{children}</main>
    </div>
  );
}
