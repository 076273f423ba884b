/**
 * A rollback's StopDeployment that failed or got no answer while AWS CodeDeploy went on to end
 * the deployment Succeeded (codedeploy-stop.ts sets `cursor.stopOutran`): the stop stopped
 * nothing, all traffic had reached the new version, and the rollback wrote the alias back itself.
 * Said in the run's cause, not "all traffic is back" as if CodeDeploy's rollback had done it (F8,
 * session 66: a StopDeployment held past its 3 attempts of 10 s, CodeDeploy's 5-minute canary
 * ended meanwhile).
 */
import { causeOf, type OutcomeCause } from '../domain/outcome.js';
import type { TrafficCursor } from '../ports/traffic-driver.js';

/** The cause with the outran stop said (INTERRUPTED: `data.stopOutran` and the words as detail). */
export function withStopOutran(after: OutcomeCause, cursor: TrafficCursor): OutcomeCause {
  const outran = cursor.stopOutran;
  if (!outran) return after;
  const words = describeStopOutran(outran, cursor);
  if (after.code === 'INTERRUPTED') {
    const detail = after.data.movedByHand && after.detail ? `${after.detail}; ${words}` : words;
    return causeOf('INTERRUPTED', { ...after.data, stopOutran: true }, detail);
  }
  return { ...after, detail: `${after.detail ?? after.code}; ${words}` };
}

export function describeStopOutran(
  outran: NonNullable<TrafficCursor['stopOutran']>,
  cursor: Pick<TrafficCursor, 'stableVersion' | 'targetVersion'>,
): string {
  return `lshift's stop of AWS CodeDeploy deployment ${outran.deploymentId} failed (${outran.error.replace(/\.$/, '')}), and CodeDeploy says the deployment had ended Succeeded, all traffic on version ${cursor.targetVersion}: the stop stopped nothing, and lshift wrote the alias back to version ${cursor.stableVersion} itself`;
}
