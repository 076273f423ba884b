/**
 * The alarms read once more when the pre-traffic hooks end, before the first weight write.
 * Preflight refused alarms already in ALARM (ALARM_ALREADY_FIRING), but the pre-traffic hooks
 * run after it with nothing watched — nothing moved yet — and may run for minutes (a `lambda:`
 * hook up to 15): an alarm that fired meanwhile was first seen at the first hold's poll, with the
 * first weight of the traffic already on the new version. One DescribeAlarms over every watched
 * alarm (in a release, every function's), none without alarms or pre-traffic hooks (preflight's
 * read is seconds old then). An alarm in ALARM stops the deployment with nothing moved (rolled
 * back, exit 3); one that cannot be read is tried again, a poll interval apart, up to the health
 * error limit, and then stops it too: unknown is never "quiet". `--ignore-initial-alarms` (deploy
 * while alarms fire before any traffic moved) lets it go on, warned.
 */

import type { AlarmState } from '../domain/health-readings.js';
import { causeOf } from '../domain/outcome.js';
import { judgeAlarms } from './alarm-gate.js';
import { DEFAULT_HEALTH_ERROR_LIMIT } from './deploy-types.js';
import { describeError, logWarn } from './emit.js';
import type { PhaseOutcome, ShiftContext } from './shift-context.js';

const WHEN = 'when the pre-traffic hooks ended';
const STOPPED = 'stopped before the first weight write';

/** How the shift must stop before its first weight, or undefined to go on. `runs`: whose alarms. */
export async function alarmsBeforeFirstWeight(
  runs: readonly ShiftContext[],
): Promise<PhaseOutcome | undefined> {
  const names = [...new Set(runs.flatMap((r) => r.req.alarms))];
  const ctx = runs[0];
  if (!ctx || names.length === 0) return undefined;
  const read = await readAlarms(ctx, names);
  if (read.kind !== 'read') return read.outcome;
  for (const run of runs) {
    const own = new Set(run.req.alarms);
    const states = read.states.filter((s) => own.has(s.name));
    const verdict = judgeAlarms([...own], states, ctx.deps.clock.now());
    if (verdict.outcome === 'pass' || run.req.alarms.length === 0) continue;
    if (verdict.outcome === 'fail' && run.req.ignoreInitialAlarms) {
      const said = `${WHEN}, ${verdict.summary}; the first weight is written anyway (--ignore-initial-alarms)`;
      logWarn(ctx.deps, said, 'health');
      continue;
    }
    const why =
      verdict.outcome === 'fail'
        ? causeOf('GATE_FAILED', { gates: [verdict.gate] })
        : causeOf('HEALTH_UNREADABLE', { consecutive: 1, limit: 1 });
    const failed: PhaseOutcome = { kind: 'failed', cause: `${STOPPED}: ${WHEN}, ${verdict.summary}`, why };
    return runs.length > 1 ? { ...failed, failedIn: targetOf(run) } : failed;
  }
  return undefined;
}

type Read = { kind: 'read'; states: AlarmState[] } | { kind: 'stopped'; outcome: PhaseOutcome };

/** One DescribeAlarms; a failure is tried again a poll interval later, up to the health error limit. */
async function readAlarms(ctx: ShiftContext, names: string[]): Promise<Read> {
  const { deps, req } = ctx;
  const limit = Math.max(1, req.healthErrorLimit ?? DEFAULT_HEALTH_ERROR_LIMIT);
  for (let attempt = 1; ; attempt++) {
    try {
      return { kind: 'read', states: await deps.metrics.describeAlarms(names) };
    } catch (error) {
      const cause = `could not read the alarms ${WHEN} (${attempt} of ${limit} attempts): ${describeError(error)}`;
      if (attempt >= limit) {
        const why = causeOf('HEALTH_UNREADABLE', { consecutive: attempt, limit });
        return { kind: 'stopped', outcome: { kind: 'failed', cause: `${STOPPED}: ${cause}`, why } };
      }
      logWarn(deps, `${cause}; trying again in ${req.pollIntervalSeconds} s`, 'health');
      try {
        await deps.clock.sleep(req.pollIntervalSeconds * 1000, req.signal);
      } catch {
        return { kind: 'stopped', outcome: { kind: 'interrupted' } };
      }
    }
  }
}

function targetOf(ctx: ShiftContext): { functionName: string; alias: string } {
  return { functionName: ctx.cursor.functionName, alias: ctx.cursor.alias };
}
