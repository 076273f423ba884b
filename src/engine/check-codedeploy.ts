/**
 * `lshift check` over a record the CodeDeploy engine made (`en=cd`, `cd=d-…`) that no lshift
 * process follows: `deploy --engine codedeploy --detach` leaves it `paused`, a killed follower
 * leaves it with a stale heartbeat. AWS CodeDeploy still runs the shift, so the record has a
 * live owner as long as CodeDeploy does: one GetDeployment per record says whether it runs, and
 * how it ended otherwise (docs/ci.md, docs/codedeploy.md). This file decides, without I/O; the
 * reads are check-codedeploy-reads.ts's, the closing of an ended record check-codedeploy-close.ts's.
 * https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_GetDeployment.html
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import { formatDuration } from '../domain/duration.js';
import { echoAwsMessage, echoInput } from '../domain/echo.js';
import { judgeHeartbeatAge } from '../domain/heartbeat-age.js';
import type { Verdict } from '../domain/verdict.js';
import type { DeploymentInfo } from '../ports/codedeploy.js';
import type { AliasInfo } from '../ports/lambda.js';
import { isOnStable } from './alias-step.js';
import { describeAge } from './check-classify.js';
import { describeAlarmOverDrivenSplit } from './check-codedeploy-driven-alarm.js';
import { decideForgottenByAlarms, decideForgottenWithoutAlarms } from './check-codedeploy-gone.js';
import { decideKeptMove } from './check-kept-move.js';
import type { CheckAction } from './check-types.js';
import { ALARMS_FAILED, type CodeDeployDecision, type CodeDeployView } from './codedeploy-check-types.js';
import { describeLeftSplitRollback } from './codedeploy-left-split.js';
import { isTerminal } from './codedeploy-status.js';
import { describeAliasState, formatWeight } from './deploy-result.js';
import { DEFAULT_STALE_AFTER_SECONDS } from './deploy-types.js';
import { firedBeforeStart } from './gate-fired-at.js';
import { isWaitOwner } from './owner-kinds.js';
import { isSplit } from './record-view.js';

export type { CodeDeployDecision, CodeDeployView, RecordClose } from './codedeploy-check-types.js';

/** A record whose shift AWS CodeDeploy runs, with the id lshift can ask it about. */
export function codeDeployIdOf(record: DeploymentRecord): string | undefined {
  return record.engine === 'codedeploy' ? record.codeDeployId : undefined;
}

/**
 * What finishes a CodeDeploy record nobody follows, in place of a `--resume` (which a record of
 * this engine refuses, CODEDEPLOY_NOT_RESUMABLE): `lshift wait` follows the deployment to its end
 * and closes the record; `lshift rollback` stops it with auto-rollback.
 */
export function describeCodeDeployFix(functionName: string, alias: string, record: DeploymentRecord): string {
  const undo = `\`lshift rollback ${functionName} --alias ${alias}\``;
  const id = codeDeployIdOf(record);
  if (id === undefined) return `undo it with ${undo}`;
  return `undo it with ${undo} (it stops CodeDeploy deployment ${echoInput(id)} with auto-rollback), or follow it to its end with \`lshift wait ${echoInput(id)}\``;
}

/**
 * The decision that needs no alarms, or undefined when the alarms decide: an unreadable
 * deployment (health unknown, nothing written), a Succeeded one outside the window, one that
 * Failed or was Stopped with its alias back on the stable version.
 */
export function decideWithoutAlarms(
  c: { functionName: string; alias: string; record: DeploymentRecord },
  view: CodeDeployView,
  now: number,
  windowSeconds: number,
): CodeDeployDecision | undefined {
  const { record } = c;
  if (view.kind === 'gone') return decideForgottenWithoutAlarms(c, view, now);
  const kept = decideKeptMove(c, view);
  if (kept) return kept;
  if (view.kind === 'unreadable') {
    const reason = `could not read CodeDeploy deployment ${echoInput(view.id)} of deployment ${record.id} (${view.error}): whether AWS CodeDeploy still drives it is unknown; health unknown, nothing changed`;
    return { do: 'report', action: 'error', reason };
  }
  const { info } = view;
  if (info.status === 'Succeeded' && !endedWithin(info, now, windowSeconds)) {
    const reason = `${describeEnd(info, now)}, outside the ${formatDuration(windowSeconds)} window`;
    return leftAsEnded(c, view, now, reason, 'skipped');
  }
  if (isTerminal(info.status) && info.status !== 'Succeeded' && leftWhereItSays(c.record, view)) {
    const reason = `${describeEnd(info, now)}; alias ${c.alias} is back on version ${c.record.stableVersion}: nothing to roll back`;
    return leftAsEnded(c, view, now, reason, 'skipped');
  }
  return undefined;
}

/**
 * True when CodeDeploy left the alias as its status says: all on the target after Succeeded, all
 * on the stable version after Failed or Stopped. Only then is the record closed.
 */
function leftWhereItSays(record: DeploymentRecord, view: Extract<CodeDeployView, { kind: 'read' }>): boolean {
  if (!view.alias) return false;
  const state = {
    functionVersion: view.alias.functionVersion,
    additionalWeights: view.alias.additionalWeights,
  };
  const version = view.info.status === 'Succeeded' ? record.targetVersion : record.stableVersion;
  return isOnStable(state, version);
}

/** An ended deployment reported as `action`, its record closed when the alias bears CodeDeploy out. */
function leftAsEnded(
  c: { functionName: string; alias: string; record: DeploymentRecord },
  view: Extract<CodeDeployView, { kind: 'read' }>,
  now: number,
  reason: string,
  action: CheckAction,
): CodeDeployDecision {
  const { info } = view;
  if (!leftWhereItSays(c.record, view)) {
    if (view.driver) return leftToOther(c, view, reason, action);
    const where = view.alias ? `now routes ${describeAliasState(view.alias)}` : 'could not be read';
    // Split (or unknown) with nobody driving it: a human must look, as for any stalled deployment.
    const stalled = isSplitOrUnknown(view);
    const fix = stalled ? `: ${undoLeftSplit(c, c.record, view)}` : '';
    const text = `${reason}; alias ${c.alias} ${where}, so its record was left as it is${fix}`;
    return { do: 'report', action, reason: text, ...(stalled ? { stalled } : {}) };
  }
  const outcome = info.status === 'Succeeded' ? ('succeeded' as const) : ('rolled_back' as const);
  const at = Math.min(info.completedAt ?? now, now);
  const close = { outcome, at, deploymentId: info.id, ...(outcome === 'rolled_back' ? { ended: info } : {}) };
  return { do: 'report', action, reason, close };
}

function isSplitOrUnknown(view: Extract<CodeDeployView, { kind: 'read' }>): boolean {
  return !view.alias || isSplit(view.alias.additionalWeights);
}

/** The decision once the alarms were judged (pass or fail; an unreadable verdict never gets here). */
export function decideByAlarms(
  c: { functionName: string; alias: string; record: DeploymentRecord },
  judged: Exclude<CodeDeployView, { kind: 'unreadable' }>,
  verdict: Pick<Verdict, 'outcome' | 'summary' | 'details'>,
  now: number,
): CodeDeployDecision {
  if (judged.kind === 'gone') {
    // decideWithoutAlarms decided every forgotten one whose alias could not be read.
    return decideForgottenByAlarms(c, { ...judged, alias: judged.alias! }, verdict, now);
  }
  const view = judged;
  // Alarms OK or not, CodeDeploy running on (or Succeeded) over a move lshift meant to keep is no health to report.
  const kept = verdict.outcome === 'fail' ? undefined : decideKeptMove(c, view);
  if (kept) return kept;
  const { info } = view;
  const { record } = c;
  const failed = verdict.outcome === 'fail';
  const summary = verdict.summary.replace(/\.$/, '');
  if (!isTerminal(info.status)) {
    const driven = `driven by AWS CodeDeploy (${describeRunning(view, record)})`;
    // lshift's check is the only lshift watcher of these alarms: stop it as `lshift rollback` does.
    if (failed) {
      // In ALARM since before it began (--ignore-initial-alarms): not "during" it (gate-fired-at.ts).
      const when = firedBeforeStart(verdict, record)
        ? `— in ALARM since before deployment ${record.id} began`
        : `during deployment ${record.id}`;
      const reason = `lshift check: ${summary} ${when}, ${driven}; stopping it with auto-rollback`;
      return { do: 'roll-back', reason, kind: 'orphaned', stalled: false, cause: ALARMS_FAILED };
    }
    const reason = `${summary}; deployment ${record.id} is ${driven}: ${describeFollower(record, info.id, now)}`;
    return { do: 'report', action: 'healthy', reason };
  }
  // Its split is another running deployment's: lshift's rollback is refused beside it (CODEDEPLOY_GROUP_BUSY).
  if (failed && view.driver) {
    const head = `lshift check: ${summary} after ${describeEnd(info, now)}`;
    const seen = {
      driver: view.driver,
      ...(view.alias ? { alias: view.alias } : {}),
      ...(view.driverGroup ? { group: view.driverGroup.name } : {}),
    };
    const reason = describeAlarmOverDrivenSplit(c, head, seen, view.driverGroup?.alarms);
    return { do: 'report', action: 'stalled', reason, stalled: true };
  }
  if (info.status === 'Succeeded') {
    // Watched like a promoted one: the rollback checks the alias is still all on the target.
    if (failed) {
      const reason = `lshift check: ${summary} after ${describeEnd(info, now)}`;
      // Refused when the alias moved since: stalled then only if it is split (or unknown).
      return {
        do: 'roll-back',
        reason,
        kind: 'recent',
        stalled: isSplitOrUnknown(view),
        cause: ALARMS_FAILED,
      };
    }
    return leftAsEnded(c, view, now, `${summary}; ${describeEnd(info, now)}`, 'healthy');
  }
  const where = view.alias
    ? `left alias ${c.alias} at ${describeAliasState(view.alias)}`
    : `alias ${c.alias} could not be read`;
  if (failed) {
    const reason = `lshift check: ${summary} after ${describeEnd(info, now)} and ${where}`;
    return { do: 'roll-back', reason, kind: 'orphaned', stalled: true, cause: ALARMS_FAILED };
  }
  if (view.driver) return leftToOther(c, view, `${summary}; ${describeEnd(info, now)}`, 'healthy');
  const reason = `${summary}, but ${describeEnd(info, now)} and ${where}, with nobody to finish it: ${undoLeftSplit(c, record, view)}`;
  return { do: 'report', action: 'healthy', reason, stalled: true };
}

/**
 * Ended over a split another deployment on its group drives (codedeploy-split-rule.ts): left to
 * it, its record as it is, nothing written beside it — status's words (status-codedeploy-text.ts
 * describeSplitByOther). It said "with nobody to finish it", STALLED, exit 4 (h3's s71 brief).
 */
function leftToOther(
  c: { alias: string },
  view: Extract<CodeDeployView, { kind: 'read' }>,
  reason: string,
  action: CheckAction,
): CodeDeployDecision {
  const driver = view.driver ?? '';
  const id = driver.split(' ')[0];
  const where = view.alias ? ` routes ${describeAliasState(view.alias)},` : '';
  const text = `${reason}; alias ${c.alias}${where} driven by another CodeDeploy deployment on its group: ${driver}; left to it, its record as it is (\`lshift wait ${id} --on-interrupt leave\` follows it without stopping it)`;
  return { do: 'report', action, reason: text };
}

/**
 * Who follows it: a `lshift wait` that claimed its record (a late start, follow-late-start.ts)
 * while its claim is beaten, else the wait to run. It offered `lshift wait d-…` beside the wait
 * already following it (F6, session 61). A follower gone (the deploy that followed it, stale) is
 * said so, as `status` and check's own line before the stale limit say it: "`lshift wait d-…`
 * follows it" alone read as if something did (found by a hand pass, session 62).
 */
function describeFollower(record: DeploymentRecord, id: string, now: number): string {
  const age = describeAge(now, record.heartbeatAt);
  const fresh = judgeHeartbeatAge(record.heartbeatAt, now, DEFAULT_STALE_AFTER_SECONDS * 1000) === 'fresh';
  if (isWaitOwner(record.owner) && fresh)
    return `followed by ${record.owner} (heartbeat ${age} ago), which closes its record as CodeDeploy ends it`;
  const wait = `\`lshift wait ${echoInput(id)}\` follows it`;
  // Handed to CodeDeploy (`--detach`, `--on-interrupt leave`: `paused`) nobody was to follow; a
  // `lshift wait` of it may, unseen (it writes no record): so never "no lshift process follows it".
  if (record.phase === 'paused' || fresh) return wait;
  return `its follower ${record.owner} is gone (heartbeat ${age} ago): ${wait} to its end and closes the record`;
}

/** `d-X, InProgress, 40%`: the weight the alias gives the target now (left out when unread). */
function describeRunning(view: Extract<CodeDeployView, { kind: 'read' }>, record: DeploymentRecord): string {
  const { info, alias } = view;
  const parts = [echoInput(info.id), info.status];
  if (alias) parts.push(formatWeight(targetShare(alias, record.targetVersion)));
  return parts.join(', ');
}

/** The percentage of the alias's traffic on `target`. */
function targetShare(alias: AliasInfo, target: string): number {
  if (alias.functionVersion !== target) return (alias.additionalWeights[target] ?? 0) * 100;
  const elsewhere = Object.values(alias.additionalWeights).reduce((sum, w) => sum + w, 0);
  return (1 - elsewhere) * 100;
}

/** `CodeDeploy deployment d-X Failed 3m ago: <why> (rollback: <how>)`, with nobody following it. */
function describeEnd(info: DeploymentInfo, now: number): string {
  const ago = info.completedAt === undefined ? '' : ` ${describeAge(now, info.completedAt)} ago`;
  const head = `CodeDeploy deployment ${echoInput(info.id)} ${info.status}${ago}`;
  if (info.status === 'Succeeded') return `${head} while nobody followed it`;
  const why = info.error?.message ?? info.error?.code;
  const rollback = info.rollback?.message ? ` (rollback: ${withoutFullStop(info.rollback.message)})` : '';
  return `${head}${why ? `: ${withoutFullStop(why)}` : ''}${rollback}`;
}

/** CodeDeploy's sentence goes on in ours (`… request and left alias …`): its own full stop goes. */
function withoutFullStop(message: string): string {
  return echoAwsMessage(message).replace(/\.\s*$/, '');
}

/** A deployment without a completion time counts as just ended: watched rather than skipped. */
function endedWithin(info: DeploymentInfo, now: number, windowSeconds: number): boolean {
  return (info.completedAt ?? now) >= now - windowSeconds * 1000;
}

/** The rollback of a split it left: with --to when the split routes a version it never wrote (codedeploy-left-split.ts). */
function undoLeftSplit(
  c: { functionName: string; alias: string },
  record: DeploymentRecord,
  view: Extract<CodeDeployView, { kind: 'read' }>,
): string {
  if (!view.alias)
    return `\`lshift rollback ${c.functionName} --alias ${c.alias}\` puts all traffic back on version ${record.stableVersion}`;
  return describeLeftSplitRollback(c.functionName, c.alias, record, view.alias);
}
