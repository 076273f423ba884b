import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { localProcesses } from '../../src/cli/local-processes.js';

describe('localProcesses (signal 0 to a pid)', () => {
  it('this process runs', () => {
    expect(localProcesses.isRunning(process.pid)).toBe(true);
  });

  it('a process that has exited does not', () => {
    const child = spawnSync(process.execPath, ['-e', '0']);
    expect(child.status).toBe(0);
    expect(localProcesses.isRunning(child.pid)).toBe(false);
  });

  it.each([0, -1, 1.5, Number.NaN, 2 ** 31])('%s is no pid of a running process', (pid) => {
    expect(localProcesses.isRunning(pid)).toBe(false);
  });
});
