import { afterEach, describe, expect, it } from 'vitest';
import { stderrShows } from '../helpers/run-cli.js';
import { ANALYSIS_WITHOUT_CHANCE, type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

/**
 * CloudWatch fails (500 to every call) from the settle wait on. Found by a hostile pass: the first
 * unreadable poll ended the settle wait, 100% was written and the deployment promoted (exit 0).
 * A hold never ends on an unreadable poll: the error limit (3 polls) rolls back, exit 3.
 */
describe('CloudWatch unreadable during the settle wait (built CLI against a sandbox)', () => {
  let env: SandboxEnv | undefined;
  afterEach(async () => {
    await env?.stop();
    env = undefined;
  });

  it('rolls back after the error limit; never writes 100% on an unreadable poll', async () => {
    env = await startSandboxEnv({ preset: 'healthy', speed: 20 });
    const sandbox = env;
    const run = await sandbox.cli(
      ['deploy', 'demo', '--strategy', 'linear:25%:1m', '--alarm', 'demo-errors', ...ANALYSIS_WITHOUT_CHANCE],
      {
        onSpawn: (child) => {
          void stderrShows(child, 'settle: holding').then(() =>
            sandbox.handle.state.addFaults([{ type: 'api', service: 'cloudwatch', kind: '5xx', rate: 1 }]),
          );
        },
      },
    );
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toMatch(/health unreadable: 3 consecutive polls failed \(limit 3\)/);
    expect(run.stderr).not.toContain('step 4/4: shifting to 100%');
    const status = await sandbox.status();
    expect(status).toMatchObject({ functionVersion: '1', additionalWeights: {} });
  });
});
