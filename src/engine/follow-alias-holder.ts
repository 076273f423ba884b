/**
 * Whose alias it is when `lshift wait` reads it after its CodeDeploy deployment ended. A wait of a
 * deployment that ended long before — its alias since taken by a later lshift deployment (a
 * `deploy --supersede`, a new deploy once this one was stopped) — judged the alias as if this
 * deployment still held it: "UNSAFE … a human must look", exit 4, and `Fix: lshift rollback`,
 * which would roll the later, healthy deployment back (found by a hostile pass). The record on
 * the alias says whose it is: one that is not this deployment's and started after this one was
 * created holds the alias now, and this deployment is judged by CodeDeploy's word alone.
 */
import { carriesRunToken } from '../domain/codedeploy-run.js';
import type { DeploymentRecord } from '../domain/deployment-record.js';
import type { AppSpecTarget, DeploymentInfo } from '../ports/codedeploy.js';
import type { StateStore } from '../ports/state-store.js';
import { describeProgress, ownerOf } from './check-classify.js';

/**
 * The record is this deployment's: it names its id, or names none and its id is the run token the
 * deployment's description carries (found by a hostile pass: `lshift wait` reported Succeeded and
 * left such a record open, and every check said STALLED).
 */
export function namesDeployment(record: DeploymentRecord, info: DeploymentInfo): boolean {
  if (record.codeDeployId !== undefined) return record.codeDeployId === info.id;
  return record.engine === 'codedeploy' && carriesRunToken(info.description, record.id);
}

/** The later lshift deployment that holds the alias now, if its record says one does. Unreadable: none. */
export async function findLaterHolder(
  store: StateStore | undefined,
  info: DeploymentInfo,
  target: AppSpecTarget,
): Promise<DeploymentRecord | undefined> {
  const since = info.createdAt ?? info.completedAt;
  if (!store || since === undefined) return undefined;
  try {
    const record = await store.read(target.functionName, target.alias);
    return record && !namesDeployment(record, info) && record.startedAt > since ? record : undefined;
  } catch {
    return undefined;
  }
}

/** `lshift deployment d-… (shifting at 20%, version 1 → 2, owner ci@runner:7)`. */
export function describeHolder(record: DeploymentRecord): string {
  return `lshift deployment ${record.id} (${describeProgress(record)}, version ${record.stableVersion} → ${record.targetVersion}, owner ${ownerOf(record)})`;
}
