/**
 * Account rules shared by the CLI (`socd users`, `socd keys`) and any future account routes:
 * users with a plan, API keys shown once, plan key limits, revocation with a reason.
 */
import { randomUUID } from 'node:crypto';
import { defaultScopes, type Plans } from '../domain/plans.js';
import type { AccountsRepository, User } from '../store/accounts-repository.js';
import type { ApiKey, KeysRepository } from '../store/keys-repository.js';
import { generateApiKey, hashPassword } from './credentials.js';

export type AccountErrorCode =
  | 'invalid_email'
  | 'weak_password'
  | 'email_taken'
  | 'unknown_plan'
  | 'unknown_user'
  | 'user_disabled'
  | 'invalid_key_name'
  | 'invalid_expiry'
  | 'key_limit_reached'
  | 'unknown_key'
  | 'ambiguous_key'
  | 'already_revoked'
  | 'invalid_reason';

export class AccountError extends Error {
  constructor(
    readonly code: AccountErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AccountError';
  }
}

export interface AccountDeps {
  accounts: AccountsRepository;
  keys: KeysRepository;
  plans: Plans;
  now?: () => Date;
}

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}$/;
export const MIN_PASSWORD_LENGTH = 12;

function nowOf(deps: AccountDeps): Date {
  return deps.now ? deps.now() : new Date();
}

function checkPlan(deps: AccountDeps, plan: string): void {
  if (!deps.plans[plan]) {
    throw new AccountError('unknown_plan', `unknown plan "${plan}"; plans: ${Object.keys(deps.plans).join(', ')}`);
  }
}

export function normalizeEmail(email: string): string {
  const e = email.trim().toLowerCase();
  if (!EMAIL.test(e)) throw new AccountError('invalid_email', `not an e-mail address: "${email}"`);
  return e;
}

async function requireUser(deps: AccountDeps, email: string): Promise<User> {
  const user = await deps.accounts.findByEmail(normalizeEmail(email));
  if (!user) throw new AccountError('unknown_user', `no user with e-mail ${email}`);
  return user;
}

export async function createUser(
  deps: AccountDeps,
  input: { email: string; password: string; role: 'admin' | 'member'; plan: string },
): Promise<User> {
  const email = normalizeEmail(input.email);
  if (input.password.length < MIN_PASSWORD_LENGTH) {
    throw new AccountError('weak_password', `the password must have at least ${MIN_PASSWORD_LENGTH} characters`);
  }
  checkPlan(deps, input.plan);
  if (await deps.accounts.findByEmail(email)) throw new AccountError('email_taken', `a user with e-mail ${email} exists`);
  return deps.accounts.create({
    id: randomUUID(),
    email,
    passwordHash: await hashPassword(input.password),
    role: input.role,
    plan: input.plan,
    createdAt: nowOf(deps).toISOString(),
  });
}

/** Change a user's plan; their keys follow (plan and default scopes), from their next request. */
export async function setUserPlan(deps: AccountDeps, email: string, plan: string): Promise<User> {
  checkPlan(deps, plan);
  const user = await requireUser(deps, email);
  await deps.accounts.setPlan(user.id, plan);
  await deps.keys.setPlanForUser(user.id, plan, defaultScopes(deps.plans[plan]!));
  return { ...user, plan };
}

export async function listUsers(deps: AccountDeps): Promise<User[]> {
  return deps.accounts.list();
}

export interface CreatedKey {
  /** The secret, to show once. */
  key: string;
  record: ApiKey;
}

/** Mint a key for a user, within their plan's keys-per-user limit. */
export async function createApiKey(
  deps: AccountDeps,
  input: { email: string; name: string; expiresInDays?: number },
): Promise<CreatedKey> {
  const user = await requireUser(deps, input.email);
  if (user.disabled) throw new AccountError('user_disabled', `user ${user.email} is disabled`);
  const name = input.name.trim();
  if (name.length === 0 || name.length > 100) throw new AccountError('invalid_key_name', 'a key name has 1 to 100 characters');
  const days = input.expiresInDays;
  if (days !== undefined && (!Number.isInteger(days) || days < 1 || days > 365)) {
    throw new AccountError('invalid_expiry', 'expires-in-days is a whole number of days from 1 to 365');
  }
  const plan = deps.plans[user.plan];
  if (!plan) throw new AccountError('unknown_plan', `user ${user.email} has unknown plan "${user.plan}"`);
  const now = nowOf(deps);
  const usable = await deps.keys.countUsable(user.id, now.toISOString());
  if (usable >= plan.keysPerUser) {
    throw new AccountError(
      'key_limit_reached',
      `the ${plan.name} plan allows ${plan.keysPerUser} active keys per user; revoke one first`,
    );
  }
  const generated = generateApiKey();
  const record = await deps.keys.insert({
    id: randomUUID(),
    userId: user.id,
    name,
    keyHash: generated.hash,
    keyPrefix: generated.prefix,
    plan: plan.name,
    scopes: defaultScopes(plan),
    createdAt: now.toISOString(),
    expiresAt: days === undefined ? null : new Date(now.getTime() + days * 86_400_000).toISOString(),
  });
  return { key: generated.key, record };
}

export async function listApiKeys(deps: AccountDeps, email?: string): Promise<ApiKey[]> {
  if (email === undefined) return deps.keys.list();
  const user = await requireUser(deps, email);
  return deps.keys.list(user.id);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Revoke by key id or display prefix (`sk_live_zIc8`). Irreversible; seen on the key's next request. */
export async function revokeApiKey(deps: AccountDeps, idOrPrefix: string, reason: string): Promise<ApiKey> {
  const why = reason.trim();
  if (why.length === 0 || why.length > 500) throw new AccountError('invalid_reason', 'a revocation reason has 1 to 500 characters');
  let key: ApiKey | null = null;
  if (UUID.test(idOrPrefix)) key = await deps.keys.findById(idOrPrefix.toLowerCase());
  else {
    const matches = await deps.keys.findByPrefix(idOrPrefix);
    if (matches.length > 1) {
      throw new AccountError('ambiguous_key', `${matches.length} keys have prefix ${idOrPrefix}; revoke by id: ${matches.map((k) => k.id).join(', ')}`);
    }
    key = matches[0] ?? null;
  }
  if (!key) throw new AccountError('unknown_key', `no API key with id or prefix "${idOrPrefix}"`);
  if (key.revoked_at) throw new AccountError('already_revoked', `key ${key.key_prefix} (${key.id}) was revoked at ${key.revoked_at}`);
  const at = nowOf(deps).toISOString();
  await deps.keys.revoke(key.id, why, at);
  return { ...key, revoked_at: at, revoked_reason: why };
}
