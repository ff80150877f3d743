import { describe, expect, it } from 'vitest';
import { logPrefix } from './log-source';
import { forgetCheckpoint, rememberCheckpoint, seenCheckpoint } from './seen-checkpoints';

/** An in-memory Storage, as localStorage behaves. */
function memoryStorage(): Storage {
  const items = new Map<string, string>();
  return {
    get length() {
      return items.size;
    },
    clear: () => items.clear(),
    getItem: (key) => items.get(key) ?? null,
    key: (i) => [...items.keys()][i] ?? null,
    removeItem: (key) => void items.delete(key),
    setItem: (key, value) => void items.set(key, value),
  };
}

describe('checkpoints seen by this browser', () => {
  const seen = {
    size: 1900,
    hash: 'TGKQz5BkctysTJrdse/BBNZkGgC1L2I0C+OhJ70nY2g=',
    verifiedAt: '2026-11-28T10:00:00Z',
  };

  it('keeps one checkpoint per log, the latest remembered', () => {
    const storage = memoryStorage();
    expect(seenCheckpoint('tierline/ledger/demo', storage)).toBeNull();
    rememberCheckpoint('tierline/ledger/demo', { ...seen, size: 10 }, storage);
    rememberCheckpoint('tierline/ledger/demo', seen, storage);
    rememberCheckpoint('tierline/ledger/acme', { ...seen, size: 3 }, storage);
    expect(seenCheckpoint('tierline/ledger/demo', storage)).toEqual(seen);
    expect(seenCheckpoint('tierline/ledger/acme', storage)?.size).toBe(3);
    forgetCheckpoint('tierline/ledger/demo', storage);
    expect(seenCheckpoint('tierline/ledger/demo', storage)).toBeNull();
    expect(seenCheckpoint('tierline/ledger/acme', storage)?.size).toBe(3);
  });

  it('treats unreadable storage as nothing seen', () => {
    const storage = memoryStorage();
    storage.setItem('tierline.ledger.seen', '{not json');
    expect(seenCheckpoint('tierline/ledger/demo', storage)).toBeNull();
    storage.setItem(
      'tierline.ledger.seen',
      JSON.stringify({ 'tierline/ledger/demo': { size: -1 } }),
    );
    expect(seenCheckpoint('tierline/ledger/demo', storage)).toBeNull();
    rememberCheckpoint('tierline/ledger/demo', seen, storage);
    expect(seenCheckpoint('tierline/ledger/demo', storage)).toEqual(seen);
  });
});

describe('the URL prefix of a log', () => {
  const base = 'https://tierline.example.com/ledger';

  it.each([
    ['/ledger/demo/', 'https://tierline.example.com/ledger/demo/'],
    ['/ledger/demo', 'https://tierline.example.com/ledger/demo/'],
    [' https://mirror.example.org/logs/demo?x=1#y ', 'https://mirror.example.org/logs/demo/'],
    ['http://localhost:3000/ledger/demo/', 'http://localhost:3000/ledger/demo/'],
  ])('%s → %s', (input, prefix) => {
    expect(logPrefix(input, base)).toBe(prefix);
  });

  it.each(['', '   ', 'ftp://example.org/log/', 'javascript:alert(1)', 'http://'])(
    'refuses %j',
    (input) => {
      expect(logPrefix(input, base)).toBeNull();
    },
  );
});
