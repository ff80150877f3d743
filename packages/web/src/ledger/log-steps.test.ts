import type { LogVerification } from '@tierline/core/ledger';
import { describe, expect, it } from 'vitest';
import { logStepViews } from './log-steps';

// The sentences of verify.ts for a log of 1779 entries.
const signed = 'Checkpoint of localhost/ledger/demo signed by localhost/ledger/demo: 1779 entries.';
const consistent = 'Consistent with the checkpoint seen before (1779 entries).';
const tiles = "The 8 tiles hash to the checkpoint's root.";
const entries = "All 1779 entries are commitments that hash to the checkpoint's root.";

function result(steps: string[], problem?: LogVerification['problems'][number]): LogVerification {
  return {
    ok: problem === undefined,
    steps,
    problems: problem === undefined ? [] : [problem],
    checkpoint: null,
    entries: 1779,
    tilesFetched: 15,
  };
}

const statuses = (views: ReturnType<typeof logStepViews>) =>
  Object.fromEntries(views.steps.map((v) => [v.step, v.status]));

describe('the steps of a log verification', () => {
  it('passes every step asked for', () => {
    const views = logStepViews(result([signed, consistent, tiles, entries]), {
      previous: true,
      full: true,
    });
    expect(statuses(views)).toEqual({
      signature: 'ok',
      consistency: 'ok',
      tiles: 'ok',
      entries: 'ok',
    });
    expect(views.steps[2]?.detail).toBe(tiles);
    expect(views.extra).toEqual([]);
  });

  it('says what was not asked for: no checkpoint seen before, not a full check', () => {
    expect(
      statuses(logStepViews(result([signed, tiles]), { previous: false, full: false })),
    ).toEqual({
      signature: 'ok',
      consistency: 'not_asked',
      tiles: 'ok',
      entries: 'not_asked',
    });
  });

  it('fails the consistency step on a rollback, whatever ran before it', () => {
    const views = logStepViews(
      result([signed], { code: 'rolled_back', message: 'The log went back from 1789 entries.' }),
      { previous: true, full: true },
    );
    expect(statuses(views)).toEqual({
      signature: 'ok',
      consistency: 'failed',
      tiles: 'not_run',
      entries: 'not_run',
    });
    expect(views.steps[1]?.detail).toBe('The log went back from 1789 entries.');
  });

  it('puts a tile problem on the tiles step, or on the entries once the tiles passed', () => {
    const missing = { code: 'tile_missing' as const, message: 'Tile tile/0/000 is missing.' };
    expect(
      statuses(logStepViews(result([signed], missing), { previous: false, full: true })),
    ).toMatchObject({
      tiles: 'failed',
      entries: 'not_run',
    });
    const bundle = {
      code: 'tile_missing' as const,
      message: 'Entry bundle tile/entries/000 is missing.',
    };
    expect(
      statuses(logStepViews(result([signed, tiles], bundle), { previous: false, full: true })),
    ).toMatchObject({ tiles: 'ok', entries: 'failed' });
    const changed = {
      code: 'entry_mismatch' as const,
      message: 'Entry 7 does not match.',
      index: 7,
    };
    expect(
      statuses(
        logStepViews(result([signed, consistent, tiles], changed), { previous: true, full: true }),
      ),
    ).toEqual({ signature: 'ok', consistency: 'ok', tiles: 'ok', entries: 'failed' });
  });

  it('fails the signature step when the checkpoint does not open', () => {
    const bad = { code: 'checkpoint_invalid' as const, message: 'unknown key' };
    expect(statuses(logStepViews(result([], bad), { previous: true, full: true }))).toEqual({
      signature: 'failed',
      consistency: 'not_run',
      tiles: 'not_run',
      entries: 'not_run',
    });
  });

  it('keeps a step a newer core reports', () => {
    const views = logStepViews(result([signed, 'Witnessed by 2 of 3.', tiles]), {
      previous: false,
      full: false,
    });
    expect(views.extra).toEqual(['Witnessed by 2 of 3.']);
  });
});
