import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeRecord } from '../../src/domain/deployment-record.js';
import { DEMO_SCENARIOS, type SandboxHandle, seedDemo, startSandbox } from '../../src/sandbox/index.js';
import { own } from '../../src/sandbox/own.js';
import { type FaultProxy, type ProxyMatch, startFaultProxy } from '../helpers/fault-proxy.js';
import { RUN_JS, runCli } from '../helpers/run-cli.js';
import { FNS, truth, until } from './release-fleet.js';
import { ANALYSIS_WITHOUT_CHANCE } from './sandbox-env.js';

/**
 * `lshift rollback beta` from another terminal while a pre-traffic hook runs — one of the whole
 * release (`cmd:… sleep 600`, run once for alpha, beta and gamma), or alpha's own (`{function}`):
 * the hook's process is ended at the release's next heartbeat, as a single deploy's is, and the
 * release stops for beta: beta is left to the rollback, alpha and gamma are closed rolled back, no
 * alias ever moved. Beta rolled back by that rollback (its alias on its stable version), the release
 * ends rolled back (exit 3, beta `ROLLED_BACK_BY_OTHER`); before, a conflict (exit 5) that a
 * pipeline would retry.
 *
 * The release's requests go through a proxy, and the rollback runs whole between two of the
 * release's heartbeats of beta: beta's next record read is held at the proxy, and the release
 * stopped (SIGSTOP), until the rollback has ended — so the rollback's claim is never written over,
 * and beta's record says who rolled it back. Run beside the beats, a heartbeat whose read came
 * before the claim could land after the rollback's close (a loaded machine: the claim's 3-s settle
 * is 50 real ms at speed 60) and put beta's record back as the release's own; the release, seeing
 * nothing, ran its hour-long hook past the test's timeout (CI, 3 December 2026). Now it finds the
 * takeover by beta's alias and stops for it as a conflict (exit 5): that race has its own test
 * below, and an engine twin (late-beat-takeover.test.ts).
 */

/** beta's record requests (ListTags, TagResource on its unqualified ARN). */
const BETA_RECORD: ProxyMatch = { path: /\/2017-03-31\/tags\/.*function(:|%3A)beta$/ };

/**
 * Holds beta's record requests at the proxy until the one held is a read: the release's write of
 * beta's record that came before it has then landed (each heartbeat reads, then writes), and none
 * is on its way. A write held first (its read came before) is let through, and the next read held.
 */
async function holdBetweenBetaBeats(proxy: FaultProxy): Promise<void> {
  for (let held = 1; ; held++) {
    proxy.arm({ match: BETA_RECORD, times: Number.POSITIVE_INFINITY, fault: 'hold' });
    const event = await proxy.waitForHeld(held);
    if (event.method === 'GET') return;
    proxy.releaseHeld();
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * The hooks: the shell becomes `sleep` (exec), so the pid written is the process that must be
 * ended. Their timeout (an hour, the longest; hook timeouts run on real time) is beyond the test's
 * own: a release that did not end the hook at the takeover runs it until the test times out, and
 * a loaded machine's slow rollback CLI never meets the hook's timeout first (at 2 minutes it could).
 */
const HOOKS = [
  // No `{function}` in it: a hook of the whole release.
  {
    name: 'a hook of the whole release',
    hook: (pidFile: string) => `cmd:echo $$ > ${pidFile}; exec sleep 600`,
  },
  // With `{function}`: each function's own, run in turn; alpha's (the first) sleeps, beta is taken over.
  {
    name: "alpha's own hook",
    hook: (pidFile: string) => `cmd:if [ {function} = alpha ]; then echo $$ > ${pidFile}; exec sleep 600; fi`,
  },
];

/** A release of alpha, beta and gamma through a proxy, its pre-traffic hook running. */
interface Running {
  handle: SandboxHandle;
  proxy: FaultProxy;
  runner: ReturnType<typeof spawn>;
  hookPid: number;
  exited: Promise<number | null>;
  out: { stdout: string; stderr: string };
}

/** What each test started, for afterEach to end whatever an assertion left running. */
let running: Partial<Running> = {};

afterEach(async () => {
  const { runner, hookPid, proxy, handle } = running;
  running = {};
  // A failed assertion must not leave the release (stopped, perhaps), or its hook's sleep, running.
  if (runner && runner.exitCode === null) runner.kill('SIGKILL');
  if (hookPid !== undefined && isRunning(hookPid)) process.kill(hookPid, 'SIGKILL');
  proxy?.releaseHeld();
  await proxy?.stop();
  await handle?.stop();
});

async function startRelease(hookFor: (pidFile: string) => string): Promise<Running> {
  const handle = await startSandbox({ speed: 60, seed: 7 });
  running.handle = handle;
  for (const fn of FNS) await seedDemo(handle, { functionName: fn, ...DEMO_SCENARIOS.healthy });
  const proxy = await startFaultProxy(handle.url);
  running.proxy = proxy;
  const dir = mkdtempSync(join(tmpdir(), 'lshift-relhook-'));
  const pidFile = join(dir, 'hook.pid');
  const env = { ...process.env, CI: 'true', LSHIFT_SANDBOX: proxy.url };
  const deploy = [RUN_JS, 'deploy', ...FNS, ...ANALYSIS_WITHOUT_CHANCE, '--json'];
  const runner = spawn(
    process.execPath,
    [...deploy, '--pre-hook', hookFor(pidFile), '--hook-timeout', '1h'],
    {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  running.runner = runner;
  const out = { stdout: '', stderr: '' };
  runner.stdout?.on('data', (d) => (out.stdout += d));
  runner.stderr?.on('data', (d) => (out.stderr += d));
  const exited = new Promise<number | null>((resolve) => runner.on('close', resolve));
  await until(
    () => runner.exitCode !== null || (existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim() !== ''),
    'the hook running',
  );
  expect(runner.exitCode, out.stderr).toBeNull();
  const hookPid = Number(readFileSync(pidFile, 'utf8').trim());
  running.hookPid = hookPid;
  expect(truth(handle).map((t) => t.record?.phase)).toEqual(['pre-hook', 'started', 'started']);
  return { handle, proxy, runner, hookPid, exited, out };
}

/** Stops the release (SIGSTOP) while `work` runs, then lets the held requests and the release go on. */
async function whileStopped<T>(release: Running, work: () => Promise<T>): Promise<T> {
  release.runner.kill('SIGSTOP');
  try {
    return await work();
  } finally {
    release.proxy.releaseHeld();
    release.runner.kill('SIGCONT');
  }
}

describe.each(HOOKS)(
  '$name and `lshift rollback` of another function of the release (built CLI against a sandbox)',
  ({ hook: hookFor }) => {
    it('ends the hook at the next heartbeat and stops the release for that function, rolled back by the rollback (exit 3, ROLLED_BACK_BY_OTHER)', async () => {
      const release = await startRelease(hookFor);
      const { handle, out } = release;

      await holdBetweenBetaBeats(release.proxy);
      const rollback = await whileStopped(release, () =>
        runCli(['rollback', 'beta', '--json'], { env: { LSHIFT_SANDBOX: handle.url } }),
      );
      expect(rollback.code, rollback.stderr).toBe(0);

      expect(await release.exited, out.stderr).toBe(3);
      const result = JSON.parse(out.stdout);
      expect(result.status).toBe('rolled_back');
      expect(result.failed).toMatchObject({ functionName: 'beta' });
      const byName = (name: string) =>
        result.functions.find((f: { functionName: string }) => f.functionName === name);
      // Claimed by the rollback (`rollback:` owner): no heartbeat of beta came between its claim
      // and its read-back, so its claim never lost to one (then it rolls back under the runner's
      // owner, and the runner names it CLOSED_BY_ROLLBACK: rollback-finished-by.ts).
      expect(byName('beta')).toMatchObject({
        status: 'rolled_back',
        cause: { code: 'ROLLED_BACK_BY_OTHER' },
        finishedBy: { owner: expect.stringMatching(/^rollback:/) },
      });
      for (const other of ['alpha', 'gamma']) expect(byName(other).status).toBe('rolled_back');
      expect(isRunning(release.hookPid)).toBe(false);
      for (const t of truth(handle)) {
        expect([t.fn, t.version, t.weights, t.record?.phase]).toEqual([t.fn, '1', {}, 'rolled-back']);
      }
    });
  },
);

/**
 * The race the test above keeps out: the release's heartbeat of beta read its record before the
 * rollback's claim and its write landed after the rollback's close, putting beta's `started` record
 * back over it — here its write held at the proxy (and the release stopped) while the rollback runs
 * whole. Before, the release ran its hook for the hour, then moved alpha and gamma to 10% until
 * beta's own weight write met the new RevisionId. Then (3 December 2026) the alias rewritten since
 * said beta was taken over: a conflict (exit 5). Since `lshift rollback` writes its close as the
 * seal too (`lshift-end:live`, session 51), the late write is read as that close: beta was rolled
 * back by the rollback, the release ends as in the test above (exit 3, ROLLED_BACK_BY_OTHER), the
 * hook ends, no traffic moved.
 */
describe("a release heartbeat landing after `lshift rollback` of its function, while alpha's own hook runs (built CLI against a sandbox)", () => {
  it('the late write is read as the rollback’s close (its seal): beta rolled back by the rollback, the hook ends, nothing moves (exit 3)', async () => {
    const release = await startRelease(HOOKS[1]!.hook);
    const { handle, proxy, out } = release;

    proxy.arm({ match: { ...BETA_RECORD, method: 'POST' }, times: Number.POSITIVE_INFINITY, fault: 'hold' });
    await proxy.waitForHeld(1);
    const rollback = await whileStopped(release, async () => {
      const run = await runCli(['rollback', 'beta', '--json'], { env: { LSHIFT_SANDBOX: handle.url } });
      expect(truth(handle)[1]?.record).toMatchObject({
        phase: 'rolled-back',
        owner: expect.stringMatching(/^rollback:/),
      });
      return run;
    });
    expect(rollback.code, rollback.stderr).toBe(0);

    expect(await release.exited, out.stderr).toBe(3);
    // The held write landed over the rollback's close: beta's record tag is the release's own
    // again, and the seal beside it still holds the rollback's close, which every reader takes.
    expect(truth(handle)[1]?.record?.owner).not.toMatch(/^rollback:/);
    const seal = own(own(handle.state.data.functions, 'beta')!.tags, 'lshift-end:live');
    expect(seal && decodeRecord(seal)).toMatchObject({
      phase: 'rolled-back',
      owner: expect.stringMatching(/^rollback:/),
    });
    const result = JSON.parse(out.stdout);
    expect(result.status).toBe('rolled_back');
    expect(result.failed).toMatchObject({ functionName: 'beta' });
    const byName = (name: string) =>
      result.functions.find((f: { functionName: string }) => f.functionName === name);
    expect(byName('beta')).toMatchObject({ status: 'rolled_back', cause: { code: 'ROLLED_BACK_BY_OTHER' } });
    for (const other of ['alpha', 'gamma']) expect(byName(other).status).toBe('rolled_back');
    expect(isRunning(release.hookPid)).toBe(false);
    for (const t of truth(handle)) expect([t.fn, t.version, t.weights]).toEqual([t.fn, '1', {}]);
    // No weight was ever written: alpha's and gamma's aliases still hold their first revision.
    expect(proxy.events.filter((e) => e.method === 'PUT' && /\/aliases\/live$/.test(e.path))).toEqual([]);
  });
});
