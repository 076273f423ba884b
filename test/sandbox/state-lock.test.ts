import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type SandboxHandle, startSandbox } from '../../src/sandbox/index.js';
import type { ProcessProbe } from '../../src/sandbox/lock-holder.js';
import { acquireStateLock } from '../../src/sandbox/state-lock.js';
import { stopAfterEach } from './helpers.js';

const running = stopAfterEach<SandboxHandle>();

const stateIn = () => join(mkdtempSync(join(tmpdir(), 'lshift-lock-')), 'state.json');

async function start(stateFile: string): Promise<SandboxHandle> {
  const handle = await startSandbox({ stateFile, lambdaRate: 'off' });
  running.push(handle);
  return handle;
}

/** A pid no process can have: Linux pids stop at 4194304 (pid_max's ceiling), macOS's at 99999. */
const DEAD_PID = 99_999_999;

describe('one sandbox per state file', () => {
  it('refuses a second sandbox on the same state file, naming the pid that holds it (exit 1)', async () => {
    const stateFile = stateIn();
    await start(stateFile);
    const refused = await startSandbox({ stateFile }).catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: 'SANDBOX_STATE_IN_USE', exitCode: 1 });
    expect((refused as Error).message).toContain(`pid ${process.pid}`);
    expect((refused as Error).message).toContain(stateFile);
  });

  it('refuses a second sandbox reaching the same file through a symlink or another path', async () => {
    const stateFile = stateIn();
    const first = await start(stateFile);
    await first.stop();
    running.splice(running.indexOf(first), 1);
    const link = join(stateFile, '..', 'link.json');
    symlinkSync(stateFile, link);
    await start(stateFile);
    for (const other of [link, join(stateFile, '..', '.', 'state.json')]) {
      await expect(startSandbox({ stateFile: other })).rejects.toMatchObject({
        code: 'SANDBOX_STATE_IN_USE',
      });
    }
  });

  it('lets the next sandbox in once the first has stopped', async () => {
    const stateFile = stateIn();
    const first = await start(stateFile);
    await first.stop();
    running.splice(running.indexOf(first), 1);
    expect(existsSync(`${stateFile}.lock`)).toBe(false);
    await start(stateFile);
  });

  it('takes over a lock left by a process that died', async () => {
    const stateFile = stateIn();
    writeFileSync(`${stateFile}.lock`, JSON.stringify({ pid: DEAD_PID, host: hostname(), token: 't' }));
    await start(stateFile);
    expect(JSON.parse(readFileSync(`${stateFile}.lock`, 'utf8')).pid).toBe(process.pid);
    expect(readdirSync(join(stateFile, '..')).sort()).toEqual(['state.json', 'state.json.lock']);
  });

  // Process start times come from /proc: elsewhere a live pid always counts as the holder.
  it.runIf(existsSync('/proc/self/stat'))(
    'takes over a lock whose pid now belongs to another process (started at another time)',
    async () => {
      const stateFile = stateIn();
      writeFileSync(
        `${stateFile}.lock`,
        JSON.stringify({ pid: 1, startTime: 'not-when-1-started', token: 't' }),
      );
      await start(stateFile);
      expect(JSON.parse(readFileSync(`${stateFile}.lock`, 'utf8')).pid).toBe(process.pid);
    },
  );

  it('refuses a lock from another host: whether its pid runs cannot be told from here', async () => {
    const stateFile = stateIn();
    writeFileSync(`${stateFile}.lock`, JSON.stringify({ pid: DEAD_PID, host: 'elsewhere', token: 't' }));
    const refused = await startSandbox({ stateFile }).catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: 'SANDBOX_STATE_IN_USE', exitCode: 1 });
    expect((refused as Error).message).toContain('on host elsewhere');
    expect(JSON.parse(readFileSync(`${stateFile}.lock`, 'utf8')).host).toBe('elsewhere');
  });

  it('refuses when the lock is not a file a sandbox wrote (a directory), and leaves it', async () => {
    const stateFile = stateIn();
    mkdirSync(`${stateFile}.lock`);
    const refused = await startSandbox({ stateFile }).catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: 'SANDBOX_STATE_IN_USE', exitCode: 1 });
    expect((refused as Error).message).toContain('a directory');
    expect(existsSync(`${stateFile}.lock`)).toBe(true);
  });

  it('releases the lock when it cannot start (the state file is invalid)', async () => {
    const stateFile = stateIn();
    writeFileSync(stateFile, '{"format": 2}');
    await expect(startSandbox({ stateFile })).rejects.toMatchObject({ code: 'SANDBOX_STATE_INVALID' });
    expect(existsSync(`${stateFile}.lock`)).toBe(false);
  });
});

describe('taking over a stale lock', () => {
  it('never removes a lock another sandbox took in its place meanwhile', () => {
    const stateFile = stateIn();
    const lockFile = `${stateFile}.lock`;
    writeFileSync(lockFile, JSON.stringify({ pid: 41, host: 'here', token: 'stale' }));
    const racer = JSON.stringify({ pid: 42, host: 'here', token: 'racer' });
    const probe: ProcessProbe = {
      pid: 10,
      host: 'here',
      // While this sandbox judges pid 41 dead, another one takes the lock over first.
      isAlive: (pid) => {
        if (pid === 41) writeFileSync(lockFile, racer);
        return pid === 42;
      },
      startTime: () => undefined,
    };
    expect(() => acquireStateLock(stateFile, probe)).toThrow(/held by the sandbox with pid 42/);
    expect(readFileSync(lockFile, 'utf8')).toBe(racer);
    expect(readdirSync(join(stateFile, '..'))).toEqual(['state.json.lock']);
  });

  it('releases only its own lock', () => {
    const stateFile = stateIn();
    const lock = acquireStateLock(stateFile);
    const other = JSON.stringify({ pid: 42, token: 'other' });
    writeFileSync(lock.path, other);
    lock.release();
    expect(readFileSync(lock.path, 'utf8')).toBe(other);
  });
});
