/**
 * `lshift check` over a record the CodeDeploy engine made (`en=cd`, `cd=d-…`) that no lshift
 * process follows: `deploy --engine codedeploy --detach` leaves it `paused`, a killed follower
 * leaves it with a stale heartbeat. AWS CodeDeploy still runs the shift, so the record has a
 * live owner as long as CodeDeploy does: one GetDeployment per record says whether it runs, and
 * how it ended otherwise (docs/ci.md, docs/codedeploy.md).
 * https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_GetDeployment.html
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import { formatDuration } from '../domain/duration.js';
import { echoAwsMessage, echoInput } from '../domain/echo.js';
import type { Verdict } from '../domain/verdict.js';
import type { DeploymentInfo } from '../ports/codedeploy.js';
import type { AliasInfo } from '../ports/lambda.js';
import { judgeAlarms } from './alarm-gate.js';
import { isOnStable } from './alias-step.js';
import { mapBounded } from './bounded.js';
import { readAlarms } from './check-alarms.js';
import { type CheckKind, describeAge } from './check-classify.js';
import { decideForgottenByAlarms, decideForgottenWithoutAlarms } from './check-codedeploy-gone.js';
import type { CheckAction, CheckDeps } from './check-types.js';
import { mayHaveLiveHolder } from './check-watch.js';
import type { CodeDeployDecision, CodeDeployView, RecordClose } from './codedeploy-check-types.js';
import { isForgottenByCodeDeploy, isTerminal } from './codedeploy-status.js';
import { describeAliasState, formatWeight } from './deploy-result.js';
import { describeError } from './emit.js';
import { closeCodeDeployRecord } from './follow-codedeploy.js';
import { isSplit } from './record-view.js';
import { DEFAULT_LIST_CONCURRENCY } from './tag-state-store.js';

export type { CodeDeployDecision, CodeDeployView, RecordClose } from './codedeploy-check-types.js';

/** A record whose shift AWS CodeDeploy runs, with the id lshift can ask it about. */
export function codeDeployIdOf(record: DeploymentRecord): string | undefined {
  return record.engine === 'codedeploy' ? record.codeDeployId : undefined;
}

/**
 * A record whose deployment AWS CodeDeploy may still run for it, so asking CodeDeploy can show a
 * live owner. Not a `failed` one: its owner had decided to roll back and could not (stalled, as
 * ever); not an `unfinished-rollback` or a `recent` promoted one (the check knows what to do).
 */
function needsView(c: { kind: CheckKind; record: DeploymentRecord }): string | undefined {
  if (c.kind !== 'orphaned' || c.record.phase === 'failed') return undefined;
  return codeDeployIdOf(c.record);
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
 * The CodeDeploy view of each candidate that needs one (an unfinished CodeDeploy record; undefined
 * for the others): GetDeployment once, and GetAlias (the weight it shifted to, or whether it left
 * the alias as it says). Five records at a time, as the tag listing.
 */
export async function readCodeDeployViews(
  deps: Pick<CheckDeps, 'codedeploy' | 'lambda'>,
  candidates: readonly { functionName: string; alias: string; kind: CheckKind; record: DeploymentRecord }[],
): Promise<(CodeDeployView | undefined)[]> {
  const views = await mapBounded(DEFAULT_LIST_CONCURRENCY, candidates, async (c) => {
    const id = needsView(c);
    if (id === undefined) return undefined;
    if (!deps.codedeploy) return { kind: 'unreadable' as const, id, error: 'no CodeDeploy client' };
    let info: DeploymentInfo | undefined;
    let forgotten: string | undefined;
    try {
      info = await deps.codedeploy.getDeployment(id);
    } catch (error) {
      if (!isForgottenByCodeDeploy(error))
        return { kind: 'unreadable' as const, id, error: describeError(error) };
      forgotten = describeError(error);
    }
    // Best effort: without it the words leave out where the alias is, and an ended one is not closed.
    // When CodeDeploy forgot the deployment, the alias is all the check has: unread, health is unknown.
    const alias = await deps.lambda.getAlias(c.functionName, c.alias).catch(() => undefined);
    const read = alias ? { alias } : {};
    if (!info) return { kind: 'gone' as const, id, error: forgotten!, ...read };
    return { kind: 'read' as const, info, ...read };
  });
  return views;
}

/**
 * The stale records (a follower that may have died; not `paused`, which is never watched) whose
 * deployment AWS CodeDeploy still runs with every alarm OK: CodeDeploy is their live owner whether
 * or not the follower lives, and nothing is acted on, so they are decided before the heartbeat
 * watch (`--stale-after`) instead of after it. Those with an alarm in ALARM are left to the watch
 * (a live follower is never taken over on a clock's word) and read again after it.
 */
export async function decideDrivenBeforeWatch<
  C extends {
    functionName: string;
    alias: string;
    kind: CheckKind;
    record: DeploymentRecord;
    alarmNames: string[];
  },
>(
  deps: Pick<CheckDeps, 'codedeploy' | 'lambda' | 'metrics'>,
  candidates: readonly C[],
  now: number,
): Promise<Map<C, CodeDeployDecision>> {
  const decided = new Map<C, CodeDeployDecision>();
  const stale = candidates.filter((c) => mayHaveLiveHolder(c.record) && needsView(c) !== undefined);
  if (stale.length === 0) return decided;
  const views = await readCodeDeployViews(deps, stale);
  const running = stale.flatMap((c, i) => {
    const view = views[i];
    return view?.kind === 'read' && !isTerminal(view.info.status) ? [{ c, view }] : [];
  });
  const alarms = await readAlarms(
    deps.metrics,
    running.map(({ c }) => c),
  );
  if ('error' in alarms) return decided;
  for (const { c, view } of running) {
    const own = alarms.states.filter((s) => c.alarmNames.includes(s.name));
    const verdict = judgeAlarms(c.alarmNames, own, now);
    if (verdict.outcome === 'pass') decided.set(c, decideByAlarms(c, view, verdict, now));
  }
  return decided;
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
    const where = view.alias ? `now routes ${describeAliasState(view.alias)}` : 'could not be read';
    // Split (or unknown) with nobody driving it: a human must look, as for any stalled deployment.
    const stalled = isSplitOrUnknown(view);
    const fix = stalled
      ? `: \`lshift rollback ${c.functionName} --alias ${c.alias}\` puts all traffic back on version ${c.record.stableVersion}`
      : '';
    const text = `${reason}; alias ${c.alias} ${where}, so its record was left as it is${fix}`;
    return { do: 'report', action, reason: text, ...(stalled ? { stalled } : {}) };
  }
  const outcome = info.status === 'Succeeded' ? ('succeeded' as const) : ('rolled_back' as const);
  const close = { outcome, at: Math.min(info.completedAt ?? now, now), deploymentId: info.id };
  return { do: 'report', action, reason, close };
}

function isSplitOrUnknown(view: Extract<CodeDeployView, { kind: 'read' }>): boolean {
  return !view.alias || isSplit(view.alias.additionalWeights);
}

/** The decision once the alarms were judged (pass or fail; an unreadable verdict never gets here). */
export function decideByAlarms(
  c: { functionName: string; alias: string; record: DeploymentRecord },
  judged: Exclude<CodeDeployView, { kind: 'unreadable' }>,
  verdict: Pick<Verdict, 'outcome' | 'summary'>,
  now: number,
): CodeDeployDecision {
  if (judged.kind === 'gone') {
    // decideWithoutAlarms decided every forgotten one whose alias could not be read.
    return decideForgottenByAlarms(c, { ...judged, alias: judged.alias! }, verdict, now);
  }
  const view = judged;
  const { info } = view;
  const { record } = c;
  const failed = verdict.outcome === 'fail';
  const summary = verdict.summary.replace(/\.$/, '');
  if (!isTerminal(info.status)) {
    const driven = `driven by AWS CodeDeploy (${describeRunning(view, record)})`;
    // lshift's check is the only lshift watcher of these alarms: stop it as `lshift rollback` does.
    if (failed) {
      const reason = `lshift check: ${summary} during deployment ${record.id}, ${driven}; stopping it with auto-rollback`;
      return { do: 'roll-back', reason, kind: 'orphaned', stalled: false };
    }
    const reason = `${summary}; deployment ${record.id} is ${driven}: \`lshift wait ${echoInput(info.id)}\` follows it`;
    return { do: 'report', action: 'healthy', reason };
  }
  if (info.status === 'Succeeded') {
    // Watched like a promoted one: the rollback checks the alias is still all on the target.
    if (failed) {
      const reason = `lshift check: ${summary} after ${describeEnd(info, now)}`;
      // Refused when the alias moved since: stalled then only if it is split (or unknown).
      return { do: 'roll-back', reason, kind: 'recent', stalled: isSplitOrUnknown(view) };
    }
    return leftAsEnded(c, view, now, `${summary}; ${describeEnd(info, now)}`, 'healthy');
  }
  const where = view.alias
    ? `left alias ${c.alias} at ${describeAliasState(view.alias)}`
    : `alias ${c.alias} could not be read`;
  if (failed) {
    const reason = `lshift check: ${summary} after ${describeEnd(info, now)} and ${where}`;
    return { do: 'roll-back', reason, kind: 'orphaned', stalled: true };
  }
  const reason =
    `${summary}, but ${describeEnd(info, now)} and ${where}, with nobody to finish it: ` +
    `\`lshift rollback ${c.functionName} --alias ${c.alias}\` puts all traffic back on version ${record.stableVersion}`;
  return { do: 'report', action: 'healthy', reason, stalled: true };
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
  const rollback = info.rollback?.message ? ` (rollback: ${echoAwsMessage(info.rollback.message)})` : '';
  return `${head}${why ? `: ${echoAwsMessage(why)}` : ''}${rollback}`;
}

/** A deployment without a completion time counts as just ended: watched rather than skipped. */
function endedWithin(info: DeploymentInfo, now: number, windowSeconds: number): boolean {
  return (info.completedAt ?? now) >= now - windowSeconds * 1000;
}

/**
 * Closes the record as `lshift wait` would have (follow-codedeploy.ts), re-read first: one that
 * changed since the check read it (a new deployment, another check's claim) is left alone. Says
 * how it went, as the end of the result's line. Moves no traffic.
 */
export async function closeEndedRecord(
  deps: Pick<CheckDeps, 'store'>,
  c: { functionName: string; alias: string; record: DeploymentRecord },
  close: RecordClose,
): Promise<{ said: string; closed?: DeploymentRecord }> {
  const wait = close.forgotten
    ? 'the next check closes it'
    : `\`lshift wait ${echoInput(close.deploymentId)}\` closes it`;
  try {
    const current = await deps.store.read(c.functionName, c.alias);
    if (!isSameRecord(current, c.record))
      return { said: '; its record changed while checking, so it was left alone' };
    const closed = closeCodeDeployRecord(current!, close.outcome, close.at);
    await deps.store.write(c.functionName, c.alias, closed);
    return {
      said: `; its record is closed as ${close.outcome === 'succeeded' ? 'promoted' : 'rolled back'}`,
      closed,
    };
  } catch (error) {
    return { said: `; could not close its record (${describeError(error)}): ${wait}` };
  }
}

function isSameRecord(current: DeploymentRecord | undefined, seen: DeploymentRecord): boolean {
  return (
    current?.id === seen.id &&
    current.phase === seen.phase &&
    current.heartbeatAt === seen.heartbeatAt &&
    current.codeDeployId === seen.codeDeployId
  );
}
