/**
 * A single deploy that finds its alias moved — a 412 on a weight write (traffic-steps.ts), a
 * hold's read of the alias (health-monitor.ts aliasMoved), the promotion read-back
 * (promotion-settle.ts) — may have met an operator's `lshift rollback` (or a check) of this very
 * deployment before it saw that rollback's claim: the claim is written first, the alias 3 s later
 * (check-claim.ts), and the deploy reads its record only at its polls, which may have failed. Its
 * record, read once now, tells: holding a rollback of this deployment, the deploy ends as it does
 * when a poll sees the claim first (settle-result.ts, stopTakenOver): rolled back by them (exit 3)
 * once the alias is all on the stable version — followed when it cannot tell yet (the alias read
 * failed) — instead of a conflict (exit 5) that sends people looking for someone else's deployment.
 *
 * What it does not do: a record it cannot read changes nothing (exit 5, ALIAS_CHANGED, as before);
 * and a record that still shows this deployment as this runner wrote it, with the alias all on the
 * stable version, stays a conflict too. That is a rollback whose record writes failed, or
 * `aws lambda update-alias` / the console by hand: nothing lshift can read says which, and exit 3
 * would claim a rollback nobody recorded. The result's alias state says where traffic is, and the
 * record is closed `rolled-back (moved by hand)` (settle-conflict.ts, closeMovedByHand).
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import type { DeployResult } from '../domain/events.js';
import type { DeploymentRecorder } from './deployment-recorder.js';
import { readStoredRecord } from './rollback-finished-by.js';
import { promotedByRollbackTo } from './rollback-to-taker.js';
import { rolledBackByOther, stopTakenOver } from './settle-result.js';
import type { ShiftContext } from './shift-context.js';

/**
 * After a moved alias: the record, read once, holds a rollback of this deployment → the takeover
 * path; else rolled back by someone else as the record and `aliasState` show it (a check's record
 * closed under this runner's owner, a superseding deployment: rolledBackByOther), or undefined.
 */
export async function stopIfRolledBackUnder(
  ctx: ShiftContext,
  aliasState: DeployResult['aliasState'],
): Promise<DeployResult | undefined> {
  const stored = await readStoredRecord(ctx.deps.store, ctx.req);
  // A release's functions are followed by the release, once all are settled (release-takers.ts).
  if (!ctx.inRelease && stored && isRollbackOfThis(ctx.recorder, stored)) {
    // Judged as a poll judges it (its warning: "… taken over by …"), then stopped as a poll's stop.
    await ctx.recorder.noticeTakeover(stored);
    if (ctx.recorder.lostReason() !== undefined) return stopTakenOver(ctx);
  }
  // Promoted by a person's `lshift rollback --to` its own new version (rollback-to-taker.ts):
  // taken over by that rollback, not moved by someone else; nothing of this run closes it.
  if (stored && promotedByRollbackTo(ctx.recorder.current(), stored, aliasState)) {
    await ctx.recorder.noticeTakeover(stored);
    if (ctx.recorder.lostReason() !== undefined) return stopTakenOver(ctx);
  }
  return rolledBackByOther(ctx, aliasState, undefined, { stored });
}

/**
 * The record write that closes the deployment as moved by hand reads the record first; when that
 * read found a rollback of this deployment the one read above could not see (it failed, or the
 * rollback's record write landed just after it), the deploy ends as a poll that found it would.
 */
export async function stopIfLostToRollback(ctx: ShiftContext): Promise<DeployResult | undefined> {
  const taker = ctx.recorder.lostTo();
  if (ctx.inRelease || !taker || !isRollbackOfThis(ctx.recorder, taker)) return undefined;
  return stopTakenOver(ctx);
}

/**
 * This deployment's record as a rollback left it — claimed (`rolling-back`) or closed
 * (`rolled-back`) by another command, or closed under this runner's own owner by a `lshift
 * rollback` whose claim lost to a heartbeat — and not a record this runner wrote. Not `lshift
 * alias` back to the stable version (`moved by hand`): no rollback, and nothing of it removes a
 * `--warm` config, which a takeover leaves to the record's new owner (deploy.ts); rolledBackByOther
 * says it as before.
 */
function isRollbackOfThis(recorder: DeploymentRecorder, stored: DeploymentRecord): boolean {
  const ours = recorder.current();
  return (
    stored.id === ours.id &&
    stored.stableVersion === ours.stableVersion &&
    (stored.phase === 'rolling-back' || stored.phase === 'rolled-back') &&
    !stored.endReason?.includes('by hand') &&
    !recorder.isOurs(stored)
  );
}
