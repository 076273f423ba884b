/**
 * stdout and stderr for everything lshift prints: renderers, results, errors, signal messages.
 *
 * It is also the choke point for what reaches the terminal: every text written here goes through
 * `printableLines` (src/domain/printable.ts), so an ESC, a carriage return, a line separator or a
 * bidirectional override in a function name, an alarm name or an AWS message is shown as � or `\u{202E}`, never
 * acted on. lshift's own terminal control (cursor, redraw) is the only thing written raw, through
 * `writeControl`.
 *
 * Output is best effort; the safety logic is not. When the reader of a pipe goes away
 * (`lshift deploy … 2> >(head -20)`, a CI log collector that died) a write fails with EPIPE, and
 * after SIGHUP a write to the closed terminal fails with EIO. Node reports that as an 'error'
 * event on process.stdout/stderr, which, with no listener, is an uncaught exception: the process
 * would exit 1 mid-shift with the alias split. So one listener per stream is installed before
 * anything runs (bin/run.js): a failed stream is marked broken and lshift carries on without it —
 * keeps shifting or rolls back, and exits with the code that tells what happened to the alias.
 *
 * This module must stay cheap to import: bin/run.js loads it before oclif.
 */
import { closeSync, writeSync } from 'node:fs';
import { isatty } from 'node:tty';
import { printable, printableLines } from '../domain/printable.js';
import { spellInAscii, terminalWantsAscii } from './ascii-terminal.js';
import { createTerminalProbe, holdWhileBackgrounded } from './background-terminal.js';
import { isDebugRun } from './debug.js';
import { judgeLostOutput } from './lost-output.js';
import { routeNodeWarnings } from './node-warnings.js';

/**
 * What every text written here passes through first: the commands it offers given the run's
 * target flags, once the command knows them (run-target.ts). Set from outside, so this module
 * stays cheap to import. A JSON text (a write starting with `{` or `[`: `--json`'s object,
 * NDJSON's events) is not filtered here: a quote in a flag's value would break it; its writers
 * target the object before it is stringified (targetCommandsInJson).
 */
let outputFilter: ((text: string) => string) | undefined;

export function filterOutputText(filter: ((text: string) => string) | undefined): void {
  outputFilter = filter;
}

/**
 * `text` as the streams would write it: for what listr2 writes to process.stderr itself, past
 * these streams (the TTY task list's warnings and waits: renderers/listr-renderer.ts).
 */
export function offeredText(text: string): string {
  return textFilter(text);
}

/** A JSON object or array (`--json`'s, an NDJSON line), not a text line such as `[alpha] …`. */
const JSON_TEXT = /^\s*(?:\{|\[\s*(?:[[{"\]\d-]|true|false|null|$))/;

function textFilter(text: string): string {
  if (!outputFilter || JSON_TEXT.test(text)) return text;
  return outputFilter(text);
}

export interface OutputStream {
  /** Writes the text, made printable, unless the stream has failed; never throws. */
  write(text: string): void;
  /** Writes past any capture (listr2 buffers process.stderr.write while it renders); never throws. */
  writeNow(text: string): void;
  /** lshift's own terminal control sequence (show the cursor, redraw), written as it is and at once. */
  writeControl(sequence: string): void;
  /**
   * A GitHub workflow command lshift built (`::error title=…::…`, its data escaped so that it is
   * one line): the one line allowed to start with `::`, still without control characters. Not
   * passed through the run target's filter: its builder targets the message before escaping it
   * (workflow-escape.ts: escapeMessage), as a flag added after would be read unescaped.
   */
  writeWorkflowCommand(line: string): void;
  /** True once a write failed: the reader is gone. */
  readonly broken: boolean;
}

type ProcessStream = NodeJS.WritableStream & { destroyed: boolean; errored?: Error | null };

/** Exported for tests; lshift itself uses `stdout` and `stderr` below. */
export class GuardedStream implements OutputStream {
  #failed = false;
  /** The errno code of the first failure (EPIPE, ENOSPC…), when the stream said one. */
  #failure: string | undefined;
  /** The stream's own write, captured before listr2 (or anything else) replaces it. */
  readonly #rawWrite: ProcessStream['write'];
  readonly onError = (error?: unknown) => {
    this.#failed = true;
    this.#failure ??= errnoOf(error);
  };

  constructor(private readonly stream: ProcessStream) {
    this.#rawWrite = stream.write;
    stream.on('error', this.onError);
  }

  /**
   * Ours must be the only 'error' listener: @oclif/core adds one to stdout that swallows EPIPE
   * but rethrows anything else, so an EIO (terminal gone) would still crash the process.
   */
  dropOtherErrorListeners(): void {
    for (const listener of this.stream.listeners('error')) {
      if (listener !== this.onError) this.stream.off('error', listener as (...args: unknown[]) => void);
    }
  }

  /** Why the stream failed (an errno code such as EPIPE or ENOSPC), or undefined. */
  get failure(): string | undefined {
    return this.#failure ?? errnoOf(this.stream.errored) ?? (this.broken ? 'unknown' : undefined);
  }

  get broken(): boolean {
    // `errored` is set by the failed write itself; the 'error' event comes a tick later.
    return this.#failed || this.stream.destroyed || !!this.stream.errored;
  }

  write(text: string): void {
    this.#send(() => this.stream.write(printableLines(textFilter(text))));
  }

  writeNow(text: string): void {
    this.#send(() => this.#rawWrite.call(this.stream, printableLines(textFilter(text))));
  }

  writeControl(sequence: string): void {
    this.#send(() => this.#rawWrite.call(this.stream, sequence));
  }

  writeWorkflowCommand(line: string): void {
    this.#send(() => this.stream.write(`${printable(line)}\n`));
  }

  #send(write: () => unknown): void {
    if (this.broken) return;
    try {
      write();
    } catch (error) {
      // A synchronous failure (a stream already ended) means the same as an 'error' event.
      this.onError(error);
    }
  }
}

function errnoOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

let streams: { stdout: GuardedStream; stderr: GuardedStream } | undefined;

/**
 * Call as early as possible (an error emitted before it would still crash), and again once
 * @oclif/core is loaded: each call leaves our listener the only 'error' listener. The first call
 * also takes Node's own warnings (process.emitWarning) off their raw path to fd 2: they come
 * here, one line each on stderr (node-warnings.ts).
 */
export function guardOutputStreams(): { stdout: OutputStream; stderr: OutputStream } {
  if (!streams) {
    // Before the guards capture the streams' write: a terminal that is not UTF-8 gets ASCII.
    if (terminalWantsAscii(process.env)) {
      if (isatty(1)) spellInAscii(process.stdout);
      if (isatty(2)) spellInAscii(process.stderr);
    }
    writeTerminalsWithoutBlocking(process.stdout, process.stderr);
    // Before the guards capture the streams' write, and before the exit listeners below.
    holdTerminalsWhileBackgrounded();
    const guarded = { stdout: new GuardedStream(process.stdout), stderr: new GuardedStream(process.stderr) };
    streams = guarded;
    // Before releaseHungUpTerminalOnExit: it may close the fds this writes to.
    reportLostOutputOnExit(guarded.stdout);
    releaseHungUpTerminalOnExit();
    exitWhenOnlyAFailedStreamIsAwaited(guarded);
    const debug = isDebugRun(process.argv.slice(2));
    routeNodeWarnings((text) => guarded.stderr.write(text), process, debug);
  }
  streams.stdout.dropOtherErrorListeners();
  streams.stderr.dropOtherErrorListeners();
  return streams;
}

/**
 * Node writes to a terminal synchronously on Linux ("A note on process I/O",
 * https://nodejs.org/api/process.html#a-note-on-process-io): a write blocks the whole process
 * while the terminal takes no output — Ctrl-S (XOFF) pressed by accident, an SSH connection that
 * stalls without dropping. Mid-shift that froze every timer: no health poll, no heartbeat, no
 * rollback, the alias split with nobody watching until the terminal read again. Writes queue
 * instead (libuv reopened the terminal for this process, so the shell's own descriptor stays
 * blocking), at most TERMINAL_BACKLOG_BYTES of them, and drain when the terminal reads again.
 * Pipes and files are left as they are: Node already writes a pipe without blocking, and a file
 * does not stall.
 */
export function writeTerminalsWithoutBlocking(...writables: readonly NodeJS.WriteStream[]): void {
  for (const stream of writables) {
    if (!stream.isTTY) continue;
    const handle = (stream as { _handle?: { setBlocking?: (blocking: boolean) => number } })._handle;
    if (handle?.setBlocking?.(false) === 0) boundBacklog(stream, TERMINAL_BACKLOG_BYTES);
  }
}

/**
 * A background job of a `stty tostop` terminal holds its terminal output rather than be stopped
 * by the kernel mid-shift (background-terminal.ts). Linux only: the probe reads /proc.
 */
function holdTerminalsWhileBackgrounded(): void {
  if (process.platform !== 'linux') return;
  const terminals = [
    { stream: process.stdout, fd: 1 },
    { stream: process.stderr, fd: 2 },
  ].filter(({ stream }) => stream.isTTY);
  if (terminals.length > 0) holdWhileBackgrounded(terminals, createTerminalProbe(), TERMINAL_BACKLOG_BYTES);
}

/**
 * What may wait for a terminal that takes no output: about 4 minutes of listr2's redraws
 * (measured ~15 KB/s with the sparklines on). Past it redraws are dropped rather than held, so a
 * terminal stopped for an hour costs no more memory than one stopped for four minutes.
 */
export const TERMINAL_BACKLOG_BYTES = 4 * 1024 * 1024;

type WriteCallback = (error?: Error | null) => void;

/**
 * Drops what is written to `stream` while more than `limit` bytes wait for it, and says so once
 * the terminal took the rest (a redraw after a dropped one may leave a stale line or two above).
 * Exported for tests.
 */
export function boundBacklog(
  stream: NodeJS.WritableStream & { writableLength: number },
  limit: number,
): void {
  const write = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
  let droppedBytes = 0;
  stream.on('drain', () => {
    if (droppedBytes === 0) return;
    const kib = Math.ceil(droppedBytes / 1024);
    droppedBytes = 0;
    write(
      `\n(lshift dropped ${kib} KiB of progress output while this terminal took none; \`lshift status\` shows where the deployment is)\n`,
    );
  });
  stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    if (stream.writableLength <= limit) return write(chunk, ...rest);
    droppedBytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength;
    const callback = rest.find((arg): arg is WriteCallback => typeof arg === 'function');
    if (callback) process.nextTick(callback);
    return false;
  }) as typeof stream.write;
}

/**
 * stdout lost to a full disk or device (not a reader that went away): said on stderr at the very
 * end, and a command that changes nothing exits 1 instead of 0 (src/cli/lost-output.ts).
 */
function reportLostOutputOnExit(out: GuardedStream): void {
  const wasTty = isatty(1);
  process.once('exit', () => {
    const code = typeof process.exitCode === 'number' ? process.exitCode : Number(process.exitCode ?? 0);
    const lost = judgeLostOutput(out.failure, code, process.argv.slice(2), wasTty && !isatty(1));
    if (!lost) return;
    try {
      // Synchronous: nothing asynchronous runs once 'exit' is emitted.
      writeSync(2, printableLines(lost.text));
    } catch {
      // stderr failed too: the exit code is all that is left to tell it.
    }
    process.exitCode = lost.exitCode;
  });
}

/**
 * On exit Node 20 restores the terminal settings of every stdio fd that was a TTY at start, and
 * aborts (SIGABRT/SIGSEGV, exit code lost) when that fails — as it does with EIO once the terminal
 * hung up (SIGHUP: window closed, SSH dropped). Fixed in Node 24 (nodejs/node#58200, issue
 * nodejs/node#51519), not in 20. Node skips a closed fd, so a stdio fd whose terminal is gone is
 * closed at the very end: lshift then exits with the code that tells what happened to the alias.
 */
function releaseHungUpTerminalOnExit(): void {
  const wasTty = [0, 1, 2].map((fd) => isatty(fd));
  process.once('exit', () => {
    for (const fd of [0, 1, 2]) {
      // isatty() fails on a hung-up terminal (every ioctl on it returns EIO).
      if (!wasTty[fd] || isatty(fd)) continue;
      try {
        closeSync(fd);
      } catch {
        // Already closed: nothing for Node to restore either.
      }
    }
  });
}

/**
 * bin/run.js awaits oclif's flush() at top level, and flush() waits for a 'drain' that a failed
 * stream (`> /dev/full`, a pipe whose reader went away) never emits: with nothing else to do, Node
 * ended the process with 13 ("unsettled top-level await") although the command had succeeded.
 * When the event loop empties and a stream has failed, lshift exits with the code the command set.
 */
function exitWhenOnlyAFailedStreamIsAwaited(guarded: { stdout: GuardedStream; stderr: GuardedStream }): void {
  process.on('beforeExit', () => {
    if (guarded.stdout.broken || guarded.stderr.broken) process.exit(process.exitCode ?? 0);
  });
}

/** The guarded process.stdout (results, `--json`, NDJSON). */
export const stdout: OutputStream = {
  write: (text) => guardOutputStreams().stdout.write(text),
  writeNow: (text) => guardOutputStreams().stdout.writeNow(text),
  writeControl: (sequence) => guardOutputStreams().stdout.writeControl(sequence),
  writeWorkflowCommand: (line) => guardOutputStreams().stdout.writeWorkflowCommand(line),
  get broken() {
    return guardOutputStreams().stdout.broken;
  },
};

/** The guarded process.stderr (progress, errors, warnings). */
export const stderr: OutputStream = {
  write: (text) => guardOutputStreams().stderr.write(text),
  writeNow: (text) => guardOutputStreams().stderr.writeNow(text),
  writeControl: (sequence) => guardOutputStreams().stderr.writeControl(sequence),
  writeWorkflowCommand: (line) => guardOutputStreams().stderr.writeWorkflowCommand(line),
  get broken() {
    return guardOutputStreams().stderr.broken;
  },
};
