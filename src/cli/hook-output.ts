/**
 * The last lines (at most 20, masked) a failed hook printed, as HOOK_FAILED carries them. The
 * one-line reason quotes only the last, and in a CI log the hook's progress lines are far above
 * (past 10,000 they were never shown: docs/hooks.md). Said under the reason of a single deploy's
 * and a release's summary, on the terminal and in the GitHub step summary; the one-line places
 * (the `::error::` annotation, a release's rows, the `hook.completed` event) keep to the reason.
 */
import type { DeployResult } from '../domain/events.js';
import type { ReleaseResult } from '../domain/release-result.js';

export interface FailedHookOutput {
  hook: string;
  lines: readonly string[];
  /** The function whose hook it was, when a release names one (`gamma:live`). */
  target?: string;
}

export function failedHookOutput(result: Pick<DeployResult, 'cause'>): FailedHookOutput | undefined {
  const failed = result.cause?.code === 'HOOK_FAILED' ? result.cause.data : undefined;
  const hook = failed?.hooks[0];
  const lines = failed?.output;
  if (hook === undefined || !lines || lines.length === 0) return undefined;
  return { hook, lines };
}

/**
 * A release's: that of the function the release names as failing it (every function carries the
 * same cause), else the first one carried (a hook of the release's own, which no function failed).
 */
export function releaseHookOutput(result: ReleaseResult): FailedHookOutput | undefined {
  const failed = result.failed;
  const decider =
    failed &&
    result.functions.find((f) => f.functionName === failed.functionName && f.alias === failed.alias);
  const own = decider && failedHookOutput(decider);
  if (own) return { ...own, target: `${failed.functionName}:${failed.alias}` };
  return result.functions.map(failedHookOutput).find((output) => output !== undefined);
}

/** `its last 3 lines`, `its last line`. */
export function describeHowMany(output: FailedHookOutput): string {
  return output.lines.length === 1 ? 'its last line' : `its last ${output.lines.length} lines`;
}

/** `  Output of cmd:./smoke.sh (its last 3 lines):`, then each line marked `    | `. */
export function describeHookOutput(output: FailedHookOutput | undefined): string[] {
  if (!output) return [];
  const of = output.target ? `${output.hook} of ${output.target}` : output.hook;
  return [`  Output of ${of} (${describeHowMany(output)}):`, ...output.lines.map((line) => `    | ${line}`)];
}
