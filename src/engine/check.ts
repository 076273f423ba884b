/**
 * `lshift check`: the scheduled rollback check (cron, a scheduled CI job). It looks at the
 * deployment records (tags `lshift:<alias>`) and rolls back what went bad after nobody was
 * watching any more:
 *  - a deployment promoted within the window whose alarm fires now, or went to ALARM and back
 *    since its last alarm poll before the promotion (check-flaps.ts) → back to the previous version;
 *  - a deployment whose runner died (heartbeat older than the staleness limit, or `paused`, or a
 *    `failed` rollback) with an alarm firing → back to its stable version;
 *  - a rollback whose runner died before it finished (`rolling-back`, stale) → finished, whatever
 *    the alarms say: its owner had already decided.
 * A deployment still driven by a live process is left to it. Unreadable alarms are never healthy:
 * the function gets `error` (exit 1), not a rollback — the check cannot tell, a human should look.
 * This file decides; check-rollback.ts carries out a rollback it decided.
 */

import { describeOverlongAlarm, OVERLONG_ALARM_HINT } from '../domain/alarm-templates.js';
import type { DeploymentRecord } from '../domain/deployment-record.js';
import { aliasWrittenSinceStart } from '../domain/record-revision.js';
import type { Verdict } from '../domain/verdict.js';
import type { AliasInfo } from '../ports/lambda.js';
import { judgeAlarms } from './alarm-gate.js';
import { type AlarmRead, readAlarms } from './check-alarms.js';
import {
  type CheckKind,
  classifyRecord,
  deadRollbackPid,
  describeAge,
  describeLiveUnwritten,
  describeProgress,
  expandAlarms,
  livePidHere,
  ownerOf,
  rollbackTarget,
} from './check-classify.js';
import {
  type CodeDeployDecision,
  type CodeDeployView,
  decideByAlarms,
  decideWithoutAlarms,
  describeCodeDeployFix,
} from './check-codedeploy.js';
import { closeEndedRecord } from './check-codedeploy-close.js';
import { decideDrivenBeforeWatch, readCodeDeployViews } from './check-codedeploy-reads.js';
import { describeAliasGone, describeRefusal, entry, report } from './check-entry.js';
import { findCheckFlaps } from './check-flaps.js';
import { holdReports, targetKey } from './check-held-reports.js';
import { describeMovedAway } from './check-moved.js';
import { findPromotedButSplit, gatherRecords, releaseFunctionsOf } from './check-records.js';
import {
  areMatesBackOnStable,
  cacheAliasReads,
  findQuietMates,
  findUnresumableMates,
  type MateAliasReader,
} from './check-release-close.js';
import { checkSettingsOf, validateCheckRequest } from './check-request.js';
import { ABANDONED_BEFORE_TRAFFIC, FOUND_BACK_ON_STABLE, rollBack } from './check-rollback.js';
import { findMovedSinceRollback, judgeMovedSinceRollback } from './check-split-since.js';
import { findTakenOver } from './check-taken-over.js';
import type { CheckDeps, CheckReport, CheckRequest, CheckResult } from './check-types.js';
import { watchCandidates } from './check-watch.js';
import { findCodeDeployDriver } from './codedeploy-split-driver.js';
import { isTerminal } from './codedeploy-status.js';
import { describeAliasState, describeWaysOut } from './deploy-result.js';
import { DEFAULT_STALE_AFTER_SECONDS } from './deploy-types.js';
import { describePromoteUnconfirmed, promoteUnconfirmedFix } from './promote-unconfirmed.js';
import { describePromotedButSplit, promotedButSplitFix } from './promoted-split.js';
import { describeUntrustedRecord, untrustedRecordError } from './record-trust.js';
import { aliasMovedSinceEnd, describeDrift, isPromoteUnconfirmed, isSplit } from './record-view.js';
import type { UnresumableMates } from './release-moved-member.js';
import { promotedFull } from './resume-point.js';
import type { ListedRecord } from './tag-state-store.js';

export { checkSettingsOf, validateCheckRequest } from './check-request.js';
export type { CheckAction, CheckDeps, CheckReport, CheckRequest, CheckResult } from './check-types.js';

interface Candidate extends ListedRecord {
  kind: CheckKind;
  toVersion: string;
  alarmNames: string[];
  /** What AWS CodeDeploy says of the record's deployment (check-codedeploy.ts), when it runs it. */
  codeDeploy?: CodeDeployView;
  /** Every function of the record's release, when the check listed them all (check-records.ts). */
  releaseFunctions?: string[];
  /** The functions of the record's release this check has records of (the same as check-release.ts names). */
  releaseChecked?: string[];
  /** One of those records holds an obeyed or sent `promote --full` (check-moved.ts). */
  releasePromotedFull?: true;
  /** Those of them a resume of the release would refuse (check-release-close.ts findUnresumableMates). */
  releaseUnresumable?: UnresumableMates;
  /**
   * A release's function closed like a single deployment's when it and these, its release's
   * other records read, are all on their stable versions (check-release-close.ts).
   */
  releaseClosable?: { mates: ListedRecord[]; readAlias: MateAliasReader };
}

export async function runCheck(given: CheckDeps, req: CheckRequest): Promise<CheckReport> {
  const deps: CheckDeps = { ...given, rollbackPersist: given.rollbackPersist ?? {} };
  validateCheckRequest(req);
  const now = deps.clock.now();
  const results: CheckResult[] = [];
  // Reported as decided, so a long check over many functions shows progress; a release's
  // functions once its verdict is in (check-held-reports.ts).
  const inRelease = new Set<string>();
  const add = (r: CheckResult): void => {
    results.push(r);
    if (!inRelease.has(targetKey(r))) report(deps, r);
  };
  const candidates: Candidate[] = [];
  const gathered = await gatherRecords(deps, req, add);
  for (const listed of gathered) if (listed.record.releaseId) inRelease.add(targetKey(listed));
  // Ended records whose alias was deleted since (read by the two lookups below, once each).
  const aliasGone = new Set<ListedRecord>();
  const [splitPromoted, movedSinceRollback] = await Promise.all([
    findPromotedButSplit(deps, gathered, aliasGone),
    findMovedSinceRollback(deps, gathered, aliasGone),
  ]);
  const unreadable = results.filter((r) => r.action === 'error').length;
  const mates = releaseFunctionsOf(req, gathered, unreadable);
  const readMateAlias = cacheAliasReads((fn, alias) => deps.lambda.getAlias(fn, alias));
  // Its own reads: first asked once the candidates were watched for the stale limit, as late as
  // the close they decide (their words' reads above are taken before that watch).
  const readMateAliasToClose = cacheAliasReads((fn, alias) => deps.lambda.getAlias(fn, alias));
  for (const listed of gathered) {
    const problem = describeUntrustedRecord(listed.record, now);
    if (problem !== undefined) {
      add(await refuseUntrusted(deps, listed, now, problem));
      continue;
    }
    const split = splitPromoted.get(listed);
    const driver =
      split &&
      (await findCodeDeployDriver(
        deps.codedeploy,
        deps.codeDeployGroupOf?.(listed.functionName, listed.alias),
        { functionName: listed.functionName, alias: listed.alias, routing: split },
      ));
    if (split && driver) {
      // Someone else's CodeDeploy deployment drives the split (codedeploy-split-driver.ts): not
      // stalled, and nothing to write beside it.
      const id = driver.split(' ')[0];
      const why = `deployment ${listed.record.id} ended promoted; the alias routes ${describeAliasState(split)}, driven by another CodeDeploy deployment on its group: ${driver}; left to it (\`lshift wait ${id} --on-interrupt leave\` follows it without stopping it)`;
      add(entry(listed, 'skipped', why));
      continue;
    }
    if (split) {
      const why = `${describePromotedButSplit(listed, listed.record, split)}; left as it is, a human must decide. ${promotedButSplitFix(listed, listed.record, split)}`;
      add(entry(listed, 'skipped', why, { stalled: true }));
      continue;
    }
    const kind = classifyRecord(listed.record, now, { ...req, owner: deps.owner, processes: deps.processes });
    if (typeof kind !== 'string' && aliasGone.has(listed)) {
      // Not skipped (exit 0 at every run, for good): a finished record never ages out, and only
      // a person deletes it; said as the unfinished and recent ones are (check-alias-deleted.test.ts).
      add(entry(listed, 'error', `${kind.skip}, but ${describeAliasGone(listed)}`));
      continue;
    }
    if (typeof kind !== 'string') {
      const since = movedSinceRollback.get(listed);
      add(
        since
          ? await judgeMovedSinceRollback(deps, kind.skip, listed, since)
          : entry(listed, 'skipped', kind.skip),
      );
      continue;
    }
    const { alarms } = checkSettingsOf(req, listed.functionName);
    // A function found by its record: a name CloudWatch would refuse (over 255 characters once
    // filled) cannot be judged, and in a DescribeAlarms batch it would fail the others' too.
    const overlong = describeOverlongAlarm(alarms, listed.functionName, listed.alias, 'alarm');
    if (overlong !== undefined) {
      add(entry(listed, 'error', `${overlong} ${OVERLONG_ALARM_HINT}`));
      continue;
    }
    const alarmNames = expandAlarms(alarms, listed.functionName, listed.alias);
    const releaseId = listed.record.releaseId;
    const releaseFunctions = releaseId ? mates?.get(releaseId) : undefined;
    const mateRecords = gathered.filter((g) => g.record.releaseId === releaseId);
    const releaseChecked = mateRecords.map((g) => g.functionName);
    const fullRelease = releaseId !== undefined && mateRecords.some((g) => promotedFull(g.record));
    const staleMs = (req.staleAfterSeconds ?? DEFAULT_STALE_AFTER_SECONDS) * 1000;
    const quietMates = releaseId === undefined ? undefined : findQuietMates(listed, gathered, now, staleMs);
    // Words only: which of its mates a resume of the release would refuse (check-moved.ts).
    const unresumable =
      releaseId !== undefined && kind === 'orphaned'
        ? await findUnresumableMates(
            mateRecords.filter((g) => g !== listed),
            readMateAlias,
          )
        : undefined;
    candidates.push({
      ...listed,
      kind,
      toVersion: rollbackTarget(listed.record),
      alarmNames,
      ...(releaseFunctions ? { releaseFunctions } : {}),
      ...(releaseId ? { releaseChecked } : {}),
      ...(fullRelease ? { releasePromotedFull: true as const } : {}),
      ...(quietMates ? { releaseClosable: { mates: quietMates, readAlias: readMateAliasToClose } } : {}),
      ...(unresumable ? { releaseUnresumable: unresumable } : {}),
    });
  }
  // A stale record AWS CodeDeploy still drives, alarms OK: nothing to act on, no watch needed.
  const driven = req.signal?.aborted
    ? new Map<Candidate, CodeDeployDecision>()
    : await decideDrivenBeforeWatch(deps, candidates, now);
  for (const [c, d] of driven) add(await act(deps, c, d));
  const toWatch = candidates.filter((c) => !driven.has(c));
  // Acted on only once seen unchanged for the stale limit (the heartbeat is another machine's clock).
  const watched = await watchCandidates(deps, toWatch, req, (c, w) =>
    add(
      w.kind === 'interrupted'
        ? untouched(c, req.signal!)
        : entry(c, w.kind === 'alive' ? 'skipped' : 'error', w.why),
    ),
  );
  // One GetDeployment per CodeDeploy record; some are decided by it alone (no alarms read for them).
  const views = req.signal?.aborted ? [] : await readCodeDeployViews(deps, watched);
  const judged: Candidate[] = [];
  for (const [i, c] of watched.entries()) {
    const view = views[i];
    if (view) c.codeDeploy = view;
    const early = view && decideWithoutAlarms(c, view, now, req.windowSeconds);
    // Closing a record is a write too: none after a signal.
    if (early) add(req.signal?.aborted ? untouched(c, req.signal) : await act(deps, c, early));
    else judged.push(c);
  }
  const alarms = req.signal?.aborted ? { states: [] } : await readAlarms(deps.metrics, judged);
  // Alarms that went to ALARM and back since the window began (check-flaps.ts).
  const flaps = req.signal?.aborted
    ? []
    : await findCheckFlaps(deps.metrics, judged, alarms, now, req.signal);
  for (const [i, c] of judged.entries()) {
    // Checked between functions only: one being rolled back is finished, record and all.
    const staleMs = (req.staleAfterSeconds ?? DEFAULT_STALE_AFTER_SECONDS) * 1000;
    add(
      req.signal?.aborted ? untouched(c, req.signal) : await decide(deps, c, alarms, now, flaps[i], staleMs),
    );
  }
  results.sort((a, b) => a.functionName.localeCompare(b.functionName) || a.alias.localeCompare(b.alias));
  return holdReports(
    {
      checkedAt: now,
      alias: req.alias,
      windowSeconds: req.windowSeconds,
      results,
      ...(req.signal?.aborted ? { interrupted: describeInterrupt(req.signal) } : {}),
    },
    inRelease,
  );
}

/** A function the interrupted check did not get to: nothing read for it, nothing written. */
function untouched(c: Candidate, signal: AbortSignal): CheckResult {
  const why = `not checked: the check was ${describeInterrupt(signal)} before its turn; nothing was changed (run lshift check again)`;
  return { ...entry(c, 'skipped', why), interrupted: true };
}

/** `interrupted by SIGTERM`, from the signal's reason (src/cli/interrupts.ts), or `interrupted`. */
export function describeInterrupt(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  const text = reason instanceof Error ? reason.message : '';
  return /^interrupted by [A-Z]+$/.test(text) ? text : 'interrupted';
}

async function decide(
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
  const leftStalled = async (result: CheckResult, summary: string): Promise<CheckResult> =>
    (result.stalled && (await findTakenOver(deps, c, staleMs, summary))) || result;
  if (c.kind === 'unfinished-rollback') {
    const dead = deadRollbackPid(record, deps);
    const since = dead
      ? `its process ${dead} no longer runs on this machine`
      : `no heartbeat for ${describeAge(now, record.heartbeatAt)}`;
    const why = `finishing the rollback of deployment ${record.id} that ${ownerOf(record)} started (${since})`;
    return rollBack(deps, c, why, stalled);
  }
  const untouched = await closeIfOnStable(deps, c, now);
  if (untouched) return untouched;
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
  if (verdict.outcome === 'fail') {
    const when =
      c.kind === 'recent'
        ? `after deployment ${record.id} promoted version ${record.targetVersion} ${describeAge(now, record.endedAt ?? record.heartbeatAt)} ago`
        : `during deployment ${record.id} (${describeProgress(record)}, ${describeNoLiveOwnerShort(deps, record, now)})`;
    // An alarm's StateReason ends its sentence; `when` goes on with it.
    const why = `lshift check: ${verdict.summary.replace(/\.$/, '')} ${when}`;
    return rollBack(deps, c, why, stalled, { code: 'GATE_FAILED', gates: [verdict.gate] });
  }
  if (c.kind === 'recent') return judgeRecent(deps, c, verdict);
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
 * A record that does not add up is never acted on. Over a split alias it is a split nobody can
 * finish or undo (exit 4, `stalled`), and its fix is the rollback that needs no record, as `lshift
 * status` says — not "delete the record", which left a split alias that every later check and
 * `status` reported as nothing to do (found by a hostile pass: exit 1, then 0 for ever).
 */
async function refuseUntrusted(
  deps: CheckDeps,
  listed: ListedRecord,
  now: number,
  problem: string,
): Promise<CheckResult> {
  const alias = await deps.lambda.getAlias(listed.functionName, listed.alias).catch(() => undefined);
  if (!alias || !isSplit(alias.additionalWeights))
    return entry(listed, 'error', describeRefusal(listed, now, problem, deps.clock));
  const { message } = untrustedRecordError(
    {
      functionName: listed.functionName,
      alias: listed.alias,
      now,
      sandboxClock: deps.clock.followsSandbox === true,
    },
    problem,
  );
  const fix = `lshift rollback ${listed.functionName} --alias ${listed.alias} --to ${alias.functionVersion}`;
  return entry(
    listed,
    'error',
    `${message} Alias ${listed.alias} is split (${describeAliasState(alias)}) and nothing will finish or undo it: put all traffic on its primary version with \`${fix}\` (the record is left as it is).`,
    { stalled: true },
  );
}

/**
 * A deployment with no live owner whose alias routes everything to its stable version: nothing
 * for a human to decide, whatever the alarms say of the version that runs. Closed as rolled back
 * the way `lshift rollback` would (claimed, the same routing written again so a runner still alive
 * gets a 412 at its next weight write), and said (`skipped`, exit 0). Either it was abandoned
 * before any traffic moved — its runner killed (kill -9, the OOM killer) while writing its first
 * record, publishing or running its pre-traffic hook — or its traffic was moved back and nobody
 * recorded it: a rollback whose record writes failed (TagResource refused: RECORD_UNWRITTEN,
 * health-monitor.ts), or a person's `aws lambda update-alias`. Before, every scheduled check
 * reported it STALLED (exit 4), and the next deploy was refused as DEPLOYMENT_STALE (found by
 * hostile passes). A paused deployment is someone's decision; a release's function only when none
 * of its release's records says the release is owned or decided (check-release-close.ts), else
 * with its release (check-release.ts); a CodeDeploy deployment is read from CodeDeploy
 * (check-codedeploy.ts).
 */
async function closeIfOnStable(deps: CheckDeps, c: Candidate, now: number): Promise<CheckResult | undefined> {
  const { record } = c;
  const release = c.releaseClosable;
  if (c.kind !== 'orphaned' || c.codeDeploy || !closableWhenOnStable(record, release !== undefined))
    return undefined;
  const alias = await deps.lambda.getAlias(c.functionName, c.alias).catch(() => undefined);
  if (!alias || isSplit(alias.additionalWeights) || alias.functionVersion !== record.stableVersion)
    return undefined;
  if (release && !(await areMatesBackOnStable(release.mates, release.readAlias))) return undefined;
  // No weight recorded is "never moved" only while nothing wrote the alias since (record-revision.ts).
  const writtenSince = aliasWrittenSinceStart(record, alias);
  const neverMoved = record.percent === 0 && !writtenSince;
  const how = neverMoved
    ? `moved no traffic: alias ${c.alias} routes all traffic to version ${record.stableVersion}, its stable version`
    : writtenSince
      ? `alias ${c.alias} routes all traffic to its stable version ${record.stableVersion}, but it was written since the deployment started (its RevisionId changed): its first weight may have landed and been put back by a rollback that could not record it, or it was moved by hand`
      : `alias ${c.alias} routes all traffic to its stable version ${record.stableVersion} again, which its record does not say (moved back by hand, or by a rollback that could not record it)`;
  const why = `deployment ${record.id} (${describeProgress(record)}) ${describeNoLiveOwner(deps, record, now)} and ${how}`;
  const endReason = neverMoved ? ABANDONED_BEFORE_TRAFFIC : FOUND_BACK_ON_STABLE;
  return rollBack(deps, { ...c, closeOnly: { endReason } }, why, false);
}

function closableWhenOnStable(record: DeploymentRecord, releaseClosable: boolean): boolean {
  return (
    record.phase !== 'paused' &&
    (record.releaseId === undefined || releaseClosable) &&
    record.engine !== 'codedeploy' &&
    !isPromoteUnconfirmed(record)
  );
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

/**
 * `has no live owner (heartbeat 5m ago; its process 41 no longer runs on this machine)` — or, its
 * owner's pid still running on this machine (livePidHere), that it runs but writes no record: it
 * said "no live owner" of a runner alive here whose TagResource failed (found by a hostile pass).
 */
function describeNoLiveOwner(deps: CheckDeps, record: DeploymentRecord, now: number): string {
  const age = describeAge(now, record.heartbeatAt);
  const live = livePidHere(record.owner, deps.owner, deps.processes);
  if (live !== undefined)
    return `has an owner that writes no record (heartbeat ${age} ago; ${describeLiveUnwritten(live, age, record.engine)})`;
  return `has no live owner (heartbeat ${age} ago${describeDeadRunner(deps, record, '; ')})`;
}

/** `no live owner: its process 41 no longer runs on this machine`, or its live pid's (describeNoLiveOwner). */
function describeNoLiveOwnerShort(deps: CheckDeps, record: DeploymentRecord, now: number): string {
  const live = livePidHere(record.owner, deps.owner, deps.processes);
  if (live !== undefined)
    return `its record unwritten for ${describeAge(now, record.heartbeatAt)} though its process ${live} still runs on this machine`;
  return `no live owner${describeDeadRunner(deps, record, ': ')}`;
}

/** `: its process 41 no longer runs on this machine`, when this machine's processes said so. */
function describeDeadRunner(deps: CheckDeps, record: DeploymentRecord, lead: string): string {
  const dead = deadRollbackPid(record, deps);
  return dead ? `${lead}its process ${dead} no longer runs on this machine` : '';
}

/**
 * "deployment d-… (shifting at 10%) has no live owner (heartbeat 5m ago): finish it with …, or
 * undo it with `lshift rollback …`". A release's function is finished or undone with its release:
 * check-release.ts says how, once.
 */
function describeOwnerless(c: Candidate, now: number, deps: CheckDeps, alias?: AliasInfo | null): string {
  const { record } = c;
  // The record's weight is what its runner last wrote: a kill right after a weight write leaves
  // the alias a step ahead, and "(started at 0%)" read as "no traffic moved" (a hostile pass).
  const drift = alias ? describeDrift(alias, record) : '';
  const ownerless = `deployment ${record.id} (${describeProgress(record)}${drift}) ${describeNoLiveOwner(deps, record, now)}`;
  if (record.releaseId && record.engine !== 'codedeploy') return ownerless;
  const fix =
    record.engine === 'codedeploy'
      ? describeCodeDeployFix(c.functionName, c.alias, record)
      : describeWaysOut(c.functionName, c.alias, record, c.releaseFunctions);
  return `${ownerless}: ${fix}`;
}

/** AWS CodeDeploy still drives it, or promoted it: not stalled, whatever lshift's runner did. */
function hasLiveOrFinishedCodeDeploy(c: Candidate): boolean {
  const view = c.codeDeploy;
  return view?.kind === 'read' && (!isTerminal(view.info.status) || view.info.status === 'Succeeded');
}

/** Carries out what check-codedeploy.ts decided for a record AWS CodeDeploy runs (or ran). */
async function act(deps: CheckDeps, c: Candidate, d: CodeDeployDecision): Promise<CheckResult> {
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
