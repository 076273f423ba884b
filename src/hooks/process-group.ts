/**
 * A `cmd:` hook's process group: started as its own group, killed as one (SIGTERM, a grace
 * period, SIGKILL), and never left behind — not when lshift stops it, not when lshift exits or
 * dies in the grace period (the lifeline watcher).
 */
import type { ChildProcess } from 'node:child_process';
import type { Writable } from 'node:stream';

const GROUP_POLL_MS = 50;

/**
 * How the command's process group ends when lshift dies without a chance to end it (kill -9, the
 * OOM killer, a crash of node): the shell lshift starts forks a watcher, then becomes the command
 * (`exec /bin/sh -c "$1"`: the same process, pid, exit code and signal as a plain `sh -c`). The
 * watcher blocks reading fd 3, a pipe whose other end only lshift holds (the command gets no fd
 * 3). When lshift's hook ends it writes a line there: the watcher leaves quietly, and whatever the
 * command left running in the background is left as before — unless lshift had stopped the group
 * (`grace`): the command's shell may have died of the SIGTERM while a child ignoring it lives on,
 * so the watcher stays to send the grace period's SIGKILL in case lshift dies before it does
 * (lshift's own SIGKILL, sent first while it lives, ends the watcher too). When lshift dies the kernel closes
 * its end: the read meets end-of-file with no line, and the watcher ends the group as lshift's own
 * stop would — SIGTERM, the grace period ($2, whole seconds), SIGKILL. The watcher ignores
 * SIGTERM from its birth (`sleep` inherits that): a stop of lshift's (timeout, abort, Ctrl-C) signals the whole
 * group, and should lshift die within that stop's grace period, before its SIGKILL, the watcher
 * is still there to send it; the command ended, lshift's line sends the watcher away, and the
 * group is gone. It costs one fork of the shell (no new program) per hook.
 * The command is "$1", never spliced into the script.
 */
export const LIFELINE_SCRIPT = [
  // Ignored before the fork, so the watcher is born ignoring it (a subshell keeps ignored signals:
  // POSIX, Shell Command Language 2.12), then restored for the command. Set inside the watcher,
  // a stop's SIGTERM right after the start could reach it before its trap ran, under load: it
  // died, and with lshift killed in the grace period a command ignoring SIGTERM outlived both
  // (seen once in a loaded CI run).
  'trap "" TERM',
  '{ if read -r line <&3; then [ "$line" = grace ] || exit 0; else kill -TERM 0; fi; sleep "$2"; kill -KILL 0; } </dev/null >/dev/null 2>&1 &',
  'trap - TERM',
  'exec /bin/sh -c "$1" 3<&-',
].join('\n');

/**
 * lshift's end of the command's lifeline (LIFELINE_SCRIPT), released once the hook has ended:
 * `done` sends the watcher away; `grace` (the group was stopped) leaves it to send SIGKILL after
 * the grace period, which lshift's own poll sends first while lshift lives.
 */
export function holdLifeline(child: ChildProcess): { release: (how: 'done' | 'grace') => void } {
  const line = child.stdio[3] as Writable | null | undefined;
  // The watcher is gone already when the group was stopped: a write then fails (EPIPE), harmlessly.
  line?.on('error', () => undefined);
  return {
    release: (how) => {
      if (!line) return;
      line.end(`${how}\n`);
      // After `grace` the watcher keeps its end open for the grace period: not a reason for lshift
      // to stay up (its end of the socket would keep the event loop alive).
      (line as Writable & { unref?: () => void }).unref?.();
    },
  };
}

/**
 * Process groups of commands still running or not yet confirmed dead. lshift may exit before a
 * group's SIGKILL is due (a second Ctrl-C exits at once, in the 2 s grace): a group that ignores
 * SIGTERM would then outlive lshift. On exit, whatever is left is killed; `process.kill` is
 * synchronous, so it works in an 'exit' listener.
 */
const liveGroups = new Set<number>();

export function trackGroup(pgid: number | undefined): () => void {
  if (pgid === undefined) return () => undefined;
  if (liveGroups.size === 0) process.on('exit', killLiveGroups);
  liveGroups.add(pgid);
  return () => {
    // Still alive after the command ended: a stop is in its grace period; the poll releases it.
    if (signalGroup(pgid, 0) && pendingKills.has(pgid)) return;
    releaseGroup(pgid);
  };
}

function releaseGroup(pgid: number): void {
  if (!liveGroups.delete(pgid)) return;
  if (liveGroups.size === 0) process.off('exit', killLiveGroups);
}

/** The grace-period polls of groups lshift stopped (killGroup), by process group. */
const pendingKills = new Map<number, NodeJS.Timeout>();

/**
 * The stopped command ended and its watcher now holds the grace period's SIGKILL (`grace` on the
 * lifeline): lshift's own poll no longer keeps it running, nor does its exit kill the group early.
 */
export function handOverGroup(pgid: number): void {
  pendingKills.get(pgid)?.unref();
  releaseGroup(pgid);
}

function killLiveGroups(): void {
  for (const pgid of liveGroups) signalGroup(pgid, 'SIGKILL');
}

/**
 * SIGTERM to the whole process group, then SIGKILL after the grace period unless the group is
 * already gone. A negative pid addresses the group, which `detached: true` made the child lead.
 */
export function killGroup(child: ChildProcess, graceMs: number): void {
  const pgid = child.pid;
  if (pgid === undefined) return;
  if (!signalGroup(pgid, 'SIGTERM')) return;
  const done = (): void => {
    clearInterval(poll);
    pendingKills.delete(pgid);
    releaseGroup(pgid);
  };
  // Counts poll ticks instead of reading the clock: hooks never read the time (only the clock
  // adapter does), and a tick late under load only lengthens the grace.
  let waitedMs = 0;
  const poll = setInterval(() => {
    waitedMs += GROUP_POLL_MS;
    if (!signalGroup(pgid, 0)) {
      done();
    } else if (waitedMs >= graceMs) {
      signalGroup(pgid, 'SIGKILL');
      done();
    }
  }, GROUP_POLL_MS);
  pendingKills.set(pgid, poll);
}

/** false when the group no longer exists. */
function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}
