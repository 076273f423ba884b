/**
 * A promotion is a claim on the deployment record like a rollback's (check-claim.ts): written,
 * left to settle, read back. Tags have no conditional write, so the `promoted` write (and the
 * 100% step record just before it) read the store first and then wrote: a `lshift rollback`
 * claim that landed in between was written over unseen, the deploy said "promoted" (exit 0), and
 * the rollback, claimed before that, put all traffic back on the stable version (found by a
 * hostile pass). The rollback looks at its claim while it settles and, written over by this
 * runner, claims again at once (check-claim.ts, CLAIM_LOOK_MS); so the deploy reads its record
 * back PROMOTION_SETTLE_MS after its write, and only then says promoted. A claim that lands
 * later came after the promotion was final: a rollback of a promoted deployment, as if run a
 * moment later.
 *
 * The alias is read back too: whatever put traffic elsewhere since the 100% write (a rollback
 * whose record write failed, a move by hand), the deploy does not say promoted over it.
 */
import { formatDuration } from '../domain/duration.js';
import { causeOf, type OutcomeCause } from '../domain/outcome.js';
import { isOnStable } from './alias-step.js';
import { PROMOTION_SETTLE_MS } from './check-claim.js';
import { describeAliasState } from './deploy-result.js';
import type { ShiftContext } from './shift-context.js';

/** How long after its last record write the runner reads back (check-claim.ts says why). */
export { PROMOTION_SETTLE_MS };

/** What the read-back found: nothing (promoted stands), a takeover, or the alias moved. */
export type PromotionUnsettled = { kind: 'taken-over' } | { kind: 'moved'; cause: string; why: OutcomeCause };

/**
 * What one function's read-back found: its promotion stands (`later`: a later deployment's
 * record is there, so the alias is that deployment's to move), or it does not.
 */
export type PromotionReadBack = { kind: 'stands' } | { kind: 'later' } | PromotionUnsettled;

export async function settlePromotion(ctx: ShiftContext): Promise<PromotionUnsettled | undefined> {
  // A release reads all its functions back after one wait (release-promotion-settle.ts): one
  // wait per function would add five seconds each, and what it finds ends every function.
  if (ctx.inRelease) return undefined;
  // Ctrl-C during the settle: `promoted` is written, nothing is rolled back; the reads go ahead.
  await ctx.deps.clock.sleep(PROMOTION_SETTLE_MS, ctx.req.signal).catch(() => undefined);
  const back = await readPromotionBack(ctx);
  return back.kind === 'stands' || back.kind === 'later' ? undefined : back;
}

/** The record, then the alias, of a deployment recorded promoted at least PROMOTION_SETTLE_MS ago. */
export async function readPromotionBack(ctx: ShiftContext): Promise<PromotionReadBack> {
  const stored = await ctx.recorder.findTakeover();
  // Only this deployment's record taken from it counts: a new deployment's record, started after
  // ours ended promoted, is a later deployment, and the alias is its to move — ours stands
  // promoted (found by a hostile pass: a deploy started within the 5 s made this one exit 5,
  // "someone else moved it", for the version the new one builds on).
  if (stored && stored.id !== ctx.recorder.current().id) return { kind: 'later' };
  if (stored) await ctx.recorder.noticeTakeover(stored);
  if (ctx.recorder.lostReason() !== undefined) return { kind: 'taken-over' };
  return (await movedSincePromotion(ctx)) ?? { kind: 'stands' };
}

/** The alias no longer routes everything to the target (unreadable: promoted stands, as last written). */
async function movedSincePromotion(ctx: ShiftContext): Promise<PromotionUnsettled | undefined> {
  const { cursor, req } = ctx;
  const alias = await ctx.deps.lambda.getAlias(req.functionName, req.alias).catch(() => null);
  if (alias === null) return undefined;
  if (alias && isOnStable(alias, cursor.targetVersion)) return undefined;
  const now = alias ? describeAliasState(alias) : 'deleted';
  // Under AWS CodeDeploy lshift wrote no weight: CodeDeploy's Succeeded put it there (session 65).
  const putBy = ctx.traffic.ownSchedule
    ? `as AWS CodeDeploy left it${cursor.deploymentRef ? ` (deployment ${cursor.deploymentRef} Succeeded)` : ''}`
    : 'as lshift wrote it';
  const found = `found alias ${req.alias} ${alias ? `routing ${now}` : 'deleted'}, not all traffic on version ${cursor.targetVersion} ${putBy}`;
  const between = describeAfterFullTraffic(req);
  const cause = between
    ? `a read after ${between.after}, once lshift had recorded the deployment promoted, ${found} before ${between.before}`
    : `a read right after the promotion ${found}`;
  return { kind: 'moved', cause, why: causeOf('ALIAS_CHANGED', {}) };
}

/**
 * What ran between the 100% write and the promotion's read-back: "a read right after the
 * promotion" was said of a read after a ten-minute bake (h4's list, session 68), as if the alias
 * had been moved in the 5 s after the 100% write.
 */
function describeAfterFullTraffic(req: ShiftContext['req']): { after: string; before: string } | undefined {
  const bake = req.bakeSeconds ? formatDuration(req.bakeSeconds) : undefined;
  const hooks = (req.hooks?.post?.length ?? 0) + (req.releaseHooks?.post?.length ?? 0) > 0;
  if (bake && hooks)
    return { after: `its ${bake} bake at 100% and its post-traffic hooks`, before: 'the bake and the hooks' };
  if (bake) return { after: `its ${bake} bake at 100%`, before: 'the bake' };
  if (hooks) return { after: 'its post-traffic hooks', before: 'them' };
  return undefined;
}
