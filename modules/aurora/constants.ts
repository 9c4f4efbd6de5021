/** The pgAudit classes Aurora PostgreSQL accepts in `pgaudit.log`. Provider-free: config validation reads it. */
export const PGAUDIT_CLASSES = ["read", "write", "function", "role", "ddl", "misc", "misc_set", "all"] as const;
export type PgauditClass = (typeof PGAUDIT_CLASSES)[number];
