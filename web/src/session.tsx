/** Who is signed in, shared by every page; the CSRF token goes to the API client. */
import { createContext, useContext } from 'react';
import type { SessionBody } from './types.js';

export type SessionUser = SessionBody['data']['user'];

export interface SessionState {
  user: SessionUser;
  signOut: () => Promise<void>;
}

export const SessionContext = createContext<SessionState | null>(null);

export function useSession(): SessionState {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside a signed-in page');
  return s;
}
