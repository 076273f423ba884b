/**
 * Two containers with one hostname (one image, host networking, a Kubernetes pod's fixed
 * hostname) share `user@host` but not their pids. A check here finds a fresh rollback claim with
 * this `user@host` and a pid that does not run here: it takes it over at once only when the
 * claim's machine token (boot id + pid namespace, hashed) is this process's own. Built CLI
 * against a sandbox; the token is computed here from /proc, independently of the CLI's code.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, readlinkSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeRecord, encodeRecord } from '../../src/domain/deployment-record.js';
import { own } from '../../src/sandbox/own.js';
import { expectBuiltCliRunsAlike, runCliInProcess } from '../helpers/run-cli-in-process.js';
import { freshSandbox, type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

/** Not a CI job: the check's owner is user@host:pid/token, as on a cron host. */
const here = { GITHUB_ACTIONS: '', GITLAB_CI: '' };

function thisMachineToken(): string {
  const bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  const namespace = readlinkSync('/proc/self/ns/pid').trim();
  return createHash('sha256').update(`${bootId}\n${namespace}`).digest('hex').slice(0, 8);
}

/** The pid of a process that has exited: nothing runs under it here (until reused). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '0']);
  return child.pid;
}

async function deployedAndClaimedBy(env: SandboxEnv, owner: string) {
  const deploy = await env.cli(['deploy', 'demo', '--strategy', 'all-at-once', '--no-analysis'], {
    timeoutMs: 120_000,
  });
  expect(deploy.code, deploy.stderr).toBe(0);
  const fn = own(env.handle.state.data.functions, 'demo')!;
  const promoted = decodeRecord(fn.tags['lshift:live']!);
  fn.tags['lshift:live'] = encodeRecord({
    ...promoted,
    phase: 'rolling-back',
    owner,
    heartbeatAt: env.handle.state.simNow(),
  });
  return fn;
}

describe.runIf(process.platform === 'linux')(
  'lshift check and a claim from another container with this hostname',
  () => {
    let env: SandboxEnv | undefined;
    afterEach(async () => {
      await env?.stop();
      env = undefined;
    });

    // The sandbox clock runs 600× faster: with --stale-after 14d the claim stays fresh for the
    // test's whole run (33 real minutes), however slow the machine; only its pid can make it stale.
    const check = ['check', 'demo', '--alarm', 'demo-errors', '--window', '12h', '--stale-after', '14d'];
    const operator = `${userInfo().username}@${hostname()}`;

    it('leaves a claim with another machine token alone although its pid does not run here (exit 0)', async () => {
      env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'healthy' });
      const other = thisMachineToken() === '0badcafe' ? '0badcaff' : '0badcafe';
      const claimer = `check:${operator}:${deadPid()}/${other}`;
      const fn = await deployedAndClaimedBy(env, claimer);

      const result = await env.cli(check, { env: here });
      expect(result.code, result.stdout + result.stderr).toBe(0);
      expect(result.stdout).toContain(`another check is acting: ${claimer} is rolling it back`);
      expect(decodeRecord(fn.tags['lshift:live']!)).toMatchObject({ phase: 'rolling-back', owner: claimer });
      expect(await env.status()).toMatchObject({ functionVersion: '2', additionalWeights: {} });
    });

    it('finishes at once a claim with this machine token whose pid is gone (exit 3)', async () => {
      env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'healthy' });
      const pid = deadPid();
      const claimedHere = (made: SandboxEnv) =>
        deployedAndClaimedBy(made, `check:${operator}:${pid}/${thisMachineToken()}`);
      const fn = await claimedHere(env);

      const result = await env.cli(check, { env: here });
      expect(result.code, result.stdout + result.stderr).toBe(3);
      expect(result.stdout).toContain(`its process ${pid} no longer runs on this machine`);
      expect(decodeRecord(fn.tags['lshift:live']!)).toMatchObject({ phase: 'rolled-back' });
      expect(await env.status()).toMatchObject({ functionVersion: '1', additionalWeights: {} });
      // This run went through this worker's process (run-cli-in-process.ts; the file is in
      // IN_PROCESS_E2E, vitest.config.ts), its machine token the worker's: the built CLI, started on a
      // sandbox made alike, takes the claim over as its own too.
      const fresh = freshSandbox({ inProcess: runCliInProcess, preset: 'healthy' }, async (made) => {
        await claimedHere(made);
        return undefined;
      });
      await expectBuiltCliRunsAlike(result, check, { fresh, env: here });
    });
  },
);
