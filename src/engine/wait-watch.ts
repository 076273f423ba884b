/**
 * Health watched beside a wait that moves no traffic and has no hold of its own: a step hook
 * (the alias split), a post-traffic hook (all traffic on the new version), a wait for provisioned
 * concurrency after a weight write (the alias split at the new weight). Each lasts minutes — a
 * `lambda:` hook up to 15, the provisioned-concurrency wait up to 5 — and, unwatched, an alarm
 * that fired meanwhile went unseen until the next hold, or after the post-traffic hooks by nobody
 * but a later `lshift check`. CodeDeploy watches a deployment's alarms through its lifecycle hooks
 * too (https://docs.aws.amazon.com/codedeploy/latest/userguide/monitoring-create-alarms.html).
 *
 * Each run whose traffic moved is polled on its poll interval beside the wait: at a split weight
 * every gate, in the last step's window (the evidence goes on accumulating); at 100% the alarms
 * only (the canary analysis judged the new version before 100% and, with `--bake`, in the bake).
 * A failure ends the wait at once (a hook as a takeover ends it) and the deployment rolls back for
 * it. The wait itself reads an operator's abort (a hook's beats, the provisioned-concurrency
 * wait's: shift-waits.ts); this watch reads no command (docs/hooks.md). A wait that ended as it
 * should (the hook returned, the allocation is READY) closes with one more poll that reads every
 * alarm history still waiting (HealthMonitor.closeWait), as the end of a step's hold does: an
 * alarm that went to ALARM and back after the last poll beside it would otherwise go unread — the
 * next weight written, or the deployment promoted, on it.
 */
import type { WaitBeside } from '../domain/events.js';
import type { WatchOutcome } from './health-monitor-types.js';
import { settledAtOnce } from './keep-beating.js';
import type { PhaseOutcome, ShiftContext } from './shift-context.js';
import { ALONGSIDE_LIMIT_SECONDS, alongsideWindow, toPhaseOutcome } from './watch-steps.js';

export interface Watched<T> {
  result: T;
  /** How the deployment's health failed during the wait (which was ended for it). */
  health?: Extract<PhaseOutcome, { kind: 'failed' }>;
}

/** What the waiting work is handed: a signal that aborts on a health failure, and the start of the watch. */
export interface WaitWatch {
  unhealthy: AbortSignal;
  /**
   * Starts the polls now (once), for work that knows when it begins to wait (a first answer
   * saying "not READY yet"); otherwise they start when the work did not settle at once.
   */
  waiting: () => void;
}

export async function runWatched<T>(
  runs: readonly ShiftContext[],
  during: WaitBeside,
  work: (watch: WaitWatch | undefined) => Promise<T>,
  opts: {
    startsWhenWaiting?: boolean;
    /**
     * Whether the wait ended as it should, to be closed by a poll (not when interrupted, taken
     * over or aborted, nor after a failed hook: the deployment rolls back or stops for that).
     */
    closes: (result: T) => boolean;
  },
): Promise<Watched<T>> {
  const moved = runs.filter((run) => run.trafficMoved && run.cursor.percent > 0);
  if (moved.length === 0) return { result: await work(undefined) };
  const workDone = new AbortController();
  const unhealthy = new AbortController();
  const until = AbortSignal.any([workDone.signal, unhealthy.signal]);
  let health: Watched<T>['health'];
  let watches: Promise<void>[] | undefined;
  const startWatching = (): void => {
    if (watches || workDone.signal.aborted) return;
    watches = moved.map(async (run) => {
      const watched = await run.monitor.watch(alongsideWindow(run), ALONGSIDE_LIMIT_SECONDS, undefined, {
        alongside: { until, alarmsOnly: run.cursor.percent >= 100, during },
      });
      failedIn(run, watched);
    });
  };
  // A Ctrl-C or a takeover ends the wait by its own signal and heartbeat.
  const failedIn = (run: ShiftContext, watched: WatchOutcome): void => {
    const fails = watched.kind === 'unhealthy' || watched.kind === 'gone' || watched.kind === 'unrecorded';
    if (!fails || health) return;
    const failed = toPhaseOutcome(watched) as Extract<PhaseOutcome, { kind: 'failed' }>;
    health = runs.length > 1 ? { ...failed, failedIn: targetOf(run) } : failed;
    unhealthy.abort(new Error(failed.cause));
  };
  const running = work({ unhealthy: unhealthy.signal, waiting: startWatching }).finally(() =>
    workDone.abort(),
  );
  // Work that settles within a few microtasks (a hook that returns at once) gets no poll.
  if (!opts.startsWhenWaiting && !(await settledAtOnce(() => workDone.signal.aborted))) startWatching();
  let result: T;
  try {
    result = await running;
  } finally {
    // A poll still under way when the wait ended is judged too: a failure seen is a failure.
    workDone.abort();
    await Promise.all(watches ?? []);
  }
  // Only a wait that was watched: one that settled at once (a hook that returned) left nothing.
  if (watches && !health && opts.closes(result)) {
    await Promise.all(
      moved.map(async (run) => {
        const alarmsOnly = run.cursor.percent >= 100;
        failedIn(run, await run.monitor.closeWait(alongsideWindow(run), { alarmsOnly, during }));
      }),
    );
  }
  return health ? { result, health } : { result };
}

function targetOf(run: ShiftContext): { functionName: string; alias: string } {
  return { functionName: run.cursor.functionName, alias: run.cursor.alias };
}
