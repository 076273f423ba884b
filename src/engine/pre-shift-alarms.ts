/**
 * The alarms read once more before the first weight write, after a wait that watched none.
 * Preflight refused alarms already in ALARM (ALARM_ALREADY_FIRING), but the pre-traffic hooks
 * run after it with nothing watched — nothing moved yet — and may run for minutes (a `lambda:`
 * hook up to 15), and so may `--warm`'s wait for its provisioned concurrency (up to 10): an alarm
 * that fired meanwhile was first seen at the first hold's poll, with the first weight of the
 * traffic already on the new version. So the alarms are read when the pre-traffic hooks end, or
 * when the `--warm` wait ends if no pre-traffic hook follows it (the hooks' end reads them then).
 * One DescribeAlarms over every watched alarm (in a release, every function's), none without
 * alarms or without such a wait (preflight's read is seconds old then). An alarm in ALARM stops
 * the deployment with nothing moved (rolled back, exit 3); one that cannot be read is tried
 * again, a poll interval apart, up to the health error limit, and then stops it too: unknown is
 * never "quiet". The record is beaten meanwhile, as in any wait (at --interval 60 three attempts
 * take two minutes: the stale limit), and each beat reads an operator's `abort`, as a hook's does:
 * obeyed, it stops the deployment there, before the first weight, not at the first hold's poll
 * with traffic moved. `--ignore-initial-alarms` (deploy while alarms fire before any traffic
 * moved) lets it go on, warned.
 */

import type { AlarmState } from '../domain/health-readings.js';
import { causeOf } from '../domain/outcome.js';
import { judgeAlarms } from './alarm-gate.js';
import { BEAT_BESIDE_CALL_MS } from './beating-driver.js';
import { DEFAULT_HEALTH_ERROR_LIMIT } from './deploy-types.js';
import { describeError, logWarn } from './emit.js';
import { runBeside } from './keep-beating.js';
import type { PhaseOutcome, ShiftContext } from './shift-context.js';
import { abortedIn, beatReadingAbort } from './shift-waits.js';

/** The wait after which the alarms are read, as the words say it. */
const WHEN = {
  'pre-hooks': 'when the pre-traffic hooks ended',
  warm: 'when the --warm wait ended',
  'resume-at-target': 'when the deployment was resumed with all traffic on the new version',
} as const;
type After = keyof typeof WHEN;
const STOPPED = 'stopped before the first weight write';
/** What an alarm read found stops: before the first weight, or (a resume at 100%) before the promotion. */
const STOPPED_AT: Record<After, string> = {
  'pre-hooks': STOPPED,
  warm: STOPPED,
  'resume-at-target': 'not promoted',
};

/**
 * `deploy --resume` of a deployment whose runner died with all traffic on the new version (after
 * its 100% write, before `promoted` was recorded): with no bake ahead nothing polled, and it was
 * recorded promoted (exit 0) with its own alarm firing (found by a hostile pass). The alarms are
 * read once first, as before a first weight: one in ALARM (or unreadable) rolls it back. A bake
 * ahead polls them itself.
 */
export async function alarmsOnResumeAtTarget(
  ctx: ShiftContext,
  bakeAhead: boolean,
): Promise<PhaseOutcome | undefined> {
  return bakeAhead ? undefined : alarmsBeforeFirstWeight([ctx], 'resume-at-target');
}

/**
 * After `--warm`'s wait: the alarms are read as after the pre-traffic hooks, unless one follows
 * (its end reads them, minutes later: one read before the first weight is enough).
 */
export async function alarmsAfterWarm(ctx: ShiftContext): Promise<PhaseOutcome | undefined> {
  const preHooks = ctx.program.steps.some((s) => s.kind === 'hook' && s.phase === 'pre');
  return preHooks ? undefined : alarmsBeforeFirstWeight([ctx], 'warm');
}

/** How the shift must stop before its first weight, or undefined to go on. `runs`: whose alarms. */
export async function alarmsBeforeFirstWeight(
  runs: readonly ShiftContext[],
  after: After = 'pre-hooks',
): Promise<PhaseOutcome | undefined> {
  const names = [...new Set(runs.flatMap((r) => r.req.alarms))];
  const ctx = runs[0];
  if (!ctx || names.length === 0) return undefined;
  const when = WHEN[after];
  // Beside the reads and the sleeps between them: their heartbeats, as in any other wait, each
  // reading an operator's abort, the record about once a poll interval (a beat is asked for every
  // 10 s). One obeyed is acted on before a retry and before any judging: answered `done`, it must
  // stop the shift before its first weight.
  const aborted = () => abortedIn(runs);
  const notWithinMs = ctx.req.pollIntervalSeconds * 1000 - BEAT_BESIDE_CALL_MS / 2;
  const beat = () => beatReadingAbort(runs, notWithinMs);
  const readThem = () => readAlarms(ctx, names, when, aborted, STOPPED_AT[after]);
  const read = await runBeside(ctx.deps.clock, readThem, beat, BEAT_BESIDE_CALL_MS);
  if (read.kind !== 'read') return read.outcome;
  const abortedMeanwhile = aborted();
  if (abortedMeanwhile) return abortedMeanwhile;
  for (const run of runs) {
    const own = new Set(run.req.alarms);
    const states = read.states.filter((s) => own.has(s.name));
    const verdict = judgeAlarms([...own], states, ctx.deps.clock.now());
    if (verdict.outcome === 'pass' || run.req.alarms.length === 0) continue;
    // Traffic has moved on a resume at 100%: "before any traffic moved" is not the case it allows.
    if (verdict.outcome === 'fail' && run.req.ignoreInitialAlarms && after !== 'resume-at-target') {
      const said = `${when}, ${verdict.summary}; the first weight is written anyway (--ignore-initial-alarms)`;
      logWarn(ctx.deps, said, 'health');
      continue;
    }
    const why =
      verdict.outcome === 'fail'
        ? causeOf('GATE_FAILED', { gates: [verdict.gate] })
        : causeOf('HEALTH_UNREADABLE', { consecutive: 1, limit: 1 });
    const failed: PhaseOutcome = {
      kind: 'failed',
      cause: `${STOPPED_AT[after]}: ${when}, ${verdict.summary}`,
      why,
    };
    return runs.length > 1 ? { ...failed, failedIn: targetOf(run) } : failed;
  }
  return undefined;
}

type Read = { kind: 'read'; states: AlarmState[] } | { kind: 'stopped'; outcome: PhaseOutcome };

/**
 * One DescribeAlarms; a failure is tried again a poll interval later, up to the health error
 * limit, unless an operator's abort was obeyed meanwhile (`aborted` says how the shift stops).
 */
async function readAlarms(
  ctx: ShiftContext,
  names: string[],
  when: string,
  aborted: () => PhaseOutcome | undefined,
  stopped: string,
): Promise<Read> {
  const { deps, req } = ctx;
  const limit = Math.max(1, req.healthErrorLimit ?? DEFAULT_HEALTH_ERROR_LIMIT);
  for (let attempt = 1; ; attempt++) {
    try {
      return { kind: 'read', states: await deps.metrics.describeAlarms(names) };
    } catch (error) {
      const cause = `could not read the alarms ${when} (${attempt} of ${limit} attempts): ${describeError(error)}`;
      if (attempt >= limit) {
        const why = causeOf('HEALTH_UNREADABLE', { consecutive: attempt, limit });
        return { kind: 'stopped', outcome: { kind: 'failed', cause: `${stopped}: ${cause}`, why } };
      }
      logWarn(deps, `${cause}; trying again in ${req.pollIntervalSeconds} s`, 'health');
      try {
        await deps.clock.sleep(req.pollIntervalSeconds * 1000, req.signal);
      } catch {
        return { kind: 'stopped', outcome: { kind: 'interrupted' } };
      }
      const abort = aborted();
      if (abort) return { kind: 'stopped', outcome: abort };
    }
  }
}

function targetOf(ctx: ShiftContext): { functionName: string; alias: string } {
  return { functionName: ctx.cursor.functionName, alias: ctx.cursor.alias };
}
