/**
 * `LocalProcesses` over Node's `process.kill(pid, 0)`: signal 0 sends nothing, it only checks
 * that the pid exists and may be signalled (https://nodejs.org/api/process.html#processkillpid-signal,
 * kill(2)). EPERM means it exists but is another user's: running. Anything else: not running.
 * A zombie (a killed process its parent has not reaped yet: a supervisor, a CI step's shell) still
 * answers signal 0 but runs nothing: on Linux its /proc/<pid>/stat state `Z` says so (found by a
 * hostile pass: a `kill -9`'d rollback's claim was waited for as a live one's).
 * https://man7.org/linux/man-pages/man5/proc_pid_stat.5.html
 */
import { readFileSync } from 'node:fs';
import type { LocalProcesses } from '../ports/local-processes.js';

export const localProcesses: LocalProcesses = {
  isRunning(pid: number): boolean {
    if (!Number.isSafeInteger(pid) || pid <= 0) return false;
    try {
      process.kill(pid, 0);
      return !isZombie(pid);
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'EPERM';
    }
  },
};

/** `Z` in /proc/<pid>/stat (after the command name in parentheses); false where there is no /proc. */
export function isZombie(
  pid: number,
  read: (path: string) => string = (path) => readFileSync(path, 'utf8'),
): boolean {
  try {
    const stat = read(`/proc/${pid}/stat`);
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
  } catch {
    return false;
  }
}
