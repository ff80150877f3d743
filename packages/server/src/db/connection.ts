import { mkdirSync, accessSync, constants } from 'node:fs';
import { resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Database } from './database.js';
import { PGliteDialect } from './pglite-dialect.js';
import { toCsvLine } from './csv-line.js';

export type Engine = 'pglite' | 'postgres';

export interface StoreConfig {
  /** PostgreSQL connection string; when absent the embedded PGlite database is used. */
  databaseUrl?: string | undefined;
  /** PGlite data directory; `undefined` with no databaseUrl means in-memory. */
  dataDir?: string | undefined;
  /** PostgreSQL schema to use (tests run each suite in a fresh schema). */
  schema?: string | undefined;
  /** Pool size for PostgreSQL. */
  poolSize?: number | undefined;
}

export type CopyValue = string | number | boolean | null;

/** A session holding one connection: bulk paths run their transaction and COPY through it. */
export interface BulkSession {
  db: Kysely<Database>;
  /**
   * COPY rows into `table` (CSV), in batches so that memory stays flat. Must run inside a
   * transaction opened on `db` when atomicity matters. Returns the number of rows copied.
   */
  copy(
    table: string,
    columns: readonly string[],
    rows: Iterable<readonly CopyValue[]> | AsyncIterable<readonly CopyValue[]>,
  ): Promise<number>;
}

export interface Store {
  readonly engine: Engine;
  readonly db: Kysely<Database>;
  /** Run `fn` holding one connection, for bulk loads (COPY) that must share a transaction. */
  bulk<T>(fn: (session: BulkSession) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

const INT8 = 20;
const NUMERIC = 1700;
const DATE = 1082;
const parseNumber = (v: string) => Number(v);
const keepText = (v: string) => v;

const COPY_BATCH_ROWS = 20_000;

/**
 * Open the store: PostgreSQL when a URL is given, otherwise PGlite (on disk in `dataDir`, or
 * in memory). int8 and numeric arrive as numbers and dates as 'YYYY-MM-DD' on both engines.
 */
export async function openStore(config: StoreConfig): Promise<Store> {
  return config.databaseUrl ? openPostgres(config.databaseUrl, config) : openPGlite(config.dataDir);
}

async function openPGlite(dataDir: string | undefined): Promise<Store> {
  if (dataDir) {
    const dir = resolve(dataDir);
    try {
      mkdirSync(dir, { recursive: true });
      accessSync(dir, constants.W_OK);
    } catch (error) {
      throw new StoreError(
        `The data directory ${dir} cannot be created or written (${(error as Error).message}). ` +
          'Set TIERLINE_DATA_DIR to a writable folder.',
      );
    }
  }
  let pglite: PGlite;
  try {
    pglite = await PGlite.create({
      ...(dataDir ? { dataDir: resolve(dataDir) } : {}),
      parsers: { [INT8]: parseNumber, [NUMERIC]: parseNumber, [DATE]: keepText },
    });
  } catch (error) {
    throw new StoreError(
      `The embedded database in ${dataDir ?? 'memory'} could not be opened: ${(error as Error).message}`,
    );
  }
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
  return {
    engine: 'pglite',
    db,
    bulk: (fn) =>
      db.connection().execute((conn) =>
        fn({
          db: conn,
          // The connection is held for the whole callback, so PGlite is ours alone here and a
          // COPY joins whatever transaction `conn` has open.
          copy: async (table, columns, rows) => {
            let count = 0;
            for await (const chunk of csvChunks(rows)) {
              const blob = new Blob([chunk.text]);
              await pglite.query(
                `copy ${table} (${columns.join(', ')}) from '/dev/blob' with (format csv)`,
                [],
                { blob },
              );
              count += chunk.rows;
            }
            return count;
          },
        }),
      ),
    close: () => db.destroy(),
  };
}

async function openPostgres(url: string, config: StoreConfig): Promise<Store> {
  const types: pg.CustomTypesConfig = {
    getTypeParser: ((oid: number, format?: 'text' | 'binary'): unknown => {
      if (oid === INT8 || oid === NUMERIC) return parseNumber;
      if (oid === DATE) return keepText;
      return format === 'binary'
        ? pg.types.getTypeParser(oid, 'binary')
        : pg.types.getTypeParser(oid, 'text');
    }) as pg.CustomTypesConfig['getTypeParser'],
  };
  const pool = new pg.Pool({
    connectionString: url,
    max: config.poolSize ?? 10,
    types,
    ...(config.schema ? { options: `-c search_path=${config.schema}` } : {}),
  });
  try {
    const client = await pool.connect();
    client.release();
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new StoreError(
      `Cannot connect to PostgreSQL at ${redactUrl(url)}: ${(error as Error).message}. ` +
        'Check DATABASE_URL.',
    );
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    engine: 'postgres',
    db,
    bulk: async (fn) => {
      const client = await pool.connect();
      // A Kysely bound to this one client, so that its transaction and our COPY share it.
      const single = new Kysely<Database>({
        dialect: new PostgresDialect({
          pool: {
            // Kysely releases after each statement; this client stays ours until the session ends.
            connect: async () => ({
              query: client.query.bind(client),
              release: () => undefined,
            }),
            end: async () => undefined,
          },
        }),
      });
      try {
        return await fn({
          db: single,
          copy: async (table, columns, rows) => {
            let count = 0;
            const source = Readable.from(
              (async function* () {
                for await (const chunk of csvChunks(rows)) {
                  count += chunk.rows;
                  yield chunk.text;
                }
              })(),
            );
            const sink = client.query(
              copyFrom(`copy ${table} (${columns.join(', ')}) from stdin with (format csv)`),
            );
            await pipeline(source, sink);
            return count;
          },
        });
      } finally {
        client.release();
      }
    },
    close: () => db.destroy(),
  };
}

async function* csvChunks(
  rows: Iterable<readonly CopyValue[]> | AsyncIterable<readonly CopyValue[]>,
): AsyncGenerator<{ text: string; rows: number }> {
  let lines: string[] = [];
  for await (const row of rows) {
    lines.push(toCsvLine(row));
    if (lines.length >= COPY_BATCH_ROWS) {
      yield { text: lines.join(''), rows: lines.length };
      lines = [];
    }
  }
  if (lines.length > 0) yield { text: lines.join(''), rows: lines.length };
}

/** A configuration or start-up problem the user must fix; the CLI prints its message. */
export class StoreError extends Error {
  override readonly name = 'StoreError';
}

function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}
