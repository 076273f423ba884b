/**
 * Why a CodeDeploy deployment ended rolled back, as its record keeps it (`y=`, record-cause.ts)
 * when lshift only closes the record after CodeDeploy's end: `lshift wait` (follow-codedeploy.ts)
 * and `lshift check` (check-codedeploy-close.ts). Pure. The stop from outside is told apart as
 * everywhere else (isStoppedByRequest: a deploy's follower, the codedeploy gate); the alarm and the
 * hook by GetDeployment's errorInformation.code and the lifecycle event that failed. Anything else
 * is no cause at all: a record never says a guess.
 * https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_ErrorInformation.html
 */
import type { ErrorContext } from '../domain/errors.js';
import { formatHookSpec } from '../domain/hook-spec.js';
import type { RecordCause, RecordHookPhase } from '../domain/record-cause.js';
import type { DeploymentInfo, LifecycleEventInfo } from '../ports/codedeploy.js';
import { isStoppedByRequest } from './codedeploy-status.js';
import type { DeployHooks } from './deploy-types.js';

/** The AppSpec hooks lshift maps its own to (codedeploy-plan.ts): `--pre-hook`, `--post-hook`. */
const HOOK_PHASES: ReadonlyMap<string, RecordHookPhase> = new Map([
  ['BeforeAllowTraffic', 'pre'],
  ['AfterAllowTraffic', 'post'],
]);

/**
 * The cause of a deployment that ended Failed or Stopped: CodeDeploy's alarm (ALARM_ACTIVE) →
 * GATE_FAILED (alarms); a hook (HOOK_EXECUTION_FAILURE, or a Failed deployment whose
 * BeforeAllowTraffic/AfterAllowTraffic event failed) → HOOK_FAILED with its phase when the events
 * name it; a StopDeployment → INTERRUPTED when `stoppedByUs` (`lshift wait`'s own stop on Ctrl-C),
 * else STOPPED_IN_CODEDEPLOY. `events`: the lifecycle events as readEndEvents read them
 * (undefined: unread).
 */
export function recordCauseOfCodeDeployEnd(
  info: Pick<DeploymentInfo, 'status' | 'error'>,
  events: readonly Pick<LifecycleEventInfo, 'name' | 'status'>[] | undefined,
  stoppedByUs = false,
): RecordCause | undefined {
  if (info.status !== 'Failed' && info.status !== 'Stopped') return undefined;
  const code = info.error?.code;
  if (code === 'ALARM_ACTIVE') return { code: 'GATE_FAILED', gates: ['alarms'] };
  if (isStoppedByRequest(info)) return { code: stoppedByUs ? 'INTERRUPTED' : 'STOPPED_IN_CODEDEPLOY' };
  const phase = failedHookPhase(events);
  if (code === 'HOOK_EXECUTION_FAILURE')
    return phase ? { code: 'HOOK_FAILED', phase } : { code: 'HOOK_FAILED' };
  // Another code (TIMEOUT…) with the hook's own event Failed: the hook is what failed.
  if (info.status === 'Failed' && phase) return { code: 'HOOK_FAILED', phase };
  return undefined;
}

/**
 * The ends CodeDeploy brings about on its own that a deploy following it names as a native deploy
 * would (traffic-steps.ts): its alarm, or the hook of a known phase. Undefined for the others.
 */
export function ownEndOf(cause: RecordCause | undefined): ErrorContext['codeDeployEnd'] {
  if (cause?.code === 'GATE_FAILED') return { code: 'GATE_FAILED', gates: cause.gates ?? ['alarms'] };
  if (cause?.code === 'HOOK_FAILED' && (cause.phase === 'pre' || cause.phase === 'post'))
    return { code: 'HOOK_FAILED', phase: cause.phase };
  return undefined;
}

/**
 * The hook CodeDeploy ran that failed, and lshift's hooks of that phase named as a native deploy
 * names them (HOOK_FAILED's `data`): the same for the driver and the codedeploy gate.
 */
export function failedHookOf(
  end: ErrorContext['codeDeployEnd'],
  hooks: DeployHooks | undefined,
): { phase: 'pre' | 'post'; hooks: string[] } | undefined {
  if (end?.code !== 'HOOK_FAILED') return undefined;
  return { phase: end.phase, hooks: (hooks?.[end.phase] ?? []).map(formatHookSpec) };
}

/**
 * Whether the lifecycle events could change the cause (a Failed deployment CodeDeploy's alarm did
 * not end): a caller that has not read them yet reads them only then.
 */
export function mayNameHook(info: Pick<DeploymentInfo, 'status' | 'error'>): boolean {
  return info.status === 'Failed' && info.error?.code !== 'ALARM_ACTIVE';
}

/** The phase of the one hook whose lifecycle event failed; undefined when none (or both) did. */
function failedHookPhase(
  events: readonly Pick<LifecycleEventInfo, 'name' | 'status'>[] | undefined,
): RecordHookPhase | undefined {
  const phases = (events ?? [])
    .filter((e) => e.status === 'Failed')
    .flatMap((e) => HOOK_PHASES.get(e.name) ?? []);
  return phases.length === 1 ? phases[0] : undefined;
}
