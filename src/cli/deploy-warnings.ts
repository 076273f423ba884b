/**
 * What a single-function deploy says before its first write: nothing watches health, holds the
 * polls miss (src/domain/poll-interval.ts), what the analysis cannot do with this plan
 * (src/domain/analysis/plan-check.ts). `deploy` and `deploy --dry-run` say the same.
 */
import { hasAnalysisGates } from '../domain/analysis/config.js';
import { checkAnalysisPlan } from '../domain/analysis/plan-check.js';
import { type LongestRun, longestRun } from '../domain/credential-lifetime.js';
import type { WarningTopic } from '../domain/events.js';
import type { HookSpec } from '../domain/hook-spec.js';
import { describeSparsePolls } from '../domain/poll-interval.js';
import { formatTarget, planReleaseOf, type ReleaseTarget } from '../domain/release-program.js';
import { readRecentRequestRate } from '../engine/recent-traffic.js';
import type { Clock } from '../ports/clock.js';
import type { EventSink } from '../ports/event-sink.js';
import type { MetricsPort } from '../ports/metrics.js';
import type { DeployOptions } from './deploy-options.js';
import { describeDetachedWatch, type GroupAlarms } from './detach-warning.js';

type Options = Pick<DeployOptions, 'alias' | 'plan' | 'bakeSeconds' | 'pollIntervalSeconds' | 'analysis'> & {
  engine?: DeployOptions['engine'];
};

type RunOptions = Pick<DeployOptions, 'alias' | 'plan' | 'bakeSeconds' | 'hooks' | 'hookTimeoutSeconds'>;

/**
 * How long a deployment (one function, or a release of several) can run, for the credentials
 * check: measured on the program it runs (src/domain/release-program.ts), each hook for its own
 * timeout or its function's --hook-timeout. `release.hooks` are a release's own hooks.
 */
export function longestRunOf(
  members: readonly { functionName: string; options: RunOptions }[],
  release: { hooks?: Pick<DeployOptions['hooks'], 'pre' | 'step' | 'post'>; stagger?: boolean } = {},
): LongestRun {
  const lead = members[0]!.options;
  const targets = members.map((m) => ({ functionName: m.functionName, alias: m.options.alias }));
  const byTarget = new Map(members.map((m, i) => [formatTarget(targets[i]!), m.options]));
  const { pre, step, post } = lead.hooks;
  const program = planReleaseOf(
    lead.plan,
    {
      // A single function's hooks are the run's own, as the deploy plans them.
      hooks: members.length === 1 ? { pre, step, post } : release.hooks,
      targetHooks: members.length === 1 ? {} : ownHooks(byTarget),
      bakeSeconds: lead.bakeSeconds,
      stagger: release.stagger,
    },
    targets,
  );
  const releaseTimeout = Math.max(...members.map((m) => m.options.hookTimeoutSeconds));
  const timeout = (spec: HookSpec, target?: ReleaseTarget) =>
    spec.timeoutSeconds ?? (target ? byTarget.get(formatTarget(target))!.hookTimeoutSeconds : releaseTimeout);
  const rollback = members.flatMap((m) =>
    m.options.hooks.rollback.map((spec) => spec.timeoutSeconds ?? m.options.hookTimeoutSeconds),
  );
  return longestRun(program, timeout, rollback);
}

function ownHooks(byTarget: ReadonlyMap<string, RunOptions>) {
  return Object.fromEntries(
    [...byTarget].map(([target, o]) => [
      target,
      { pre: o.hooks.pre, step: o.hooks.step, post: o.hooks.post },
    ]),
  );
}

type WatchOptions = Pick<DeployOptions, 'analysis' | 'plan' | 'bakeSeconds' | 'hooks' | 'engine'>;

/**
 * Said on every start, --resume too: a deploy that nothing watches promotes on schedule; one
 * whose alarms nothing reads after the traffic moved promotes at its write. `around`: the hooks of
 * the release it is a function of, whose waits are watched too.
 */
export function describeUnwatched(
  alarms: readonly string[],
  options: WatchOptions,
  around?: Pick<DeployOptions['hooks'], 'step' | 'post'>,
) {
  if (alarms.length > 0) return describeAlarmsUnreadAfterWrite(options, around);
  if (!hasAnalysisGates(options.analysis))
    return 'no --alarm and no analysis gate: nothing watches health, so the shift promotes on schedule (pass --alarm, or drop --no-analysis)';
  if (!analysisCanJudge(options)) {
    // "judged by the canary analysis alone" beside "the analysis never judges the new version"
    // (plan-check.ts) told two stories of one plan (found by a hostile pass, session 61).
    const fix = options.engine?.kind === 'codedeploy' ? 'pass --alarm' : 'pass --alarm and add --bake 10m';
    return `no --alarm given, and the canary analysis never judges ${options.plan.strategy.name} without --bake: nothing watches health, so the deploy promotes at its write (${fix})`;
  }
  return 'no --alarm given: health is judged by the canary analysis of the new version alone (pass --alarm to also watch CloudWatch alarms)';
}

/** A hold below 100%, or a bake: something the analysis can compare the versions in. */
function analysisCanJudge(options: WatchOptions): boolean {
  return options.bakeSeconds > 0 || options.plan.steps.some((s) => s.percent < 100 && s.holdSeconds > 0);
}

/**
 * What watches health, said before the shift. Under CodeDeploy (`codeDeploy`, its deployment
 * group as read): detached, the group's alarms alone (detach-warning.ts); followed with no
 * --alarm, the group's enabled alarms watch it too — CodeDeploy stops the deployment on them — so
 * "judged by the canary analysis alone" or "nothing watches health" would be false (found by a
 * hostile pass): nothing to warn of then.
 * https://docs.aws.amazon.com/codedeploy/latest/userguide/deployment-groups-configure-advanced-options.html
 */
export function describeWatch(
  functionName: string,
  alarms: readonly string[],
  options: WatchOptions,
  codeDeploy?: { group: GroupAlarms; detach: boolean },
): string | undefined {
  if (codeDeploy?.detach)
    return describeDetachedWatch(functionName, alarms, codeDeploy.group, hasAnalysisGates(options.analysis));
  const group = codeDeploy?.group;
  if (group && alarms.length === 0 && group.enabled && group.alarms.length > 0) return undefined;
  return describeUnwatched(alarms, options);
}

/**
 * All at once with no --bake, no step or post-traffic hook: nothing holds after the one weight
 * write, so the alarms are read before it and never after, and the deploy promotes at the write —
 * while it said "100% held, healthy" (found by a hostile pass). A hook's wait is watched
 * (docs/hooks.md#health-while-a-hook-runs). Not under CodeDeploy: its deployment reads them.
 */
function describeAlarmsUnreadAfterWrite(
  options: WatchOptions,
  around?: Pick<DeployOptions['hooks'], 'step' | 'post'>,
): string | undefined {
  if (options.engine?.kind === 'codedeploy' || options.bakeSeconds > 0) return undefined;
  if (options.plan.steps.some((s) => s.percent < 100 && s.holdSeconds > 0)) return undefined;
  const hooks = [options.hooks, ...(around ? [around] : [])];
  if (hooks.some((h) => h.step.length > 0 || h.post.length > 0)) return undefined;
  // Not named: a release's functions share it then (`{function}-errors` names one alarm each).
  return `${options.plan.strategy.name} with no --bake: the alarms (--alarm) are read before the traffic moves and never after it (nothing holds at 100%), so the deploy promotes at its write; add --bake 10m to watch the new version at 100%`;
}

/** A warning and what it is about (the `log` event's `about`: the GitHub annotation's title). */
export interface SaidWarning {
  message: string;
  about: WarningTopic;
}

/**
 * Said before a new deployment's first write, and kept in its result; reads the recent traffic.
 * Holds no poll sees are about health watching; the rest about the canary analysis.
 */
export async function describePlanWarnings(
  deps: { metrics: MetricsPort; clock: Clock },
  functionName: string,
  options: Options,
  handedOver = false,
): Promise<SaidWarning[]> {
  // `--detach`: lshift polls nothing, judges no step and waits no settle after the hand-over
  // (its own warning says the analysis does not run; found by a hostile pass: "the last step's
  // is awaited for up to 6m before 100%").
  if (handedOver) return [];
  const requestsPerMinute = hasAnalysisGates(options.analysis)
    ? await readRecentRequestRate(deps.metrics, functionName, options.alias, deps.clock.now())
    : undefined;
  const sparse = describeSparsePolls(options.plan, options.bakeSeconds, options.pollIntervalSeconds);
  const analysis = checkAnalysisPlan({
    plan: options.plan,
    bakeSeconds: options.bakeSeconds,
    analysis: options.analysis,
    requestsPerMinute,
    bakeRefused: options.engine?.kind === 'codedeploy',
    settleAfterPromote: options.engine?.kind === 'codedeploy',
  });
  return [
    ...(sparse ? [{ message: sparse, about: 'health' as const }] : []),
    ...analysis.map((message) => ({ message, about: 'analysis' as const })),
  ];
}

export function emitWarnings(events: EventSink, at: number, warnings: readonly SaidWarning[]): void {
  for (const { message, about } of warnings) events.emit({ type: 'log', at, level: 'warn', message, about });
}

/** The messages alone, as the result's `warnings` keeps them. */
export function messagesOf(warnings: readonly SaidWarning[]): string[] {
  return warnings.map((w) => w.message);
}
