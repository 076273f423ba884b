/**
 * The processes of the machine lshift runs on. Asking whether one runs is a side effect (signal
 * 0 sent to a pid), so it lives in the shell (src/cli/local-processes.ts); tests pass a fake.
 */
export interface LocalProcesses {
  /** Whether a process with this pid runs on this machine (one of another user's counts). */
  isRunning(pid: number): boolean;
}
