/**
 * `stty tostop` and `lshift deploy … &`: the kernel stops a background job that writes to its
 * terminal (SIGTTOU), and a deploy stopped mid-shift leaves the traffic split with nobody
 * watching — what refusing Ctrl-Z (interrupts.ts) prevents. Node cannot ignore or block SIGTTOU,
 * the two dispositions under which Linux lets the write through (tty_check_change, "is_ignored");
 * a `process.on('SIGTTOU')` listener is neither, and measured (docs/architecture.md) it turns the
 * stop into a busy loop inside write(2): the kernel raises the signal, the write restarts, and
 * the listener never runs. So lshift does not write while it is a background job of a TOSTOP
 * terminal: its terminal output is held (at most TERMINAL_BACKLOG_BYTES) and written once it is
 * the foreground job again (`fg`) — or at exit, when the work is done: the kernel may stop it
 * then, the "Stopped (tty output)" the user asked for, with the result waiting for `fg`.
 *
 * Linux only (/proc/self/stat); elsewhere the writes go out as before.
 */
import { spawnSync } from 'node:child_process';
import { fstatSync, readFileSync, writeSync } from 'node:fs';
import { isBackgroundJobOf, parseProcStat, sttySaysTostop } from '../domain/terminal-job.js';
import { readWallMs } from './clocks.js';

/** How this process asks about its terminal; tests pass their own. */
export interface TerminalProbe {
  /** True while a write to `fd` would stop the process with SIGTTOU. */
  wouldStop(fd: number): boolean;
}

/** `stty tostop` can be typed while lshift runs: asked again at most this often. */
const TOSTOP_RECHECK_MS = 1000;

export function createTerminalProbe(): TerminalProbe {
  let tostop: { at: number; on: boolean } | undefined;
  const terminalHasTostop = (fd: number) => {
    const now = readWallMs();
    if (tostop === undefined || now - tostop.at >= TOSTOP_RECHECK_MS) {
      // stty reads the settings of its stdin; reading them never raises SIGTTOU.
      const stty = spawnSync('stty', ['-a'], { stdio: [fd, 'pipe', 'ignore'], encoding: 'utf8' });
      tostop = { at: now, on: stty.status === 0 && sttySaysTostop(stty.stdout) };
    }
    return tostop.on;
  };
  return {
    wouldStop(fd) {
      try {
        const stat = parseProcStat(readFileSync('/proc/self/stat', 'utf8'));
        return !!stat && isBackgroundJobOf(stat, fstatSync(fd).rdev) && terminalHasTostop(fd);
      } catch {
        // No /proc (macOS, Windows) or a terminal gone: write as before.
        return false;
      }
    },
  };
}

type WriteCallback = (error?: Error | null) => void;
type Write = (chunk: unknown, ...rest: unknown[]) => boolean;
type Chunk = string | Uint8Array;

/** A terminal stream and its file descriptor (1 or 2). */
export interface TerminalStream {
  stream: NodeJS.WritableStream;
  fd: number;
}

/**
 * Wraps the terminal streams' write: while `probe` says a write would stop lshift, chunks are
 * held in one queue for all the streams, so that they come out in the order they were written
 * (past `limit` bytes they are counted and dropped), and the write reports success, so nothing
 * waits for a 'drain' that would not come. The first write that may go out sends the held ones
 * first. At exit whatever is still held is written synchronously. Returns the bytes held now.
 */
export function holdWhileBackgrounded(
  terminals: readonly TerminalStream[],
  probe: TerminalProbe,
  limit: number,
  onExit: (listener: () => void) => void = (listener) => process.once('exit', listener),
): () => number {
  const writes = new Map(terminals.map(({ stream, fd }) => [fd, stream.write.bind(stream) as Write]));
  let held: { fd: number; chunk: Chunk }[] = [];
  let heldBytes = 0;
  let dropped = { bytes: 0, fd: 0 };
  const takeHeld = () => {
    const chunks = held;
    held = [];
    heldBytes = 0;
    if (dropped.bytes > 0) {
      const kib = Math.ceil(dropped.bytes / 1024);
      chunks.push({
        fd: dropped.fd,
        chunk: `\n(lshift dropped ${kib} KiB of output while it ran in the background of a \`stty tostop\` terminal)\n`,
      });
      dropped = { bytes: 0, fd: 0 };
    }
    return chunks;
  };
  for (const { stream, fd } of terminals) {
    stream.write = ((chunk: Chunk, ...rest: unknown[]) => {
      if (!probe.wouldStop(fd)) {
        for (const earlier of takeHeld()) writes.get(earlier.fd)?.(earlier.chunk);
        return (writes.get(fd) as Write)(chunk, ...rest);
      }
      const size = typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength;
      if (heldBytes + size <= limit) {
        held.push({ fd, chunk });
        heldBytes += size;
      } else dropped = { bytes: dropped.bytes + size, fd };
      const callback = rest.find((arg): arg is WriteCallback => typeof arg === 'function');
      if (callback) process.nextTick(callback);
      return true;
    }) as typeof stream.write;
  }
  onExit(() => {
    for (const { fd, chunk } of takeHeld()) {
      try {
        // Synchronous: nothing asynchronous runs once 'exit' is emitted. Still a background
        // job, the kernel stops lshift here, its work done, until `fg`.
        if (typeof chunk === 'string') writeSync(fd, chunk);
        else writeSync(fd, chunk);
      } catch {
        return; // The terminal is gone (EIO) or full (EAGAIN): the exit code tells the rest.
      }
    }
  });
  return () => heldBytes;
}
