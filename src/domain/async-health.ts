/**
 * Judging the new version's asynchronous-invocation failure signals, pure. Lambda's metrics
 * (https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html):
 * `DestinationDeliveryFailures` (an event could not be sent to a destination) and
 * `DeadLetterErrors` (could not be sent to the DLQ) follow an invocation of a version, so lshift
 * reads them per version ({FunctionName, Resource=<fn>:<alias>, ExecutedVersion});
 * `AsyncEventsReceived`, `AsyncEventsDropped` and `AsyncEventAge` describe the function's event
 * queue before any version runs, so they are read function-wide ({FunctionName}) and the
 * verdict says so. They are shown, not failed on: every event that exhausts its retries counts
 * as dropped (https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html), so
 * function-wide they move with the stable version's ordinary errors too and would roll back
 * healthy releases; the per-version failures are what the new version alone causes. Lambda publishes a count only when it is not zero, so an absent datapoint is
 * zero; with no asynchronous event received and no failure, the gate has nothing to say.
 */
import type { Verdict } from './verdict.js';

export const ASYNC_GATE = 'async-delivery';

export interface AsyncTotals {
  /** Per version (the new version's share of the alias). */
  deliveryFailures: number;
  deadLetterErrors: number;
  /** Function-wide. */
  received: number;
  dropped: number;
  /** Function-wide maximum, ms; undefined when not reported. */
  maxEventAgeMs?: number;
}

export function judgeAsyncSignals(t: AsyncTotals, ctx: { targetVersion: string; now: number }): Verdict[] {
  const v = ctx.targetVersion;
  if (t.received === 0 && t.deliveryFailures === 0 && t.deadLetterErrors === 0 && t.dropped === 0) return [];
  const details = {
    gate: ASYNC_GATE,
    ...t,
    perVersion: ['DestinationDeliveryFailures', 'DeadLetterErrors'],
    functionWide: ['AsyncEventsReceived', 'AsyncEventsDropped', 'AsyncEventAge'],
  };
  const problems: string[] = [];
  if (t.deliveryFailures > 0)
    problems.push(
      `${t.deliveryFailures} asynchronous event${plural(t.deliveryFailures)} of version ${v} could not be delivered to a destination (DestinationDeliveryFailures)`,
    );
  if (t.deadLetterErrors > 0)
    problems.push(
      `${t.deadLetterErrors} failed event${plural(t.deadLetterErrors)} of version ${v} could not be sent to the dead-letter queue (DeadLetterErrors)`,
    );
  const queue = `function-wide (no per-version dimension): ${t.received} asynchronous event${plural(t.received)} received, ${t.dropped} dropped`;
  const age =
    t.maxEventAgeMs === undefined
      ? ''
      : `; oldest queued event ${Math.round(t.maxEventAgeMs / 1000)} s (AsyncEventAge, function-wide)`;
  if (problems.length > 0)
    return [
      {
        outcome: 'fail',
        gate: ASYNC_GATE,
        summary: `${problems.join('; ')}; ${queue}${age}`,
        details,
        at: ctx.now,
      },
    ];
  return [
    {
      outcome: 'pass',
      gate: ASYNC_GATE,
      summary: `version ${v}: no destination or dead-letter delivery failures; ${queue}${age}`,
      details,
      at: ctx.now,
    },
  ];
}

function plural(n: number): string {
  return n === 1 ? '' : 's';
}
