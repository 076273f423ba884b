/**
 * Turns any thrown value into what the user sees and the exit code. Expected failures
 * (LshiftError, oclif parse errors) never show a stack trace; an unexpected bug shows one
 * only when LSHIFT_DEBUG is set.
 */

import { echoInput } from '../domain/echo.js';
import { type ErrorCode, ExitCode, isLshiftError } from '../domain/errors.js';
import { maskUserinfo } from '../domain/hook-spec.js';
import { maskForms } from '../domain/output-secrets.js';
import { describeUnprintable, printable, printableLines } from '../domain/printable.js';
import { functionSecrets } from './function-secrets.js';

export interface ErrorReport {
  status: 'error';
  code: ErrorCode;
  message: string;
  hint?: string;
  exitCode: number;
  functionName?: string;
  alias?: string;
}

interface OclifLikeError {
  message: string;
  oclif?: { exit?: number };
}

function isOclifError(error: unknown): error is OclifLikeError {
  return typeof error === 'object' && error !== null && 'oclif' in error && 'message' in error;
}

/**
 * Whatever produced it (an SDK message quoting --endpoint-url, oclif echoing a flag value), no
 * URL's user name or password reaches the terminal or the JSON output.
 */
export function describeError(error: unknown): ErrorReport {
  const report = describeRaw(error);
  return {
    ...report,
    message: maskFunctionValues(maskUserinfo(report.message)),
    ...(report.hint === undefined ? {} : { hint: maskFunctionValues(maskUserinfo(report.hint)) }),
  };
}

/** An AWS error or a hook's reason may quote what a function holds: never its environment values. */
function maskFunctionValues(text: string): string {
  return maskForms(text, functionSecrets.forms());
}

function describeRaw(error: unknown): ErrorReport {
  if (isLshiftError(error)) {
    return {
      status: 'error',
      code: error.code,
      message: error.message,
      hint: error.hint,
      exitCode: error.exitCode,
      functionName: error.context.functionName,
      alias: error.context.alias,
    };
  }
  if (isOclifError(error)) {
    const exit = error.oclif?.exit ?? ExitCode.Usage;
    return {
      status: 'error',
      code: exit === ExitCode.Usage ? 'USAGE' : 'CLI_ERROR',
      message: tidyOclifMessage(stripAnsi(error.message)),
      hint: exit === ExitCode.Usage ? USAGE_HINT : undefined,
      exitCode: exit,
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return {
    status: 'error',
    code: 'INTERNAL',
    message: `Internal error: ${printable(message)}`,
    hint: 'This is a bug in lshift. Re-run with LSHIFT_DEBUG=1 for details and report it.',
    exitCode: ExitCode.Failed,
  };
}

/** The hint of an oclif parse error; a command replaces it with its own `--help` line. */
export const USAGE_HINT = 'Run the command with --help to see its arguments and flags.';

/**
 * oclif's parse errors carry their own tail ("See more help with --help") and, for flag
 * validation, a "The following error occurred:" wrapper: lshift's hint already says where help
 * is, so the user gets one message and one hint. Its note that repeatable flags swallow the
 * arguments after them is untrue of lshift's (each takes one value: REPEATABLE in flags.ts).
 */
function tidyOclifMessage(message: string): string {
  const lines = message
    .replace(/\n\nNote: [^\n]* allows? multiple values\.[^\n]*(\nAlternatively, [^\n]*)?/, '')
    .split('\n')
    .filter((line) => line.trim() !== 'See more help with --help');
  const single = /^The following error occurred:$/.test(lines[0] ?? '') && lines.length === 2;
  return maskUnknownFlagValues(
    rewordDependsOn(
      rewordExclusive(joinParsingLine((single ? [lines[1]!.trim()] : lines).join('\n').trim())),
    ),
  );
}

/**
 * oclif's "Nonexistent flag: --tokn=ghp_…" repeats the value of a flag lshift does not have — a
 * mistyped `--token=…` or `--aws-secret-access-key=…` (found by a hostile pass); being unknown,
 * its name cannot say whether the value is a secret. Every such value is masked as the rest of
 * the output masks one (`--tokn=***`); the names stay, for "Did you mean --token?".
 */
function maskUnknownFlagValues(message: string): string {
  return message.replace(/^(Nonexistent flags?: )(.*)$/m, (_line, head: string, list: string) => {
    const names = [...list.matchAll(/(?:^|, )(-{1,2}[^\s=,]+)(=?)/g)];
    if (names.length === 0) return head + list.replace(/=.*/s, '=***');
    return head + names.map(([, name, eq]) => (eq ? `${name}=***` : name)).join(', ');
  });
}

/** oclif's "Parsing --limit \n\tExpected an integer…" on one line: "--limit: expected an integer…". */
function joinParsingLine(message: string): string {
  return message.replace(
    /^Parsing (--[\w-]+) *\n\t?(\w)/,
    (_, flag: string, first: string) => `${flag}: ${first.toLowerCase()}`,
  );
}

/** oclif's "--json=true cannot also be provided when using --watch": the flags, not a value lshift never took. */
function rewordExclusive(message: string): string {
  return message.replace(
    /^(--[\w-]+)=\S* cannot also be provided when using (--[\w-]+)$/,
    '$1 cannot be used with $2',
  );
}

/**
 * oclif's "All of the following must be provided when using --interval: --watch" (a flag's
 * dependsOn) read as if something were missing from the command in general: say which flag
 * needs which, and the two ways out.
 */
function rewordDependsOn(message: string): string {
  return message.replace(
    /^All of the following must be provided when using (--[\w-]+): (--[\w-]+(?:, --[\w-]+)*)$/m,
    (_, flag: string, list: string) => {
      const needed = list.split(', ');
      const named =
        needed.length === 1 ? needed[0]! : `${needed.slice(0, -1).join(', ')} and ${needed.at(-1)!}`;
      const add = needed.length === 1 ? `add ${named}` : 'add them';
      return `${flag} needs ${named}: ${add}, or drop ${flag}`;
    },
  );
}

/**
 * oclif repeats a bad argument or flag as it was typed ("Unexpected argument: …"): one with a
 * newline or an ESC in it is shown as the echo helper shows input, so it cannot start a line.
 */
export function echoArguments(report: ErrorReport, argv: readonly string[]): ErrorReport {
  let message = report.message;
  for (const arg of argv) {
    if (describeUnprintable(arg) !== undefined) message = message.replaceAll(arg, echoInput(arg));
  }
  // An empty argument ("$FN" with FN unset) is named as nothing: "Unexpected argument:".
  if (argv.includes('') && /^Unexpected arguments?:/.test(message)) {
    message = `${message} (one of them is an empty argument, '': an unset shell variable?)`;
  }
  return message === report.message ? report : { ...report, message };
}

export function formatErrorText(report: ErrorReport): string {
  const lines = [`Error [${report.code}]: ${report.message}`];
  if (report.hint) lines.push(`  Hint: ${report.hint}`);
  lines.push(`  Exit code ${report.exitCode}.`);
  // Messages quote other people's text (AWS, config files, oclif echoing argv): printed as text only.
  return printableLines(lines.join('\n'));
}

function stripAnsi(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escapes are control characters by definition.
  return text.replace(/\u001b\[[0-9;]*m/g, '');
}
