/**
 * Alarms that never judged a deployment: INSUFFICIENT_DATA at every health poll. lshift counts
 * INSUFFICIENT_DATA as not alarming (as CodeDeploy does: a quiet canary often has no datapoints
 * yet), so such an alarm lets every step pass without having looked at anything — typically an
 * alarm on a metric name, namespace or dimension that does not exist. The deploy still promotes
 * on that rule; this says so at the end instead of "healthy" alone.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#alarms-and-missing-data
 * Pure.
 */
import type { AlarmState } from './health-readings.js';
import { shortList } from './short-list.js';

/**
 * The alarms seen in at least one poll and INSUFFICIENT_DATA in every poll that read them, in
 * the order first seen. A poll that read no alarm (its read failed) is no data either way.
 */
export function silentAlarms(polls: readonly (readonly AlarmState[])[]): string[] {
  const silent = new Map<string, boolean>();
  for (const poll of polls) {
    for (const alarm of poll) {
      const stillSilent = silent.get(alarm.name) ?? true;
      silent.set(alarm.name, stillSilent && alarm.state === 'INSUFFICIENT_DATA');
    }
  }
  return [...silent].filter(([, isSilent]) => isSilent).map(([name]) => name);
}

/** The end-of-deployment warning, or undefined when every alarm had data at least once. */
export function describeSilentAlarms(
  polls: readonly (readonly AlarmState[])[],
  version: string | undefined,
): string | undefined {
  const names = silentAlarms(polls);
  if (names.length === 0) return undefined;
  const one = names.length === 1;
  return (
    `${one ? 'alarm' : 'alarms'} ${shortList(names)} ${one ? 'was' : 'were'} INSUFFICIENT_DATA at every health poll ` +
    `(${polls.length}): ${one ? 'it' : 'they'} never judged version ${version ?? '?'} ` +
    '(INSUFFICIENT_DATA counts as not alarming); check that ' +
    `${one ? 'its metric exists' : 'their metrics exist'} and ${one ? 'gets' : 'get'} datapoints ` +
    '(namespace, metric name and dimensions)'
  );
}
