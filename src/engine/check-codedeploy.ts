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
import { isOnStable } from './alias-step.js';
import { mapBounded } from './bounded.js';
import { type CheckKind, describeAge } from './check-classify.js';
import type { CheckAction, CheckDeps } from './check-types.js';
import { isTerminal } from './codedeploy-status.js';
import { describeAliasState, formatWeight } from './deploy-result.js';
import { describeError } from './emit.js';
import { DEFAULT_LIST_CONCURRENCY } from './tag-state-store.js';

/** What one GetDeployment (and, when words need it, one GetAlias) said about a record's deployment. */
export type CodeDeployView =
  | { kind: 'unreadable'; id: string; error: string }
  | { kind: 'read'; info: DeploymentInfo; alias?: AliasInfo };

/** What check.ts does with a CodeDeploy record: report it, or roll it back as `kind`. */
export type CodeDeployDecision =
  | { do: 'report'; action: CheckAction; reason: string; stalled?: boolean }
  | { do: 'roll-back'; reason: string; kind: CheckKind; stalled: boolean };

/** A record whose shift AWS CodeDeploy runs, with the id lshift can ask it about. */
export function codeDeployIdOf(record: DeploymentRecord): string | undefined {
  return record.engine === 'codedeploy' ? record.codeDeployId : undefined;
}

/**
 * The CodeDeploy view of each candidate that needs one (an unfinished CodeDeploy record; undefined
 * for the others): GetDeployment once, and GetAlias when the words need the alias (CodeDeploy
 * still shifting it, or ended any way but Succeeded). Five records at a time, as the tag listing.
 */
export async function readCodeDeployViews(
  deps: Pick<CheckDeps, 'codedeploy' | 'lambda'>,
  candidates: readonly { functionName: string; alias: string; kind: CheckKind; record: DeploymentRecord }[],
): Promise<(CodeDeployView | undefined)[]> {
  const views = await mapBounded(DEFAULT_LIST_CONCURRENCY, candidates, async (c) => {
    const id = c.kind === 'orphaned' ? codeDeployIdOf(c.record) : undefined;
    if (id === undefined) return undefined;
    if (!deps.codedeploy) return { kind: 'unreadable' as const, id, error: 'no CodeDeploy client' };
    let info: DeploymentInfo;
    try {
      info = await deps.codedeploy.getDeployment(id);
    } catch (error) {
      return { kind: 'unreadable' as const, id, error: describeError(error) };
    }
    if (info.status === 'Succeeded') return { kind: 'read' as const, info };
    // Best effort: without it the words leave out where the alias is (and an ended one is stalled).
    const alias = await deps.lambda.getAlias(c.functionName, c.alias).catch(() => undefined);
    return { kind: 'read' as const, info, ...(alias ? { alias } : {}) };
  });
  return views;
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
  if (view.kind === 'unreadable') {
    const reason = `could not read CodeDeploy deployment ${echoInput(view.id)} of deployment ${record.id} (${view.error}): whether AWS CodeDeploy still drives it is unknown; health unknown, nothing changed`;
    return { do: 'report', action: 'error', reason };
  }
  const { info } = view;
  if (info.status === 'Succeeded' && !endedWithin(info, now, windowSeconds)) {
    const reason = `${describeEnd(info, now)}, outside the ${formatDuration(windowSeconds)} window; ${closeHint(info)}`;
    return { do: 'report', action: 'skipped', reason };
  }
  if (isTerminal(info.status) && info.status !== 'Succeeded' && view.alias) {
    const state = {
      functionVersion: view.alias.functionVersion,
      additionalWeights: view.alias.additionalWeights,
    };
    if (isOnStable(state, record.stableVersion)) {
      const reason = `${describeEnd(info, now)}; alias ${c.alias} is back on version ${record.stableVersion}: nothing to roll back; ${closeHint(info)}`;
      return { do: 'report', action: 'skipped', reason };
    }
  }
  return undefined;
}

/** The decision once the alarms were judged (pass or fail; an unreadable verdict never gets here). */
export function decideByAlarms(
  c: { functionName: string; alias: string; record: DeploymentRecord },
  view: Extract<CodeDeployView, { kind: 'read' }>,
  verdict: Pick<Verdict, 'outcome' | 'summary'>,
  now: number,
): CodeDeployDecision {
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
      const reason = `lshift check: ${summary} after ${describeEnd(info, now)} (nobody followed it)`;
      return { do: 'roll-back', reason, kind: 'recent', stalled: false };
    }
    return {
      do: 'report',
      action: 'healthy',
      reason: `${summary}; ${describeEnd(info, now)}; ${closeHint(info)}`,
    };
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

function closeHint(info: DeploymentInfo): string {
  return `\`lshift wait ${echoInput(info.id)}\` closes its record`;
}
