import { afterEach, describe, expect, it } from 'vitest';
import { expectBuiltCliRunsAlike, runCliInProcess } from '../helpers/run-cli-in-process.js';
import { CRASH_POINTS, deployAndKill, describeShape, isSplit, readTruth } from './crash-helpers.js';
import { freshSandbox, type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

/** The crash point whose rollback the built CLI runs too: a split alias, its record `shifting`. */
const TWIN_POINT = 'right after weight write 2';
if (!CRASH_POINTS.some((p) => p.name === TWIN_POINT)) throw new Error(`no crash point ${TWIN_POINT}`);

/**
 * kill -9 at each phase boundary, then `lshift status` tells the truth and `lshift rollback`
 * reaches a consistent alias: all traffic on one version, the record closed.
 */
describe('kill -9 mid-deploy, then status and rollback (built CLI against a sandbox)', () => {
  let env: SandboxEnv | undefined;
  afterEach(async () => {
    await env?.stop();
    env = undefined;
  });

  for (const point of CRASH_POINTS) {
    it(`crash ${point.name}`, async () => {
      env = await startSandboxEnv({ inProcess: runCliInProcess, preset: point.preset });
      const { killed } = await deployAndKill(env, point);
      expect(killed).toBe(true);
      const after = readTruth(env);
      if (point.expect !== 'any') expect(describeShape(after)).toBe(point.expect);
      // No crash point may leave a split alias without a record.
      if (isSplit(after)) expect(after.record, 'split alias without a record').toBeDefined();

      const status = await env.status();
      expect(status.functionVersion).toBe(after.functionVersion);
      expect(status.additionalWeights).toEqual(after.weights);
      if (after.record) expect(status.record?.phase).toBe(after.record.phase);

      const rollback = await env.cli(['rollback', 'demo', '--json']);
      const healed = readTruth(env);
      expect(isSplit(healed), rollback.stdout + rollback.stderr).toBe(false);
      if (after.record) {
        // A deployment was under way: rollback puts everything back on its stable version.
        expect(rollback.code, rollback.stdout + rollback.stderr).toBe(0);
        expect(healed.functionVersion).toBe(after.record.stableVersion);
        expect(healed.record?.phase).toBe('rolled-back');
      } else {
        // Killed before anything was recorded: nothing moved, nothing to roll back.
        expect(after.functionVersion).toBe('1');
        expect(rollback.code).toBe(2);
      }
      // The runs above go through this worker's process (run-cli-in-process.ts; the file is in
      // IN_PROCESS_E2E, vitest.config.ts): the built CLI, on a sandbox killed at the same point,
      // rolls back and says the same. One point of a split alias: each twin costs a deploy.
      if (point.name === TWIN_POINT) {
        const fresh = freshSandbox({ inProcess: runCliInProcess, preset: point.preset }, async (sandbox) => {
          expect((await deployAndKill(sandbox, point)).killed).toBe(true);
          return undefined;
        });
        await expectBuiltCliRunsAlike(rollback, ['rollback', 'demo', '--json'], { fresh });
      }
    });
  }
});
