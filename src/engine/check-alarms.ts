/** The alarm read of `lshift check` (check.ts): one DescribeAlarms for every record it judges. */
import type { AlarmState, MetricsPort } from '../ports/metrics.js';
import type { CheckKind } from './check-classify.js';
import { describeError } from './emit.js';

export type AlarmRead = { states: AlarmState[] } | { error: string };

/** One DescribeAlarms for every name any candidate needs (the adapter batches by 100). */
export async function readAlarms(
  metrics: MetricsPort,
  candidates: readonly { kind: CheckKind; alarmNames: string[] }[],
): Promise<AlarmRead> {
  const names = [
    ...new Set(candidates.flatMap((c) => (c.kind === 'unfinished-rollback' ? [] : c.alarmNames))),
  ];
  if (names.length === 0) return { states: [] };
  try {
    return { states: await metrics.describeAlarms(names) };
  } catch (error) {
    return { error: describeError(error) };
  }
}
