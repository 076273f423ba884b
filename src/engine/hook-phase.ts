/**
 * Runs the hooks of one phase in order through the HookRunner port, emitting hook events.
 * Pre/step/post phases stop at the first failure; the rollback phase runs every hook (they
 * notify and clean up, and one failing must not silence the others). A forward phase whose
 * heartbeat finds the deployment taken over (`lshift rollback`, `--supersede`, a resume) — in a
 * release, any one of its functions, for a hook of the whole release and a function's own alike —
 * — or, in a release, finds one of its functions deleted (shift-waits.ts) — ends its running hook
 * at once through the hook's signal — a `cmd:` hook's process group is killed,
 * an `http:` request aborted; a `lambda:` invocation cannot be recalled, lshift only stops
 * waiting for it — and runs no further hook: the deployment is no longer this runner's.
 */

import { formatHookSpec } from '../domain/hook-spec.js';
import { printable } from '../domain/printable.js';
import type { Clock } from '../ports/clock.js';
import type { EventSink } from '../ports/event-sink.js';
import type { HookPayload, HookPhase, HookRunner, HookSpec } from '../ports/hooks.js';
import { describeError, emitEvent } from './emit.js';
import { keepBeating } from './keep-beating.js';

export interface HookFailure {
  hook: string;
  /** One line: the failure and the output's last line (the places one line fits). */
  reason: string;
  /** The output's last lines (at most HOOK_OUTPUT_LINES, masked by the runner), when it printed any. */
  output?: string[];
}

/** Lines of a failed hook's output kept in its failure (the runner keeps as many: hook-output.ts). */
export const HOOK_OUTPUT_LINES = 20;

export type HookPhaseOutcome =
  | { kind: 'ok' }
  | { kind: 'failed'; failures: HookFailure[] }
  | { kind: 'interrupted'; hook: string }
  /**
   * The wait was ended from outside while `hook` ran (`HookPhaseOptions.stopReason`): the
   * deployment was taken over, or in a release one of its functions was found deleted.
   */
  | { kind: 'stopped'; hook: string }
  /** The deployment's health failed while `hook` ran (`HookPhaseOptions.unhealthy`). */
  | { kind: 'unhealthy'; hook: string };

export interface HookPhaseOptions {
  defaultTimeoutSeconds: number;
  /** No hook runs longer, whatever its own timeout (rollback hooks after an interrupt). */
  maxTimeoutSeconds?: number;
  signal?: AbortSignal;
  /** Keep running the remaining hooks after a failure (the rollback phase). */
  continueOnFailure?: boolean;
  /**
   * Called every `heartbeatIntervalMs` of clock time while a hook runs, so a 10-minute hook does
   * not make the deployment look abandoned (its record's heartbeat would go stale).
   */
  heartbeat?: () => Promise<void>;
  heartbeatIntervalMs?: number;
  /**
   * Why the wait must end (the recorder's lostReason; in a release, the first of its functions'
   * that says, or a function found deleted: shift-waits.ts), asked after each heartbeat: once it
   * says, the running hook is ended through its signal.
   */
  stopReason?: () => HookStop | undefined;
  /**
   * Aborted when the deployment's health failed while the hook ran (wait-watch.ts): the running
   * hook is ended as on a takeover, with the signal's reason, and no further hook runs.
   */
  unhealthy?: AbortSignal;
}

/** Why a hook was ended from outside: `why` for its signal, `said` for its `hook.completed` reason. */
export interface HookStop {
  why: string;
  said: string;
}

/** The `hook.completed` reason of a hook ended because the deployment was taken over. */
export const TAKEN_OVER_REASON = 'ended: the deployment was taken over';

export const PHASE_LABEL: Record<HookPhase, string> = {
  pre: 'pre-traffic hook',
  step: 'step hook',
  post: 'post-traffic hook',
  rollback: 'rollback hook',
};

export async function runHookPhase(
  deps: { clock: Clock; events: EventSink; hooks?: HookRunner },
  specs: readonly HookSpec[] | undefined,
  payload: HookPayload,
  opts: HookPhaseOptions,
): Promise<HookPhaseOutcome> {
  const failures: HookFailure[] = [];
  for (const spec of specs ?? []) {
    const outcome = await runOneHook(deps, spec, payload, opts);
    if (outcome.kind !== 'ok' && outcome.kind !== 'failed') return outcome;
    if (outcome.kind === 'failed') {
      failures.push(...outcome.failures);
      if (!opts.continueOnFailure) break;
    }
  }
  return failures.length === 0 ? { kind: 'ok' } : { kind: 'failed', failures };
}

async function runOneHook(
  deps: { clock: Clock; events: EventSink; hooks?: HookRunner },
  spec: HookSpec,
  payload: HookPayload,
  opts: HookPhaseOptions,
): Promise<HookPhaseOutcome> {
  // Shown as the runner shows it: the deployed functions' environment values masked too.
  const hook = deps.hooks?.display?.(spec) ?? formatHookSpec(spec);
  const phase = payload.phase;
  const started = deps.clock.elapsedMs();
  emitEvent(deps, { type: 'hook.started', phase, hook });
  let ok = false;
  let reason: string | undefined;
  let durationMs: number | undefined;
  let output: string[] | undefined;
  // Ended by the heartbeat that finds the deployment taken over (or, in a release, a function
  // deleted), or by the deployment's own signal.
  const takenOver = new AbortController();
  const ends = [opts.signal, takenOver.signal, opts.unhealthy].filter((s) => s !== undefined);
  const signal = AbortSignal.any(ends);
  let stopped: HookStop | undefined;
  const noticeTakeover = (): void => {
    const stop = opts.stopReason?.();
    if (stop === undefined || takenOver.signal.aborted) return;
    stopped = stop;
    takenOver.abort(new Error(stop.why));
  };
  if (!deps.hooks) {
    reason = 'no hook runner is configured';
  } else {
    try {
      const runner = deps.hooks;
      const result = await runWithHeartbeat(
        deps.clock,
        async () =>
          runner.run(spec, payload, {
            timeoutMs:
              Math.min(
                spec.timeoutSeconds ?? opts.defaultTimeoutSeconds,
                opts.maxTimeoutSeconds ?? Infinity,
              ) * 1000,
            signal,
            // A hook's output and reason come from a script or another team's function, and are
            // printed: never with terminal escapes or a line break in them (domain/printable.ts).
            onOutput: (line) => emitEvent(deps, { type: 'hook.output', phase, hook, line: printable(line) }),
          }),
        { ...opts, afterBeat: noticeTakeover, signal },
      );
      ok = result.ok;
      durationMs = result.durationMs;
      reason = result.ok ? undefined : printable(describeHookFailure(result.reason, result.outputTail));
      output = result.ok ? undefined : outputLinesOf(result.outputTail);
    } catch (error) {
      reason = printable(describeError(error));
    }
  }
  if (takenOver.signal.aborted && !opts.signal?.aborted) {
    emitEvent(deps, {
      type: 'hook.completed',
      phase,
      hook,
      ok: false,
      reason: stopped?.said ?? TAKEN_OVER_REASON,
      durationMs: durationMs ?? deps.clock.elapsedMs() - started,
    });
    return { kind: 'stopped', hook };
  }
  if (opts.unhealthy?.aborted && !opts.signal?.aborted) {
    emitEvent(deps, {
      type: 'hook.completed',
      phase,
      hook,
      ok: false,
      reason: `ended: ${describeError(opts.unhealthy.reason)}`,
      durationMs: durationMs ?? deps.clock.elapsedMs() - started,
    });
    return { kind: 'unhealthy', hook };
  }
  if (opts.signal?.aborted) {
    emitEvent(deps, {
      type: 'hook.completed',
      phase,
      hook,
      ok: false,
      reason: 'interrupted',
      durationMs: durationMs ?? deps.clock.elapsedMs() - started,
    });
    return { kind: 'interrupted', hook };
  }
  emitEvent(deps, {
    type: 'hook.completed',
    phase,
    hook,
    ok,
    reason,
    durationMs: durationMs ?? deps.clock.elapsedMs() - started,
  });
  if (ok) return { kind: 'ok' };
  return { kind: 'failed', failures: [{ hook, reason: reason ?? 'failed', ...(output ? { output } : {}) }] };
}

/** The last lines of a hook's output, each printable; undefined when it printed nothing. */
function outputLinesOf(outputTail: string | undefined): string[] | undefined {
  const lines = (outputTail ?? '').replace(/\s+$/, '').split('\n');
  const last = lines.slice(-HOOK_OUTPUT_LINES).map((line) => printable(line));
  return last.some((line) => line.trim() !== '') ? last : undefined;
}

/**
 * Runs `run` while a clock-sleep loop calls `opts.heartbeat` every interval; the loop stops as
 * soon as the run settles or the deployment's signal aborts, and the run's outcome is returned
 * untouched (a failing heartbeat never fails a hook).
 */
async function runWithHeartbeat<T>(
  clock: Clock,
  run: () => Promise<T>,
  opts: HookPhaseOptions & { afterBeat: () => void },
): Promise<T> {
  const beat = opts.heartbeat;
  const intervalMs = opts.heartbeatIntervalMs ?? 0;
  if (!beat || !(intervalMs > 0)) return run();
  let settled = false;
  const running = run().finally(() => {
    settled = true;
  });
  const stop = new AbortController();
  const signal = opts.signal ? AbortSignal.any([stop.signal, opts.signal]) : stop.signal;
  const beatAndLook = async () => {
    await beat();
    opts.afterBeat();
  };
  const beating = keepBeating(clock, beatAndLook, intervalMs, signal, () => settled);
  try {
    return await running;
  } finally {
    stop.abort();
    await beating;
  }
}

function describeHookFailure(reason: string | undefined, outputTail: string | undefined): string {
  const base = reason ?? 'failed';
  const tail = outputTail?.trim().split('\n').at(-1)?.slice(0, 200);
  return tail && !base.includes(tail) ? `${base} (output: ${tail})` : base;
}

/** `pre-traffic hook cmd:./smoke.sh failed: exit code 1` (the first failure, plus a count). */
export function describeHookFailures(phase: HookPhase, failures: readonly HookFailure[]): string {
  const [first, ...rest] = failures;
  if (!first) return `${PHASE_LABEL[phase]} failed`;
  const more = rest.length > 0 ? ` (and ${rest.length} more)` : '';
  return `${PHASE_LABEL[phase]} ${first.hook} failed: ${first.reason}${more}`;
}
