/**
 * A result's fix commands (`fixCommand`, `rollbackCommand`) with the run's `--profile`,
 * `--region` and `--endpoint-url` (or the config file's) added (domain/command-target.ts), before
 * any of them is worded, printed or written: the text output, `--json`, the step summary and the
 * reason that names the rollback all read these fields.
 */
import { type CommandTarget, withTargetFlags } from '../domain/command-target.js';
import type { DeployResult } from '../domain/events.js';
import type { ReleaseResult } from '../domain/release-result.js';
import type { AwsTargetFlags } from './aws-target.js';

/**
 * The target flags of the run, as given: not the environment's (the shell running the fix has
 * that). A run against a sandbox (`--sandbox`, LSHIFT_SANDBOX) used its region only: its profile
 * and endpoint were not used (the sandbox's own keys and address are), and a fix naming them would
 * go to that account (a config file's `profile: prod` is allowed beside a sandbox) or be refused
 * (a typed --profile beside LSHIFT_SANDBOX).
 */
export function commandTargetOf(flags: AwsTargetFlags, inProcessSandbox = false): CommandTarget {
  const sandbox = inProcessSandbox || Boolean(process.env.LSHIFT_SANDBOX?.trim());
  if (sandbox) return { region: flags.region };
  return { profile: flags.profile, region: flags.region, 'endpoint-url': flags['endpoint-url'] };
}

export function targetResult<R extends Pick<DeployResult, 'fixCommand' | 'rollbackCommand'>>(
  result: R,
  target: CommandTarget,
): R {
  const fixCommand = withTargetFlags(result.fixCommand, target);
  const rollbackCommand = withTargetFlags(result.rollbackCommand, target);
  return {
    ...result,
    ...(fixCommand === undefined ? {} : { fixCommand }),
    ...(rollbackCommand === undefined ? {} : { rollbackCommand }),
  };
}

/** Each function's fix commands of a release. */
export function targetRelease<R extends Pick<ReleaseResult, 'functions'>>(
  result: R,
  target: CommandTarget,
): R {
  return { ...result, functions: result.functions.map((f) => targetResult(f, target)) };
}

/**
 * The command lines of a second signal's message or of `lshift wait`'s result (`Fix: …`, `  or: …`, `  or follow it: …`,
 * `Or all of them at once: …`), each `lshift`/`aws` command with the run's target flags; a note
 * after three spaces (`Fix: lshift wait d-1   (reads the alias …)`) stays after them.
 */
const FIX_LINE =
  /^(\s*Fix: |\s+or: |\s+or follow it: |Or all of them at once: )((?:lshift|aws) .*?)((?: {3}\(.*\))?)$/;

export function targetFixLines(lines: readonly string[], target: CommandTarget): string[] {
  return lines.map((line) => {
    const fix = FIX_LINE.exec(line);
    return fix ? `${fix[1]}${withTargetFlags(fix[2] ?? '', target)}${fix[3] ?? ''}` : line;
  });
}

/**
 * `rollback --release`'s errors left split (release-errors-split.ts): each one's `aws lambda
 * update-alias` fix with the run's target flags too (found by h3's pass, session 64).
 */
export function targetErrors<E extends { fixCommand?: string }>(
  errors: readonly E[],
  target: CommandTarget,
): E[] {
  return errors.map((e) => {
    const fixCommand = withTargetFlags(e.fixCommand, target);
    return fixCommand === undefined ? e : { ...e, fixCommand };
  });
}
