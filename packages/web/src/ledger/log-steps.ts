import type { LogProblemCode, LogVerification } from '@tierline/core/ledger';

/** The checks of a log verification, in the order `verifyLog` runs them. */
export type LogStep = 'signature' | 'consistency' | 'tiles' | 'entries';
export const logSteps: readonly LogStep[] = ['signature', 'consistency', 'tiles', 'entries'];

export interface LogStepView {
  step: LogStep;
  /** `not_asked`: no previous checkpoint to compare with, or not a full verification. */
  status: 'ok' | 'failed' | 'not_run' | 'not_asked';
  /** The core's sentence for a passed step, its problem for the failed one. */
  detail: string | null;
}

// How the core words each passed step (verify.ts); a sentence that matches none is shown as is.
const sentences: readonly [LogStep, RegExp][] = [
  ['signature', /\bsigned by\b/i],
  ['consistency', /\bconsistent\b|\bseen before\b/i],
  ['tiles', /\btiles hash\b/i],
  ['entries', /\bentries are commitments\b|\bevery entry\b/i],
];

/** The step a problem stops, when its code says; undefined for a tile problem (see below). */
const stepOfProblem: Readonly<Record<LogProblemCode, LogStep | undefined>> = {
  checkpoint_missing: 'signature',
  checkpoint_invalid: 'signature',
  rolled_back: 'consistency',
  forked: 'consistency',
  inconsistent: 'consistency',
  entry_invalid: 'entries',
  entry_mismatch: 'entries',
  tile_missing: undefined,
  tile_invalid: undefined,
  root_mismatch: undefined,
};

/**
 * Each check of a `verifyLog` result with its outcome, for the verification page: the passed
 * ones from the core's steps, the failed one from the first problem's code (a missing or bad
 * tile, or a wrong root, fails the tiles step unless it already passed, then the entries step),
 * and the rest as not run or not asked for. `extra` holds steps a newer core reports.
 */
export function logStepViews(
  result: LogVerification,
  asked: { previous: boolean; full: boolean },
): { steps: LogStepView[]; extra: string[] } {
  const done = new Map<LogStep, string>();
  const extra: string[] = [];
  for (const sentence of result.steps) {
    const step = sentences.find(([s, pattern]) => !done.has(s) && pattern.test(sentence))?.[0];
    if (step === undefined) extra.push(sentence);
    else done.set(step, sentence);
  }
  const isAsked = (step: LogStep) =>
    (step !== 'consistency' || asked.previous) && (step !== 'entries' || asked.full);
  const problem = result.problems[0];
  const failed =
    problem === undefined
      ? undefined
      : (stepOfProblem[problem.code] ??
        (['tiles', 'entries'] as const).find((s) => isAsked(s) && !done.has(s)));
  const steps = logSteps.map((step): LogStepView => {
    const sentence = done.get(step);
    if (sentence !== undefined) return { step, status: 'ok', detail: sentence };
    if (step === failed && problem !== undefined) {
      return { step, status: 'failed', detail: problem.message };
    }
    return { step, status: isAsked(step) ? 'not_run' : 'not_asked', detail: null };
  });
  return { steps, extra };
}
