/**
 * `lshift rollback --release r-… alpha beta` of a release of alpha, beta and gamma killed
 * mid-shift: it said "Release r-…: rolled back", exit 0, with gamma still split (found by a
 * hostile pass, session 59, F1). The built CLI against a sandbox: alpha and beta are rolled
 * back, gamma is found by the listing of every record in reach, left as it is and named with the
 * command that rolls it back (exit 4); that command then rolls it back (exit 0).
 */
import { tmpdir } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { LISTING_NOTICE } from '../../src/engine/release-rollback-open.js';
import { DEMO_SCENARIOS, type SandboxHandle, seedDemo, startSandbox } from '../../src/sandbox/index.js';
import { expectValidResultOf } from '../helpers/contract.js';
import { runCli, stderrShows } from '../helpers/run-cli.js';
import { deployAndKillAfter, FNS, truth } from './release-fleet.js';
import { control, untilHeld } from './sandbox-control.js';
import type { SandboxEnv } from './sandbox-env.js';

describe('rollback --release naming only some functions of a killed release (built CLI)', () => {
  let handle: SandboxHandle | undefined;
  afterEach(async () => {
    await handle?.stop();
    handle = undefined;
  });

  it('gamma not named: left split and named with its command, exit 4; that command rolls it back', async () => {
    handle = await startSandbox({ speed: 600, seed: 7 });
    const sandbox = handle;
    for (const fn of FNS) await seedDemo(sandbox, { functionName: fn, ...DEMO_SCENARIOS.healthy });
    const killed = await deployAndKillAfter(
      sandbox,
      (operation) =>
        operation === 'TagResource' &&
        truth(sandbox).some((t) => t.record?.phase === 'shifting' && t.record.stepIndex === 1),
    );
    expect(killed).toBe(true);
    const releaseId = truth(sandbox)[0]!.record!.releaseId!;
    const cli = (args: string[]) => runCli(args, { env: { LSHIFT_SANDBOX: sandbox.url } });

    const run = await cli(['rollback', '--release', releaseId, 'alpha', 'beta', '--json']);
    expect(run.code, run.stdout + run.stderr).toBe(4);
    const result = JSON.parse(run.stdout);
    expectValidResultOf('releaseRollback', result);
    expect(result).toMatchObject({
      status: 'unsafe',
      unnamed: {
        kind: 'looked',
        open: [
          {
            functionName: 'gamma',
            alias: 'live',
            phase: expect.any(String),
            command: `lshift rollback --release ${releaseId} gamma --alias live`,
          },
        ],
      },
    });
    // The listing (after alpha and beta are back) can take a while in a large account: said.
    expect(run.stderr).toContain(LISTING_NOTICE);
    const gamma = () => truth(sandbox).find((t) => t.fn === 'gamma')!;
    // As the kill left it (its record open; its weight moved or about to be), nothing written.
    expect(gamma().record?.phase).not.toBe('rolled-back');

    const again = await cli(['rollback', '--release', releaseId, 'gamma', '--alias', 'live']);
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(again.stdout.split('\n')[0]).toBe(`Release ${releaseId}: rolled back`);
    for (const t of truth(sandbox)) {
      expect(t.version, t.fn).toBe('1');
      expect(t.weights, t.fn).toEqual({});
      expect(t.record?.phase, t.fn).toBe('rolled-back');
    }
  });

  // Session 60, F8b: with no function named (and no config file) it was refused (USAGE), though
  // the release id may be all one has: the records in reach name the release's functions.
  it('no function named, no config file: finds every function of the release by its record and rolls it back', async () => {
    handle = await startSandbox({ speed: 600, seed: 8 });
    const sandbox = handle;
    for (const fn of FNS) await seedDemo(sandbox, { functionName: fn, ...DEMO_SCENARIOS.healthy });
    const killed = await deployAndKillAfter(
      sandbox,
      (operation) =>
        operation === 'TagResource' &&
        truth(sandbox).some((t) => t.record?.phase === 'shifting' && t.record.stepIndex === 1),
    );
    expect(killed).toBe(true);
    const releaseId = truth(sandbox)[0]!.record!.releaseId!;
    const run = await runCli(['rollback', '--release', releaseId], {
      env: { LSHIFT_SANDBOX: sandbox.url },
      cwd: tmpdir(),
    });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout.split('\n')[0]).toBe(`Release ${releaseId}: rolled back`);
    expect(run.stderr).toContain('rollback: no function named: listing every function in reach');
    // F2: a function whose alias a later deployment took is not found this way: said.
    expect(run.stdout.split('\n')[1]).toBe(
      '  Found by their records: a function of the release whose alias a later deployment took is not found; name it to see it.',
    );
    // F3: the listing that found them answers for the functions not named too: not listed twice.
    expect(run.stderr).not.toContain(LISTING_NOTICE);
    for (const t of truth(sandbox)) {
      expect(t.version, t.fn).toBe('1');
      expect(t.weights, t.fn).toEqual({});
      expect(t.record?.phase, t.fn).toBe('rolled-back');
    }
    const none = await runCli(['rollback', '--release', 'r-nonexi'], {
      env: { LSHIFT_SANDBOX: sandbox.url },
      cwd: tmpdir(),
    });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain(
      'Name the functions of release r-nonexi: no record in reach names release r-nonexi at any alias.',
    );
  });

  // Session 60, F1: a Ctrl-C during that listing ended exit 130 with nothing said (stdout empty
  // even under --json). Its ListTags held at the sandbox's gate, then dropped after the signal.
  it('Ctrl-C during the listing (none named): INTERRUPTED, exit 1, nothing rolled back, run it again', async () => {
    handle = await startSandbox({ speed: 600, seed: 9 });
    const sandbox = handle;
    for (const fn of FNS) await seedDemo(sandbox, { functionName: fn, ...DEMO_SCENARIOS.healthy });
    const killed = await deployAndKillAfter(
      sandbox,
      (operation) =>
        operation === 'TagResource' &&
        truth(sandbox).some((t) => t.record?.phase === 'shifting' && t.record.stepIndex === 1),
    );
    expect(killed).toBe(true);
    const releaseId = truth(sandbox)[0]!.record!.releaseId!;
    const before = truth(sandbox);
    const gate = { handle: sandbox } as unknown as SandboxEnv;
    await control(gate, 'hold', { only: ['ListTags'], client: 'listing-under-test' });
    const run = await runCli(['rollback', '--release', releaseId, '--json'], {
      env: { LSHIFT_SANDBOX: sandbox.url, AWS_SDK_UA_APP_ID: 'listing-under-test' },
      cwd: tmpdir(),
      onSpawn: (child) => {
        void (async () => {
          await untilHeld(gate);
          child.kill('SIGINT');
          await stderrShows(child, 'SIGINT received');
          await control(gate, 'release', { drop: true });
        })();
      },
    });
    expect(run.code, run.stdout + run.stderr).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({
      status: 'error',
      code: 'INTERRUPTED',
      exitCode: 1,
      message: `Interrupted while listing the functions in reach for release ${releaseId}: nothing was rolled back.`,
      hint: `Run the same command again: \`lshift rollback --release ${releaseId}\``,
    });
    expect(truth(sandbox)).toEqual(before);
  });

  // A second signal during that listing (more than a second after the first: not the same
  // Ctrl-C delivered twice) said the aliases "may still be split" (exit 4): nothing was written.
  // Since session 62 the first one abandons the held ListTags and ends the run itself: the second
  // (sent if the run is still there) finds it ending or gone; either way, not exit 4.
  it('a second Ctrl-C during the listing: exits at once, nothing rolled back, not exit 4', async () => {
    handle = await startSandbox({ speed: 600, seed: 10 });
    const sandbox = handle;
    for (const fn of FNS) await seedDemo(sandbox, { functionName: fn, ...DEMO_SCENARIOS.healthy });
    const killed = await deployAndKillAfter(
      sandbox,
      (operation) =>
        operation === 'TagResource' &&
        truth(sandbox).some((t) => t.record?.phase === 'shifting' && t.record.stepIndex === 1),
    );
    expect(killed).toBe(true);
    const releaseId = truth(sandbox)[0]!.record!.releaseId!;
    const before = truth(sandbox);
    const gate = { handle: sandbox } as unknown as SandboxEnv;
    await control(gate, 'hold', { only: ['ListTags'], client: 'listing-twice' });
    const run = await runCli(['rollback', '--release', releaseId], {
      env: { LSHIFT_SANDBOX: sandbox.url, AWS_SDK_UA_APP_ID: 'listing-twice' },
      cwd: tmpdir(),
      onSpawn: (child) => {
        void (async () => {
          await untilHeld(gate);
          const taken = stderrShows(child, 'SIGINT received');
          child.kill('SIGINT');
          await taken;
          await new Promise((resolve) => setTimeout(resolve, 1200));
          child.kill('SIGINT');
        })();
      },
    });
    await control(gate, 'release', { drop: true });
    expect(run.code, run.stdout + run.stderr).toBe(1);
    // The second signal's words, or (it came too late) the first one's.
    expect(run.stderr).toMatch(
      /Nothing was rolled back: it was still listing the functions in reach\.|Interrupted while listing the functions in reach for release r-\w+: nothing was rolled back\./,
    );
    expect(run.stderr).toMatch(
      new RegExp(`(Fix|Hint): (Run the same command again: \`)?lshift rollback --release ${releaseId}`),
    );
    expect(run.stderr).not.toContain('may still be split');
    expect(truth(sandbox)).toEqual(before);
  });
});
