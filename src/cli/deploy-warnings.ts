/**
 * What a single-function deploy says before its first write: nothing watches health, holds the
 * polls miss (src/domain/poll-interval.ts), what the analysis cannot do with this plan
 * (src/domain/analysis/plan-check.ts). `deploy` and `deploy --dry-run` say the same.
 */
import { hasAnalysisGates } from '../domain/analysis/config.js';
import { checkAnalysisPlan } from '../domain/analysis/plan-check.js';
import type { RunShape } from '../domain/credential-lifetime.js';
import type { HookSpec } from '../domain/hook-spec.js';
import { describeSparsePolls } from '../domain/poll-interval.js';
import { readRecentRequestRate } from '../engine/recent-traffic.js';
import type { Clock } from '../ports/clock.js';
import type { EventSink } from '../ports/event-sink.js';
import type { MetricsPort } from '../ports/metrics.js';
import type { DeployOptions } from './deploy-options.js';

type Options = Pick<DeployOptions, 'alias' | 'plan' | 'bakeSeconds' | 'pollIntervalSeconds' | 'analysis'>;

/**
 * What bounds how long a deployment with these options can run: each hook for its own timeout or
 * --hook-timeout, step hooks at every step.
 */
export function runShapeOf(
  options: Pick<DeployOptions, 'plan' | 'bakeSeconds' | 'hooks' | 'hookTimeoutSeconds'>,
): RunShape {
  const { pre, step, post, rollback } = options.hooks;
  const timeout = (spec: HookSpec) => spec.timeoutSeconds ?? options.hookTimeoutSeconds;
  const sum = (specs: readonly HookSpec[]) => specs.reduce((total, spec) => total + timeout(spec), 0);
  const steps = options.plan.steps.length;
  return {
    plan: options.plan,
    bakeSeconds: options.bakeSeconds,
    hookCount: pre.length + post.length + rollback.length + step.length * steps,
    hookSeconds: sum(pre) + sum(post) + sum(rollback) + sum(step) * steps,
  };
}

/** Said on every start, --resume too: a deploy that nothing watches promotes on schedule. */
export function describeUnwatched(alarms: readonly string[], options: Pick<Options, 'analysis'>) {
  if (alarms.length > 0) return undefined;
  return hasAnalysisGates(options.analysis)
    ? 'no --alarm given: health is judged by the canary analysis of the new version alone (pass --alarm to also watch CloudWatch alarms)'
    : 'no --alarm and no analysis gate: nothing watches health, so the shift promotes on schedule (pass --alarm, or drop --no-analysis)';
}

/** Said before a new deployment's first write, and kept in its result; reads the recent traffic. */
export async function describePlanWarnings(
  deps: { metrics: MetricsPort; clock: Clock },
  functionName: string,
  options: Options,
): Promise<string[]> {
  const requestsPerMinute = hasAnalysisGates(options.analysis)
    ? await readRecentRequestRate(deps.metrics, functionName, options.alias, deps.clock.now())
    : undefined;
  const sparse = describeSparsePolls(options.plan, options.bakeSeconds, options.pollIntervalSeconds);
  return [
    ...(sparse ? [sparse] : []),
    ...checkAnalysisPlan({
      plan: options.plan,
      bakeSeconds: options.bakeSeconds,
      analysis: options.analysis,
      requestsPerMinute,
    }),
  ];
}

export function emitWarnings(events: EventSink, at: number, messages: readonly string[]): void {
  for (const message of messages) events.emit({ type: 'log', at, level: 'warn', message });
}
