/**
 * The words of a release that ended for every function alike. An operator's abort: the same for
 * every function, so its reason is made from the abort itself (who, why) and where the release
 * was — not from one function's reason, which names the abort in words that depend on whose
 * record carried it ("aborted by …" on that one, "the release was aborted by …" on the others).
 */

import type { DeployResult } from '../domain/events.js';
import { describeSender } from '../domain/operator-command.js';
import type { OutcomeCause } from '../domain/outcome.js';
import { printable } from '../domain/printable.js';
import type { ReleaseResult } from '../domain/release-result.js';
import { describeAliasState, describePosition } from '../engine/deploy-result.js';

type Aborted = Extract<OutcomeCause, { code: 'OPERATOR_ABORTED' }>;

export function describeReleaseAbort(cause: Aborted, functions: readonly DeployResult[]): string {
  const moved = functions.find((f) => f.trafficMoved ?? true);
  const where = !moved
    ? 'before any traffic moved'
    : moved.position
      ? describePosition(moved.position)
      : 'while deploying';
  const why = cause.data.reason ? `: ${cause.data.reason}` : '';
  return printable(`the release was aborted ${where} by ${describeSender(cause.data.by)}${why}`);
}

/**
 * "All N functions of release r-… are back on their stable versions", counting only the functions
 * that took part: one already on its target version (`nothing_to_deploy`) never joined the
 * release (no record names it) and stays where it was — counted, it read as rolled back too.
 */
export function describeAllBack(result: Pick<ReleaseResult, 'releaseId' | 'functions'>): string {
  const idle = result.functions.filter((f) => f.status === 'nothing_to_deploy');
  // Rolled back, then moved on by another deployment (`deploy fa --supersede` during the release):
  // "all back on their stable versions" said it was on version 1 while it ran version 22 (found
  // by a hostile pass). Said apart, as where it is now.
  const movedOn = result.functions.filter((f) => f.status !== 'nothing_to_deploy' && isMovedOn(f));
  const took = result.functions.length - idle.length - movedOn.length;
  const where = [
    ...movedOn.map(
      (f) =>
        `${f.functionName} is now on ${describeAliasState(f.aliasState!)}, which someone else put there after this release's rollback (another deployment, or a hand update-alias)`,
    ),
    ...idle.map((f) => `${f.functionName} had nothing to deploy: it is on version ${f.toVersion ?? '?'}`),
  ];
  const said =
    took === 0
      ? ''
      : movedOn.length > 0
        ? describeOthersBack(result.releaseId, took)
        : describeTakersNow(result.releaseId, took, idle.length > 0, result.functions);
  if (said === '') return where.join('; ');
  return where.length === 0 ? said : `${said} (${where.join('; ')})`;
}

function describeOthersBack(releaseId: string, took: number): string {
  return took === 1
    ? `the other function of release ${releaseId} is back on its stable version`
    : `the other ${took} functions of release ${releaseId} are back on their stable versions`;
}

/** Its alias, as last read, is not all on its stable version. */
function isMovedOn(f: DeployResult): boolean {
  const state = f.aliasState;
  if (!state || f.fromVersion === undefined) return false;
  const split = Object.values(state.additionalWeights).some((w) => w > 0);
  return split || state.functionVersion !== f.fromVersion;
}

function describeTakersNow(
  releaseId: string,
  took: number,
  someIdle: boolean,
  functions: readonly DeployResult[],
): string {
  // Stopped before its first weight (a Ctrl-C or a failed hook before traffic): nothing went
  // anywhere to come back from, as a single deploy says ("unchanged").
  if (functions.every((f) => f.status === 'nothing_to_deploy' || f.trafficMoved === false)) {
    return took === 1
      ? `its function of release ${releaseId} is unchanged, all traffic still on its stable version`
      : `all ${took} functions of release ${releaseId} are unchanged, all traffic still on their stable versions`;
  }
  const which = someIdle ? ' that moved' : '';
  return took === 1
    ? `${someIdle ? 'the one' : 'its'} function of release ${releaseId}${which} is back on its stable version`
    : `all ${took} functions of release ${releaseId}${which} are back on their stable versions`;
}
