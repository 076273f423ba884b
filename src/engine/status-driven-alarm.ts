/**
 * `lshift status` of a CodeDeploy record whose deployment ended over a split another deployment on
 * its group drives (status-codedeploy.ts `splitByOtherDeployment`), with an alarm it shows in
 * ALARM. Status said "follow it", exit 0, where `lshift check` says STALLED, exit 4: an alarm
 * fires on traffic lshift may not touch, and a human must look (check-codedeploy-driven-alarm.ts).
 * Status now says check's words and fix, and exits 4 (h3's s71 round 3). It sees the alarms' states
 * now only: one that fired and cleared within a check's window is the check's alone.
 */
import type { CodeDeployPort } from '../ports/codedeploy.js';
import type { AliasInfo } from '../ports/lambda.js';
import { type DriverGroupAlarms, describeAlarmOverDrivenSplit } from './check-codedeploy-driven-alarm.js';
import { readDriverGroup } from './check-codedeploy-reads.js';
import { describeError } from './emit.js';
import type { StatusAlarm, StatusRecord } from './status-types.js';

export async function judgeAlarmOverDrivenSplit(
  codedeploy: Pick<CodeDeployPort, 'getDeployment' | 'getDeploymentGroup'> | undefined,
  names: { functionName: string; alias: string },
  record: StatusRecord,
  alias: AliasInfo,
  alarms: readonly StatusAlarm[],
): Promise<string | undefined> {
  const driver = record.splitByOtherDeployment;
  if (!codedeploy || !driver || !record.codeDeployEnded || record.engine !== 'codedeploy') return undefined;
  const firing = alarms.filter((a) => a.state === 'ALARM');
  if (firing.length === 0) return undefined;
  const said = firing.map((a) => `alarm ${a.name} is ALARM${a.reason ? `: ${a.reason}` : ''}`).join('; ');
  const group = await readGroupAlarms(codedeploy, record.codeDeployId);
  const seen = { driver, alias, ...(group?.name ? { group: group.name } : {}) };
  return describeAlarmOverDrivenSplit(names, `${said} after ${record.codeDeployEnded}`, seen, group?.alarms);
}

/** The driver runs on the ended deployment's group (codedeploy-split-rule.ts): its alarms, or why not. */
async function readGroupAlarms(
  codedeploy: Pick<CodeDeployPort, 'getDeployment' | 'getDeploymentGroup'>,
  id: string | undefined,
): Promise<{ name?: string; alarms: DriverGroupAlarms } | undefined> {
  if (!id) return undefined;
  try {
    return await readDriverGroup(codedeploy, await codedeploy.getDeployment(id));
  } catch (error) {
    return { alarms: { unread: describeError(error) } };
  }
}
