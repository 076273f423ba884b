/**
 * Closing the record of a CodeDeploy deployment that ended while nobody followed it, as
 * `lshift wait` would have (check-codedeploy.ts decides when: the alias bears CodeDeploy out).
 * Apart from the decisions because it is the one write of that part of `lshift check`.
 */
import type { DeploymentRecord, RecordCause } from '../domain/deployment-record.js';
import { echoInput } from '../domain/echo.js';
import type { CheckDeps } from './check-types.js';
import type { RecordClose } from './codedeploy-check-types.js';
import { mayNameHook, recordCauseOfCodeDeployEnd } from './codedeploy-end-cause.js';
import { closeCodeDeployRecord, isFollowerCutBeforeSettle } from './codedeploy-record-close.js';
import { readEndEvents } from './codedeploy-status.js';
import { describeError } from './emit.js';
import { writeRecordEnd } from './record-end-write.js';

/**
 * Closes the record as `lshift wait` would have (follow-codedeploy.ts), re-read first: one that
 * changed since the check read it (a new deployment, another check's claim) is left alone. Says
 * how it went, as the end of the result's line. Moves no traffic.
 */
export async function closeEndedRecord(
  deps: Pick<CheckDeps, 'store' | 'codedeploy'>,
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
    // A record that named no deployment (found by its run token) names it once closed.
    const named = { ...current!, codeDeployId: current!.codeDeployId ?? close.deploymentId };
    const closed = closeCodeDeployRecord(named, close.outcome, close.at, await causeOf(deps, close));
    await writeRecordEnd(deps.store, c.functionName, c.alias, closed);
    // Its follower died before its settle verdict: the check judged alarms only (codedeploy-record-close.ts).
    const unjudged =
      close.outcome === 'succeeded' && isFollowerCutBeforeSettle(current!)
        ? `; lshift's settle verdict on the last step's late metrics was never made (the run following deployment ${current!.id} stopped before it): only its alarms were judged`
        : '';
    return {
      said: `; its record is closed as ${close.outcome === 'succeeded' ? 'promoted' : 'rolled back'}${unjudged}`,
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

/**
 * Why CodeDeploy rolled it back, for the closed record (`y=`): a hook is named by the lifecycle
 * events, read only when they may name one (best effort: without them a hook failure has no phase).
 */
async function causeOf(
  deps: Pick<CheckDeps, 'codedeploy'>,
  close: RecordClose,
): Promise<RecordCause | undefined> {
  const { ended } = close;
  if (close.outcome !== 'rolled_back' || !ended) return undefined;
  const events =
    mayNameHook(ended) && deps.codedeploy ? await readEndEvents(deps.codedeploy, ended) : undefined;
  return recordCauseOfCodeDeployEnd(ended, events);
}
