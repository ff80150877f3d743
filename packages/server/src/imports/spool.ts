import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DomainError } from '@tierline/core';
import { refusal } from './values.js';

/** The largest file (or ingestion body) a request may carry: 100 MiB. */
export const IMPORT_BODY_LIMIT = 100 * 1024 * 1024;

export function tooLarge(limit: number): DomainError {
  const max = Math.round(limit / 1024 / 1024);
  return new DomainError(
    'payload_too_large',
    `The file is larger than ${max} MiB: split it, or import it with the CLI (tierline import).`,
    { limitBytes: limit, ...refusal('file_too_large', { max }) },
  );
}

/** Run `fn` with a fresh temporary folder, removed afterwards whatever happens. */
export async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'tierline-import-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Copy a request body to a file, refusing more than `limit` bytes, and resolve with its size.
 * Imports read the file, never the socket: an upload that breaks off or grows too large fails
 * here, before the import holds a database connection, and a slow client holds none either.
 * Past the limit the rest of the body is read and dropped, so that the client gets the 413
 * answer rather than a reset connection.
 */
export async function spool(input: Readable, path: string, limit: number): Promise<number> {
  let size = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      if (size > limit) {
        input.unpipe(counter);
        input.resume();
        done(tooLarge(limit));
        return;
      }
      done(null, chunk);
    },
  });
  const broken = (error?: Error) => {
    counter.destroy(
      error ??
        new DomainError('validation_failed', 'The upload broke off.', {
          ...refusal('upload_broke_off', {}),
        }),
    );
  };
  const closed = () => {
    if (!input.readableEnded) broken();
  };
  input.once('error', broken);
  input.once('close', closed);
  input.pipe(counter);
  try {
    await pipeline(counter, createWriteStream(path));
  } finally {
    input.off('error', broken);
    input.off('close', closed);
  }
  return size;
}
