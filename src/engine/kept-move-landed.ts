/**
 * A stop WITHOUT its rollback, asked by lshift to keep a person's move of the alias, that landed
 * after its asker stopped watching (its run died during the stop, which CodeDeploy took later): the
 * record still carries the mark (record-view.ts isKeepMoveUnconfirmed), CodeDeploy says Stopped
 * with no rollback, and the alias routes what the person put, not the weight lshift saw CodeDeploy
 * write last nor one of its config's later steps. The move was kept. Found by a hostile pass (session 65, F8): status, check and wait
 * offered only `lshift rollback`, which undoes that move.
 */
import { codeDeployConfigNamed, codeDeployStepPercents } from '../domain/codedeploy-plan.js';
import type { DeploymentRecord } from '../domain/deployment-record.js';
import { planShift } from '../domain/plan.js';
import { parseStrategy } from '../domain/strategy.js';
import type { DeploymentInfo } from '../ports/codedeploy.js';
import type { RoutingState } from '../ports/traffic-driver.js';
import { isLaterStepOf, percentOn } from './codedeploy-routing.js';
import { isKeepMoveUnconfirmed } from './record-view.js';

/** True when the marked record's stop without rollback ended and the alias kept the person's move. */
export function isKeptMoveLanded(
  record: Pick<DeploymentRecord, 'phase' | 'endReason' | 'percent' | 'stableVersion' | 'targetVersion'>,
  info: Pick<DeploymentInfo, 'status' | 'rollback' | 'config'>,
  alias: RoutingState | undefined,
): boolean {
  if (!isKeepMoveUnconfirmed(record) || info.status !== 'Stopped' || info.rollback !== undefined)
    return false;
  // Unread, or where CodeDeploy's own step left it: not known to be the person's move.
  if (!alias) return false;
  const onTarget = percentOn(alias, record.targetVersion);
  if (Math.abs(onTarget - record.percent) <= 0.01) return false;
  return !isLaterStep(alias, record, info.config);
}

/**
 * True when CodeDeploy itself may have written `onTarget` after lshift last saw `seen`: one of its
 * config's later steps (found by a hostile pass, session 66: a person's 37% under a linear 10%
 * config, CodeDeploy's step 2 wrote 20% over it while the stop was held, and status said "the move
 * was kept" of CodeDeploy's 20%). A config whose weights lshift cannot tell from its name: any
 * weight above what lshift saw may be its (not known to be the person's).
 */
function isLaterStep(
  alias: RoutingState,
  record: Pick<DeploymentRecord, 'percent' | 'stableVersion' | 'targetVersion'>,
  config: string | undefined,
): boolean {
  return isLaterStepOf(alias, record, codeDeployStepPercents(codeDeployConfigNamed(config)));
}

/**
 * While CodeDeploy still runs a deployment whose stop without rollback lshift did not see end: the
 * alias at one of the record's own strategy's later steps (what CodeDeploy's config writes) may be
 * CodeDeploy's write over the person's move, which the stop without rollback would then freeze, not
 * keep (status said "keeps the alias as it is" of CodeDeploy's 70% over a person's 37%: h3, s68).
 * A strategy this lshift cannot read: any weight above the record's may be CodeDeploy's.
 */
export function isAtLaterStepOfRecord(
  record: Pick<DeploymentRecord, 'percent' | 'stableVersion' | 'targetVersion' | 'strategy'>,
  alias: RoutingState,
): boolean {
  let steps: number[] | undefined;
  try {
    steps = planShift(parseStrategy(record.strategy)).steps.map((s) => s.percent);
  } catch {
    steps = undefined;
  }
  return isLaterStepOf(alias, record, steps);
}

/** What keeps the move (and closes the record), and what `lshift rollback` would do instead. */
export function describeKeptMoveWays(
  fn: string,
  alias: string,
  codeDeployId: string,
  record: Pick<DeploymentRecord, 'stableVersion'>,
): string {
  // `lshift alias` was offered too, when it refused any unfinished CodeDeploy record CodeDeploy still
  // knew; it now goes ahead over an ended one with no rollback of it running (move-alias-codedeploy-ended.ts).
  return (
    `\`lshift wait ${codeDeployId}\` closes its record as moved by hand, keeping the alias as it is;` +
    ` \`lshift rollback ${fn} --alias ${alias}\` undoes the person's move, all traffic back on version ${record.stableVersion}`
  );
}
