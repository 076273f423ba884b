import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ANALYSIS_WITHOUT_CHANCE, type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

/**
 * `kill -9` of lshift while a `cmd:` pre-traffic hook runs (built CLI against a sandbox): lshift
 * runs no handler, yet the hook's shell and what it started end — the watcher the hook runs beside
 * finds lshift's end of their pipe closed (src/hooks/process-group.ts, LIFELINE_SCRIPT). Before,
 * they ran on (here `sleep 600`: ten minutes; a smoke test against production, until it ended).
 */

/** A zombie (state Z) has exited; only its entry is left where nobody reaps it. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** The pid in `file` once its whole line is written (an event: the hook got that far). */
async function pidIn(file: string): Promise<number> {
  const giveUpAt = Date.now() + 60_000;
  while (Date.now() < giveUpAt) {
    if (existsSync(file)) {
      const text = readFileSync(file, 'utf8');
      if (text.endsWith('\n')) return Number(text.trim());
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no pid written to ${file}`);
}

describe('kill -9 of lshift while a command hook runs', () => {
  let env: SandboxEnv | undefined;
  let dir: string | undefined;
  const leftover: number[] = [];
  afterEach(async () => {
    for (const pid of leftover.splice(0)) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    await env?.stop();
    env = undefined;
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("ends the hook's shell and its children", async () => {
    env = await startSandboxEnv({ preset: 'healthy' });
    dir = mkdtempSync(join(tmpdir(), 'lshift-hook-kill9-'));
    const [sh, bg] = [join(dir, 'sh.pid'), join(dir, 'bg.pid')];
    const hook = `cmd:sleep 600 & echo $! > ${bg}; echo $$ > ${sh}; wait`;
    let pids: number[] = [];
    const deploy = await env.cli(
      [
        'deploy',
        'demo',
        '--strategy',
        'all-at-once',
        '--alarm',
        'demo-errors',
        ...ANALYSIS_WITHOUT_CHANCE,
        '--pre-hook',
        hook,
      ],
      {
        onSpawn: (child) => {
          void Promise.all([pidIn(bg), pidIn(sh)]).then((found) => {
            pids = found;
            leftover.push(...found);
            child.kill('SIGKILL');
          });
        },
      },
    );
    expect(deploy.signal, deploy.stderr).toBe('SIGKILL');
    expect(pids).toHaveLength(2);
    // Bounded only to fail rather than hang: they end as soon as the kernel closes lshift's end.
    const giveUpAt = Date.now() + 15_000;
    while (pids.some(isAlive) && Date.now() < giveUpAt) await new Promise((r) => setTimeout(r, 20));
    expect(pids.filter(isAlive)).toEqual([]);
  });
});
