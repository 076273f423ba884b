/**
 * `deploy --engine codedeploy --detach` exits once CodeDeploy has the deployment: from then on
 * only CodeDeploy watches it, and CodeDeploy stops a deployment only on its deployment group's
 * alarms. An `--alarm` the group does not carry is read by nobody, nor is the canary analysis run,
 * although the user asked for them; and a group with no alarm (or its alarms disabled) leaves the
 * shift with nothing watching at all. Said before the shift, in place of the no-`--alarm`
 * warning a followed deploy gives (deploy-warnings.ts describeUnwatched), which would be false
 * here ("judged by the canary analysis": no analysis runs after the hand-over), with the ways to
 * have it watched (found by a hostile pass).
 * https://docs.aws.amazon.com/codedeploy/latest/userguide/deployment-groups-configure-advanced-options.html
 */

export interface GroupAlarms {
  application: string;
  group: string;
  alarms: readonly string[];
  /** alarmConfiguration.enabled: a group may list alarms it does not act on. */
  enabled: boolean;
}

/**
 * What watches health once lshift has handed the deployment over; undefined when all that was
 * asked for (every `--alarm`, the analysis when on) still watches it. `analysis`: the run's
 * canary analysis gates are on.
 */
export function describeDetachedWatch(
  functionName: string,
  alarms: readonly string[],
  group: GroupAlarms,
  analysis: boolean,
): string | undefined {
  const watched = group.enabled ? [...new Set(group.alarms)] : [];
  const unwatched = [...new Set(alarms)].filter((name) => !watched.includes(name));
  const flags = (names: readonly string[]) => names.map((name) => `--alarm ${name}`).join(' ');
  const init = (names: readonly string[]) =>
    `lshift codedeploy init ${functionName} --application ${group.application} --deployment-group ${group.group} ${flags(names)} --update`;
  const handOver = '--detach: lshift exits once CodeDeploy has the deployment';
  if (unwatched.length > 0) {
    return (
      `${handOver}, so nothing reads ${flags(unwatched)}${analysis ? ' (nor runs the canary analysis)' : ''}: ` +
      `CodeDeploy stops it only on its deployment group's alarms (${describeGroupAlarms(group)}). ` +
      `Add them to the group (\`${init([...watched, ...unwatched])}\`), judge it on a schedule with ` +
      `\`lshift check ${functionName} ${flags(unwatched)}\`, or run without --detach`
    );
  }
  if (watched.length === 0) {
    const placeholder = group.alarms.length > 0 ? [...new Set(group.alarms)] : ['<alarm-name>'];
    return (
      `${handOver}, and after the hand-over nothing watches its health: no --alarm was given, ` +
      `its deployment group ${group.application}/${group.group} stops on no alarm (${describeGroupAlarms(group)})` +
      `${analysis ? ', and the canary analysis does not run' : ''}, so CodeDeploy shifts it to 100% on schedule whatever it does. ` +
      `Add an alarm to the group (\`${init(placeholder)}\`), judge it on a schedule with ` +
      `\`lshift check ${functionName} ${flags(placeholder)}\`, or run without --detach and with --alarm`
    );
  }
  if (!analysis) return undefined;
  return (
    `${handOver}, so the canary analysis does not run: after the hand-over only the deployment group's ` +
    `alarms (${watched.join(', ')}) watch health. Run without --detach to have the analysis judge it, ` +
    'or pass --no-analysis to leave it to those alarms'
  );
}

/** The alarms CodeDeploy stops the group's deployments on, as the warnings name them. */
function describeGroupAlarms(group: GroupAlarms): string {
  if (group.enabled && group.alarms.length > 0) return group.alarms.join(', ');
  return group.alarms.length > 0 ? `none: its alarms ${group.alarms.join(', ')} are disabled` : 'none';
}
