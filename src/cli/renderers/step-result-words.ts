/**
 * A step's result (`steps[].result`, src/domain/events.ts StepResult) in words, for the GitHub
 * step summary's timeline and the summary printed at the end of a deploy. `stopped` says whose
 * it was not: a reader must not take a takeover or an operator's abort for a failed health gate.
 */
import { formatDuration, formatPercent } from '../../domain/duration.js';
import type { StepOutcome, StepResult } from '../../domain/events.js';

/** The timeline cell before the step's duration: `❌ failed after 35s`. */
export const STEP_RESULT_CELL: Record<StepResult, string> = {
  completed: '✅ held',
  failed: '❌ failed after',
  interrupted: '⏹️ interrupted after',
  stopped: '🛑 stopped (not by its health) after',
  detached: '↪️ left to AWS CodeDeploy after',
};

const STOPPED_BY =
  'ended by an operator, another lshift run, a change made outside lshift or another function of its release, not by its own health';

/**
 * `Step 2 (20%): stopped after 35s — ended by …`: the line under a deploy's summary when its last
 * step was stopped from outside. Undefined otherwise (a failure's or a signal's reason line says it).
 */
export function describeStoppedStep(steps: readonly StepOutcome[]): string | undefined {
  const last = steps.at(-1);
  if (last?.result !== 'stopped') return undefined;
  const after =
    last.endedAt === undefined
      ? ''
      : ` after ${formatDuration(Math.round((last.endedAt - last.startedAt) / 1000))}`;
  return `Step ${last.index + 1} (${formatPercent(last.percent)}): stopped${after} — ${STOPPED_BY}.`;
}
