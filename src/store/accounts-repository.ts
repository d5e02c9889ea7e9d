import type { Kysely, Selectable } from 'kysely';
import type { Database, UsersTable } from './schema.js';

/** A user as the rest of the code sees it (never with the password hash). */
export interface User {
  id: string;
  email: string;
  role: 'admin' | 'member';
  plan: string;
  disabled: boolean;
  created_at: string;
}

export interface NewUser {
  id: string;
  email: string;
  passwordHash: string;
  role: 'admin' | 'member';
  plan: string;
  createdAt: string;
}

/** Columns read for a `User`; the hash is read only where a password is checked. */
const USER_COLUMNS = ['id', 'email', 'role', 'plan', 'disabled', 'created_at'] as const;

function toUser(row: Pick<Selectable<UsersTable>, (typeof USER_COLUMNS)[number]>): User {
  return {
    id: row.id,
    email: row.email,
    role: row.role === 'admin' ? 'admin' : 'member',
    plan: row.plan,
    disabled: Number(row.disabled) !== 0,
    created_at: row.created_at,
  };
}

/** Users: lookups by e-mail (stored lower-case) and plan changes. Every query parameterized. */
export class AccountsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async create(user: NewUser): Promise<User> {
    await this.db
      .insertInto('users')
      .values({
        id: user.id,
        email: user.email,
        password_hash: user.passwordHash,
        role: user.role,
        plan: user.plan,
        disabled: 0,
        created_at: user.createdAt,
      })
      .execute();
    return { id: user.id, email: user.email, role: user.role, plan: user.plan, disabled: false, created_at: user.createdAt };
  }

  async findByEmail(email: string): Promise<User | null> {
    const row = await this.db.selectFrom('users').select(USER_COLUMNS).where('email', '=', email).executeTakeFirst();
    return row ? toUser(row) : null;
  }

  async findById(id: string): Promise<User | null> {
    const row = await this.db.selectFrom('users').select(USER_COLUMNS).where('id', '=', id).executeTakeFirst();
    return row ? toUser(row) : null;
  }

  /** The stored `scrypt$...` hash, for password verification only. */
  async passwordHash(email: string): Promise<{ user: User; passwordHash: string } | null> {
    const row = await this.db
      .selectFrom('users')
      .select([...USER_COLUMNS, 'password_hash'])
      .where('email', '=', email)
      .executeTakeFirst();
    return row ? { user: toUser(row), passwordHash: row.password_hash } : null;
  }

  async list(): Promise<User[]> {
    const rows = await this.db.selectFrom('users').select(USER_COLUMNS).orderBy('email').execute();
    return rows.map(toUser);
  }

  async setPlan(userId: string, plan: string): Promise<void> {
    await this.db.updateTable('users').set({ plan }).where('id', '=', userId).execute();
  }

  async setDisabled(userId: string, disabled: boolean): Promise<void> {
    await this.db
      .updateTable('users')
      .set({ disabled: disabled ? 1 : 0 })
      .where('id', '=', userId)
      .execute();
  }
}
