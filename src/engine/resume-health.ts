/**
 * A resumed deployment reads health before it raises any weight above what its alias carries
 * now. Its runner died minutes (or hours) ago, and nobody watched meanwhile: an alarm that fired
 * then, or an error rate that grew, was first seen by the resumed run's first hold poll — after its
 * next weight was written. Found by a hostile pass: a lockstep release killed between two levels
 * (one function's write to 75% landed, the others' did not) was resumed six minutes later with
 * one function's alarm in ALARM since then; the resume runs the release from the highest level any
 * function reached, so that function went from 50% to 75% at once, and its first health read, 18 s
 * later, rolled everything back. A fresh deploy refuses an alarm already in ALARM before its first
 * weight (preflight); a resume now does the same, after the takeover, right before that weight.
 *
 * When the program, run from `from`, first writes some function a weight above its alias's (a
 * release's function a level behind; a deployment resumed before any traffic moved; an alias set
 * by hand between two steps), every function of the deployment is polled once, all at once: at a
 * split weight every gate (the alarms, the analysis of the minutes so far), before any traffic
 * or with all of it on the new version the alarms only. A failure rolls back with the gate's own
 * cause (exit 3); a poll that cannot read health is repeated a poll interval later, and the
 * health error limit rolls back as in a hold — unknown is never "healthy" (unless
 * `--ignore-metric-errors`). An `--ignore-initial-alarms` run whose traffic has not moved is not
 * polled (preflight let its alarms be, as a fresh deploy's does). A resume whose first write is
 * the weight its alias already has reads nothing first: that weight is written again and held
 * for its full time, its polls the verdict before the next one.
 *
 * Beside the polls (and the waits between them) every record is beaten, each beat reading an
 * operator's abort, as in any wait (pre-shift-alarms.ts).
 */
import type { ReleaseProgram, ReleaseTarget } from '../domain/release-program.js';
import { BEAT_BESIDE_CALL_MS } from './beating-driver.js';
import { mapBounded } from './bounded.js';
import { describeStep } from './deploy-result.js';
import { runBeside } from './keep-beating.js';
import type { PhaseOutcome, ShiftContext } from './shift-context.js';
import { abortedIn, beatReadingAbort, endedIn } from './shift-waits.js';
import { toPhaseOutcome, watchWindow } from './watch-steps.js';

const EPSILON = 1e-6;

/** The first weight the program writes to `target` from `from` (a promote: 100%), if any. */
export function firstWriteFrom(
  program: ReleaseProgram,
  from: number,
  target: ReleaseTarget,
): { planStep: number; percent: number } | undefined {
  for (const step of program.steps.slice(from)) {
    if (step.kind !== 'setWeight' && step.kind !== 'promote') continue;
    if (step.target.functionName !== target.functionName || step.target.alias !== target.alias) continue;
    return { planStep: step.planStep, percent: step.kind === 'promote' ? 100 : step.percent };
  }
  return undefined;
}

/** Whether the program from `from` first writes `run` a weight above its alias's now. */
export function raisesFirst(program: ReleaseProgram, from: number, run: ShiftContext): boolean {
  const first = firstWriteFrom(program, from, run.cursor);
  return first !== undefined && first.percent > run.cursor.percent + EPSILON;
}

/**
 * What the resume line says the resumed run does first (resume.ts claimResume): the step it
 * writes, and whether health is read before it. `at`: the plan step the alias is at (a release's
 * function a level behind is written the release's level, not its own).
 */
export function describeResumeWrite(
  program: ReleaseProgram,
  from: number,
  run: ShiftContext,
  at: number | undefined,
): string {
  const first = firstWriteFrom(program, from, run.cursor);
  if (!first) return 'no weight is written again';
  const step = describeStep(first.planStep, first.percent);
  const held = first.percent >= 100 ? '' : ' and held for its full time';
  const raised = first.percent > run.cursor.percent + EPSILON;
  const release =
    at !== undefined && first.planStep > at
      ? `the release goes on at ${step}, the furthest step any of its functions reached: `
      : '';
  if (!raised) return `${release}${release ? 'it' : step} is written again${held}`;
  return `${release}its health is read first, then ${release ? 'that step' : step} is written${held}`;
}

/**
 * The verdict before the first raised weight: undefined to go on; otherwise how the resumed run
 * stops (in a release, `failedIn` names the function whose health failed).
 */
export async function healthBeforeResumedRaise(
  runs: readonly ShiftContext[],
  program: ReleaseProgram,
  from: number,
  concurrency = 8,
): Promise<PhaseOutcome | undefined> {
  const lead = runs[0];
  if (!lead || !runs.some((run) => raisesFirst(program, from, run))) return undefined;
  const judged = runs.filter((run) => run.trafficMoved || !run.req.ignoreInitialAlarms);
  const notWithinMs = lead.req.pollIntervalSeconds * 1000 - BEAT_BESIDE_CALL_MS / 2;
  const beat = () => beatReadingAbort(runs, notWithinMs);
  // The first failure ends the others' polls (an unreadable one would poll on to its limit).
  let failed = false;
  const judgeAll = () =>
    mapBounded(
      concurrency,
      judged,
      (run) => judgeUntilRead(run, runs, () => failed),
      (outcome) => {
        failed ||= outcome !== undefined;
        return failed;
      },
    );
  const outcomes = await runBeside(lead.deps.clock, judgeAll, beat, BEAT_BESIDE_CALL_MS);
  const ended = endedIn(runs) ?? abortedIn(runs);
  if (ended) return ended;
  return outcomes.find((outcome) => outcome !== undefined);
}

/** One run polled until its health is read (or fails, or the error limit ends it). */
async function judgeUntilRead(
  run: ShiftContext,
  runs: readonly ShiftContext[],
  othersFailed: () => boolean,
): Promise<PhaseOutcome | undefined> {
  const { clock } = run.deps;
  const percent = run.cursor.percent;
  const split = percent > EPSILON && percent < 100 - EPSILON;
  const at = run.req.plan.steps.find((s) => Math.abs(s.percent - percent) < EPSILON);
  // Said by a rollback or an interrupt from here: the step the alias is at, not "resuming".
  if (split && at) run.position = { kind: 'step', index: at.index, percent };
  const window = watchWindow(run, percent >= 100 ? 'bake' : 'shift', at?.index ?? 0, clock.now());
  for (;;) {
    const judged = await run.monitor.judgeNow(window, !split);
    if (judged.kind === 'healthy') return undefined;
    if (judged.kind !== 'unreadable') {
      const outcome = toPhaseOutcome(judged);
      if (outcome.kind !== 'failed' || runs.length < 2) return outcome;
      return { ...outcome, failedIn: { functionName: run.cursor.functionName, alias: run.cursor.alias } };
    }
    try {
      await clock.sleep(run.req.pollIntervalSeconds * 1000, run.req.signal);
    } catch {
      return { kind: 'interrupted' };
    }
    if (othersFailed()) return undefined;
    const ended = endedIn(runs) ?? abortedIn(runs);
    if (ended) return ended;
  }
}
