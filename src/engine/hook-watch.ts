/**
 * Health watched while a step or post-traffic hook runs. A step hook runs with the alias split
 * and a post-traffic hook with all traffic on the new version, for as long as the hook takes (up
 * to its timeout: a `lambda:` hook may run 15 minutes). Unwatched, an alarm that fired meanwhile
 * went unseen until the next hold — or, after the post-traffic hooks, by nobody but a later
 * `lshift check`. CodeDeploy watches a deployment's alarms through its lifecycle hooks too
 * (https://docs.aws.amazon.com/codedeploy/latest/userguide/monitoring-create-alarms.html).
 *
 * Each run whose traffic moved is polled on its poll interval beside the hook: during a step
 * hook every gate, in the last step's window (the evidence goes on accumulating); during a
 * post-traffic hook the alarms only (the canary analysis judged the new version before 100%
 * and, with `--bake`, in the bake). A failure ends the running hook at once (as a takeover does)
 * and the deployment rolls back for it. No operator command is read meanwhile (docs/hooks.md).
 */
import type { HookPhase } from '../ports/hooks.js';
import { type HookPhaseOutcome, settledAtOnce } from './hook-phase.js';
import type { PhaseOutcome, ShiftContext } from './shift-context.js';
import { ALONGSIDE_LIMIT_SECONDS, alongsideWindow, toPhaseOutcome } from './watch-steps.js';

export interface WatchedHooks {
  hooks: HookPhaseOutcome;
  /** How the deployment's health failed while the hooks ran (they were ended for it). */
  health?: Extract<PhaseOutcome, { kind: 'failed' }>;
}

export async function runHooksWatched(
  runs: readonly ShiftContext[],
  phase: HookPhase,
  runHooks: (unhealthy: AbortSignal | undefined) => Promise<HookPhaseOutcome>,
): Promise<WatchedHooks> {
  const moved = runs.filter((run) => run.trafficMoved && run.cursor.percent > 0);
  if ((phase !== 'step' && phase !== 'post') || moved.length === 0)
    return { hooks: await runHooks(undefined) };
  const hooksDone = new AbortController();
  const unhealthy = new AbortController();
  const running = runHooks(unhealthy.signal).finally(() => hooksDone.abort());
  if (await settledAtOnce(() => hooksDone.signal.aborted)) return { hooks: await running };
  const until = AbortSignal.any([hooksDone.signal, unhealthy.signal]);
  let health: WatchedHooks['health'];
  const watches = moved.map(async (run) => {
    const watched = await run.monitor.watch(alongsideWindow(run), ALONGSIDE_LIMIT_SECONDS, undefined, {
      alongside: { until, alarmsOnly: phase === 'post', duringHook: phase },
    });
    // A Ctrl-C or a takeover ends the hook by its own signal and heartbeat (hook-phase.ts).
    if ((watched.kind !== 'unhealthy' && watched.kind !== 'gone') || health) return;
    const failed = toPhaseOutcome(watched) as Extract<PhaseOutcome, { kind: 'failed' }>;
    health = runs.length > 1 ? { ...failed, failedIn: targetOf(run) } : failed;
    unhealthy.abort(new Error(failed.cause));
  });
  let hooks: HookPhaseOutcome;
  try {
    hooks = await running;
  } finally {
    // A poll still under way when the hooks ended is judged too: a failure seen is a failure.
    hooksDone.abort();
    await Promise.all(watches);
  }
  return health ? { hooks, health } : { hooks };
}

function targetOf(run: ShiftContext): { functionName: string; alias: string } {
  return { functionName: run.cursor.functionName, alias: run.cursor.alias };
}
