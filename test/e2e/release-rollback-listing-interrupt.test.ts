/**
 * `lshift rollback --release`'s runtime had no abort signal: a Ctrl-C during a listing of the
 * functions in reach was not honoured until the call in flight returned (a ListFunctions that
 * hangs: up to its time bound, minutes). The built CLI against a sandbox holding ListFunctions
 * (only the listings call it) and never letting it go until the CLI has exited: the Ctrl-C
 * abandons the call at once, with the usual words and exit code.
 */
import { tmpdir } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_SCENARIOS, type SandboxHandle, seedDemo, startSandbox } from '../../src/sandbox/index.js';
import { runCli } from '../helpers/run-cli.js';
import { deployAndKillAfter, FNS, truth } from './release-fleet.js';
import { control, untilHeld } from './sandbox-control.js';
import type { SandboxEnv } from './sandbox-env.js';

/** Long enough that a call waited out would outlast the test (4 × (3 × 15 s + 1 s) for a listing). */
const SLOW_BOUNDS = { LSHIFT_AWS_TIMEOUT: '15s' };

async function killedRelease(seed: number): Promise<{ sandbox: SandboxHandle; releaseId: string }> {
  const sandbox = await startSandbox({ speed: 600, seed });
  for (const fn of FNS) await seedDemo(sandbox, { functionName: fn, ...DEMO_SCENARIOS.healthy });
  const killed = await deployAndKillAfter(
    sandbox,
    (operation) =>
      operation === 'TagResource' &&
      truth(sandbox).some((t) => t.record?.phase === 'shifting' && t.record.stepIndex === 1),
  );
  expect(killed).toBe(true);
  return { sandbox, releaseId: truth(sandbox)[0]!.record!.releaseId! };
}

/** Runs the CLI with ListFunctions held; one Ctrl-C once it is held; the hold kept until exit. */
async function interruptedListing(sandbox: SandboxHandle, client: string, args: string[]) {
  const gate = { handle: sandbox } as unknown as SandboxEnv;
  await control(gate, 'hold', { only: ['ListFunctions'], client });
  let atExit: Promise<{ held: number }> | undefined;
  const run = await runCli(args, {
    env: { LSHIFT_SANDBOX: sandbox.url, AWS_SDK_UA_APP_ID: client, ...SLOW_BOUNDS },
    cwd: tmpdir(),
    // Without the abort the CLI waits out the held call: this backstop ends the test red.
    timeoutMs: 60_000,
    onSpawn: (child) => {
      void (async () => {
        await untilHeld(gate);
        child.kill('SIGINT');
      })();
      // The requests held when it exited: the one abandoned, not its SDK retries after each
      // attempt timed out (a call waited out).
      child.on('exit', () => {
        atExit = control(gate, 'health', undefined) as Promise<{ held: number }>;
      });
    },
  });
  const heldAtExit = (await atExit)?.held;
  await control(gate, 'release', { drop: true });
  return { run, heldAtExit };
}

describe('rollback --release: Ctrl-C during a listing abandons the call in flight (built CLI)', () => {
  let handle: SandboxHandle | undefined;
  afterEach(async () => {
    await handle?.stop();
    handle = undefined;
  });

  it('none named, ListFunctions hanging: INTERRUPTED, exit 1, nothing rolled back, without waiting for it', async () => {
    const { sandbox, releaseId } = await killedRelease(21);
    handle = sandbox;
    const before = truth(sandbox);
    const { run, heldAtExit } = await interruptedListing(sandbox, 'finding-listing', [
      'rollback',
      '--release',
      releaseId,
      '--json',
    ]);
    expect(run.signal, run.stderr).toBeNull();
    expect(heldAtExit).toBe(1);
    expect(run.code, run.stdout + run.stderr).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({
      code: 'INTERRUPTED',
      message: `Interrupted while listing the functions in reach for release ${releaseId}: nothing was rolled back.`,
    });
    expect(truth(sandbox)).toEqual(before);
  });

  // All named, the records (rz=, rf=) say they are the whole release and no listing is made
  // (release-rollback-listing-calls.test.ts): all but one named lists the others.
  it('all but one named, the listing after the rollback hanging: the named ones back, the others said not looked for (interrupted), exit 0', async () => {
    const { sandbox, releaseId } = await killedRelease(22);
    handle = sandbox;
    const named = FNS.slice(0, -1);
    const { run, heldAtExit } = await interruptedListing(sandbox, 'after-listing', [
      'rollback',
      '--release',
      releaseId,
      ...named,
    ]);
    expect(run.signal, run.stderr).toBeNull();
    expect(heldAtExit).toBe(1);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout.split('\n')[0]).toBe(
      `Release ${releaseId}: the functions named are rolled back; its functions not named were not looked for (below)`,
    );
    expect(run.stdout).toContain('the rollback was interrupted during the listing');
    expect(run.stdout).toContain('run the same command again to have them looked for');
    for (const t of truth(sandbox).filter((t) => named.includes(t.fn))) {
      expect(t.version, t.fn).toBe('1');
      expect(t.weights, t.fn).toEqual({});
      expect(t.record?.phase, t.fn).toBe('rolled-back');
    }
    // The one not named is left as it was: nobody named it, and the listing was interrupted.
    expect(truth(sandbox).find((t) => t.fn === FNS.at(-1))?.record?.phase).not.toBe('rolled-back');
  });
});
