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
 * the heartbeat of the claim it closes). Only the same run's records are compared, whose
 * heartbeats come from one clock; every other writer's record carries no token of that run
 * (record-types.ts `runnerToken`): a takeover, `lshift check`, `lshift rollback`, an older lshift,
 * and a record without a token is never taken for a late write.
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
 * share a seal: a record of one alias read against the other's seal is taken over only when it
 * has the same deployment id and runner token, which two deployments do not share.
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
 * The record to read: the record tag's (`main`), or the seal when `main` is an older record of
 * the run that wrote the seal — a late write, whose state that run had already left.
 */
export function resolveSealed(
  main: DeploymentRecord | undefined,
  seal: DeploymentRecord | undefined,
): DeploymentRecord | undefined {
  if (!main || !seal || seal.runnerToken === undefined) return main;
  if (main.id !== seal.id || main.runnerToken !== seal.runnerToken) return main;
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
