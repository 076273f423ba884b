/**
 * CloudWatch over awsJson1_0: `POST /`, `x-amz-target: GraniteServiceVersion20100801.<Op>`,
 * timestamps as epoch seconds.
 */
import { describeAlarmHistory } from './alarm-history.js';
import { advanceAlarms } from './alarm-ticks.js';
import { deleteAlarms, describeAlarms, putCompositeAlarm, putMetricAlarm, setAlarmState } from './alarms.js';
import { cloudWatchErrors } from './api-error.js';
import { getMetricData, getMetricStatistics } from './cloudwatch-metrics.js';
import { putMetricData } from './custom-metrics.js';
import { own } from './own.js';
import type { Sandbox } from './sandbox.js';

export const CLOUDWATCH_TARGET_PREFIX = 'GraniteServiceVersion20100801.';

type Handler = (sb: Sandbox, input: Record<string, unknown>) => Record<string, unknown>;

const HANDLERS: Record<string, Handler> = {
  PutMetricAlarm: putMetricAlarm,
  PutCompositeAlarm: putCompositeAlarm,
  DescribeAlarms: describeAlarms,
  DescribeAlarmHistory: describeAlarmHistory,
  SetAlarmState: setAlarmState,
  DeleteAlarms: deleteAlarms,
  PutMetricData: (sb, input) => {
    putMetricData(sb, input);
    return {};
  },
  GetMetricData: getMetricData,
  GetMetricStatistics: getMetricStatistics,
};

/** Every operation name of this service the sandbox answers (a hold's `only` is checked against them). */
export const CLOUDWATCH_OPERATIONS: readonly string[] = Object.keys(HANDLERS);

export function cloudWatchOperation(target: string): string {
  return target.startsWith(CLOUDWATCH_TARGET_PREFIX) ? target.slice(CLOUDWATCH_TARGET_PREFIX.length) : target;
}

export function handleCloudWatch(sb: Sandbox, operation: string, body: Buffer): Record<string, unknown> {
  const handler = own(HANDLERS, operation);
  if (!handler) {
    throw cloudWatchErrors.unknownOperation(
      `The sandbox does not implement the CloudWatch operation ${operation || '(none)'}; it supports ${Object.keys(HANDLERS).join(', ')}.`,
    );
  }
  let input: unknown = {};
  if (body.length > 0) {
    try {
      input = JSON.parse(body.toString('utf8'));
    } catch {
      throw cloudWatchErrors.badJson();
    }
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw cloudWatchErrors.badJson();
  // Evaluate every minute that passed before this call changes or reads anything.
  advanceAlarms(sb);
  return handler(sb, input as Record<string, unknown>);
}
