import { DomainError } from '../domain-error.js';
import { sha256, toHex } from '../ledger/bytes.js';
import { canonicalJson } from '../ledger/commitment.js';
import type { AssessmentValues } from './assess.js';
import type { DealerState, TierOverride } from './lifecycle.js';
import { parsePeriod } from './period.js';

/**
 * The recorded inputs of an assessment run: everything `assessValues` decides from except the
 * policy (recorded as its version). A published run keeps them, and every decision record in
 * the ledger carries their digest, so that any decision can be recomputed and compared.
 *
 * Encoding (version 1), all of it hashed for the digest:
 *
 *     "tierline-inputs/1\n"
 *     uint32 big-endian length of the header, then the header: RFC 8785 canonical JSON of
 *       { period, dealers, keys, previous: [[dealerId, tier, standing, periodsBelow,
 *         periodsAtBottom]…], overrides: [[dealerId, kind, tier, reason, until]…] }
 *       (both lists sorted by dealer id)
 *     dealers × float64 little-endian: the dealer ids
 *     for each key of `keys`: dealers × float64 little-endian values (NaN = missing, always
 *       written as the canonical quiet NaN 0x7FF8000000000000)
 *
 * Binary columns keep 100,000 dealers × 11 metrics at 8.8 MB, exact to the last bit.
 */
export type RecordedInputs = Omit<AssessmentValues, 'policy'>;

const MAGIC = 'tierline-inputs/1\n';

interface Header {
  period: string;
  dealers: number;
  keys: string[];
  previous: [number, string, string, number, number][];
  overrides: [number, string, string, string, string | null][];
}

/** Encode recorded inputs; the same inputs always give the same bytes. */
export function encodeInputs(inputs: RecordedInputs): Uint8Array {
  const n = inputs.dealerIds.length;
  const keys = [...inputs.values.keys()];
  const header: Header = {
    period: inputs.period.key,
    dealers: n,
    keys,
    previous: [...inputs.previous.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([id, s]) => [id, s.tier, s.standing, s.periodsBelow, s.periodsAtBottom]),
    overrides: [...inputs.overrides.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([id, o]) => [id, o.kind, o.tier, o.reason, o.until]),
  };
  const magic = new TextEncoder().encode(MAGIC);
  const head = new TextEncoder().encode(canonicalJson(header));
  const bytes = new Uint8Array(magic.length + 4 + head.length + 8 * n * (1 + keys.length));
  bytes.set(magic, 0);
  const view = new DataView(bytes.buffer);
  view.setUint32(magic.length, head.length, false);
  bytes.set(head, magic.length + 4);
  let at = magic.length + 4 + head.length;
  const put = (v: number) => {
    if (Number.isNaN(v)) {
      view.setUint32(at, 0, true);
      view.setUint32(at + 4, 0x7ff80000, true);
    } else view.setFloat64(at, v, true);
    at += 8;
  };
  for (const id of inputs.dealerIds) put(id);
  for (const key of keys) {
    const column = inputs.values.get(key)!;
    if (column.length !== n) {
      throw new DomainError('validation_failed', `Metric "${key}" has not one value per dealer.`, {
        metric: key,
      });
    }
    for (let d = 0; d < n; d++) put(column[d]!);
  }
  return bytes;
}

/** The digest that decision records carry: SHA-256 of the encoding, in hex. */
export function inputsDigest(encoded: Uint8Array): string {
  return toHex(sha256(encoded));
}

function malformed(why: string): DomainError {
  return new DomainError('validation_failed', `The recorded inputs are malformed: ${why}.`, {
    reason: 'malformed_inputs',
  });
}

/** Decode recorded inputs; refuses anything that is not exactly an encoding of version 1. */
export function decodeInputs(bytes: Uint8Array): RecordedInputs {
  const magic = new TextEncoder().encode(MAGIC);
  if (bytes.length < magic.length + 4 || !magic.every((b, i) => bytes[i] === b)) {
    throw malformed('they do not start with "tierline-inputs/1"');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headLength = view.getUint32(magic.length, false);
  const start = magic.length + 4;
  if (start + headLength > bytes.length) throw malformed('the header is truncated');
  let header: Header;
  try {
    header = JSON.parse(
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(start, start + headLength)),
    ) as Header;
  } catch {
    throw malformed('the header is not JSON');
  }
  const n = header.dealers;
  if (!Number.isSafeInteger(n) || n < 0 || !Array.isArray(header.keys)) {
    throw malformed('the header has no dealer count or keys');
  }
  let at = start + headLength;
  if (bytes.length !== at + 8 * n * (1 + header.keys.length)) {
    throw malformed('the value columns are not the length the header says');
  }
  const column = () => {
    const out = new Float64Array(n);
    for (let d = 0; d < n; d++, at += 8) out[d] = view.getFloat64(at, true);
    return out;
  };
  const dealerIds = [...column()];
  const values = new Map<string, Float64Array>();
  for (const key of header.keys) values.set(key, column());
  return {
    period: parsePeriod(header.period),
    dealerIds,
    values,
    previous: new Map<number, DealerState>(
      header.previous.map(([id, tier, standing, periodsBelow, periodsAtBottom]) => [
        id,
        { tier, standing: standing as DealerState['standing'], periodsBelow, periodsAtBottom },
      ]),
    ),
    overrides: new Map<number, TierOverride>(
      header.overrides.map(([id, kind, tier, reason, until]) => [
        id,
        { kind: kind as TierOverride['kind'], tier, reason, until },
      ]),
    ),
  };
}
