/**
 * `deploy --engine codedeploy --detach` exits once CodeDeploy has the deployment: from then on
 * only CodeDeploy watches it, and CodeDeploy stops a deployment only on its deployment group's
 * alarms. An `--alarm` the group does not carry is read by nobody (nor is the canary analysis
 * run), although the user asked for it: said before the shift, with the two ways to have it read.
 * https://docs.aws.amazon.com/codedeploy/latest/userguide/deployment-groups-configure-advanced-options.html
 */

export interface GroupAlarms {
  application: string;
  group: string;
  alarms: readonly string[];
  /** alarmConfiguration.enabled: a group may list alarms it does not act on. */
  enabled: boolean;
}

export function describeDetachedAlarms(
  functionName: string,
  alarms: readonly string[],
  group: GroupAlarms,
): string | undefined {
  const watched = group.enabled ? new Set(group.alarms) : new Set<string>();
  const unwatched = [...new Set(alarms)].filter((name) => !watched.has(name));
  if (unwatched.length === 0) return undefined;
  const onGroup = group.enabled && group.alarms.length > 0 ? group.alarms.join(', ') : 'none';
  const flags = (names: readonly string[]) => names.map((name) => `--alarm ${name}`).join(' ');
  const init = `lshift codedeploy init ${functionName} --application ${group.application} --deployment-group ${group.group} ${flags([...watched, ...unwatched])} --update`;
  return (
    `--detach: lshift exits once CodeDeploy has the deployment, so nothing reads ${flags(unwatched)} ` +
    `(nor runs the canary analysis): CodeDeploy stops it only on its deployment group's alarms (${onGroup}). ` +
    `Add them to the group (\`${init}\`) or judge it on a schedule with \`lshift check ${functionName} ${flags(unwatched)}\``
  );
}
