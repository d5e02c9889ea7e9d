/** The two database engines the store runs on. */
export type StoreDialect = 'sqlite' | 'postgres';
