/**
 * The checkpoints this browser verified before, one per log (by origin). The next verification
 * of a log passes its remembered checkpoint to `verifyLog` as `previous`, so that a log that
 * went back (a rollback) or now tells another history (a fork) is reported: what an auditor's
 * `tierline ledger verify` keeps in a local file, the console keeps in localStorage.
 */
export interface SeenCheckpoint {
  size: number;
  /** Base64 root hash. */
  hash: string;
  /** When this browser verified it (ISO 8601). */
  verifiedAt: string;
}

const storageKey = 'tierline.ledger.seen';

function readAll(storage: Storage): Record<string, SeenCheckpoint> {
  try {
    const parsed: unknown = JSON.parse(storage.getItem(storageKey) ?? '{}');
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, SeenCheckpoint>)
      : {};
  } catch {
    // Unreadable (edited by hand, or storage disabled): as if nothing was seen.
    return {};
  }
}

function isSeen(value: unknown): value is SeenCheckpoint {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v['size'] === 'number' &&
    Number.isSafeInteger(v['size']) &&
    v['size'] >= 0 &&
    typeof v['hash'] === 'string' &&
    typeof v['verifiedAt'] === 'string'
  );
}

/** The checkpoint of `origin` verified here last, or null. */
export function seenCheckpoint(
  origin: string,
  storage: Storage = window.localStorage,
): SeenCheckpoint | null {
  const seen = readAll(storage)[origin];
  return isSeen(seen) ? seen : null;
}

/** Remembers a verified checkpoint of `origin` as the one the next verification must extend. */
export function rememberCheckpoint(
  origin: string,
  checkpoint: SeenCheckpoint,
  storage: Storage = window.localStorage,
): void {
  const all = readAll(storage);
  all[origin] = { size: checkpoint.size, hash: checkpoint.hash, verifiedAt: checkpoint.verifiedAt };
  try {
    storage.setItem(storageKey, JSON.stringify(all));
  } catch {
    // Not kept (storage full or disabled): the next verification starts without a previous one.
  }
}

/** Forgets what was seen of `origin` (e.g. after a log was deliberately recreated). */
export function forgetCheckpoint(origin: string, storage: Storage = window.localStorage): void {
  const all = readAll(storage);
  if (!(origin in all)) return;
  delete all[origin];
  try {
    storage.setItem(storageKey, JSON.stringify(all));
  } catch {
    // Nothing else to do.
  }
}
