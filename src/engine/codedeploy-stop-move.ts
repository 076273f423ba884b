/**
 * A person's move of the alias just before lshift stops its CodeDeploy deployment with
 * auto-rollback (codedeploy-stop.ts): a Ctrl-C (or a failed verdict) a moment after someone split
 * the alias by hand, before a read of lshift's saw it. The rollback still runs — a signal asks for
 * the way back (DESIGN.md) — but it puts all traffic back on the stable version over that person's
 * split, and the run said only "Rolled back" (found by a hostile pass, session 65: a 50/50 split by
 * hand at the 10% step, Ctrl-C at once, exit 3 and no word of the split).
 *
 * One alias read goes out alongside the stop, never before it (the stop is the call that matters:
 * a read that stalls must not hold it back), and is judged as the follow judges its reads
 * (isCodeDeployRouting) against the last routing lshift saw. Its answer is taken only if it came
 * before the restore ended; a read that fails, or has not answered by then, says nothing. A routing
 * all on the stable version is never called a person's: CodeDeploy's own rollback writes it too,
 * and it is where the rollback puts the alias anyway.
 */
import { causeOf, type OutcomeCause } from '../domain/outcome.js';
import type { TrafficCursor } from '../ports/traffic-driver.js';
import { describeRouting, isOnStable } from './alias-step.js';
import type { BesideStopNews, CodeDeployDriverDeps } from './codedeploy-driver-deps.js';
import { type CodeDeploySchedule, isCodeDeployRouting, percentOn } from './codedeploy-routing.js';

/** The routing a read beside the stop found, when it was a person's, not CodeDeploy's. */
export type MovedAtStop = NonNullable<TrafficCursor['movedAtStop']>;

/** The read sent beside the stop: `take()` gives its finding if it has answered by then. */
export interface ReadBesideStop {
  take(): MovedAtStop | undefined;
}

/**
 * Sends one alias read now (call it right after the StopDeployment went out) and judges its answer
 * against what lshift had seen before the stop. Never throws, never waited for.
 */
export function readBesideStop(
  deps: Pick<CodeDeployDriverDeps, 'lambda' | 'clock'>,
  cursor: TrafficCursor,
  schedule: CodeDeploySchedule,
  tell: (news: BesideStopNews) => void = () => {},
): ReadBesideStop {
  // What lshift had seen before the stop: later reads of the restore overwrite the cursor.
  const had = cursor.peakPercent ?? cursor.percent;
  const versions = { stableVersion: cursor.stableVersion, targetVersion: cursor.targetVersion };
  const peakSeenAt = cursor.peakSeenAt;
  let found: MovedAtStop | undefined;
  let taken = false;
  const judge = (seen: Awaited<ReturnType<typeof deps.lambda.getAlias>>): MovedAtStop | undefined => {
    if (!seen || isOnStable(seen, versions.stableVersion)) return undefined;
    // Judged at the time the read answered (the latest the routing can be of): errs toward CodeDeploy's.
    const times = { peakSeenAt, now: deps.clock.now() };
    if (isCodeDeployRouting(seen, versions, had, schedule, times)) return undefined;
    return {
      routing: { functionVersion: seen.functionVersion, additionalWeights: { ...seen.additionalWeights } },
      codeDeployPercent: had,
    };
  };
  tell({ answered: false });
  deps.lambda
    .getAlias(cursor.functionName, cursor.alias)
    .then((seen) => {
      const moved = judge(seen);
      // Told even after the restore ended: a second signal may come later still.
      tell(moved ? { answered: true, moved: describeMoveAtStop(moved, versions) } : { answered: true });
      if (!taken) found = moved;
    })
    .catch(() => tell({ answered: true }));
  return {
    take() {
      taken = true;
      return found;
    },
  };
}

/**
 * `the alias routed 50% on 2 when lshift stopped CodeDeploy, not CodeDeploy's 10%: someone had
 * moved it by hand; the rollback put all traffic back on version 1 over it`.
 */
export function describeMovedAtStop(
  moved: MovedAtStop,
  versions: { stableVersion: string; targetVersion: string },
): string {
  return `${describeMoveAtStop(moved, versions)}; the rollback put all traffic back on version ${versions.stableVersion} over it`;
}

/** `the alias routed 50% on 2 when lshift stopped CodeDeploy, not CodeDeploy's 10%: someone had moved it by hand`. */
function describeMoveAtStop(
  moved: MovedAtStop,
  versions: { stableVersion: string; targetVersion: string },
): string {
  const { routing, codeDeployPercent } = moved;
  const { stableVersion, targetVersion } = versions;
  const routed = [routing.functionVersion, ...Object.keys(routing.additionalWeights)];
  const twoVersions = routed.every((v) => v === stableVersion || v === targetVersion);
  const how = twoVersions
    ? `${percentOn(routing, targetVersion)}% on ${targetVersion}`
    : describeRouting(routing);
  const not =
    codeDeployPercent > 0.01 ? `not CodeDeploy's ${codeDeployPercent}%` : 'before CodeDeploy had shifted any';
  return `the alias routed ${how} when lshift stopped CodeDeploy, ${not}: someone had moved it by hand`;
}

/**
 * What a rollback is for, with the move its stop ran over said (`cursor.movedAtStop`): an
 * interrupt's cause gets `movedByHand` and these words as its detail; a failed verdict (GATE_FAILED,
 * INCONCLUSIVE) gets `movedByHand` too and the words after its own — it had them in words only, so
 * `--json` and the record (`y=GATE_FAILED.alarms.hand`) lost the person's move (session 65's note);
 * any other cause gets the words after its own.
 */
export function withMovedAtStop(after: OutcomeCause, cursor: TrafficCursor): OutcomeCause {
  const moved = cursor.movedAtStop;
  if (!moved) return after;
  const words = describeMovedAtStop(moved, cursor);
  if (after.code === 'INTERRUPTED')
    return causeOf('INTERRUPTED', { ...after.data, movedByHand: true }, words);
  const detail = `${after.detail ?? after.code}; ${words}`;
  if (after.code === 'GATE_FAILED' || after.code === 'INCONCLUSIVE')
    return { ...after, data: { ...after.data, movedByHand: true }, detail };
  return { ...after, detail };
}
