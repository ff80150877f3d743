import { Transform, type TransformCallback } from 'node:stream';
import { createInflateRaw, type InflateRaw } from 'node:zlib';
import type { ImportErrorReason } from '@tierline/contract';
import { refusal } from './values.js';

export interface ZipLimits {
  /** Bytes all entries may expand to together. */
  maxBytes: number;
  /** Bytes one entry may expand to, by entry name (e.g. shared strings, which are kept in memory). */
  maxEntryBytes: Readonly<Record<string, number>>;
  /** Expansion (uncompressed ÷ compressed) an entry may show once it has produced `ratioAfter` bytes. */
  maxRatio: number;
  ratioAfter: number;
}

const LOCAL_FILE = 0x04034b50;
const CENTRAL_DIRECTORY = 0x02014b50;
const END_OF_DIRECTORY = 0x06054b50;
const DATA_DESCRIPTOR = Buffer.from([0x50, 0x4b, 0x07, 0x08]);
const EMPTY = Buffer.alloc(0);
const MiB = 1024 * 1024;
const SLICE = 16 * 1024;

interface Entry {
  name: string;
  stored: boolean;
  /** Compressed bytes still to come, or null when a data descriptor ends the entry. */
  remaining: number | null;
  inflater: InflateRaw | null;
  done: Promise<void>;
  in: number;
  out: number;
}

const size = (bytes: number) =>
  bytes >= 10 * MiB ? `${Math.round(bytes / MiB)} MiB` : `${bytes.toLocaleString('en')} bytes`;

/**
 * A pass-through for the bytes of an XLSX (a ZIP) on their way to the workbook reader, which
 * inflates each entry itself and counts what comes out, so that a decompression bomb is
 * refused before the reader spends time, memory or disk on it. It frames entries exactly as
 * the reader (unzipper) does: the sizes in the local header (ZIP64 extra field included), else
 * up to the data-descriptor signature. A chunk is passed on only once it has been inflated, so
 * the reader never sees the bytes that tripped a limit. It also notices corrupt deflate data
 * and a file that ends before its central directory, which the reader may wait on forever.
 *
 * `failed` rejects with the problem (a message that follows the file name); it never resolves.
 */
/** What stopped the guard: an English sentence that follows the file name, and its code. */
export type GuardProblem = Error & { why: ImportErrorReason };

export class ZipGuard extends Transform {
  readonly entries: string[] = [];
  problem: GuardProblem | null = null;
  readonly failed: Promise<never>;
  private reject!: (error: Error) => void;
  private stop!: () => void;
  private readonly stopped: Promise<void>;
  private state: 'signature' | 'data' | 'descriptor' | 'done' = 'signature';
  private pending = EMPTY;
  private entry: Entry | null = null;
  private total = 0;

  constructor(private readonly limits: ZipLimits) {
    super();
    this.failed = new Promise<never>((_resolve, reject) => (this.reject = reject));
    this.failed.catch(() => undefined); // observed through `problem` or a race
    this.stopped = new Promise<void>((resolve) => (this.stop = resolve));
  }

  /** Stop with `message` and its reason as a code; the first problem wins. */
  fail(message: string, why: ImportErrorReason): void {
    if (this.problem) return;
    this.problem = Object.assign(new Error(message), { why });
    this.entry?.inflater?.destroy();
    this.stop();
    this.reject(this.problem);
    // End what the reader sees, so that it unwinds instead of waiting for more.
    this.push(null);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    if (this.problem) {
      done();
      return;
    }
    this.inspect(chunk).then(
      () => {
        if (!this.problem) this.push(chunk);
        done();
      },
      (error: unknown) => {
        const detail = (error as Error).message;
        this.fail(
          `is not a readable XLSX workbook (${detail})`,
          refusal('xlsx_unreadable', { detail }),
        );
        done();
      },
    );
  }

  override _flush(done: TransformCallback): void {
    if (!this.problem && this.state !== 'done') {
      this.fail(
        `is not a readable XLSX workbook: it is cut short${this.entry ? ` (it ends inside ${this.entry.name})` : ''}`,
        refusal('xlsx_cut_short', {}),
      );
    }
    done();
  }

  private async inspect(chunk: Buffer): Promise<void> {
    let buffer = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = EMPTY;
    while (!this.problem) {
      if (this.state === 'done') return;
      if (this.state === 'signature') {
        if (buffer.length < 4) break;
        const signature = buffer.readUInt32LE(0);
        if (signature === CENTRAL_DIRECTORY || signature === END_OF_DIRECTORY) {
          this.state = 'done';
          return;
        }
        if (signature !== LOCAL_FILE) {
          this.fail(
            'is not a readable XLSX workbook: its ZIP structure is damaged',
            refusal('xlsx_unreadable', { detail: 'its ZIP structure is damaged' }),
          );
          return;
        }
        if (buffer.length < 30) break;
        const header = 30 + buffer.readUInt16LE(26) + buffer.readUInt16LE(28);
        if (buffer.length < header) break;
        this.begin(buffer.subarray(0, header));
        buffer = buffer.subarray(header);
        continue;
      }
      if (this.state === 'descriptor') {
        if (buffer.length < 16) break;
        buffer = buffer.subarray(16);
        this.state = 'signature';
        continue;
      }
      const entry = this.entry!;
      if (entry.remaining !== null) {
        if (entry.remaining > 0 && buffer.length === 0) break;
        const take = Math.min(buffer.length, entry.remaining);
        await this.feed(buffer.subarray(0, take));
        entry.remaining -= take;
        buffer = buffer.subarray(take);
        if (entry.remaining === 0) {
          await this.finish();
          this.state = 'signature';
        }
        continue;
      }
      if (buffer.length === 0) break;
      const at = buffer.indexOf(DATA_DESCRIPTOR);
      if (at === -1) {
        // Keep a tail that may be the start of the signature.
        const keep = Math.min(DATA_DESCRIPTOR.length - 1, buffer.length);
        await this.feed(buffer.subarray(0, buffer.length - keep));
        buffer = buffer.subarray(buffer.length - keep);
        break;
      }
      await this.feed(buffer.subarray(0, at));
      buffer = buffer.subarray(at);
      await this.finish();
      this.state = 'descriptor';
    }
    if (!this.problem) this.pending = Buffer.from(buffer);
  }

  /** A local file header: start counting its entry. */
  private begin(header: Buffer): void {
    const flags = header.readUInt16LE(6);
    const method = header.readUInt16LE(8);
    let compressed = header.readUInt32LE(18);
    const nameLength = header.readUInt16LE(26);
    const name = header.subarray(30, 30 + nameLength).toString('utf8');
    if (compressed === 0xffffffff) {
      // ZIP64: the sizes are in the extra field (uncompressed, then compressed).
      let extra = header.subarray(30 + nameLength);
      compressed = -1;
      while (extra.length >= 4) {
        const id = extra.readUInt16LE(0);
        const length = extra.readUInt16LE(2);
        if (id === 0x0001 && length >= 16 && extra.length >= 20) {
          compressed = Number(extra.readBigUInt64LE(12));
          break;
        }
        extra = extra.subarray(4 + length);
      }
      if (compressed < 0) {
        this.fail(
          `is not a readable XLSX workbook: ${name} has no ZIP64 sizes`,
          refusal('xlsx_unreadable', { detail: `${name} has no ZIP64 sizes` }),
        );
        return;
      }
    }
    const known = !(flags & 0x08) || compressed > 0;
    // Like the reader: any method but 0 (stored) is inflated.
    const inflater = method === 0 ? null : createInflateRaw();
    const entry: Entry = {
      name,
      stored: method === 0,
      remaining: known ? compressed : null,
      inflater,
      done: Promise.resolve(),
      in: 0,
      out: 0,
    };
    if (inflater) {
      entry.done = new Promise<void>((resolve) => {
        inflater.on('data', (data: Buffer) => this.count(entry, data.length));
        inflater.on('end', resolve);
        inflater.on('close', resolve);
        inflater.on('error', (error: Error) => {
          const detail = `${name} is corrupt (${error.message.replace(/\.$/, '')})`;
          this.fail(
            `is not a readable XLSX workbook: ${detail}`,
            refusal('xlsx_unreadable', { detail }),
          );
          resolve();
        });
      });
    }
    this.entries.push(name);
    this.entry = entry;
    this.state = 'data';
  }

  private count(entry: Entry, bytes: number): void {
    if (this.problem) return;
    entry.out += bytes;
    this.total += bytes;
    const { maxBytes, maxEntryBytes, maxRatio, ratioAfter } = this.limits;
    if (entry.out > ratioAfter && entry.out > maxRatio * entry.in) {
      this.fail(
        `${entry.name} expands more than ${maxRatio} times (${size(entry.in)} to over ${size(entry.out)}): a decompression bomb, or not a workbook that Excel wrote; refused`,
        refusal('xlsx_bomb', { entry: entry.name }),
      );
    } else if (entry.out > (maxEntryBytes[entry.name] ?? Infinity)) {
      this.fail(
        `${entry.name} expands to more than ${size(maxEntryBytes[entry.name]!)}; split the workbook`,
        refusal('xlsx_too_big', {}),
      );
    } else if (this.total > maxBytes) {
      this.fail(
        `the workbook expands to more than ${size(maxBytes)}; split it`,
        refusal('xlsx_too_big', {}),
      );
    }
  }

  private async feed(bytes: Buffer): Promise<void> {
    const entry = this.entry!;
    if (!entry.inflater) {
      entry.in += bytes.length;
      this.count(entry, bytes.length);
      return;
    }
    const inflater = entry.inflater;
    // In small slices, so that the ratio compares what came out with what went in so far.
    for (let at = 0; at < bytes.length && !this.problem; at += SLICE) {
      const slice = bytes.subarray(at, at + SLICE);
      entry.in += slice.length;
      await Promise.race([
        new Promise<void>((resolve) => inflater.write(slice, () => resolve())),
        this.stopped,
      ]);
    }
  }

  /** The entry's bytes have all been fed: wait for the inflater to end (or fail). */
  private async finish(): Promise<void> {
    const entry = this.entry!;
    entry.inflater?.end();
    await Promise.race([entry.done, this.stopped]);
    this.entry = null;
  }
}
