import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from './database.js';

/** The database role every request runs as; row-level security binds it to one tenant. */
export const APP_ROLE = 'tierline_app';

/**
 * Run `fn` in a transaction as `tierline_app` with the tenant set, so that row-level security
 * hides every other tenant's rows even from a query that forgot its `tenant_id` filter (the
 * first wall: every repository function filters by the tenant it is given). Both settings are
 * transaction-local and end with it, on a pooled PostgreSQL connection as on PGlite.
 */
export async function withTenant<T>(
  db: Kysely<Database>,
  tenantId: number,
  fn: (trx: Transaction<Database>) => Promise<T>,
  options: { readOnly?: boolean } = {},
): Promise<T> {
  let builder = db.transaction();
  if (options.readOnly) builder = builder.setAccessMode('read only');
  return builder.execute(async (trx) => {
    await sql`select set_config('role', ${APP_ROLE}, true), set_config('tierline.tenant_id', ${String(tenantId)}, true)`.execute(
      trx,
    );
    return fn(trx);
  });
}
