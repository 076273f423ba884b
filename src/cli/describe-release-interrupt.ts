/**
 * A release stopped by a Ctrl-C or SIGTERM, said of the release (describe-release.ts): where the
 * shift was, the last function a `--stagger` release moved, and `--on-interrupt leave`'s splits.
 */
import type { DeployResult } from '../domain/events.js';
import type { ReleaseResult } from '../domain/release-result.js';
import { describeAliasState, describePosition } from '../engine/deploy-result.js';
import type { ReasonedResult } from './describe-outcome.js';

/**
 * A Ctrl-C or SIGTERM that rolled the release back, said of the release: where the shift was,
 * not the decider's "all traffic is back on version N" — N is that one function's stable
 * version, and the others' may differ (the release's reason goes on to say every function is
 * back on its own). Before any weight moved, no alias is named either.
 */
export function describeReleaseInterrupt(
  result: ReleaseResult,
  decider: ReasonedResult | undefined,
  why: string,
  rollbackCommand: string | undefined,
): string {
  const left = result.functions.filter(isLeftSplit);
  if (left.length > 1) return describeLeftSplit(left, rollbackCommand);
  // A release that failed for a deleted function rolled the rest back as well (describeBackOnStable).
  const restBack = result.status === 'rolled_back' || result.status === 'failed';
  if (!restBack || decider?.status !== 'rolled_back') return `the release was ${why}`;
  if (result.mode === 'stagger') return describeStaggerInterrupt(result.functions);
  const moved = [decider, ...result.functions].find((f) => f.trafficMoved ?? true);
  if (!moved) return 'the release was interrupted before any traffic moved';
  return `the release was interrupted ${moved.position ? describePosition(moved.position) : 'while deploying'}`;
}

/**
 * A `--stagger` release walks one function after the other: it was where the last function whose
 * traffic moved was, and the reason names that function. The first function's position said it —
 * `interrupted at step 2 (100%)`, the promoted function's, while the second walked at 50% (found
 * by a hostile pass).
 */
function describeStaggerInterrupt(functions: readonly DeployResult[]): string {
  const walking = functions.filter((f) => f.trafficMoved ?? true).at(-1);
  if (!walking) return 'the release was interrupted before any traffic moved';
  const where = walking.position ? describePosition(walking.position) : 'while deploying';
  return `the release was interrupted ${where} of ${walking.functionName}:${walking.alias}, the last of its functions it had moved traffic on`;
}

/** Stopped by an interrupt with `--on-interrupt leave`: its alias may be split, on purpose. */
export function isLeftSplit(f: DeployResult): boolean {
  return f.status === 'paused' && f.cause?.code === 'INTERRUPTED' && f.cause.data.left && !f.codeDeploy;
}

/**
 * `--on-interrupt leave` leaves every function where it was: the release's reason names each
 * one's alias state and the one rollback that undoes them all (releaseRollbackCommand), not the
 * first function's state and its own rollback, as the decider's reason alone would.
 */
function describeLeftSplit(left: DeployResult[], command: string | undefined): string {
  const first = left.find((f) => f.position) ?? left[0];
  const where = first?.position ? describePosition(first.position) : 'while deploying';
  const each = left.map(
    (f) => `${f.functionName}:${f.alias} (${f.aliasState ? describeAliasState(f.aliasState) : 'unknown'})`,
  );
  const undo = command ? `; undo them all with \`${command}\`` : '';
  return `the release was interrupted ${where}; weights left as they are (--on-interrupt leave) on ${left.length} functions: ${each.join(', ')}${undo}`;
}
