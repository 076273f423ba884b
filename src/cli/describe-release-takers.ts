/**
 * A release stopped for a function someone else took before its verdict: taken over by another
 * lshift (its record), moved by hand (its alias), or rolled back by another run — who, where its
 * alias is, and how every other function ended.
 */
import type { DeployResult, HeldBy } from '../domain/events.js';
import type { ReleaseResult } from '../domain/release-result.js';
import { describeAliasState } from '../engine/deploy-result.js';
import type { ReasonedResult } from './describe-outcome.js';
import { describeAllBack } from './describe-release-stop.js';
import { describeResultAlias } from './result-alias.js';
import { describeSplitLeftWayBack, isSplitMidShift } from './split-left.js';

/**
 * The function the release stopped for was taken over before the verdict (a conflict, exit 5):
 * which one, by whom (its record: engine/release-takers.ts), where its alias is, and what
 * became of every other function — each its own state, as a finished rollback says per function.
 */
export function describeTakenOver(
  decider: ReasonedResult,
  by: HeldBy,
  functions: readonly ReasonedResult[],
): string {
  const fn = decider.functionName;
  const others = functions.filter((f) => f !== decider).map(describeMemberNow);
  const rest = others.length > 0 ? `; the other functions: ${others.join('; ')}` : '';
  return `function ${fn} was taken over by ${by.owner} (its record: deployment ${by.deploymentId}, ${by.phase}) before the release's verdict: ${describeLeftTo(decider, by)}${rest}`;
}

/**
 * The function the release stopped for is a conflict with no other owner to name (no record of
 * another lshift's holds it): its alias was moved by someone else — `aws lambda update-alias`,
 * the console, `lshift alias` — or its record could not be read at the end. It was taken over,
 * not failed: its own reason says what its alias routes now; every other function says how it
 * ended. Before, "function fb failed: alias live of function fb changed underneath …" read as
 * if fb's own checks had failed.
 */
export function describeTakenUnder(decider: ReasonedResult, functions: readonly ReasonedResult[]): string {
  const fn = decider.functionName;
  const others = functions.filter((f) => f !== decider).map(describeMemberNow);
  const rest = others.length > 0 ? `; the other functions: ${others.join('; ')}` : '';
  // Split by someone and left so (exit 4, settle.ts): nobody drives it, and its reason ends with
  // the way back; "left to whoever moved its alias" read as someone holding it (h3's pass, session 67).
  if (isSplitMidShift(decider))
    return `function ${fn} was split by someone else before the release's verdict: ${decider.reason ?? 'unknown'}${rest}`;
  const whom = decider.cause?.code === 'TAKEN_OVER' ? 'whoever took it over' : 'whoever moved its alias';
  return `function ${fn} was taken over before the release's verdict: ${decider.reason ?? 'unknown'}; lshift left ${fn} to ${whom}${rest}${describeWayOnAfterMove(decider, functions)}`;
}

/**
 * The function the release stopped for was taken over by another lshift's rollback (`lshift
 * rollback fb`, a check) that then left its alias split — it met a split someone made, or it
 * failed there (engine/taken-split-left.ts: unsafe, exit 4). Not "function fb failed": fb's own
 * checks never failed; say whose rollback took it and that it left it split (session 68's LOW).
 */
export function describeTakenBySplitRollback(
  decider: ReasonedResult,
  functions: readonly ReasonedResult[],
): string | undefined {
  const cause = decider.cause;
  if (cause?.code !== 'TAKEN_OVER' || !cause.data.splitLeft) return undefined;
  const by = cause.data.by ?? 'another lshift';
  const alias = decider.alias;
  const how =
    cause.data.splitLeft === 'failed'
      ? `which failed and left alias ${alias} split`
      : `which found alias ${alias} split by someone else and left it split`;
  const state = decider.aliasState ? ` (${describeAliasState(decider.aliasState)})` : '';
  const others = functions.filter((f) => f !== decider).map(describeMemberNow);
  const rest = others.length > 0 ? `; the other functions: ${others.join('; ')}` : '';
  return `before the release's verdict, function ${decider.functionName} (deployment ${decider.deploymentId}) was taken over by the rollback of ${by}, ${how}${state}${describeSplitLeftWayBack(decider)}${rest}`;
}

/**
 * What the user can do once the release stopped for an alias moved by someone else and put every
 * other function back where it started: see where that alias is, then run the release again
 * once whoever moved it is done (its record was closed as moved by hand, settle.ts), or without
 * that function. Said only when every other function is back: otherwise the release's `Fix:`
 * and the rows say what to repair first.
 */
function describeWayOnAfterMove(decider: ReasonedResult, functions: readonly ReasonedResult[]): string {
  if (decider.cause?.code !== 'ALIAS_CHANGED') return '';
  const others = functions.filter((f) => f !== decider);
  if (!others.every((f) => f.status === 'rolled_back' || f.status === 'nothing_to_deploy')) return '';
  const fn = decider.functionName;
  const aliasFlag = decider.alias === 'live' ? '' : ` --alias ${decider.alias}`;
  const back = others.length === 0 ? '' : ' (every other function is back on its stable version)';
  return `. To go on: \`lshift status ${fn}${aliasFlag}\` shows where its alias is now (Lambda does not say who moved it; AWS CloudTrail's UpdateAlias events do); once ${fn} may be deployed again, run the release's \`lshift deploy\` again${back}, or deploy the others without ${fn}`;
}

/**
 * A conflict of the function itself (its alias moved, its record taken), not a busy CodeDeploy
 * group: taken over, in the release's reason, its CI summary and `takenOver` under `--json`.
 */
export function isTakenOver(f: DeployResult): boolean {
  return (
    f.status === 'conflict' &&
    ['ALIAS_CHANGED', 'ALIAS_CHANGED_ON_RETRY', 'TAKEN_OVER'].includes(f.cause?.code ?? '')
  );
}

/** Taken over, or split by someone mid-shift and left so (unsafe: nobody holds it). */
export function isTakenOrSplitUnder(f: DeployResult): boolean {
  return isTakenOver(f) || isSplitMidShift(f);
}

/**
 * A function's own reason for a conflict (describe-outcome.ts: TAKEN_OVER, ALIAS_CHANGED) already
 * says that lshift stopped writing and where its alias was: said once, not again after it.
 */
function describeLeftTo(decider: ReasonedResult, by: HeldBy): string {
  const fn = decider.functionName;
  if (decider.reason !== undefined && decider.status === 'conflict') {
    return `${decider.reason}; lshift left ${fn} to ${by.owner}`;
  }
  const alias = decider.aliasState ? `, whose alias is ${describeAliasState(decider.aliasState)}` : '';
  return `${decider.reason ?? 'unknown'}; lshift wrote nothing more to ${fn}${alias}, and left it to ${by.owner}`;
}

/**
 * The function the release stopped for was rolled back by someone else before the verdict
 * (`lshift rollback fb`, a check): its alias is all on its stable version, and the release rolled
 * every other function back — rolled back (exit 3), as a single deploy is, never a conflict
 * (exit 5) that a pipeline would retry into redeploying what was just rolled back. Who rolled it
 * back comes from its record (engine/rollback-finished-by.ts), and each other function says how
 * it ended.
 */
export function describeRolledBackByOther(
  result: ReleaseResult,
  decider: ReasonedResult,
  functions: readonly ReasonedResult[],
): string {
  // One with nothing to deploy was not rolled back: describeAllBack says where it is.
  const others = functions.filter((f) => f !== decider && f.status !== 'nothing_to_deploy');
  const rest = others.length > 0 ? `; ${describeOthersAfterOther(others)}` : '';
  // The decider's own reason names who (`rolled back by … at step 2 (50%), while this lshift
  // still ran it (recorded rolled back at …)`): describe-outcome.ts, as for a single deploy.
  return `before the release's verdict, function ${decider.functionName} (deployment ${decider.deploymentId}) was ${decider.reason ?? 'rolled back by someone else'}${rest}; ${describeAllBack(result)}`;
}

/**
 * The other functions when the decider was rolled back by someone else. "The release rolled the
 * others back" only when it did: a `rollback --release` from another terminal rolls them back
 * too, and "the release rolled the others back: beta: rolled back by rollback:…" said both.
 */
function describeOthersAfterOther(others: readonly ReasonedResult[]): string {
  const byRelease = (f: ReasonedResult) => f.status === 'rolled_back' && !isRolledBackByOther(f);
  if (others.every(byRelease))
    return `the release rolled the others back: ${others.map(describeMemberNow).join('; ')}`;
  const each = others.map((f) =>
    byRelease(f)
      ? `${f.functionName}: rolled back by the release, all traffic on version ${f.fromVersion ?? '?'}`
      : describeMemberNow(f),
  );
  return `the other functions: ${each.join('; ')}`;
}

export function isRolledBackByOther(
  f: ReasonedResult | undefined,
): f is ReasonedResult & { finishedBy: NonNullable<DeployResult['finishedBy']> } {
  return (
    f?.status === 'rolled_back' && f.cause?.code === 'ROLLED_BACK_BY_OTHER' && f.finishedBy !== undefined
  );
}

/** One function of a release as it ended: `fa: rolled back, all traffic on version 1`. */
function describeMemberNow(f: ReasonedResult): string {
  const said = describeResultAlias(f);
  const alias = said ? ` (${said})` : '';
  switch (f.status) {
    case 'rolled_back':
      // Stopped before its first weight (a `--stagger` function whose turn never came): as its row says.
      if (f.trafficMoved === false && !isRolledBackByOther(f))
        return `${f.functionName}: unchanged, all traffic still on version ${f.fromVersion ?? '?'}`;
      return `${f.functionName}: rolled back${isRolledBackByOther(f) ? ` by ${f.finishedBy.owner}` : ''}, all traffic on version ${f.fromVersion ?? '?'}`;
    case 'promoted':
      return `${f.functionName}: promoted, all traffic on version ${f.toVersion ?? '?'}`;
    case 'conflict':
      return `${f.functionName}: ${f.heldBy ? `taken over by ${f.heldBy.owner} (${f.heldBy.phase})` : 'left to whoever moved its alias'}${alias}`;
    default:
      return `${f.functionName}: ${f.status.replaceAll('_', ' ')}${alias}`;
  }
}
