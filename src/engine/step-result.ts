/**
 * Which `StepResult` a weight step ends with (src/domain/events.ts): `failed` only when this
 * run's own health or weight write failed; `interrupted` only for a signal; `stopped` when
 * something outside the step ended it (an operator, another lshift run, someone else's alias
 * write, a deleted function, another function of its release). Before, every ending that was
 * not a signal read `failed`, and a CI job could not tell its gate failing from a takeover.
 */
import { isLshiftError } from '../domain/errors.js';
import type { StepOutcome, StepResult } from '../domain/events.js';
import { isHandedOff } from '../domain/hand-off.js';
import type { WatchOutcome } from './health-monitor-types.js';

/**
 * A hold's watch that did not end healthy. `byRequest`: this run's own signal (Ctrl-C, SIGTERM)
 * was aborted. A watch of a release's function also ends `interrupted` when another function's
 * verdict failed (release.ts: the watch signal joins both); with no signal of its own, that is
 * the release stopping it, not a signal.
 */
export function stepResultOfWatch(
  watched: Exclude<WatchOutcome, { kind: 'healthy' }>,
  byRequest: boolean,
): StepResult {
  switch (watched.kind) {
    // Its own record could not be written: this run's failure, not someone else's.
    case 'unrecorded':
      return 'failed';
    case 'unhealthy':
      // Only a StopDeployment from outside ended it (health-assessment.ts): no gate of its own failed.
      return watched.cause.code === 'STOPPED_IN_CODEDEPLOY' ? 'stopped' : 'failed';
    case 'interrupted':
      return byRequest ? 'interrupted' : 'stopped';
    // Another lshift took the record over: `lshift rollback`, `deploy --supersede`, a resume, a check.
    case 'stopped':
      return 'stopped';
    // Someone else's alias write, seen by a read during the hold (as a 412 would be).
    case 'moved':
      return 'stopped';
    // Its function was deleted (a release's member: found by its record's read or heartbeat).
    case 'gone':
      return 'stopped';
    // An operator's `lshift abort`: this step's health had not failed.
    case 'aborted':
      return 'stopped';
  }
}

/**
 * Codes of a weight write that failed because of someone else: the alias moved under us (412),
 * another CodeDeploy deployment holds the group, the function or alias was deleted.
 */
const OUTSIDE_WRITE_ERRORS = new Set([
  'ALIAS_CHANGED',
  'CODEDEPLOY_GROUP_BUSY',
  'FUNCTION_NOT_FOUND',
  'ALIAS_NOT_FOUND',
]);

/** A weight write that threw. `byRequest`: this run's own signal was aborted. */
export function stepResultOfWriteError(error: unknown, byRequest: boolean): StepResult {
  const code = isLshiftError(error) ? error.code : undefined;
  if (byRequest && code === 'INTERRUPTED') return 'interrupted';
  if (isLshiftError(error) && error.context.stoppedFromOutside) return 'stopped';
  return code !== undefined && OUTSIDE_WRITE_ERRORS.has(code) ? 'stopped' : 'failed';
}

/**
 * How a weight step whose hold never began ends, by how the run ended (`kind`): `own` when the
 * run ended for this function itself (its own failure, or a hook of the whole release), not for
 * another function of its release. Undefined when the run did not end early.
 */
export function unheldStepResult(
  kind: 'done' | 'failed' | 'conflict' | 'interrupted',
  own: boolean,
  byRequest: boolean,
): StepResult | undefined {
  switch (kind) {
    case 'done':
      return undefined;
    case 'interrupted':
      return byRequest ? 'interrupted' : 'stopped';
    case 'conflict':
      return 'stopped';
    case 'failed':
      return own ? 'failed' : 'stopped';
  }
}

/**
 * Closes a weight step whose write landed but whose hold never began: the run ended in between
 * (in a release, a lockstep level stopped while one function waited for its provisioned
 * concurrency; another function's takeover or failure). It read `completed` with no `endedAt`,
 * as if held. A step already ended (its hold ran, or its write failed) is left as it is.
 */
export function closeUnheldStep(steps: StepOutcome[], result: StepResult | undefined, now: number): void {
  const last = steps.at(-1);
  if (result === undefined || !last || last.endedAt !== undefined) return;
  last.result = result;
  last.endedAt = now;
}

/**
 * `interrupted` by `deploy --detach` handing the shift to CodeDeploy (its signal's reason:
 * src/domain/hand-off.ts) is `detached`: no signal stopped the run, and the step goes on in AWS.
 */
export function handedOffOr(result: StepResult, signal: AbortSignal | undefined): StepResult;
export function handedOffOr(
  result: StepResult | undefined,
  signal: AbortSignal | undefined,
): StepResult | undefined;
export function handedOffOr(
  result: StepResult | undefined,
  signal: AbortSignal | undefined,
): StepResult | undefined {
  return result === 'interrupted' && isHandedOff(signal) ? 'detached' : result;
}
