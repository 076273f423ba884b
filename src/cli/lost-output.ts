/**
 * stdout that failed for another reason than its reader going away: `> /dev/full`, a full disk
 * (ENOSPC), a file system error (EIO on a file, EDQUOT…). The output is lost — `lshift plan --json
 * > plan.json` left an empty file — so saying nothing and exiting 0 would let a script carry on
 * with it. A closed pipe (EPIPE: `| head` read what it wanted) and a terminal that hung up (EIO
 * after SIGHUP) are the reader's choice, not a loss: the command's own code stands.
 *
 * A command that changes nothing then fails with OUTPUT_LOST (exit 1: it had done nothing else).
 * One that may have changed something (deploy, rollback, alias…), and one that ended with any
 * other code than 0, keeps the code that tells what happened, and says on stderr that its output
 * is incomplete: a check that rolled back (exit 3) or a deploy that did, in text, wrote its report
 * to stdout, and said nothing of losing it (`check` counts as read-only only when it exits 0: it
 * moved no traffic then).
 *
 * Cheap to import: bin/run.js loads it (through output.ts) before oclif.
 */
import type { ErrorCode } from '../domain/errors.js';

/** Failures that mean the reader went away, not that the output was lost. */
const READER_GONE = new Set(['EPIPE', 'ECONNRESET']);

/** Commands that change nothing: their output is all they do. */
const READ_ONLY_COMMANDS = new Set(['plan', 'status', 'history', 'iam-policy', 'check', 'help']);

const CODE: ErrorCode = 'OUTPUT_LOST';

export interface LostOutput {
  /** What to write on stderr (one error report, or a warning). */
  text: string;
  exitCode: number;
}

/**
 * What to say and which code to exit with, once stdout failed with `failure` (an errno code) and
 * the command set `exitCode`; undefined when nothing changes. `terminalHungUp`: stdout was a
 * terminal that is gone (EIO after SIGHUP), which is the reader leaving too.
 */
export function judgeLostOutput(
  failure: string | undefined,
  exitCode: number,
  argv: readonly string[],
  terminalHungUp = false,
): LostOutput | undefined {
  if (failure === undefined || READER_GONE.has(failure) || terminalHungUp) return undefined;
  // A command that ended otherwise than 0 keeps its code, and says what it wrote to stdout is lost
  // (a failure is only known once something was written there): a text error is on stderr, but a
  // check's or deploy's report of its rollback is on stdout, and under --json so is the error
  // report (`status x --json > /dev/full` exited 1 without a word).
  const what = `could not write to standard output (${failure}${describeErrno(failure)})`;
  if (exitCode === 0 && changesNothing(argv)) {
    return {
      text:
        `Error [${CODE}]: ${what}: what this command printed there is incomplete or missing.\n` +
        '  Hint: Free space where standard output goes (a file, a device), or send it elsewhere, and run it again.\n' +
        '  Exit code 1.\n',
      exitCode: 1,
    };
  }
  return {
    text: `Warning [${CODE}]: ${what}: the result printed there is incomplete or missing; the exit code (${exitCode}) still tells what happened.\n`,
    exitCode,
  };
}

function changesNothing(argv: readonly string[]): boolean {
  const beforeDashes = argv.includes('--') ? argv.slice(0, argv.indexOf('--')) : argv;
  if (beforeDashes.some((a) => a === '--help' || a === '-h')) return true;
  // Only the root `lshift --version` prints the CLI's version: `deploy --version 3` deploys one.
  if (argv[0] === '--version') return true;
  return argv[0] === undefined || READ_ONLY_COMMANDS.has(argv[0]);
}

function describeErrno(code: string): string {
  if (code === 'ENOSPC') return ': no space left on device';
  if (code === 'EDQUOT') return ': disk quota exceeded';
  if (code === 'EIO') return ': input/output error';
  return '';
}
