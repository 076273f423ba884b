import { afterEach, describe, expect, it } from 'vitest';
import { expectSameRunAsBuiltCli, runCliInProcess } from '../helpers/run-cli-in-process.js';
import {
  CRASH_POINTS,
  deployAndKill,
  guardFlagsOf,
  isSplit,
  readTruth,
  waitUntilStale,
} from './crash-helpers.js';
import { freshSandbox, type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

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
      const resume = await env.cli(['deploy', 'demo', '--resume', ...guardFlagsOf(point), '--json']);
      const healed = readTruth(env);
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

/**
 * The runs above go through this worker's process (run-cli-in-process.ts; the file is in
 * IN_PROCESS_E2E, vitest.config.ts), each run's owner a process of its own. A sample, each twin
 * on a fresh sandbox, prints and exits as the built CLI started for it.
 */
describe('the runs in this process, against the built CLI', () => {
  it('a sample prints and exits as the built CLI started for it', async () => {
    const fresh = freshSandbox({ preset: 'healthy' });
    await expectSameRunAsBuiltCli([
      { args: ['deploy', 'demo', '--resume', '--json'], fresh },
      { args: ['deploy', 'demo', '--strategy', 'all-at-once', '--no-analysis', '--json'], fresh },
    ]);
  });
});
