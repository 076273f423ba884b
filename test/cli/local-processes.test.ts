import { spawn, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { isZombie, localProcesses } from '../../src/cli/local-processes.js';
import { waitUntil } from '../helpers/wait-until.js';

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

  // A kill -9'd process its parent has not reaped answers signal 0 but runs nothing.
  it.runIf(process.platform === 'linux')('a zombie does not run', async () => {
    // The forked child exits at once and its parent never waits for it. Not `sh -c 'sleep 0 & …;
    // exec sleep 30'`: under load the child could exit before the exec and the shell reaped it,
    // leaving no zombie to wait for (a CI run timed out on it). perl is in Debian's perl-base.
    const parent = spawn(
      'perl',
      ['-e', '$| = 1; my $pid = fork // die; exit 0 unless $pid; print "$pid\n"; sleep 30'],
      {
        stdio: ['ignore', 'pipe', 'ignore'],
      },
    );
    try {
      const pid = Number(
        await new Promise<string>((resolve) => parent.stdout.once('data', (d) => resolve(String(d)))),
      );
      await waitUntil(() => isZombie(pid), `process ${pid} became a zombie`);
      expect(localProcesses.isRunning(pid)).toBe(false);
      expect(localProcesses.isRunning(parent.pid!)).toBe(true);
    } finally {
      parent.kill('SIGKILL');
    }
  });

  it.each([
    ['12 (node) S 1 12', false],
    ['12 (node) Z 1 12', true],
    ['12 (a) Z (b) R 1 12', false],
    ['12 (a) R (b) Z 1 12', true],
  ])('isZombie reads the state after the command name: %s', (stat, zombie) => {
    expect(isZombie(12, () => stat)).toBe(zombie);
  });

  it('isZombie is false where /proc cannot be read', () => {
    expect(
      isZombie(12, () => {
        throw new Error('ENOENT');
      }),
    ).toBe(false);
  });
});
