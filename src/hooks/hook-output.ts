/**
 * Bounded views of hook output: the streamed lines of a command, the head of an HTTP body or a
 * Lambda response. Nothing here grows without limit, whatever a hook prints. Every line is masked
 * (domain/output-secrets.ts) before it is kept or shown: a hook may print a secret.
 */
import { maskOutputLine } from '../domain/output-secrets.js';

/** Lines kept for `outputTail`. */
export const TAIL_LINES = 20;
/** A single output line longer than this is cut (a minified JSON blob, a progress bar). */
export const MAX_LINE_CHARS = 1000;
/** Lines and characters shown from the start of an HTTP body or Lambda response. */
export const HEAD_LINES = 10;
export const HEAD_CHARS = 2000;

/**
 * Lines of one command shown as progress. Each shown line is a log line with a timestamp: a command
 * printing without end (`yes`, a test runner in a loop) would otherwise write gigabytes into the
 * CI log while it runs. Past the limit only the tail is kept, for the failure message.
 */
export const MAX_SHOWN_LINES = 10_000;

/**
 * Keeps the last `maxLines` lines across several streams, and forwards each line as it completes;
 * each masked first (`mask`: a command's createOutputMasker, its environment's secret values too).
 *
 * A line past `maxShown` is neither shown nor, unless it is among the last `maxLines`, kept: it is
 * counted and held as printed, in memory only, until it drops out of the last lines or someone
 * reads them (text, showHiddenTail), and masked then. Masking costs ~10 µs a line: a command
 * printing 3 million lines spent half a minute in it, and its full pipe held it back (a hostile
 * pass: `seq 1 3000000` timed out). A line masked later is masked as well or better: the known
 * function values only grow (createOutputMasker reads them as it masks).
 */
export class OutputTail {
  /** The last lines, oldest first; the last `unmasked` of them as printed (not shown yet). */
  private readonly lines: string[] = [];
  private unmasked = 0;
  private seen = 0;

  constructor(
    private readonly onLine?: (line: string) => void,
    private readonly mask: (line: string) => string = maskOutputLine,
    private readonly maxLines = TAIL_LINES,
    private readonly maxShown = MAX_SHOWN_LINES,
  ) {}

  /** A splitter for one stream (stdout or stderr); partial lines of two streams never mix. */
  createSplitter(): LineSplitter {
    return new LineSplitter((line) => this.add(line));
  }

  add(line: string): void {
    this.seen++;
    if (this.seen > this.maxShown) {
      this.keep(line);
      this.unmasked = Math.min(this.unmasked + 1, this.lines.length);
      if (this.seen === this.maxShown + 1) {
        this.show(
          `… the command printed more than ${this.maxShown} lines: the rest is not shown (the last ${this.maxLines} are, if it fails)`,
        );
      }
      return;
    }
    // Masked before it is cut: a secret across the cut must not leave its first characters shown.
    const cut = this.maskLine(line);
    this.keep(cut);
    this.show(cut);
  }

  text(): string {
    return this.masked().join('\n');
  }

  /**
   * A command that failed after printing more than `maxShown` lines: its last lines that were not
   * shown are, now, after a line saying so (the line that hid them promised it).
   */
  showHiddenTail(): void {
    const hidden = Math.min(this.lines.length, this.seen - this.maxShown);
    if (hidden <= 0) return;
    for (const line of [`… its last ${hidden} lines:`, ...this.masked().slice(-hidden)]) this.show(line);
  }

  private keep(line: string): void {
    this.lines.push(line);
    if (this.lines.length > this.maxLines) this.lines.shift();
  }

  /** The last lines, every one masked (those held as printed are masked now, once). */
  private masked(): readonly string[] {
    for (let i = this.lines.length - this.unmasked; i < this.lines.length; i++) {
      this.lines[i] = this.maskLine(this.lines[i] ?? '');
    }
    this.unmasked = 0;
    return this.lines;
  }

  private maskLine(line: string): string {
    return cutLine(this.mask(line));
  }

  private show(line: string): void {
    try {
      this.onLine?.(line);
    } catch {
      // A broken progress display must not fail the hook.
    }
  }
}

export class LineSplitter {
  private partial = '';
  /** The rest of a line already given out in part (too long): dropped up to its line break. */
  private dropping = false;

  constructor(private readonly emit: (line: string) => void) {}

  push(chunk: string): void {
    let text = chunk;
    if (this.dropping) {
      const end = text.indexOf('\n');
      if (end === -1) return;
      text = text.slice(end + 1);
      this.dropping = false;
    }
    // A plain split and a look at each line's end: a regular expression split cost three times as
    // much, and a command may print millions of lines.
    const pieces = (this.partial + text).split('\n');
    this.partial = pieces.pop() ?? '';
    for (const piece of pieces) this.emit(piece.endsWith('\r') ? piece.slice(0, -1) : piece);
    // A stream without newlines must not be buffered forever. What it printed is shown up to
    // MAX_LINE_CHARS anyway; the rest of the line is dropped, not given out as lines of its own:
    // a secret across the break would be masked in neither piece, its second half shown (found by
    // a hostile pass).
    if (this.partial.length > MAX_LINE_CHARS * 8) {
      this.emit(this.partial);
      this.partial = '';
      this.dropping = true;
    }
  }

  flush(): void {
    if (this.partial !== '') this.emit(this.partial);
    this.partial = '';
  }
}

/** The first lines of a body or response, masked, bounded in lines and characters. */
export function headOf(
  text: string,
  mask: (line: string) => string = maskOutputLine,
  maxLines = HEAD_LINES,
  maxChars = HEAD_CHARS,
): string {
  const lines = text.split(/\r?\n/);
  let head = lines
    .slice(0, maxLines)
    .map((line) => cutLine(mask(line)))
    .join('\n');
  let cut = lines.length > maxLines;
  if (head.length > maxChars) {
    head = head.slice(0, maxChars);
    cut = true;
  }
  return cut ? `${head}\n…` : head;
}

/** The first non-empty line, masked, short enough to sit inside a one-line reason. */
export function firstLineOf(
  text: string,
  maxChars = 200,
  mask: (line: string) => string = maskOutputLine,
): string {
  const line = text.split(/\r?\n/).find((l) => l.trim() !== '') ?? '';
  const trimmed = mask(line.trim());
  return trimmed.length > maxChars ? `${trimmed.slice(0, maxChars)}…` : trimmed;
}

/** A one-line description of a thrown value, with the low-level cause (fetch hides it there). */
export function describeThrown(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const hint = (error as { hint?: unknown }).hint;
  const cause = error.cause instanceof Error ? error.cause.message : undefined;
  let text = error.message;
  // A message ending in a full stop would otherwise read "….: cause".
  if (cause !== undefined && cause !== '' && !text.includes(cause))
    text = `${text.replace(/\.$/, '')}: ${cause}`;
  if (typeof hint === 'string' && hint !== '') text = `${text} (${hint})`;
  return text;
}

function cutLine(line: string): string {
  return line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS)}…` : line;
}
