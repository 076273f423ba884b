import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localProcesses } from '../../src/cli/local-processes.js';
import { parseProcessOwner } from '../../src/domain/owner-mark.js';
import { runCliInProcess } from '../helpers/run-cli-in-process.js';
import { aliasTruth, type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

/**
 * The owner an in-process run writes into a record (run-cli-in-process.ts RunOwner,
 * src/cli/owner.ts hostRunOwner) names a process of that run's own, which ends with it: what
 * status, check and rollback conclude from a runner's pid holds for the e2e files whose deploys
 * run in this worker (IN_PROCESS_E2E) as for a started CLI. With the worker's pid, a finished
 * run looked alive for the rest of the file, and two runs' claims were one owner's.
 */
describe('the owner of a run in this process (built CLI against a sandbox)', () => {
  let env: SandboxEnv;
  beforeAll(async () => {
    env = await startSandboxEnv({ preset: 'healthy' });
  });
  afterAll(async () => env.stop());

  const deploy = (...args: string[]) =>
    runCliInProcess(['deploy', 'demo', '--strategy', 'all-at-once', '--no-analysis', '--json', ...args], {
      env: { LSHIFT_SANDBOX: env.handle.url },
    });
  const ownerPid = () => {
    const owner = aliasTruth(env.handle).record?.owner ?? '';
    const pid = parseProcessOwner(owner)?.pid;
    if (pid === undefined) throw new Error(`the record's owner names no process: ${owner}`);
    return pid;
  };

  it("names a process of the run's own, not this worker's, no longer running once the run ended; another run, another", async () => {
    const first = await deploy();
    expect(first.code, first.stderr).toBe(0);
    const firstPid = ownerPid();
    expect(firstPid).not.toBe(process.pid);
    expect(localProcesses.isRunning(firstPid)).toBe(false);

    // Back onto version 1: a second deploy, which writes the record again.
    const second = await deploy('--version', '1');
    expect(second.code, second.stderr).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ status: 'promoted' });
    const secondPid = ownerPid();
    expect(secondPid).not.toBe(firstPid);
    expect(secondPid).not.toBe(process.pid);
    expect(localProcesses.isRunning(secondPid)).toBe(false);
  });
});
