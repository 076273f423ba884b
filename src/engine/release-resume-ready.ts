/**
 * A release resumed with functions already wholly on their new version: the release's runner
 * may have died in one function's wait for provisioned concurrency READY after its write to
 * 100%, and the resume writes no weight to such a function again (it starts at the bake, the
 * post hooks or the end), so the wait that follows every weight write never comes. Each such
 * function waits here — the single deployment's own wait (resume.ts, `awaitReadyAtTarget`) — before
 * the release bakes, runs its post hooks or is declared promoted. A function whose weight the
 * resumed program writes again gets that write's wait instead, not this one as well.
 */
import type { ReleaseProgram, ReleaseTarget } from '../domain/release-program.js';
import { mapBounded } from './bounded.js';
import { awaitReadyAtTarget, type PreparedResume } from './resume.js';
import type { PhaseOutcome } from './shift-context.js';

/**
 * Waits (in parallel, bounded) for READY of every function on its target with no weight written
 * ahead of `from`. Undefined: go on; a conflict: a function's record (any of the release's: each
 * wait beats and watches them all) was taken over during the wait, and names that function.
 */
export async function awaitReadyOfPromoted(
  prepared: readonly PreparedResume[],
  program: ReleaseProgram,
  from: number,
  concurrency: number,
): Promise<PhaseOutcome | undefined> {
  const waiting = prepared.filter(
    (p) => p.decision.position.kind === 'target' && !writesAhead(program, from, p.ctx.cursor),
  );
  const waited = await mapBounded(
    concurrency,
    waiting,
    (p) => awaitReadyAtTarget(p.ctx, p.decision),
    (outcome) => outcome !== undefined,
  );
  return waited.find((outcome) => outcome !== undefined);
}

/** Whether the program from `from` writes a weight (or the promote) to `target` again. */
function writesAhead(program: ReleaseProgram, from: number, target: ReleaseTarget): boolean {
  return program.steps
    .slice(from)
    .some(
      (s) =>
        (s.kind === 'setWeight' || s.kind === 'promote') &&
        s.target.functionName === target.functionName &&
        s.target.alias === target.alias,
    );
}
