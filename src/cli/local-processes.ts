/**
 * `LocalProcesses` over Node's `process.kill(pid, 0)`: signal 0 sends nothing, it only checks
 * that the pid exists and may be signalled (https://nodejs.org/api/process.html#processkillpid-signal,
 * kill(2)). EPERM means it exists but is another user's: running. Anything else: not running.
 */
import type { LocalProcesses } from '../ports/local-processes.js';

export const localProcesses: LocalProcesses = {
  isRunning(pid: number): boolean {
    if (!Number.isSafeInteger(pid) || pid <= 0) return false;
    try {
      process.kill(pid, 0);
      return true;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'EPERM';
    }
  },
};
