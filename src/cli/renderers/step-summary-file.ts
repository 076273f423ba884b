/**
 * Appends lshift's Markdown to the file named by `GITHUB_STEP_SUMMARY` without ever blocking the
 * deployment's exit or making GitHub refuse the step's summary. It is a report: whatever goes
 * wrong is one warning, never a failed deploy.
 */
import { closeSync, constants, fstatSync, openSync, readSync, statSync, writeFileSync } from 'node:fs';
import { describeNotRegularFile } from '../../domain/file-kind.js';
import { printable } from '../../domain/printable.js';

/**
 * GitHub takes at most 1 MiB of summary per step; beyond it the upload fails and the step gets an
 * error annotation instead of the summary
 * (https://docs.github.com/en/actions/using-workflows/workflow-commands-for-github-actions#adding-a-job-summary).
 */
export const STEP_SUMMARY_MAX_BYTES = 1024 * 1024;

export const CUT_NOTE =
  '> ✂️ lshift cut its summary here: GitHub takes at most 1 MiB of step summary. The rest is in the job log.\n';

/**
 * `markdown`, or as many of its first lines as fit in `budget` bytes followed by `CUT_NOTE`.
 * The cut never falls inside a fenced block (a chart), which would swallow the note. Empty when
 * not even the note fits.
 */
export function fitStepSummary(markdown: string, budget: number): { text: string; cut: boolean } {
  if (Buffer.byteLength(markdown) <= budget) return { text: markdown, cut: false };
  const room = budget - Buffer.byteLength(CUT_NOTE);
  if (room < 0) return { text: '', cut: true };
  let used = 0;
  let kept = 0;
  let inFence = false;
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    used += Buffer.byteLength(lines[i]!) + 1;
    if (used > room) break;
    if (lines[i]!.startsWith('```')) inFence = !inFence;
    if (!inFence) kept = i + 1;
  }
  const head = lines.slice(0, kept).join('\n');
  return { text: head === '' ? CUT_NOTE : `${head}\n\n${CUT_NOTE}`, cut: true };
}

/**
 * The file `GITHUB_STEP_SUMMARY` names, or undefined when it is unset or blank: a blank one wrote a
 * file named ` ` in the working directory (found by a hostile pass), where lshift reads a blank
 * variable as unset everywhere else.
 */
export function stepSummaryFileOf(env: NodeJS.ProcessEnv): string | undefined {
  const file = env['GITHUB_STEP_SUMMARY'];
  return file?.trim() ? file : undefined;
}

/**
 * Appends `markdown` to `file`. A path that is not a regular file is refused: opening a named pipe
 * (FIFO) for writing waits for a reader, forever if there is none. The open is non-blocking as
 * well, for a file swapped for a pipe between the check and the open.
 */
export function appendStepSummary(file: string, markdown: string, warn: (text: string) => void): void {
  const say = (text: string) => warn(`warning: ${printable(text)}\n`);
  let fd: number | undefined;
  try {
    const before = statSync(file, { throwIfNoEntry: false });
    fd = before === undefined || before.isFile() ? openWithoutBlocking(file) : undefined;
    const stats = fd === undefined ? before! : fstatSync(fd);
    if (!stats.isFile()) {
      say(`GITHUB_STEP_SUMMARY ${file} ${describeNotRegularFile(stats)}: lshift wrote no summary`);
    } else {
      // A file that holds text already (another step's tool, an earlier lshift) may not end its
      // last line: lshift's heading would go on it and not render (found by a hostile pass).
      const lead = stats.size > 0 && !endsLine(file, stats.size) ? '\n' : '';
      const fitted = fitStepSummary(`${lead}${markdown}`, STEP_SUMMARY_MAX_BYTES - stats.size);
      if (fitted.text !== '') writeFileSync(fd!, fitted.text);
      if (fitted.cut) {
        const what = fitted.text === '' ? 'not written' : 'cut to fit';
        say(
          `the GitHub step summary ${file} already holds ${stats.size} of GitHub's ${STEP_SUMMARY_MAX_BYTES} bytes: lshift's summary was ${what}`,
        );
      }
    }
  } catch (error) {
    say(`could not write the GitHub step summary: ${(error as Error).message}`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Whether the file's last byte ends a line, read through a descriptor of its own (the summary's
 * only appends). Unreadable (a write-only file): taken as ended, as lshift wrote before.
 */
function endsLine(file: string, size: number): boolean {
  const last = Buffer.alloc(1);
  let reader: number | undefined;
  try {
    reader = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    readSync(reader, last, 0, 1, size - 1);
  } catch {
    return true;
  } finally {
    if (reader !== undefined) closeSync(reader);
  }
  return last[0] === 0x0a;
}

function openWithoutBlocking(file: string): number {
  const flags = constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | (constants.O_NONBLOCK ?? 0);
  return openSync(file, flags, 0o666);
}
