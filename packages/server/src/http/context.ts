import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import type { Engine } from '../db/connection.js';

/** What route plugins need: the database, the default tenant, and facts about the server. */
export interface AppContext {
  db: Kysely<Database>;
  engine: Engine;
  defaultTenant: string;
  version: string;
}
