/**
 * Every lshift command extends this. It owns the JSON envelope and error handling so a
 * failure is one clear message and a documented exit code, never a stack trace
 * (oclif 4 would otherwise print its config as JSON and exit 1 even for usage errors).
 */
import { Command } from '@oclif/core';
import type { ExitCode } from '../domain/errors.js';
import { describeError, formatErrorText } from './format-error.js';
import { stderr, stdout } from './output.js';

export abstract class BaseCommand extends Command {
  static override enableJsonFlag = true;

  protected override async catch(error: Error & { exitCode?: number }): Promise<void> {
    const report = describeError(error);
    process.exitCode = report.exitCode;
    if (this.jsonEnabled()) {
      this.logJson(report);
    } else {
      stderr.write(`${formatErrorText(report)}\n`);
    }
    if (process.env.LSHIFT_DEBUG && error instanceof Error && error.stack) {
      stderr.write(`${error.stack}\n`);
    }
  }

  protected override toErrorJson(error: unknown): unknown {
    return describeError(error);
  }

  /** Commands return their result object; the exit code travels separately. */
  protected setExitCode(code: ExitCode): void {
    process.exitCode = code;
  }

  /** Human output on stdout, suppressed under --json (stdout then holds one JSON object). */
  protected say(text: string): void {
    if (!this.jsonEnabled()) stdout.write(`${text}\n`);
  }
}
