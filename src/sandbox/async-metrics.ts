/**
 * Asynchronous invocations in the sandbox, derived from the synthetic traffic so they need no
 * traffic of their own: a version's `LSHIFT_SANDBOX_ASYNC_SHARE` of its invocations arrive
 * asynchronously, and `LSHIFT_SANDBOX_DELIVERY_FAILURE_RATE` of the deliveries it then makes to a
 * destination (on success or on failure, from the alias's event invoke config, else the
 * version's) or to its dead-letter queue fail. Metrics, as Lambda names them
 * (https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html):
 * DestinationDeliveryFailures and DeadLetterErrors under every dimension set, per version;
 * AsyncEventsReceived and AsyncEventsDropped (events that exhausted their retries) under
 * {FunctionName} only. Counts are whole numbers (floors), published only when not zero.
 */
import { type Dist, distFromCounts } from './distribution.js';
import { own } from './own.js';
import type { TrafficCell } from './traffic.js';
import type { FunctionData } from './types.js';

export const ENV_ASYNC_SHARE = 'LSHIFT_SANDBOX_ASYNC_SHARE';
export const ENV_DELIVERY_FAILURE_RATE = 'LSHIFT_SANDBOX_DELIVERY_FAILURE_RATE';
export const ASYNC_METRICS = [
  'DestinationDeliveryFailures',
  'DeadLetterErrors',
  'AsyncEventsReceived',
  'AsyncEventsDropped',
] as const;
const FUNCTION_WIDE = ['AsyncEventsReceived', 'AsyncEventsDropped'];

export function isAsyncMetric(metricName: string): boolean {
  return (ASYNC_METRICS as readonly string[]).includes(metricName);
}

/** The metric over the selected cells; undefined when Lambda would publish nothing. */
export function asyncMinuteDist(
  fn: FunctionData,
  metricName: string,
  dimensions: Record<string, string>,
  cells: TrafficCell[],
): Dist | undefined {
  if (FUNCTION_WIDE.includes(metricName) && Object.keys(dimensions).join(',') !== 'FunctionName')
    return undefined;
  let total = 0;
  for (const cell of cells) total += countOf(fn, metricName, cell);
  return total > 0 ? distFromCounts([[total, 1]]) : undefined;
}

function countOf(fn: FunctionData, metricName: string, cell: TrafficCell): number {
  const config = cell.version === '$LATEST' ? fn.latest : own(fn.versions, cell.version);
  if (!config) return 0;
  const share = rate(config.environment[ENV_ASYNC_SHARE]);
  const failRate = rate(config.environment[ENV_DELIVERY_FAILURE_RATE]);
  const events = Math.floor(cell.invocations * share);
  const failed = Math.min(events, Math.floor(cell.errors * share));
  const invokeConfig =
    own(fn.eventInvokeConfigs ?? {}, cell.alias) ?? own(fn.eventInvokeConfigs ?? {}, cell.version);
  switch (metricName) {
    case 'AsyncEventsReceived':
      return events;
    case 'AsyncEventsDropped':
      return failed;
    case 'DestinationDeliveryFailures': {
      const deliveries =
        (invokeConfig?.onSuccess ? events - failed : 0) + (invokeConfig?.onFailure ? failed : 0);
      return Math.floor(deliveries * failRate);
    }
    case 'DeadLetterErrors':
      return config.deadLetterTargetArn ? Math.floor(failed * failRate) : 0;
    default:
      return 0;
  }
}

function rate(raw: string | undefined): number {
  const value = Number(raw ?? 0);
  return Number.isFinite(value) && value >= 0 && value <= 1 ? value : 0;
}
