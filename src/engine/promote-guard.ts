/**
 * Safety net before a deployment is recorded `promoted`: the alias must route all traffic to the
 * new version alone. A `promoted` record over a split alias says the deployment is over when it
 * is not — nobody resumes it, `check` and `status` can only report it stalled (promoted-split.ts).
 * The engine knows where the alias is from its own last successful write's answer (native
 * weights) or its last read (the CodeDeploy driver reads the alias at each poll); when that does
 * not say "target alone", the alias is read once more before giving up.
 */
import type { AliasState } from './alias-step.js';
import { isOnStable, observeAlias } from './alias-step.js';
import { describeError } from './emit.js';
import type { ShiftContext } from './shift-context.js';

/** Where the alias is when it is not (or not known to be) on the target alone. */
export type NotOnTarget = { aliasState?: AliasState; error?: string };

/** undefined when the alias is known to route everything to the target version; else what was seen. */
export async function confirmOnTarget(ctx: ShiftContext): Promise<NotOnTarget | undefined> {
  const { cursor } = ctx;
  if (isOnStable(cursor.aliasState, cursor.targetVersion)) return undefined;
  try {
    const alias = await ctx.deps.lambda.getAlias(ctx.req.functionName, ctx.req.alias);
    if (!alias) return { error: `alias ${ctx.req.alias} no longer exists` };
    const state: AliasState = {
      functionVersion: alias.functionVersion,
      additionalWeights: { ...alias.additionalWeights },
    };
    if (!isOnStable(state, cursor.targetVersion)) return { aliasState: state };
    observeAlias(cursor, alias);
    return undefined;
  } catch (error) {
    // Unknown is never "on the target": the record is not promoted on a guess.
    return { aliasState: { ...cursor.aliasState }, error: describeError(error) };
  }
}
