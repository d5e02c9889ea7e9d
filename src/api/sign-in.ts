/**
 * Dashboard sign-in: password check (scrypt, credentials.ts) with a brute-force slow-down, and
 * session creation. Rules:
 * - Failures are counted per e-mail address and per client address in the database (so every
 *   process behind a load balancer sees them), within a 15-minute window.
 * - From the THROTTLE threshold on, each further failure blocks that e-mail (or address) for
 *   twice as long as the one before: 1 s, 2 s, 4 s ... up to 15 minutes. A blocked attempt is
 *   answered 429 with Retry-After without checking the password at all.
 * - An unknown e-mail costs the same scrypt work as a known one, and both answer the same 401,
 *   so sign-in does not reveal which addresses have accounts.
 */
import { randomBytes } from 'node:crypto';
import type { AccountsRepository } from '../store/accounts-repository.js';
import type { SessionsRepository, ThrottleState } from '../store/sessions-repository.js';
import { hashPassword, verifyPassword } from './credentials.js';
import { ApiError } from './errors.js';
import { newSessionToken, sessionExpiry, type SessionContext, csrfTokenOf } from './plugins/session.js';

export const THROTTLE = {
  windowMs: 15 * 60_000,
  /** Failures of one e-mail before each further one blocks it. */
  perEmail: 5,
  /** Failures from one client address (across e-mails) before each further one blocks it. */
  perAddress: 20,
  firstBlockMs: 1000,
  maxBlockMs: 15 * 60_000,
} as const;

/** How long `failures` failures block, against a threshold (0: not blocked). Pure. */
export function blockDurationMs(failures: number, threshold: number): number {
  if (failures < threshold) return 0;
  return Math.min(THROTTLE.firstBlockMs * 2 ** Math.min(failures - threshold, 30), THROTTLE.maxBlockMs);
}

/** Seconds until the latest block among `states` ends (0: none in force). Pure. */
export function retryAfterSeconds(states: Iterable<ThrottleState>, now: Date): number {
  let until = 0;
  for (const s of states) if (s.blockedUntil !== null) until = Math.max(until, Date.parse(s.blockedUntil));
  return until > now.getTime() ? Math.ceil((until - now.getTime()) / 1000) : 0;
}

export interface SignInDeps {
  accounts: AccountsRepository;
  sessions: SessionsRepository;
}

export interface SignInInput {
  email: string;
  password: string;
  ip: string | null;
  userAgent: string | null;
}

export interface SignedIn {
  /** The cookie's value. */
  token: string;
  session: SessionContext;
}

let dummyHash: Promise<string> | null = null;
/** A real scrypt hash of a random password: what an unknown e-mail is checked against. */
function dummy(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
  return dummyHash;
}

function tooMany(seconds: number): ApiError {
  return new ApiError(
    429,
    'rate_limit_exceeded',
    `too many failed sign-ins; try again in ${seconds} s`,
    { retry_after: seconds },
    { 'Retry-After': String(seconds) },
  );
}

const INVALID = (): ApiError => new ApiError(401, 'invalid_credentials', 'the e-mail address or the password is wrong');

/** Check credentials and open a session, or throw 401 / 403 / 429 (ApiError). */
export async function signIn(deps: SignInDeps, input: SignInInput, now = new Date()): Promise<SignedIn> {
  const email = input.email.trim().toLowerCase();
  const keys = [`email:${email}`, ...(input.ip ? [`ip:${input.ip}`] : [])];
  const states = await deps.sessions.throttleStates(keys);
  const wait = retryAfterSeconds(states.values(), now);
  if (wait > 0) throw tooMany(wait);

  const stored = email.length > 0 && email.length <= 320 ? await deps.accounts.passwordHash(email) : null;
  const ok = await verifyPassword(input.password, stored?.passwordHash ?? (await dummy()));
  if (!stored || !ok) {
    const nowIso = now.toISOString();
    const windowStartBefore = new Date(now.getTime() - THROTTLE.windowMs).toISOString();
    for (const key of keys) {
      const failures = await deps.sessions.recordFailure(key, nowIso, windowStartBefore);
      const ms = blockDurationMs(failures, key.startsWith('email:') ? THROTTLE.perEmail : THROTTLE.perAddress);
      if (ms > 0) await deps.sessions.block(key, new Date(now.getTime() + ms).toISOString());
    }
    throw INVALID();
  }
  if (stored.user.disabled) throw new ApiError(403, 'forbidden', 'this account is disabled; ask an administrator');
  await deps.sessions.clearThrottle(`email:${email}`);
  await deps.sessions.pruneExpired(now.toISOString());

  const { token, id } = newSessionToken();
  const nowIso = now.toISOString();
  await deps.sessions.create({
    id,
    userId: stored.user.id,
    now: nowIso,
    expiresAt: sessionExpiry(nowIso, now),
    ip: input.ip,
    userAgent: input.userAgent ? input.userAgent.slice(0, 300) : null,
  });
  const { user } = stored;
  return {
    token,
    session: {
      id,
      csrfToken: csrfTokenOf(token),
      user: { id: user.id, email: user.email, role: user.role, plan: user.plan, disabled: user.disabled },
    },
  };
}
