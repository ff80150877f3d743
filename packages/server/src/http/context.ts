import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import type { Engine, Store } from '../db/connection.js';

/** What route plugins need: the database, the default tenant, and facts about the server. */
export interface AppContext {
  db: Kysely<Database>;
  engine: Engine;
  /** The store `db` belongs to: imports run on its owner connection (`Store.bulk`). */
  store?: Store | undefined;
  /** The tenant a sign-in goes to when it names none. */
  defaultTenant: string;
  version: string;
  /** Sign-in attempts allowed per client address and window (default 10 a minute). */
  signInRateLimit?: { max: number; windowMs: number } | undefined;
}
