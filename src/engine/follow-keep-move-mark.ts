/**
 * `lshift wait`'s ends of a stop WITHOUT rollback, for a person's move, that did not keep the move
 * (follow-hand-move.ts): CodeDeploy had Succeeded over it first, or one of its own later steps wrote
 * over it before the stop landed. The open record naming the deployment gets the keep-move mark a
 * deploy's run writes in the same case (settle-succeeded-over-move.ts: `@ks`, `@ko`): status and
 * check then say where the alias is and that nobody will finish it; the wait ends unsafe (exit 4).
 */
import type { AppSpecTarget, DeploymentInfo } from '../ports/codedeploy.js';
import { describeOwnStop } from './codedeploy-hand-move.js';
import { describeKeepStopFix, type StopState } from './codedeploy-stop-keeping.js';
import { describeError, logWarn } from './emit.js';
import { namesDeployment } from './follow-alias-holder.js';
import type { FollowDeps, FollowResult } from './follow-codedeploy-types.js';
import { KEEP_MOVE_STEP_OVER_REASON, KEEP_MOVE_SUCCEEDED_FIRST_REASON } from './record-view.js';

type FollowBase = Omit<FollowResult, 'outcome'>;

/**
 * The wait saw a move by hand, and its stop found CodeDeploy had already ended the deployment
 * Succeeded, the alias all on the new version: the deploy's case (settle-succeeded-over-move.ts).
 * It closed the record `promoted (moved by hand)` and ended exit 5 (h2's pass, session 65).
 */
export async function endSucceededOverMove(
  deps: FollowDeps,
  info: DeploymentInfo,
  target: AppSpecTarget,
  base: FollowBase,
): Promise<FollowResult> {
  await markOpenRecord(deps, info, target, KEEP_MOVE_SUCCEEDED_FIRST_REASON);
  const detail = `${base.detail}: CodeDeploy's last step had moved the alias over that move, all traffic on version ${target.targetVersion}, not where the person put it`;
  logWarn(deps, `codedeploy: ${info.id}: ${detail}`, 'alias');
  return { ...base, status: 'Succeeded', outcome: 'unsafe', detail };
}

/**
 * The wait's stop was seen to end, but CodeDeploy's own later step had given the new version
 * `over`% over the person's move before it landed (codedeploy-hand-move.ts laterStepOverMove): the
 * deploy's run says "the move was not kept", exit 4, `r=@ko` (session 66, F4b). The wait said it
 * left the alias "where it was put", closed the record moved by hand and exited 5 (session 67's note).
 */
export async function endStepOverMove(
  deps: FollowDeps,
  info: DeploymentInfo,
  target: AppSpecTarget,
  base: FollowBase & { move: string },
  over: number,
  stop: Pick<StopState, 'stopAnswerLost'> = {},
): Promise<FollowResult> {
  // Its answer lost, the Stopped may be someone's stop with a rollback to come: the mark written
  // before the stop (`r=@km`) stays, and `lshift alias` keeps its window (h3's s69 brief).
  if (!stop.stopAnswerLost) await markOpenRecord(deps, info, target, KEEP_MOVE_STEP_OVER_REASON);
  const { move, ...rest } = base;
  const detail = `${move}; ${describeOwnStop(stop, info.id)}, but CodeDeploy's own later step had given version ${target.targetVersion} ${over}% over the move before the stop landed: the move was not kept, the alias is where CodeDeploy put it`;
  logWarn(deps, `codedeploy: ${info.id}: ${detail}`, 'alias');
  return { ...rest, outcome: 'unsafe', detail };
}

/**
 * The wait's stop without rollback was refused, failed or not seen to end, and the read after it
 * found CodeDeploy's own later step had already given the new version `over`% over the person's
 * move: the move is gone. The stop without rollback it offered would freeze CodeDeploy's split,
 * which nobody chose (found by a hostile pass, session 67, F7: a person's 37% under a linear 10%
 * config, StopDeployment held until the SDK gave up, CodeDeploy at 70%). `lshift rollback` (the
 * result's default fix) stops it with its rollback, all traffic back on the stable version. The
 * record keeps the mark written before the stop: that stop may still land.
 */
export function endRunningOverMove(base: FollowBase, move: string, said: string, over: number): FollowResult {
  const id = base.deploymentId;
  const target = base.target;
  // Neither the stop's fix nor "leaving the alias where it was put" holds over CodeDeploy's step.
  const stopWords = said
    .replace(`; ${describeKeepStopFix(id)}`, '')
    .replace(', leaving the alias where it was put', '');
  const detail = `${move}; ${stopWords}; a read after it found CodeDeploy's own later step had already given version ${target?.targetVersion ?? '?'} ${over}% over the move: the move is gone, and a stop without its rollback now would leave CodeDeploy's split, which nobody chose; \`lshift rollback\` stops it with its rollback, all traffic back on version ${target?.currentVersion ?? '?'}`;
  return { ...base, outcome: 'unsafe', detail };
}

/**
 * The open record naming this deployment keeps `reason` (its keep-move mark), not closed; undefined
 * takes a mark off. Also written before the wait's stop (KEEP_MOVE_UNCONFIRMED_REASON), as the
 * deploy's settle writes it: a stop the wait does not see end (refused, timed out, taken late)
 * otherwise left nothing saying it was lshift's, and a later wait, status and check called lshift's
 * own stop "stopped from outside" (session 67's note).
 */
export async function markOpenRecord(
  deps: FollowDeps,
  info: DeploymentInfo,
  target: AppSpecTarget,
  reason: string | undefined,
): Promise<void> {
  try {
    const record = await deps.store?.read(target.functionName, target.alias);
    if (!record || record.endedAt !== undefined || !namesDeployment(record, info)) return;
    if (reason === undefined && record.endReason === undefined) return;
    const { endReason: _was, ...rest } = record;
    await deps.store!.write(target.functionName, target.alias, {
      ...rest,
      codeDeployId: info.id,
      ...(reason === undefined ? {} : { endReason: reason }),
    });
  } catch (error) {
    logWarn(deps, `could not mark the deployment record: ${describeError(error)}`, 'record');
  }
}
