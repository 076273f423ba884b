import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_SCENARIOS, type SandboxHandle, seedDemo, startSandbox } from '../../src/sandbox/index.js';
import { expectValidResultOf } from '../helpers/contract.js';
import { runCli } from '../helpers/run-cli.js';
import { deployAndKillAfter, FNS, runAndKillAfter, truth, waitUntilStale } from './release-fleet.js';

/**
 * A release of three functions whose runner died (kill -9 mid-shift), alpha gone bad: a scheduled
 * `lshift check` rolls alpha back and is itself killed (-9) before the release's other two. The
 * next check finishes the release's rollback: beta and gamma back on their stable version,
 * every record rolled-back, exit 3, and it says it finishes what another check began. Or a
 * person's `lshift rollback --release` does: it leaves alpha to the check that rolled it back
 * (its claim) and says so, exit 0.
 */
const isSplit = (weights: Record<string, number>) => Object.values(weights).some((w) => w > 0);
const CHECK = ['check', ...FNS, '--alarm', '{function}-errors', '--window', '12h'];

async function waitForSimulatedTime(handle: SandboxHandle, atMs: number): Promise<void> {
  while (handle.state.simNow() < atMs) await new Promise((r) => setTimeout(r, 20));
}

/**
 * A release of the three, its runner killed with every function split, alpha gone bad; then a
 * check killed right after it closed alpha's record as rolled back.
 */
async function halfRolledBack(sandbox: SandboxHandle): Promise<void> {
  for (const fn of FNS) await seedDemo(sandbox, { functionName: fn, ...DEMO_SCENARIOS.healthy });
  // The release dies with every function split.
  expect(
    await deployAndKillAfter(
      sandbox,
      (operation) => operation === 'UpdateAlias' && truth(sandbox).every((t) => isSplit(t.weights)),
    ),
  ).toBe(true);
  sandbox.state.addFaults([{ type: 'version', function: 'alpha', version: '2', errorRate: 0.5 }]);
  await waitUntilStale(sandbox);
  await waitForSimulatedTime(sandbox, sandbox.state.simNow() + 4 * 60_000);

  // The check dies right after it closed alpha's record as rolled back.
  const alphaClosed = (operation: string) =>
    operation === 'TagResource' && truth(sandbox)[0]?.record?.phase === 'rolled-back';
  expect(await runAndKillAfter(sandbox, CHECK, alphaClosed)).toBe(true);
  const half = truth(sandbox);
  expect(half.map((t) => [t.fn, t.version, isSplit(t.weights), t.record?.phase === 'rolled-back'])).toEqual([
    ['alpha', '1', false, true],
    ['beta', '1', true, false],
    ['gamma', '1', true, false],
  ]);
}

describe('a check killed half-way through rolling back a release (built CLI against a sandbox)', () => {
  let handle: SandboxHandle | undefined;
  afterEach(async () => {
    await handle?.stop();
    handle = undefined;
  });

  it('the next check finishes the rollback: every function on its stable version, exit 3', async () => {
    handle = await startSandbox({ speed: 600, seed: 7 });
    const sandbox = handle;
    await halfRolledBack(sandbox);

    const next = await runCli(CHECK, { env: { LSHIFT_SANDBOX: sandbox.url } });
    expect(next.code, next.stdout + next.stderr).toBe(3);
    for (const fn of ['beta', 'gamma']) {
      expect(next.stdout).toMatch(
        new RegExp(
          `ROLLED_BACK\\s+${fn}:live .*finishing the rollback that check:\\S+ began \\(it rolled back alpha`,
        ),
      );
    }
    for (const t of truth(sandbox)) {
      expect({ fn: t.fn, version: t.version, weights: t.weights, phase: t.record?.phase }).toEqual({
        fn: t.fn,
        version: '1',
        weights: {},
        phase: 'rolled-back',
      });
    }
  });

  it('a person’s rollback --release instead: the others rolled back, alpha left to the check that did it, exit 0', async () => {
    handle = await startSandbox({ speed: 600, seed: 7 });
    const sandbox = handle;
    await halfRolledBack(sandbox);
    const releaseId = truth(sandbox)[0]?.record?.releaseId;

    const run = await runCli(['rollback', '--release', releaseId!, ...FNS, '--json'], {
      env: { LSHIFT_SANDBOX: sandbox.url },
    });

    expect(run.code, run.stdout + run.stderr).toBe(0);
    const result = JSON.parse(run.stdout);
    expectValidResultOf('releaseRollback', result);
    expect(
      result.functions.map((f: { functionName: string; status: string }) => [f.functionName, f.status]),
    ).toEqual([
      ['beta', 'rolled_back'],
      ['gamma', 'rolled_back'],
    ]);
    expect(result.byOthers).toEqual([
      { functionName: 'alpha', alias: 'live', owner: expect.stringMatching(/^check:/), done: true },
    ]);
    const text = await runCli(['rollback', '--release', releaseId!, ...FNS], {
      env: { LSHIFT_SANDBOX: sandbox.url },
    });
    expect(text.stdout).toMatch(
      /✔ alpha:live was rolled back by check:\S+ \(it held the function's claim\), not by this command\./,
    );
    for (const t of truth(sandbox)) {
      expect({ fn: t.fn, version: t.version, weights: t.weights, phase: t.record?.phase }).toEqual({
        fn: t.fn,
        version: '1',
        weights: {},
        phase: 'rolled-back',
      });
    }
  });
});
