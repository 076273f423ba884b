/**
 * The functions a resumed release finds already promoted (their `promoted` landed before the
 * crash: release-resume-done.ts) are the resume's as much as the others. A fresh release reads
 * every function back once all are recorded promoted (release-promotion-settle.ts); a resume
 * read back only the functions it promoted itself, and reported the others promoted as they
 * were — while a rollback's claim written over one of them (by the dead runner's `promoted`,
 * claimed again a moment later: check-claim.ts), or one landing during the resume, put that
 * function back: the release said promoted (exit 0) beside it. Now each is taken over like the
 * others (this runner's owner and heartbeat, still `promoted`) and settles with them: its
 * promotion stands as it was and is read back with the others; if the release stops there — a
 * claim found (followed: exit 3), an alias moved (exit 5) — or fails before it, it rolls back
 * with them, as a function of a fresh release already at 100% does.
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import type { DeployResult } from '../domain/events.js';
import type { AliasInfo } from '../ports/lambda.js';
import { logInfo } from './emit.js';
import { memberDeps, type ReleaseDeps } from './release.js';
import { buildRequest, type ResumeRequest } from './resume-prepare.js';
import { createShiftContext, type ShiftContext } from './shift-context.js';

/** A function promoted before the crash, as release-resume-done.ts found it. */
export interface PromotedBefore {
  result: DeployResult;
  record: DeploymentRecord;
  alias: AliasInfo;
}

/** Its context, taken over: `result` is what it ends with unless the release stops or fails. */
export interface TakenPromoted {
  ctx: ShiftContext;
  result: DeployResult;
}

/**
 * Takes each one over (a failed write throws, as a resumed function's takeover does: nothing
 * has moved yet). One takeover read-then-writes like any record write; a rollback's claim
 * landing in between is claimed again by its claimer and found by the read-back.
 */
export async function takeOverPromoted(
  deps: ReleaseDeps,
  members: readonly ResumeRequest[],
  done: ReadonlyMap<number, PromotedBefore>,
  watchSignals: readonly (AbortSignal | undefined)[],
): Promise<TakenPromoted[]> {
  const taken: TakenPromoted[] = [];
  for (const [i, d] of done) {
    const req = members[i]!;
    const full = buildRequest(req, d.record);
    const last = full.plan.steps.length - 1;
    const ctx = createShiftContext(memberDeps(deps, req), full, {
      record: { ...d.record, owner: req.owner },
      alias: d.alias,
      percent: 100,
      startedAt: d.record.startedAt,
      trafficMoved: true,
      position: { kind: 'after-step', index: last, percent: 100 },
      watchSignal: watchSignals[i],
    });
    await ctx.recorder.claim({});
    logInfo(
      ctx.deps,
      `deployment ${d.record.id} of ${req.functionName} alias ${req.alias} was promoted before the crash: it is read back with the others, and rolled back with them if the release is`,
    );
    taken.push({ ctx, result: d.result });
  }
  return taken;
}
