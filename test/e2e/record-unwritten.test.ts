import { afterEach, describe, expect, it } from 'vitest';
import { aliasTruth, type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

/**
 * Lambda refuses every TagResource (the deployment record) once the first step is written. Found
 * by a hostile pass: the runner walked on to 100% printing "could not write the deployment record
 * …; the shift continues" while `lshift status` elsewhere said STALE. It holds the weight instead,
 * and rolls back once nothing has landed for the stale limit (2 minutes), exit 3.
 */
describe('the deployment record cannot be written mid-shift (built CLI against a sandbox)', () => {
  let env: SandboxEnv | undefined;
  afterEach(async () => {
    await env?.stop();
    env = undefined;
  });

  it('holds 50%, never writes 100%, and rolls back after the stale limit; a check then closes the record', async () => {
    env = await startSandboxEnv({ preset: 'healthy', speed: 10 });
    const sandbox = env;
    let faultEnds = Number.POSITIVE_INFINITY;
    // From the instant the record of the 50% step lands (it follows the alias write) until after
    // the rollback, whose own record writes fail too. Added by the sandbox's own write of that
    // record (every change marks the state dirty), not by a poll of this test: polled every 20 real
    // ms, a loaded machine (ci217, load ~30) saw it over 3 real s late, past the whole 1m hold at 20×,
    // and the first refused write came during the settle wait instead. And 10×, not 20×: a
    // heartbeat (every 30 s, at a poll) must be refused before the 1m hold ends for that end to
    // find the record behind; at 20× the 30 simulated seconds for it were 1.5 real s, at 10× 3 (the deploy
    // stopped, SIGSTOP, 3.2 real s as the fault begins: red at 20×, green at 10×).
    const state = sandbox.handle.state;
    const markDirty = state.markDirty.bind(state);
    state.markDirty = () => {
      markDirty();
      if (faultEnds !== Number.POSITIVE_INFINITY || aliasTruth(sandbox.handle).record?.percent !== 50) return;
      faultEnds = state.simNow() + 3 * 60_000;
      state.addFaults([
        { type: 'api', service: 'lambda', operations: ['TagResource'], kind: '5xx', rate: 1, until: '3m' },
      ]);
    };
    const run = await sandbox.cli([
      'deploy',
      'demo',
      '--strategy',
      'linear:50%:1m',
      '--alarm',
      'demo-errors',
    ]);
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toContain('as the hold at 50% was to end');
    expect(run.stderr).toContain('holding 50% until it is written');
    expect(run.stderr).toMatch(/could not be written for 2m/);
    expect(run.stderr).not.toContain('step 2/2');
    expect(await sandbox.status()).toMatchObject({ functionVersion: '1', additionalWeights: {} });
    // The record still says 50%: a check (once TagResource answers again) closes it, moving nothing.
    expect(aliasTruth(sandbox.handle).record).toMatchObject({ phase: 'shifting', percent: 50 });
    while (sandbox.handle.state.simNow() <= faultEnds) await new Promise((r) => setTimeout(r, 50));
    const check = await sandbox.cli(['check', 'demo', '--alarm', 'demo-errors']);
    expect(check.code, check.stderr).toBe(0);
    expect(check.stdout).toMatch(/^SKIPPED .*alias live routes all traffic to its stable version 1 again/m);
    expect(check.stdout).toContain('its record is now closed as rolled back');
    // Its log line says the same, not "ROLLBACK to version 1" beside SKIPPED.
    expect(check.stderr).toContain(
      'CLOSING its record as rolled back (all traffic was already on version 1; version 2 had 50% when its record was last written; this check moved no traffic)',
    );
    expect(check.stderr).not.toContain('ROLLBACK');
    // Nor "rollback: all traffic is on version 1" after it, as if it had rolled something back.
    expect(check.stderr).toContain('rollback: none was needed; all traffic stays on version 1');
    expect(check.stderr).not.toContain('rollback: all traffic is on version');
    expect(aliasTruth(sandbox.handle).record).toMatchObject({
      phase: 'rolled-back',
      endReason: 'found back on its stable version with no live owner',
    });
  });
});
