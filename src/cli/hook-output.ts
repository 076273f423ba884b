/**
 * The last lines (at most 20, masked) a failed hook printed, as HOOK_FAILED carries them. The
 * one-line reason quotes only the last, and in a CI log the hook's progress lines are far above
 * (past 10,000 they were never shown: docs/hooks.md). Said under the reason of a single deploy's
 * and a release's summary, on the terminal and in the GitHub step summary; the one-line places
 * (the `::error::` annotation, a release's rows, the `hook.completed` event) keep to the reason.
 * A failed rollback hook's (`rollbackHooks.output`) after it, named as one: once per function in a
 * release, where each function runs its own rollback hooks.
 */
import type { DeployResult } from '../domain/events.js';
import type { ReleaseResult } from '../domain/release-result.js';

export interface FailedHookOutput {
  hook: string;
  lines: readonly string[];
  /** The function whose hook it was, when a release names one (`gamma:live`). */
  target?: string;
  /** A rollback hook's (`rollbackHooks.output`), not the failure's that decided the outcome. */
  rollback?: true;
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

/** The first failed rollback hook's last lines (it ran after the outcome was decided). */
export function rollbackHookOutput(
  result: Pick<DeployResult, 'rollbackHooks'>,
): FailedHookOutput | undefined {
  const note = result.rollbackHooks;
  if (note?.kind !== 'failed') return undefined;
  const hook = note.hooks[0];
  if (hook === undefined || !note.output || note.output.length === 0) return undefined;
  return { hook, lines: note.output, rollback: true };
}

/** A deploy's: the failed hook's that decided it, then its failed rollback hook's. */
export function deployHookOutputs(result: Pick<DeployResult, 'cause' | 'rollbackHooks'>): FailedHookOutput[] {
  return [failedHookOutput(result), rollbackHookOutput(result)].filter((o) => o !== undefined);
}

/** A release's: its failed hook's (once), then each function's failed rollback hook's, named with it. */
export function releaseHookOutputs(result: ReleaseResult): FailedHookOutput[] {
  const rollbacks = result.functions.flatMap((f) => {
    const output = rollbackHookOutput(f);
    return output ? [{ ...output, target: `${f.functionName}:${f.alias}` }] : [];
  });
  const failed = releaseHookOutput(result);
  return failed ? [failed, ...rollbacks] : rollbacks;
}

/** `cmd:./smoke.sh`, `rollback hook cmd:./notify gamma of gamma:live`. */
export function describeOutputSource(output: FailedHookOutput): string {
  const hook = output.rollback ? `rollback hook ${output.hook}` : output.hook;
  return output.target ? `${hook} of ${output.target}` : hook;
}

/** `its last 3 lines`, `its last line`. */
export function describeHowMany(output: FailedHookOutput): string {
  return output.lines.length === 1 ? 'its last line' : `its last ${output.lines.length} lines`;
}

/** Each `  Output of cmd:./smoke.sh (its last 3 lines):`, then its lines marked `    | `. */
export function describeHookOutputs(outputs: readonly FailedHookOutput[]): string[] {
  return outputs.flatMap((output) => [
    `  Output of ${describeOutputSource(output)} (${describeHowMany(output)}):`,
    ...output.lines.map((line) => `    | ${line}`),
  ]);
}
