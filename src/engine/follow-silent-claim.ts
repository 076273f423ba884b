/**
 * A runner following the rollback that claimed its deployment (taker-follow.ts followRollbackOf)
 * for its bound (3 minutes) judged the claim at the end: stopped when its heartbeat had not moved
 * during the whole follow, or stale by `lshift check`'s rule (2 minutes and the skew margin) —
 * else left to its owner, exit 5 "taken over". A claim that beat for a while and then fell silent
 * (its `lshift rollback` gave up on reads that kept failing and kept its claim: claim-read-retry.ts;
 * or was killed after a beat) was neither at that moment: the runner said "taken over" (exit 5)
 * over an alias still split, with nobody driving it (h4, session 70). Past the bound, a claim
 * silent for two beats is followed on until `lshift check` would take it for abandoned — at most
 * the stale limit and the skew margin more — and then judged stopped (exit 4, with the fix).
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import { formatDuration } from '../domain/duration.js';
import { isSamePidSpace, parseProcessOwner } from '../domain/owner-mark.js';
import { DEFAULT_STALE_AFTER_SECONDS } from '../domain/poll-interval.js';
import type { Clock } from '../ports/clock.js';
import { CHECK_CLAIM_SKEW_MS, isRollbackAbandoned } from './check-classify.js';
import { HEARTBEAT_INTERVAL_MS } from './deploy-types.js';
import { isRollbackOwner } from './owner-kinds.js';
import type { ShiftContext } from './shift-context.js';

const STALE_MS = DEFAULT_STALE_AFTER_SECONDS * 1000;
/** Two beats missed: a claim still rolling back beats every HEARTBEAT_INTERVAL_MS (check-claim.ts). */
const SILENT_MS = 2 * HEARTBEAT_INTERVAL_MS;

/** When, on this runner's clock, the claim's heartbeat was last seen to move. */
export class ClaimSilence {
  private beat?: number;
  private movedAt = 0;
  /** It beat during the follow: one that never did is judged stopped at the bound, as before. */
  private moved = false;

  constructor(private readonly clock: Clock) {}

  seen(claim: DeploymentRecord): void {
    if (claim.heartbeatAt === this.beat) return;
    this.moved = this.beat !== undefined;
    this.beat = claim.heartbeatAt;
    this.movedAt = this.clock.elapsedMs();
  }

  /**
   * Whether the follow goes on: inside its bound; past it, while the claim is silent but not yet
   * abandoned by the check's rule, for at most that rule's own time more.
   */
  followOn(elapsedSinceStart: number, boundMs: number, claim: DeploymentRecord | undefined): boolean {
    if (elapsedSinceStart < boundMs) return true;
    if (!claim || !this.moved || elapsedSinceStart >= boundMs + STALE_MS + CHECK_CLAIM_SKEW_MS) return false;
    const silent = this.clock.elapsedMs() - this.movedAt >= SILENT_MS;
    return silent && !isRollbackAbandoned(claim, this.clock.now(), STALE_MS);
  }
}

/**
 * The claimer is a person's `lshift rollback` of this machine (same user@host and machine token as
 * this runner: isSamePidSpace) whose process no longer runs — killed right after its claim.
 * `lshift check` and `lshift status` call such a claim abandoned at once (owner-kinds.ts
 * deadPidHere); the runner followed it for its whole 3-minute bound, the alias split and its
 * alarms unwatched (h1, session 70). A pid that runs (maybe reused) only makes it follow on.
 */
export function isClaimerGoneHere(claim: DeploymentRecord | undefined, ctx: ShiftContext): boolean {
  const processes = ctx.deps.processes;
  if (!claim || !processes || !isRollbackOwner(claim.owner)) return false;
  const theirs = parseProcessOwner(claim.owner);
  const ours = parseProcessOwner(ctx.req.owner);
  return !!theirs && !!ours && isSamePidSpace(theirs, ours) && !processes.isRunning(theirs.pid);
}

/**
 * The follow's bound as its first line says it: `bound` ms of real time (FOLLOW_ROLLBACK_MS) and,
 * should the claim's heartbeat stop, up to the check's stale rule more (ClaimSilence.followOn:
 * clock time, so shorter in real time on a faster sandbox). The line is stamped with the clock,
 * simulated on a sandbox: there "3 minutes" among timestamps 30 minutes apart read as broken,
 * and the silent claim's time more was not said at all.
 */
export function describeFollowBound(boundRealMs: number, speed = 1): string {
  const rate = Math.max(1, speed);
  const more = formatDuration(Math.ceil((STALE_MS + CHECK_CLAIM_SKEW_MS) / rate / 1000));
  const clockNote = rate > 1 ? " of real time, not the sandbox's clock" : '';
  return `at most ${formatDuration(boundRealMs / 1000)}${clockNote}; up to ${more} more if its heartbeat stops`;
}
