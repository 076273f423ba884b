/**
 * A result's fix commands (`fixCommand`, `rollbackCommand`) with the run's `--profile`,
 * `--region` and `--endpoint-url` (or the config file's) added (domain/command-target.ts), before
 * any of them is worded, printed or written: the text output, `--json`, the step summary and the
 * reason that names the rollback all read these fields.
 */
import { type CommandTarget, hasTargetFlags, withTargetFlags } from '../domain/command-target.js';
import type { DeployResult } from '../domain/events.js';
import type { ReleaseResult } from '../domain/release-result.js';
import type { AwsTargetFlags } from './aws-target.js';

/**
 * The target flags of the run, as given: not the environment's (the shell running the fix has
 * that). A run against a kept sandbox (LSHIFT_SANDBOX) used its region only: its profile and
 * endpoint were not used (the sandbox's own keys and address are), and a fix naming them would go
 * to that account (a config file's `profile: prod` is allowed beside a sandbox) or be refused (a
 * typed --profile beside LSHIFT_SANDBOX); the shell that runs the fix has LSHIFT_SANDBOX too, which
 * lshift reads but the AWS CLI does not: an `aws …` fix names the sandbox (`--endpoint-url`), else
 * it went to AWS (found by h1's pass, session 65).
 * `deploy --sandbox`'s sandbox lived in its process and is gone once it exits: its fixes name that
 * sandbox's address (`--endpoint-url http://127.0.0.1:…`), so run later they reach nothing (or a
 * sandbox kept there) and are refused as unreachable — with `--region` alone they went to AWS, to
 * a function of the same name in the shell's default account (found by a hostile pass, session 64).
 */
/** The region a run against a sandbox uses when it names none (runtime.ts). */
export const SANDBOX_DEFAULT_REGION = 'us-east-1';

export function commandTargetOf(flags: AwsTargetFlags, inProcessSandboxUrl?: string): CommandTarget {
  if (inProcessSandboxUrl !== undefined) return { region: flags.region, 'endpoint-url': inProcessSandboxUrl };
  const kept = process.env.LSHIFT_SANDBOX?.trim();
  if (kept)
    return {
      region: flags.region,
      awsEndpointUrl: kept,
      ...(flags.region === undefined ? { awsRegion: SANDBOX_DEFAULT_REGION } : {}),
    };
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
 * after three spaces (`Fix: lshift wait d-1   (reads the alias …)`) stays after them. A line
 * quoting a command in backticks after it (`Fix: aws … (keeps it), or `lshift rollback …``) is
 * not one: its flags would go after the prose; its commands are quoted (targetCommandsIn).
 */
const FIX_LINE =
  /^(\s*Fix: |\s*See: |\s+or: |\s+or follow it: |Or all of them at once: )((?:lshift|aws) [^`]*?)((?: {3}\(.*\))?)$/;

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

/**
 * A command quoted in prose (`` `lshift status fn --alias live` ``, `` `aws lambda …` ``): the
 * engine's refusals, hints and warnings name what to run this way. Not one followed by `'s`
 * (`` `lshift check`'s claim ``): that names the verb, not a command to run. The words before it
 * are read only for offersToRun's `run `/`see `/`with `: at most a few characters. Unbounded
 * (`\S*\s*`), a long word not followed by a quote was read again from each of its characters:
 * 2.4 s for one 40,000-character word (h1's pass, session 65).
 */
const QUOTED_COMMAND = /(\S{0,4}\s{0,3})`((?:lshift|aws) [^`\n]*)`(?!'s)/g;

/**
 * A bare verb (`` `lshift abort` ``) names the command in prose ("`lshift abort` acts on a
 * deployment while it runs"), unless the words before it say to run it ("run `lshift check`").
 */
function offersToRun(before: string, command: string): boolean {
  if (/^lshift [\w-]+$/.test(command)) return /^(?:run|see|with|Run|See|With)\s+$/.test(before);
  return true;
}

/** Text with no `lshift ` or `aws ` in it offers no command: most lines, a hook's flood of them. */
const NAMES_A_COMMAND = /(?:lshift|aws) /;

/**
 * `text` (a message, a hint, a warning, lines of them) with every command it offers given the
 * run's target flags: each quoted one and each `Fix: …`-style line. The engine words its commands
 * without the target (it does not know the flags the run was given); every text lshift prints
 * passes here once it knows them (run-target.ts), so a command copied from any of them acts on
 * the account, region and endpoint the run used (found by a hostile pass, session 64: `lshift
 * check`'s and `lshift alias`'s second signal, preflight refusals, resume hints offered bare
 * commands, which act on the default account). A command inside one of `outside`'s texts (what
 * lshift quotes from a hook or an alarm: outside-text.ts) is left as its author wrote it.
 */
export function targetCommandsIn(
  text: string,
  target: CommandTarget,
  outside: readonly string[] = [],
  /** AWS's messages (outside-text.ts noteAwsMessage): left as AWS wrote them wherever found. */
  fromAws: readonly string[] = [],
): string {
  if (!hasTargetFlags(target) || !NAMES_A_COMMAND.test(text)) return text;
  const quotes = [...quotedRanges(text, outside), ...foundRanges(text, fromAws)];
  if (quotes.length === 0) return targetOwnText(text, target);
  // A command inside a text lshift quotes (a hook's output, an alarm's reason) is left as its
  // author wrote it (outside-text.ts): line by line, each command checked against the quotes.
  let start = 0;
  return text
    .split('\n')
    .map((line) => {
      const at = start;
      start += line.length + 1;
      const inQuote = (from: number, to: number) => quotes.some(([a, b]) => at + from < b && at + to > a);
      return targetLine(line, target, inQuote);
    })
    .join('\n');
}

/** Lshift's own words (no quote from outside in them): every command offered gets the flags. */
function targetOwnText(text: string, target: CommandTarget): string {
  const quoted = text.replace(QUOTED_COMMAND, (all, before: string, command: string) =>
    offersToRun(before, command) ? `${before}\`${withTargetFlags(command, target)}\`` : all,
  );
  return targetFixLines(quoted.split('\n'), target).join('\n');
}

function targetLine(
  line: string,
  target: CommandTarget,
  inQuote: (from: number, to: number) => boolean,
): string {
  const fix = FIX_LINE.exec(line);
  const fixQuoted =
    fix !== null && inQuote(fix[1]?.length ?? 0, (fix[1]?.length ?? 0) + (fix[2]?.length ?? 0));
  const quoted = line.replace(QUOTED_COMMAND, (all, before: string, command: string, offset: number) =>
    offersToRun(before, command) && !inQuote(offset + before.length, offset + all.length)
      ? `${before}\`${withTargetFlags(command, target)}\``
      : all,
  );
  return fixQuoted ? quoted : (targetFixLines([quoted], target)[0] ?? quoted);
}

/**
 * Where each of `outside`'s texts is quoted in `text`: [start, end) offsets. Only where lshift
 * quotes one: a line of its own (a JSON string, the hook's last lines), after `| ` (a progress
 * line), `(output: ` (a failure's reason), ` — ` or `(` (an alarm's reason). Anywhere else the
 * same words are lshift's: a hook printing `` see `lshift status demo` `` must not keep lshift's
 * own hint from offering that command with the target.
 */
function quotedRanges(text: string, outside: readonly string[]): [number, number][] {
  const ranges: [number, number][] = [];
  for (const quote of outside) {
    for (let at = text.indexOf(quote); at >= 0; at = text.indexOf(quote, at + 1))
      if (QUOTED_FROM.test(text.slice(Math.max(0, at - 9), at))) ranges.push([at, at + quote.length]);
  }
  return ranges;
}

/** Where each of `texts` is found in `text`, anywhere: [start, end) offsets. */
function foundRanges(text: string, texts: readonly string[]): [number, number][] {
  const ranges: [number, number][] = [];
  for (const quote of texts)
    for (let at = text.indexOf(quote); at >= 0; at = text.indexOf(quote, at + 1))
      ranges.push([at, at + quote.length]);
  return ranges;
}

/** What stands before a quote lshift makes (the 9 characters before it, or fewer at the start). */
const QUOTED_FROM = /(?:^|\n|\| |\(output: | \u2014 |\()$/;

/**
 * A JSON output's every string (message, hint, reason, warnings) as targetCommandsIn makes it,
 * and every `…Command` field (fixCommand, rollbackCommand) a command with the target flags.
 */
export function targetCommandsInJson(
  value: unknown,
  target: CommandTarget,
  key = '',
  outside: readonly string[] = [],
  fromAws: readonly string[] = [],
): unknown {
  if (typeof value === 'string')
    return key.endsWith('Command')
      ? withTargetFlags(value, target)
      : targetCommandsIn(value, target, outside, fromAws);
  if (Array.isArray(value)) return value.map((v) => targetCommandsInJson(v, target, '', outside, fromAws));
  if (value === null || typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype)
    return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, targetCommandsInJson(v, target, k, outside, fromAws)]),
  );
}
