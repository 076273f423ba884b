/**
 * What `lshift check` does with a candidate once watched for the stale limit and its alarms read:
 * finish a dead rollback, close one found back on its stable version (check-close-on-stable.ts),
 * roll back on an alarm, leave a stalled one to a human with its fix, or call it healthy. A
 * CodeDeploy record's decision is check-codedeploy.ts's; `act` carries it out.
 */

import type { Verdict } from '../domain/verdict.js';
import type { AliasInfo } from '../ports/lambda.js';
import { judgeAlarms } from './alarm-gate.js';
import type { AlarmRead } from './check-alarms.js';
import type { Candidate } from './check-candidates.js';
import { describeAge, describeProgress, ownerOf } from './check-classify.js';
import { closeIfOnStable } from './check-close-on-stable.js';
import { type CodeDeployDecision, decideByAlarms } from './check-codedeploy.js';
import { closeEndedRecord } from './check-codedeploy-close.js';
import { describeAliasGone, entry } from './check-entry.js';
import { findMateTakenSince } from './check-mates-after-watch.js';
import { describeMovedAway } from './check-moved.js';
import { describeNoLiveOwnerShort, describeOwnerless } from './check-ownerless.js';
import { rollBack } from './check-rollback.js';
import { findTakenOver } from './check-taken-over.js';
import type { CheckDeps, CheckResult } from './check-types.js';
import { isTerminal } from './codedeploy-status.js';
import { claimGoalOffStable } from './follow-claim-goal.js';
import { firedBeforeStart, firedWhileItsRunnerRan } from './gate-fired-at.js';
import { isMovedOverRollbackRecord } from './kept-over-rollback.js';
import { deadRollbackPid, describeEndedAttempt } from './owner-kinds.js';
import { describePromoteUnconfirmed, promoteUnconfirmedFix } from './promote-unconfirmed.js';
import { aliasMovedSinceEnd, describeDrift, isPromoteUnconfirmed, isSplit } from './record-view.js';

/** A stalled result left for someone to finish, given the summary that would name a takeover. */
type LeaveStalled = (result: CheckResult, summary: string) => Promise<CheckResult>;

export async function decide(
  deps: CheckDeps,
  c: Candidate,
  alarms: AlarmRead,
  now: number,
  flap: Verdict | undefined,
  staleMs: number,
): Promise<CheckResult> {
  const { record } = c;
  const stalled = c.kind !== 'recent' && !hasLiveOrFinishedCodeDeploy(c);
  // Left for someone to finish: unless a resume (or a new deployment) took it since the listing.
  const leftStalled: LeaveStalled = async (result, summary) =>
    (result.stalled && (await findTakenOver(deps, c, staleMs, summary))) || result;
  if (c.kind === 'unfinished-rollback') return finishRollback(deps, c, now, stalled);
  const closed = await closeIfOnStable(deps, c, now, staleMs);
  if (closed) return closed;
  // Unknown health is never a reason to roll back; a split nobody drives is still said, with its
  // fix (not for a promote left unconfirmed, whose fix is another, nor a CodeDeploy run not read).
  const tellSplit = stalled && !isPromoteUnconfirmed(record) && c.codeDeploy?.kind !== 'unreadable';
  const ownerless = tellSplit ? `; ${describeOwnerless(c, now, deps)}` : '';
  const unjudged = (why: string) =>
    leftStalled(entry(c, 'error', `${why}; health unknown, not rolled back${ownerless}`, { stalled }), why);
  if ('error' in alarms) return unjudged(`could not read alarms (${alarms.error})`);
  // One read serves every function: judge each on its own alarms only.
  const own = alarms.states.filter((s) => c.alarmNames.includes(s.name));
  const verdict = flap ?? judgeAlarms(c.alarmNames, own, now);
  if (verdict.outcome === 'error') return unjudged(verdict.summary);
  const cd = c.codeDeploy;
  if (cd && cd.kind !== 'unreadable')
    return markUnjudged(await act(deps, c, decideByAlarms(c, cd, verdict, now)), verdict);
  if (verdict.outcome === 'fail') return rollBackOnAlarm(deps, c, verdict, now, stalled, staleMs);
  if (c.kind === 'recent') return judgeRecent(deps, c, verdict);
  return judgeHealthyUnfinished(deps, c, verdict, now, stalled, leftStalled);
}

/** A rollback whose runner died before it finished: finished, whatever the alarms say. */
function finishRollback(deps: CheckDeps, c: Candidate, now: number, stalled: boolean): Promise<CheckResult> {
  const { record } = c;
  const dead = deadRollbackPid(record, deps);
  const ended = describeEndedAttempt(record.owner, deps.owner);
  const since = dead
    ? `its process ${dead} no longer runs on this machine`
    : (ended ?? `no heartbeat for ${describeAge(now, record.heartbeatAt)}`);
  // A killed `lshift rollback --to N` (its claim `rt=N`) is finished on the stable version, on
  // purpose (check-classify.ts rollbackTarget): said, since its runner followed it "until … version N".
  const to = claimGoalOffStable(record);
  const notThere =
    to === undefined
      ? ''
      : ` on its stable version ${record.stableVersion}, not on version ${to}, where \`lshift rollback --to ${to}\` was sending it`;
  const why = `finishing the rollback of deployment ${record.id} that ${ownerOf(record)} started (${since})${notThere}`;
  return rollBack(deps, c, why, stalled);
}

/** An alarm fires (or flapped): back to the previous version, saying when it fired. */
async function rollBackOnAlarm(
  deps: CheckDeps,
  c: Candidate,
  verdict: Verdict,
  now: number,
  stalled: boolean,
  staleMs: number,
): Promise<CheckResult> {
  const { record } = c;
  // The record's weight is what its runner last wrote; with the alias read before the rollback,
  // where that differs: `started at 0%` of an alias at 90/10 read as "no traffic moved" (its
  // runner killed right after a weight write; found by a report pass, session 62).
  const where = (alias?: AliasInfo) => {
    const drift = alias ? describeDrift(alias, record) : '';
    return `${describeProgress(record)}${drift}${drift ? ';' : ','} ${describeNoLiveOwnerShort(deps, record, now)}`;
  };
  // An alarm in ALARM since before the start (--ignore-initial-alarms) is said so, not "during".
  const when = (alias?: AliasInfo) =>
    c.kind === 'recent'
      ? `after deployment ${record.id} promoted version ${record.targetVersion} ${describeAge(now, record.endedAt ?? record.heartbeatAt)} ago`
      : firedBeforeStart(verdict, record)
        ? `— in ALARM since before deployment ${record.id} began (now ${where(alias)})`
        : `during deployment ${record.id} (${where(alias)})`;
  // An alarm's StateReason ends its sentence; `when` goes on with it.
  const said = (alias?: AliasInfo) => `${verdict.summary.replace(/\.$/, '')} ${when(alias)}`;
  const releaseGate = (await failsItsRelease(deps, c, verdict, stalled, staleMs))
    ? { releaseGateFailed: said() }
    : {};
  return rollBack(deps, { ...c, ...releaseGate }, (alias) => `lshift check: ${said(alias)}`, stalled, {
    code: 'GATE_FAILED',
    gates: [verdict.gate],
  });
}

/**
 * Whether this failed gate rolls the candidate's whole release back, should its alias be back on
 * its stable version already (check-rollback.ts): nobody drives it, the alarm went to ALARM while
 * its runner ran (gate-fired-at.ts), and none of the release's other records says it is owned or
 * decided (releaseClosable, check-release-close.ts) — nor, read again after the watch, was taken
 * by a resume during it (check-mates-after-watch.ts).
 */
async function failsItsRelease(
  deps: CheckDeps,
  c: Candidate,
  verdict: Verdict,
  stalled: boolean,
  staleMs: number,
): Promise<boolean> {
  const release = c.releaseClosable;
  if (!stalled || !release || !firedWhileItsRunnerRan(verdict, c.record, staleMs)) return false;
  const taken = await findMateTakenSince(release.mates, release.readRecord, deps.clock.now(), staleMs);
  return taken === undefined;
}

/** An unfinished deployment nobody drives whose alarms are OK: healthy, but left for someone to finish. */
async function judgeHealthyUnfinished(
  deps: CheckDeps,
  c: Candidate,
  verdict: Verdict,
  now: number,
  stalled: boolean,
  leftStalled: LeaveStalled,
): Promise<CheckResult> {
  const { record } = c;
  if (isPromoteUnconfirmed(record)) {
    const why = `${verdict.summary}, but ${describePromoteUnconfirmed(record)}: ${promoteUnconfirmedFix(c, record)}`;
    return leftStalled(entry(c, 'healthy', why, { stalled }), verdict.summary);
  }
  // undefined: the alias does not exist; null: it could not be read (judged as before).
  const alias = await deps.lambda.getAlias(c.functionName, c.alias).catch(() => null);
  if (alias === undefined) return entry(c, 'error', `${verdict.summary}, but ${describeAliasGone(c)}`);
  const moved = alias && describeMovedAway(c, alias);
  if (moved) return entry(c, 'healthy', `${verdict.summary}, but ${moved}`, { stalled, movedByHand: true });
  const ownerlessNow = entry(
    c,
    'healthy',
    `${verdict.summary}, but ${describeOwnerless(c, now, deps, alias)}`,
    {
      stalled,
    },
  );
  return leftStalled(ownerlessNow, verdict.summary);
}

/**
 * A recent promotion whose alarms are OK: healthy — but when its alias was moved since (by hand,
 * another tool), the alarms judged what runs now, not its target, and an alarm would not roll it
 * back (refuseRollback): said, not called plainly healthy. An unreadable alias changes nothing.
 */
async function judgeRecent(deps: CheckDeps, c: Candidate, verdict: Verdict): Promise<CheckResult> {
  const { summary } = verdict;
  // undefined: the alias does not exist; null: it could not be read (judged by the alarms alone).
  const alias = await deps.lambda.getAlias(c.functionName, c.alias).catch(() => null);
  // Not healthy: there is no alias to be healthy, as `status` and the other rows say (it said
  // `HEALTHY … 1 alarm OK`, exit 0, at every run of the window; found by a hostile pass).
  if (alias === undefined) return entry(c, 'error', `${summary}, but ${describeAliasGone(c)}`);
  const leftOn = alias && aliasMovedSinceEnd(c.record, alias);
  const unjudged = judgedNothing(verdict);
  const extra = unjudged ? { unjudged: true } : {};
  if (alias && !leftOn && isMovedOverRollback(c.record, alias))
    return entry(c, 'healthy', `${summary}, but ${describeMovedOverRollback(c)}`, extra);
  if (!alias || !leftOn) return entry(c, 'healthy', summary, extra);
  // Never split here: a promoted record over a split alias is caught first (findPromotedButSplit).
  // Not "the alarms judged that" when none had data (found by a hostile pass).
  const judged = unjudged ? 'no alarm had data to judge it' : 'the alarms judged that';
  return entry(
    c,
    'healthy',
    `${summary}, but alias ${c.alias} was moved since deployment ${c.record.id} promoted version ${leftOn}: it now routes all traffic to version ${alias.functionVersion}, which no lshift deployment put there; ${judged}, and lshift check will not roll it back`,
    extra,
  );
}

/** AWS CodeDeploy still drives it, or promoted it: not stalled, whatever lshift's runner did. */
function hasLiveOrFinishedCodeDeploy(c: Candidate): boolean {
  const view = c.codeDeploy;
  return view?.kind === 'read' && (!isTerminal(view.info.status) || view.info.status === 'Succeeded');
}

/** Carries out what check-codedeploy.ts decided for a record AWS CodeDeploy runs (or ran). */
export async function act(deps: CheckDeps, c: Candidate, d: CodeDeployDecision): Promise<CheckResult> {
  if (d.do === 'roll-back') return rollBack(deps, { ...c, kind: d.kind }, d.reason, d.stalled, d.cause);
  if (!d.close) return entry(c, d.action, d.reason, d);
  const { said, closed } = await closeEndedRecord(deps, c, d.close);
  // The line names the phase the record has now, not the one read before closing it.
  return entry(closed ? { ...c, record: closed } : c, d.action, d.reason + said, d);
}

/** A healthy line no alarm judged (all INSUFFICIENT_DATA): UNJUDGED, as judgeRecent's. */
function markUnjudged(result: CheckResult, verdict: Verdict): CheckResult {
  return result.action === 'healthy' && judgedNothing(verdict) ? { ...result, unjudged: true } : result;
}

/** Every alarm INSUFFICIENT_DATA: a pass by CloudWatch's silence, not by anything it measured. */
function judgedNothing(verdict: Verdict): boolean {
  const alarms = verdict.details?.alarms;
  const states = Array.isArray(alarms) ? (alarms as { state?: unknown }[]) : [];
  return states.length > 0 && states.every((s) => s.state === 'INSUFFICIENT_DATA');
}

/**
 * lshift had decided to roll it back (the record keeps why: a pre-traffic hook that then failed)
 * when someone else put all traffic on its new version, and lshift left that move (record-view.ts
 * closedByHand, rollback-moved-close.ts). Its alarms OK do not make the failed smoke test pass:
 * said, as `lshift status` says it (exit 4 there), not called plainly healthy (session 66).
 */
function isMovedOverRollback(
  record: Candidate['record'],
  alias: { functionVersion: string; additionalWeights: Record<string, number> },
): boolean {
  return (
    isMovedOverRollbackRecord(record) &&
    !isSplit(alias.additionalWeights) &&
    alias.functionVersion === record.targetVersion
  );
}

function describeMovedOverRollback(c: Candidate): string {
  const { record } = c;
  return `lshift had decided to roll deployment ${record.id} back (\`lshift status ${c.functionName} --alias ${c.alias}\` says why) when someone else put all traffic on version ${record.targetVersion}, which lshift left; the alarms judged that, and lshift check will not roll it back: \`lshift rollback ${c.functionName} --alias ${c.alias}\` puts it back on version ${record.stableVersion}, and \`lshift alias ${c.functionName} ${c.alias} ${record.targetVersion}\` records that you keep version ${record.targetVersion}`;
}
