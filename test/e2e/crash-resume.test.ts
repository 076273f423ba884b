import { afterEach, describe, expect, it } from 'vitest';
import { expectBuiltCliRunsAlike, runCliInProcess } from '../helpers/run-cli-in-process.js';
import {
  CRASH_POINTS,
  deployAndKill,
  guardFlagsOf,
  isSplit,
  readTruth,
  waitUntilStale,
} from './crash-helpers.js';
import { freshSandbox, type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

/** The crash point whose resume the built CLI runs too: a split alias, its record `shifting`. */
const TWIN_POINT = 'right after weight write 2';
if (!CRASH_POINTS.some((p) => p.name === TWIN_POINT)) throw new Error(`no crash point ${TWIN_POINT}`);

/**
 * kill -9 at each phase boundary, then — once the dead owner's heartbeat is stale —
 * `lshift deploy --resume` finishes the job: all traffic on one version, the record closed.
 */
describe('kill -9 mid-deploy, then deploy --resume (built CLI against a sandbox)', () => {
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
      await waitUntilStale(env);

      // With the crashed run's guards (crash-helpers.ts): its alarm, --no-analysis, its --bake.
      const args = ['deploy', 'demo', '--resume', ...guardFlagsOf(point), '--json'];
      const resume = await env.cli(args);
      const healed = readTruth(env);
      // The runs above go through this worker's process (run-cli-in-process.ts; the file is in
      // IN_PROCESS_E2E, vitest.config.ts): the built CLI, on a sandbox killed at the same point,
      // resumes and says the same. One point of a split alias: each twin costs a deploy.
      if (point.name === TWIN_POINT) {
        const fresh = freshSandbox({ inProcess: runCliInProcess, preset: point.preset }, async (sandbox) => {
          expect((await deployAndKill(sandbox, point)).killed).toBe(true);
          await waitUntilStale(sandbox);
          return undefined;
        });
        await expectBuiltCliRunsAlike(resume, args, { fresh });
      }
      const said = resume.stdout + resume.stderr;
      expect(isSplit(healed), said).toBe(false);
      if (!after.record) {
        // Nothing was recorded, so nothing moved and there is nothing to resume.
        expect(resume.code, said).toBe(2);
        expect(said).toContain('NOTHING_TO_RESUME');
        expect(healed.functionVersion).toBe('1');
        return;
      }
      const result = JSON.parse(resume.stdout);
      if (point.preset === 'healthy') {
        expect(resume.code, said).toBe(0);
        expect(result.status).toBe('promoted');
        expect(healed.functionVersion).toBe(after.record.targetVersion);
        expect(healed.record?.phase).toBe('promoted');
      } else {
        // The bad version keeps failing, or the interrupted rollback is finished: back on stable.
        expect(resume.code, said).toBe(3);
        expect(healed.functionVersion).toBe(after.record.stableVersion);
        expect(healed.record?.phase).toBe('rolled-back');
      }
    });
  }
});
