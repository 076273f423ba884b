/**
 * How the rollback hooks run (settle-rollback.ts runRollbackHooks). They tell people that
 * production was rolled back (a page, a chat message), so a signal never cuts them to nothing:
 * after a rollback a signal caused they run side by side, each for at most
 * INTERRUPTED_ROLLBACK_HOOK_SECONDS; after one a gate caused they run one after the other, and a
 * signal that comes meanwhile (a terminal closed, a CI cancel) gives the running hook that long
 * from the signal and starts the ones not started yet side by side, with the same limit. Found by
 * a hostile pass: such a signal ended the running hook at once ("was interrupted" 0.3 s in) and
 * the hooks after it never ran. With a command's 2-second kill grace that still ends inside
 * GitHub's 7.5 s between a cancel's SIGINT and its SIGTERM; a second signal exits at once
 * (cli/interrupts.ts), stopping them.
 */
import type { HookPayload, HookSpec } from '../ports/hooks.js';
import { logInfo } from './emit.js';
import { type HookPhaseOutcome, runHookPhase } from './hook-phase.js';

/** How long each rollback hook may run after a signal (real seconds, also against a fast sandbox). */
export const INTERRUPTED_ROLLBACK_HOOK_SECONDS = 4;

type HookDeps = Parameters<typeof runHookPhase>[0];

/** Every hook at once, each for at most INTERRUPTED_ROLLBACK_HOOK_SECONDS; a signal has come already. */
export async function runHooksSideBySide(
  deps: HookDeps,
  specs: readonly HookSpec[],
  payload: HookPayload,
  defaultTimeoutSeconds: number,
): Promise<HookPhaseOutcome> {
  // Their order is not theirs to rely on: each tells someone, none acts.
  const ends = await Promise.all(
    specs.map((spec) =>
      runHookPhase(deps, [spec], payload, {
        defaultTimeoutSeconds,
        maxTimeoutSeconds: INTERRUPTED_ROLLBACK_HOOK_SECONDS,
      }),
    ),
  );
  return combineEnds(ends);
}

/** What a signal during the rollback hooks gives them, after `interrupted during the rollback hooks`. */
export const INTERRUPTED_HOOKS_GRACE = `each runs for at most ${INTERRUPTED_ROLLBACK_HOOK_SECONDS} s more, the ones not started yet side by side (a second signal stops them)`;

/**
 * One after the other, every one run whatever the others did; a signal meanwhile: see the top.
 * `sayInterrupted` says that signal instead of this run (a release says it once for all its
 * functions: release-hooks-notice.ts).
 */
export async function runHooksInOrder(
  deps: HookDeps,
  specs: readonly HookSpec[],
  payload: HookPayload,
  opts: { defaultTimeoutSeconds: number; signal?: AbortSignal; sayInterrupted?: () => void },
): Promise<HookPhaseOutcome> {
  const { defaultTimeoutSeconds, signal } = opts;
  if (!signal) return runHookPhase(deps, specs, payload, { defaultTimeoutSeconds, continueOnFailure: true });
  // Ends the running hook INTERRUPTED_ROLLBACK_HOOK_SECONDS after the signal; `settled` ends that
  // wait once every hook has ended, so nothing is left ticking.
  const grace = new AbortController();
  const settled = new AbortController();
  const late: Promise<HookPhaseOutcome>[] = [];
  let next = 0;
  const onSignal = (): void => {
    const left = specs.slice(next);
    next = specs.length;
    if (opts.sayInterrupted) opts.sayInterrupted();
    else logInfo(deps, `interrupted during the rollback hooks: ${INTERRUPTED_HOOKS_GRACE}`);
    if (left.length > 0) late.push(runHooksSideBySide(deps, left, payload, defaultTimeoutSeconds));
    // Real seconds: a hook is a real process or request at any sandbox speed.
    const ms = INTERRUPTED_ROLLBACK_HOOK_SECONDS * 1000 * (deps.clock.speed ?? 1);
    deps.clock.sleep(ms, settled.signal).then(
      () => grace.abort(signal.reason),
      () => {},
    );
  };
  const ends: HookPhaseOutcome[] = [];
  try {
    if (signal.aborted) onSignal();
    else signal.addEventListener('abort', onSignal, { once: true });
    while (next < specs.length) {
      const spec = specs[next++] as HookSpec;
      ends.push(await runHookPhase(deps, [spec], payload, { defaultTimeoutSeconds, signal: grace.signal }));
    }
    ends.push(...(await Promise.all(late)));
  } finally {
    signal.removeEventListener('abort', onSignal);
    settled.abort();
  }
  return combineEnds(ends);
}

/** Failures first (each is said), else the first hook that did not end ok. */
function combineEnds(ends: readonly HookPhaseOutcome[]): HookPhaseOutcome {
  const failures = ends.flatMap((e) => (e.kind === 'failed' ? e.failures : []));
  if (failures.length > 0) return { kind: 'failed', failures };
  return ends.find((e) => e.kind !== 'ok') ?? { kind: 'ok' };
}
