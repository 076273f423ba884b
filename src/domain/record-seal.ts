/**
 * The seal: a second tag, `lshift-end:<alias>`, holding the last record a deployment's runner
 * wrote once it began to end (rolling back, promoted, rolled back, failed, paused), so that a
 * late write of the record tag cannot undo the end.
 *
 * Tags have no conditional write, and a write whose answer was lost can land long after it was
 * sent (the SDK retried it, or the caller gave up on it): an operator's `abort` written on a copy
 * of the running record put a closed deployment back to `shifting`; a `started` record abandoned
 * on SIGTERM landed after its close. TagResource merges per key, so such a write of the record tag
 * leaves the seal as it was. A reader (tag-state-store.ts) takes the seal over the record tag when
 * the record tag holds an older record of the same run: same deployment id, same runner token
 * (`rn=`), an earlier heartbeat (or the same one in a phase before the end: a close stamped with
 * the heartbeat of the claim it closes) — or an open record of another run of the deployment
 * under an end no run re-opens (resolveSealed). Only the same run's heartbeats are compared, which
 * come from one clock; every other writer's record carries no token of that run (record-types.ts
 * `runnerToken`): a takeover, `lshift check`, `lshift rollback`, an older lshift, and a record
 * without a token is never taken for a late write. A closer that is not the runner (`lshift
 * rollback`, `check`, `lshift alias`, `--supersede`, `lshift wait`) writes its end as the seal too,
 * under a token drawn for it (engine/record-end-write.ts): the seal is always the latest end.
 */
import type { DeploymentRecord } from './record-types.js';
import { aliasTagKey } from './tag-key.js';

export const SEAL_TAG_PREFIX = 'lshift-end:';

/**
 * The seal's tag key: `lshift-end:<alias>` for an alias of up to 117 characters. A longer one
 * (118–121 characters still name a record tag) would make a key over Lambda's 128, and such an
 * alias's deployments were written without a seal, so a late write over their end was read as it
 * landed: its key is `lshift-end:<the alias's first 100 characters>.<the 64-bit FNV-1a of the
 * whole alias, 16 hex digits>`, 128 characters (tag-key.ts, the withdrawn list's rule too). Two
 * long aliases of one function sharing their first 100 characters and their 64-bit hash would
 * share a seal: a record of one alias read against the other's seal is taken over only by a seal
 * of its own deployment (id, start, versions: resolveSealed), which two deployments do not share.
 */
export function sealTagKey(alias: string): string {
  return aliasTagKey(SEAL_TAG_PREFIX, alias);
}

/** A runner's records are sealed from their first phase of ending on (a run never writes back). */
export function isSealedPhase(phase: DeploymentRecord['phase']): boolean {
  return (
    phase !== 'started' &&
    phase !== 'pre-hook' &&
    phase !== 'shifting' &&
    phase !== 'baking' &&
    phase !== 'post-hook'
  );
}

/**
 * Phases no run of a deployment ever leaves for an open one (`started` … `post-hook`): a resume
 * finishes a `rolling-back` or `failed` one by rolling back (resume-point.ts), refuses a
 * `promoted` or `rolled-back` one (NOTHING_TO_RESUME), and every other writer of the deployment's
 * record — `rollback`, `check`, `lshift alias`, `--supersede` — writes an ending phase. Not
 * `paused`: a resume re-opens it (`shifting`, `baking`), under another run's token.
 */
export function isNeverReopened(phase: DeploymentRecord['phase']): boolean {
  return isSealedPhase(phase) && phase !== 'paused';
}

/** Two records of one deployment: its id, and what a resume carries over unchanged. */
function isSameDeployment(a: DeploymentRecord, b: DeploymentRecord): boolean {
  return (
    a.id === b.id &&
    a.startedAt === b.startedAt &&
    a.stableVersion === b.stableVersion &&
    a.targetVersion === b.targetVersion
  );
}

/**
 * The record to read: the record tag's (`main`), or the seal when `main` is a late write — a
 * record whose state the deployment had already left:
 * - an older record of the run that wrote the seal (same token; an earlier heartbeat, or the same
 *   heartbeat in a phase before the end). Only one run's heartbeats are compared: one clock;
 * - or an open record (`started` … `post-hook`) of another run of the same deployment (another
 *   token: the run a resume took over, a verb's copy of its record) under a seal that no run
 *   re-opens (promoted, rolled back, failed, rolling back: isNeverReopened). No clock is
 *   compared: nothing writes an open record of that deployment after such a seal, so the open one
 *   was written before it. A `paused` seal is not enough (a resume re-opens it, and which run
 *   came first is not in the records), nor is a record without a token (an older lshift's
 *   runner, which may have resumed it as it read it; a put-back by `check`).
 */
export function resolveSealed(
  main: DeploymentRecord | undefined,
  seal: DeploymentRecord | undefined,
): DeploymentRecord | undefined {
  if (!main || !seal || seal.runnerToken === undefined || main.runnerToken === undefined) return main;
  if (!isSameDeployment(main, seal)) return main;
  if (main.runnerToken !== seal.runnerToken)
    return isNeverReopened(seal.phase) && !isSealedPhase(main.phase) ? seal : main;
  if (main.heartbeatAt < seal.heartbeatAt) return seal;
  const endsLater =
    main.heartbeatAt === seal.heartbeatAt && !isSealedPhase(main.phase) && isSealedPhase(seal.phase);
  return endsLater ? seal : main;
}

/** The token a runner draws once (`rn=`): 6 base-36 characters from `random` ([0, 1), like Math.random). */
export function createRunnerToken(random: () => number): string {
  let token = '';
  for (let i = 0; i < 6; i++) token += Math.min(35, Math.max(0, Math.floor(random() * 36))).toString(36);
  return token;
}
