/**
 * `lshift check` over a CodeDeploy record whose deployment ended, its alias split by another
 * deployment on its group that drives it (codedeploy-split-rule.ts: `other`), with an alarm in
 * ALARM. It tried a rollback that `lshift rollback` refuses beside a running deployment
 * (CODEDEPLOY_GROUP_BUSY, exit 5), and said only that (h3's s71 round 2). The split is that
 * deployment's: lshift writes nothing beside it. Whether anything stops it on this alarm is its
 * group's alarm configuration (CodeDeploy stops a group's deployments on the group's alarms), read
 * here and said; either way an alarm fires on traffic lshift may not touch: STALLED, exit 4, with
 * the stop a person can make and the rollback after it.
 * https://docs.aws.amazon.com/codedeploy/latest/userguide/deployment-groups-configure-advanced-options.html
 */
import { echoInput } from '../domain/echo.js';
import type { DeploymentGroupInfo } from '../ports/codedeploy.js';
import { describeAliasState } from './deploy-result.js';

/** The driver's group's alarm configuration as read, or why not. */
export type DriverGroupAlarms = Pick<DeploymentGroupInfo, 'alarms' | 'alarmsEnabled'> | { unread: string };

export function describeAlarmOverDrivenSplit(
  c: { functionName: string; alias: string },
  head: string,
  seen: {
    driver: string;
    alias?: { functionVersion: string; additionalWeights: Record<string, number> };
    group?: string;
  },
  groupAlarms: DriverGroupAlarms | undefined,
): string {
  const id = seen.driver.split(' ')[0] ?? '';
  const where = seen.alias ? ` routes ${describeAliasState(seen.alias)},` : '';
  const stop = `\`aws deploy stop-deployment --deployment-id ${echoInput(id)} --auto-rollback-enabled\` stops it with its rollback, then \`lshift rollback ${c.functionName} --alias ${c.alias}\` if the alias is still split`;
  return `${head}; alias ${c.alias}${where} driven by another CodeDeploy deployment on its group: ${seen.driver}, so lshift rolled nothing back beside it (\`lshift rollback\` refuses while it runs: CODEDEPLOY_GROUP_BUSY); ${describeWatch(seen.group, groupAlarms)}: ${stop}`;
}

function describeWatch(group: string | undefined, read: DriverGroupAlarms | undefined): string {
  const name = group ? `its group ${group}` : 'its group';
  if (!read) return `whether ${name} stops it on an alarm is not known`;
  if ('unread' in read) return `whether ${name} stops it on an alarm could not be read (${read.unread})`;
  if (!read.alarmsEnabled || read.alarms.length === 0)
    return `${name} stops deployments on no alarm: nothing stops it on this one`;
  return `${name} stops deployments on ${read.alarms.map((a) => echoInput(a)).join(', ')} (CodeDeploy stops it itself only if the alarm in ALARM is one of those)`;
}
