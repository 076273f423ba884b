/**
 * What bin/run.js does with an error that gets past every command's own `catch`, in place of
 * @oclif/core's `handle`, which writes the message raw with console.error. Those errors are
 * oclif's own: help for an unknown command (`lshift help <ESC>[2J`), a plugin command's parse
 * error (`lshift autocomplete 'x<newline>::error::y'`), a failed hook. Each repeats what was typed,
 * so it is reported like any lshift error: through the output choke point (output.ts), as one
 * `Error [CODE]` text on stderr or, under --json, one JSON object on stdout, with its exit code.
 */
import { echoInput } from '../domain/echo.js';
import { ExitCode } from '../domain/errors.js';
import { printableJson } from '../domain/printable.js';
import { asksForJson, isDebugRun } from './debug.js';
import { describeError, type ErrorReport, echoArguments, formatErrorText } from './format-error.js';
import { stderr, stdout } from './output.js';
import { SCHEMA_VERSION } from './schema-version.js';

interface OclifThrown {
  message?: string;
  code?: string;
  oclif?: { exit?: number };
  skipOclifErrorHandling?: boolean;
}

/** Reports `error` (unless it only carries an exit code) and returns the exit code to end with. */
export function reportTopLevelError(error: unknown, argv: readonly string[], env = process.env): number {
  const thrown = (typeof error === 'object' && error !== null ? error : {}) as OclifThrown;
  // `this.exit(n)` (oclif's ExitError): whoever called it has said what it had to.
  if (thrown.code === 'EEXIT') return thrown.oclif?.exit ?? ExitCode.Success;
  if (thrown.skipOclifErrorHandling) return thrown.oclif?.exit ?? ExitCode.Failed;
  // oclif's convention for an interrupted prompt (its handle exits 1): lshift's interrupt code.
  if (thrown.message === 'SIGINT') return ExitCode.Interrupted;
  const report = echoArguments(describeTopLevel(error), argv);
  if (asksForJson(argv)) {
    stdout.write(`${printableJson(JSON.stringify({ schemaVersion: SCHEMA_VERSION, ...report }, null, 2))}\n`);
  } else {
    stderr.write(`${formatErrorText(report)}\n`);
  }
  const stack = error instanceof Error ? error.stack : undefined;
  if (stack && isDebugRun(argv, env)) stderr.write(`${stack}\n`);
  return report.exitCode;
}

/** oclif's help says `Command <ESC>[2J not found.`; lshift says what its not-found hook says. */
const HELP_NOT_FOUND = /^Command ([\s\S]*) not found\.$/;

export function describeTopLevel(error: unknown): ErrorReport {
  const report = describeError(error);
  const unknown = HELP_NOT_FOUND.exec(report.message)?.[1];
  if (unknown === undefined) return report;
  return {
    ...report,
    code: 'USAGE',
    message: `${echoInput(unknown)} is not an lshift command.`,
    hint: 'Run lshift help for a list of commands.',
    exitCode: ExitCode.Usage,
  };
}
