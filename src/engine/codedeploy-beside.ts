/**
 * A native alias write (a rollback of a native record, or of an alias no record names) beside a
 * deployment AWS CodeDeploy runs on the function's group: CodeDeploy keeps its own schedule and
 * splits the alias again at its next step, so the rollback reported success while the traffic
 * went back to the new version (found by a hostile pass: `lshift rollback` beside a hotfix
 * `aws deploy create-deployment`). The group is the one `lshift codedeploy init` made (the config
 * file's names, else the defaults): a deployment there that nobody of lshift's runs, and whose
 * AppSpec moves this alias (or cannot be read), refuses the write (CODEDEPLOY_GROUP_BUSY, exit 5), as beside a CodeDeploy record (codedeploy-stop.ts). Best
 * effort: no such group, no permission to list it, or no answer leaves the write to go ahead as
 * before — a function whose traffic CodeDeploy never moves must not lose its rollback to it.
 * https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_ListDeployments.html
 */
import { ConflictError, isLshiftError } from '../domain/errors.js';
import type { ReleaseTarget } from '../domain/release-program.js';
import type { CodeDeployPort } from '../ports/codedeploy.js';
import type { TrafficDriver } from '../ports/traffic-driver.js';
import { type GroupRef, refuseBesideStranger } from './codedeploy-group.js';

export function refusingBesideCodeDeploy(
  inner: TrafficDriver,
  codedeploy: CodeDeployPort,
  group: GroupRef,
): TrafficDriver {
  return {
    ...inner,
    async setWeight(cursor, percent, opts) {
      await refuseIfBusy(codedeploy, group, cursor);
      return inner.setWeight(cursor, percent, opts);
    },
  };
}

async function refuseIfBusy(
  codedeploy: CodeDeployPort,
  group: GroupRef,
  alias: ReleaseTarget,
): Promise<void> {
  try {
    await refuseBesideStranger(codedeploy, group, undefined, alias);
  } catch (error) {
    // Its hint (how to wait for it) goes into the message: a rollback's result keeps only that
    // (and `lshift alias`, which prints both, said it twice).
    if (isLshiftError(error) && error.code === 'CODEDEPLOY_GROUP_BUSY') {
      const message = `${error.message} ${error.hint ?? ''}`.trim();
      throw new ConflictError('CODEDEPLOY_GROUP_BUSY', message, { cause: error });
    }
  }
}
