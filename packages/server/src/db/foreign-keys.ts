import { sql, type Kysely } from 'kysely';
import type { Database } from './database.js';

/**
 * Foreign keys checked once per set instead of once per row, for bulk writes.
 *
 * PostgreSQL checks a foreign key with a trigger per written row, which looks the referenced
 * row up and locks it `FOR KEY SHARE`. For a million order lines of a thousand dealers that is
 * a million lookups of the same thousand rows: most of the time of a bulk load. A bulk writer
 * that already guarantees its references (it locked them itself, or wrote them in the same
 * transaction) may run its statements with `session_replication_role = replica`, which skips
 * those triggers, and then prove the keys with one anti-join per key ({@link danglingReferences}).
 * The constraints stay declared: every other write keeps its per-row checks.
 */

export interface ForeignKey {
  name: string;
  /** The referencing columns, in the key's order. */
  columns: string[];
  /** The referenced table and its columns, in the same order. */
  parent: string;
  parentColumns: string[];
}

/** The foreign keys declared on `table` (in the store's schema). */
export async function foreignKeysOf(db: Kysely<Database>, table: string): Promise<ForeignKey[]> {
  const rows = await sql<ForeignKey>`
    select c.conname::text as name,
      array(select a.attname::text from unnest(c.conkey) with ordinality k(n, i)
            join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.n order by k.i)
        as columns,
      c.confrelid::regclass::text as parent,
      array(select a.attname::text from unnest(c.confkey) with ordinality k(n, i)
            join pg_attribute a on a.attrelid = c.confrelid and a.attnum = k.n order by k.i)
        as "parentColumns"
    from pg_constraint c
    where c.contype = 'f' and c.conrelid = ${table}::regclass
    order by c.conname`.execute(db);
  return rows.rows;
}

/**
 * Whether the per-row triggers of `table` may be skipped at all: the session's role may set
 * `session_replication_role` (a superuser, or one granted SET on it), and no other table's
 * foreign key points at `table` (its own keys would then go unchecked on update or delete).
 */
export async function maySkipTriggers(db: Kysely<Database>, table: string): Promise<boolean> {
  const row = await sql<{ allowed: boolean; children: number }>`
    select has_parameter_privilege('session_replication_role', 'SET') as allowed,
      (select count(*)::int from pg_constraint
       where contype = 'f' and confrelid = ${table}::regclass) as children`.execute(db);
  const { allowed, children } = row.rows[0]!;
  return allowed && children === 0;
}

/**
 * Run `fn` with the engine's per-row triggers off, in the current transaction, and turn them
 * back on after it (also when it throws). The caller must have made sure that
 * {@link maySkipTriggers} holds for every table `fn` writes, and must guarantee or check the
 * references itself.
 */
export async function withoutRowTriggers<T>(
  db: Kysely<Database>,
  fn: () => Promise<T>,
): Promise<T> {
  const origin = sql`set local session_replication_role = origin`;
  await sql`set local session_replication_role = replica`.execute(db);
  let result: T;
  try {
    result = await fn();
  } catch (error) {
    // A failed statement has aborted the transaction, and the setting ends with it; the
    // reset then fails too, and must not hide the error that matters.
    await origin.execute(db).catch(() => undefined);
    throw error;
  }
  await origin.execute(db);
  return result;
}

export interface DanglingReference {
  table: string;
  key: string;
  parent: string;
  rows: number;
}

/**
 * Every foreign key of `table` checked for the tenant's rows in one anti-join each, as
 * `ALTER TABLE … VALIDATE CONSTRAINT` would check it (a key with a null column is not checked,
 * as MATCH SIMPLE says): the keys whose rows reference a missing row, with how many rows.
 */
export async function danglingReferences(
  db: Kysely<Database>,
  table: string,
  tenantId: number,
): Promise<DanglingReference[]> {
  const found: DanglingReference[] = [];
  for (const key of await foreignKeysOf(db, table)) {
    const notNull = sql.join(
      key.columns.map((c) => sql`${sql.ref(`c.${c}`)} is not null`),
      sql` and `,
    );
    const matches = sql.join(
      key.columns.map(
        (c, i) => sql`${sql.ref(`p.${key.parentColumns[i]!}`)} = ${sql.ref(`c.${c}`)}`,
      ),
      sql` and `,
    );
    const result = await sql<{ n: number }>`
      select count(*)::int as n from ${sql.table(table)} c
      where c.tenant_id = ${tenantId} and ${notNull}
        and not exists (select 1 from ${sql.table(key.parent)} p where ${matches})`.execute(db);
    const rows = result.rows[0]?.n ?? 0;
    if (rows > 0) found.push({ table, key: key.name, parent: key.parent, rows });
  }
  return found;
}
