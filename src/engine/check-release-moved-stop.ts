/**
 * A release the check rolls back, one of whose functions a person moved onto versions its AWS
 * CodeDeploy deployment does not know while CodeDeploy still runs it (check-release-moved.ts).
 * The release's rollback leaves that function as moved, and the check said "nobody will finish
 * it" (STALLED) while CodeDeploy's next step was to write the alias again over the move, towards
 * the very version the release was rolled back from, with nobody to stop it (h3's s71 round 2).
 * The check stops it as `lshift wait` and a deploy's follower stop a deployment under a move by
 * hand: WITHOUT its rollback (codedeploy-stop-keeping.ts), so the person's move stays and no
 * weight on the judged-bad version comes after it. Not with auto-rollback: that writes over the
 * move too (back to the stable version), and a person chose that routing.
 * https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_StopDeployment.html
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import { echoInput } from '../domain/echo.js';
import type { AliasInfo } from '../ports/lambda.js';
import type { CheckDeps } from './check-types.js';
import { isTerminal } from './codedeploy-status.js';
import { describeKeepStopFix, type StopState, stopKeepingMove } from './codedeploy-stop-keeping.js';
import { describeAliasState } from './deploy-result.js';
import { describeError } from './emit.js';

/** How often the stop is read until CodeDeploy says it ended (bounded there), in clock seconds. */
const STOP_POLL_SECONDS = 5;

type StopDeps = Pick<CheckDeps, 'codedeploy' | 'clock' | 'lambda'>;

/** What became of the deployment under the move: the words for its line, the alias as read after. */
export interface MovedMateStop {
  words: string;
  /** Its deployment may still write the alias (the stop failed, or its state is unknown). */
  mayStillRun: boolean;
  aliasInfo?: AliasInfo;
}

/**
 * Stops the running CodeDeploy deployment of a moved member; undefined when the record is not
 * CodeDeploy's or its deployment had already ended (nothing to say beyond the move).
 */
export async function stopMovedMateDeployment(
  deps: StopDeps,
  mate: { functionName: string; alias: string; record: DeploymentRecord },
): Promise<MovedMateStop | undefined> {
  const { record } = mate;
  const id = record.engine === 'codedeploy' ? record.codeDeployId : undefined;
  if (id === undefined || !deps.codedeploy) return undefined;
  const towards = `towards version ${record.targetVersion}, which the release is rolled back from`;
  const status = await deps.codedeploy.getDeployment(id).then(
    (info) => info.status,
    (error: unknown) => ({ error }),
  );
  if (typeof status === 'object') {
    const why = `could not read AWS CodeDeploy deployment ${echoInput(id)} (${describeError(status.error)}): if it still runs, its next step writes the alias again over the move, ${towards}; ${describeKeepStopFix(id)}`;
    return { words: why, mayStillRun: true };
  }
  if (isTerminal(status)) return undefined;
  const cursor: StopState = { functionName: mate.functionName, alias: mate.alias };
  const done = await stopKeepingMove(
    { codedeploy: deps.codedeploy, clock: deps.clock },
    STOP_POLL_SECONDS,
    cursor,
    id,
  );
  const head = `AWS CodeDeploy still ran deployment ${echoInput(id)} (${status}), whose next step would have written the alias again over the move, ${towards}`;
  const aliasInfo = await deps.lambda.getAlias(mate.functionName, mate.alias).catch(() => undefined);
  // Taken (ended or not yet said so), or found ended: it writes the alias no more.
  const stopped = done.startsWith('lshift stopped') || cursor.deploymentEnded === true;
  const words = `${head}: ${done.replace(/^lshift stopped/, 'lshift check stopped')}${describeAfter(aliasInfo, record)}`;
  return { words, mayStillRun: !stopped, ...(aliasInfo ? { aliasInfo } : {}) };
}

/** The alias as read after the stop, when CodeDeploy's step came first and put the bad version back on it. */
function describeAfter(aliasInfo: AliasInfo | undefined, record: DeploymentRecord): string {
  if (!aliasInfo) return '';
  const onTarget =
    aliasInfo.functionVersion === record.targetVersion ||
    (aliasInfo.additionalWeights[record.targetVersion] ?? 0) > 0;
  if (!onTarget) return '';
  return `; but CodeDeploy had written the alias before the stop: it routes ${describeAliasState(aliasInfo)} now`;
}
