/**
 * Rolling a failed or interrupted shift back: say so, run the rollback program (all traffic on
 * the stable version), close the record, then run the rollback hooks, which report and never
 * change the outcome. settle.ts and release-settle.ts both end this way.
 * The restore is settle-rollback-restore.ts's, the close settle-rollback-close.ts's.
 */

import type { DeployResult } from '../domain/events.js';
import type { OutcomeCause, RollbackHooksNote } from '../domain/outcome.js';
import { describePosition } from './deploy-result.js';
import { DEFAULT_HOOK_TIMEOUT_SECONDS } from './deploy-types.js';
import { emitEvent, logInfo, logWarn } from './emit.js';
import { describeHookFailures } from './hook-phase.js';
import { confirmAfterRollbackHooks } from './rollback-hooks-moved.js';
import {
  INTERRUPTED_ROLLBACK_HOOK_SECONDS,
  runHooksInOrder,
  runHooksSideBySide,
} from './rollback-hooks-run.js';
import { closeRollback } from './settle-rollback-close.js';
import { type RestoreEnd, readUnmovedAlias, tellRestoreEnd } from './settle-rollback-restore.js';
import type { ShiftContext } from './shift-context.js';
import { hookPayload } from './shift-hooks.js';

export { INTERRUPTED_ROLLBACK_HOOK_SECONDS };

/** `rollback.started`: where the deployment was and why it goes back. */
export function announceRollback(ctx: ShiftContext, cause: string | undefined): void {
  const where = describePosition(ctx.position);
  emitEvent(ctx.deps, {
    type: 'rollback.started',
    functionName: ctx.cursor.functionName,
    alias: ctx.cursor.alias,
    reason: cause === undefined ? `interrupted ${where}` : `${where}: ${cause}`,
    fromPercent: ctx.cursor.percent,
    toVersion: ctx.cursor.stableVersion,
    trafficMoved: ctx.trafficMoved,
    ...(inFlightAbove(ctx) ? { writeInFlight: ctx.abandonedWrite } : {}),
    // A resume that found the alias already back: what the record last held, not "carried no traffic".
    ...(ctx.backOnStable ? { alreadyThere: alreadyBack(ctx, ctx.backOnStable.recordedPercent) } : {}),
    ...(ctx.inRelease && ctx.recorder.goneDuringShift() ? { functionDeleted: true as const } : {}),
  });
}

function alreadyBack(
  ctx: ShiftContext,
  percent: number,
): { recorded?: { percent: number; version: string } } {
  return percent > 0 ? { recorded: { percent, version: ctx.cursor.targetVersion } } : {};
}

/** A weight write an interrupt abandoned in flight, further than the alias as last seen. */
function inFlightAbove(ctx: ShiftContext): boolean {
  return ctx.abandonedWrite !== undefined && ctx.abandonedWrite !== ctx.cursor.percent;
}

/**
 * No weight written: where the alias is is read before the rollback is announced, so that a move
 * by someone else (a hook) is said as such, not announced as "no traffic had moved; all of it
 * stays on version 10". A function of a release already found deleted is said so by the
 * announcement (restoreStable). Undefined when traffic moved (the rollback program reads).
 */
export async function readBeforeRollback(ctx: ShiftContext): Promise<RestoreEnd | undefined> {
  const gone = ctx.inRelease && ctx.recorder.goneDuringShift();
  return ctx.trafficMoved || gone ? undefined : readUnmovedAlias(ctx);
}

/**
 * A release's function whose restore is a read (it wrote none of its weights, and was not found
 * deleted or already back): its rollback is announced once that read has ended
 * (tellUnwrittenEnd), not before. Announced from the plan, "no traffic had moved; all of it stays
 * on version 1" was printed of an alias someone had put on version 2, the line after it saying so.
 */
export function announcedAfterRead(ctx: ShiftContext): boolean {
  if (ctx.trafficMoved || ctx.backOnStable) return false;
  return !(ctx.inRelease && ctx.recorder.goneDuringShift());
}

/**
 * The end of a release function's read-only restore (announcedAfterRead), told as a single
 * deploy tells it (settle.ts): found on its stable version, its rollback is announced — true now
 * — and its end told; found elsewhere or unread, no rollback began: a warning, as endUnwrittenMoved
 * says it. A deleted function is told at its close.
 */
export function tellUnwrittenEnd(ctx: ShiftContext, end: RestoreEnd, cause: string | undefined): void {
  if (end.kind === 'restored') {
    announceRollback(ctx, cause);
    tellRestoreEnd(ctx, end);
  } else if (end.kind !== 'gone') warnUnwrittenMoved(ctx, end);
}

function warnUnwrittenMoved(ctx: ShiftContext, seen: Exclude<RestoreEnd, { kind: 'restored' }>): void {
  if (seen.kind === 'conflict') logWarn(ctx.deps, seen.message, 'alias');
  if (seen.kind === 'unsafe')
    logWarn(
      ctx.deps,
      `lshift had written none of its weights, but reading alias ${ctx.req.alias} failed (${seen.message}): where it is now is unknown`,
      'alias',
    );
}

/**
 * Found moved (or unread, or deleted) before any weight was written: no rollback begins, said as
 * a warning rather than as a rollback that failed, and the record closed as for a rollback's end.
 */
export async function endUnwrittenMoved(
  ctx: ShiftContext,
  seen: Exclude<RestoreEnd, { kind: 'restored' }>,
  cause: string | undefined,
  why: OutcomeCause,
): Promise<DeployResult> {
  warnUnwrittenMoved(ctx, seen);
  return endRollback(ctx, seen, cause, why, { checked: false, told: seen.kind !== 'gone' });
}

/**
 * After the alias write: the record (rolled-back, or failed), the result, the rollback hooks.
 * `checked`: ownership was checked since our last alias write (the `rolling-back` write), so the
 * closing write needs no ownership read; so does one right after our own restore — a single
 * deploy's, one round trip later; a release's closing writes always read first.
 */
export async function endRollback(
  ctx: ShiftContext,
  outcome: RestoreEnd,
  cause: string | undefined,
  why: OutcomeCause,
  opts: { checked: boolean; told?: boolean },
): Promise<DeployResult> {
  const closed = await closeRollback(ctx, outcome, cause, why, opts);
  return closed.hooksDue ? runRollbackHooks(ctx, closed.result, cause) : closed.result;
}

/**
 * The rollback hooks tell people (a page, a chat message), so they run after a rollback that a
 * signal caused too: a cancelled CI job rolled production back and nobody was told (found by a
 * hostile pass: they were skipped without a word). The signal that caused it has already fired,
 * so it cannot stop them; they run side by side, each for at most
 * INTERRUPTED_ROLLBACK_HOOK_SECONDS; a signal during the hooks of a rollback a gate caused gives
 * them the same (rollback-hooks-run.ts). A second signal still exits at once (cli/second-signal.ts:
 * exit 3, the rollback had finished), stopping them.
 */
export async function runRollbackHooks(
  ctx: ShiftContext,
  result: DeployResult,
  cause: string | undefined,
  /** Says a signal during the hooks for this run (a release: once for its functions). */
  sayInterrupted?: () => void,
): Promise<DeployResult> {
  const afterInterrupt = cause === undefined;
  const specs = ctx.req.hooks?.rollback;
  if (!specs || specs.length === 0) return result;
  const defaultTimeoutSeconds = ctx.req.hookTimeoutSeconds ?? DEFAULT_HOOK_TIMEOUT_SECONDS;
  const payload = hookPayload(ctx, 'rollback');
  if (afterInterrupt)
    logInfo(
      ctx.deps,
      `running the rollback hooks after the interrupt, side by side, each for at most ${INTERRUPTED_ROLLBACK_HOOK_SECONDS} s (a second signal stops them)`,
    );
  const outcome = afterInterrupt
    ? await runHooksSideBySide(ctx.deps, specs, payload, defaultTimeoutSeconds)
    : await runHooksInOrder(ctx.deps, specs, payload, {
        defaultTimeoutSeconds,
        ...(ctx.req.signal ? { signal: ctx.req.signal } : {}),
        ...(sayInterrupted ? { sayInterrupted } : {}),
      });
  if (outcome.kind === 'ok') return confirmAfterRollbackHooks(ctx, result);
  const rollbackHooks: RollbackHooksNote =
    outcome.kind === 'failed'
      ? {
          kind: 'failed',
          hooks: outcome.failures.map((f) => f.hook),
          detail: describeHookFailures('rollback', outcome.failures),
          ...(outcome.failures[0]?.output ? { output: outcome.failures[0].output } : {}),
        }
      : { kind: 'interrupted', hook: outcome.hook };
  logWarn(
    ctx.deps,
    rollbackHooks.kind === 'failed'
      ? `${rollbackHooks.detail} (the outcome is unchanged)`
      : `rollback hook ${rollbackHooks.hook} was interrupted`,
    'hook',
  );
  return confirmAfterRollbackHooks(ctx, { ...result, rollbackHooks, endedAt: ctx.deps.clock.now() });
}
