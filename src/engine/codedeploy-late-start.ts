/**
 * A CodeDeploy deployment that started after its own lshift run had ended. A `deploy --engine
 * codedeploy` interrupted while its CreateDeployment was in flight looks for a deployment of its
 * run twice, 2 s apart (codedeploy-traffic-driver.ts); finding none, it closes its record rolled
 * back, "alias unchanged". CodeDeploy may still take the request later (a slow answer): the
 * record's own deployment — its run token in the description — then shifts the alias with nobody
 * following it. `lshift status` called it "another CodeDeploy deployment on its group" (exit 0)
 * and `lshift check` "split since by someone unknown (no lshift deployment put it there)" (exit
 * 0): found by a hostile pass. Looked for only for a rolled-back CodeDeploy record that names no
 * deployment, and only when its alias is no longer where the rollback left it.
 * https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_CreateDeployment.html
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import type { CodeDeployPort } from '../ports/codedeploy.js';
import type { AliasInfo } from '../ports/lambda.js';
import { findRecordsDeployment, type GroupRef } from './codedeploy-group.js';
import { isTerminal } from './codedeploy-status.js';
import { describeAliasState } from './deploy-result.js';
import { aliasMovedSinceEnd } from './record-view.js';

export interface LateCodeDeployStart {
  /** The record's own deployment, found on its group by the run token in its description. */
  id: string;
  /** CodeDeploy's status of it; absent when GetDeployment failed. */
  status?: string;
  /** Not known to have ended: it may still move the alias, and nothing of lshift follows it. */
  running: boolean;
}

type Routing = Pick<AliasInfo, 'functionVersion' | 'additionalWeights'>;

/** The record's own deployment that started after its run ended, if the alias shows one may have. */
export async function findLateStart(
  codedeploy: CodeDeployPort | undefined,
  record: DeploymentRecord,
  alias: Routing,
  group: GroupRef | undefined,
): Promise<LateCodeDeployStart | undefined> {
  if (!codedeploy || !group || record.engine !== 'codedeploy' || record.codeDeployId !== undefined)
    return undefined;
  if (record.phase !== 'rolled-back' || aliasMovedSinceEnd(record, alias) === undefined) return undefined;
  const id = await findRecordsDeployment(codedeploy, record, group);
  if (!id) return undefined;
  try {
    const { status } = await codedeploy.getDeployment(id);
    return { id, status, running: !isTerminal(status) };
  } catch {
    // Found a moment ago, unreadable now: not known to have ended.
    return { id, running: true };
  }
}

/** One sentence on what happened, then one on what to do (status and check say the same). */
export function describeLateStart(
  late: LateCodeDeployStart,
  where: { functionName: string; alias: string; stableVersion: string; routing: Routing },
): { what: string; fix: string } {
  const state = late.status ?? 'status unknown: GetDeployment failed';
  const took =
    `AWS CodeDeploy took this run's CreateDeployment after the run had ended (the run got no ` +
    `answer to it — a timeout, a reset or Ctrl-C — found no deployment of its own at two looks ` +
    `and recorded it rolled back): its own ` +
    `deployment ${late.id} (${state}; found by its run token)`;
  const routes = describeAliasState(where.routing);
  const rollback = `lshift rollback ${where.functionName} --alias ${where.alias}`;
  if (late.running) {
    return {
      what: `${took} is shifting alias ${where.alias} with nobody following it; it routes ${routes} now`,
      fix: `\`${rollback}\` stops it (StopDeployment with auto-rollback) and puts all traffic back on version ${where.stableVersion}; \`lshift wait ${late.id}\` follows it instead`,
    };
  }
  return {
    what: `${took} ended ${late.status}, unjudged by lshift; alias ${where.alias} routes ${routes}`,
    fix: `\`${rollback} --to ${where.stableVersion}\` puts all traffic back on version ${where.stableVersion}`,
  };
}
