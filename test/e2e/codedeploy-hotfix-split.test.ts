import {
  type CodeDeployClient,
  CreateDeploymentCommand,
  CreateDeploymentConfigCommand,
  GetDeploymentCommand,
} from '@aws-sdk/client-codedeploy';
import { afterEach, describe, expect, it } from 'vitest';
import { buildAppSpec } from '../../src/domain/codedeploy-plan.js';
import { DEMO_SCENARIOS, seedDemo } from '../../src/sandbox/index.js';
import { expectBuiltCliRunsAlike, runCliInProcess } from '../helpers/run-cli-in-process.js';
import { waitUntil } from '../helpers/wait-until.js';
import { initCodeDeployGroup, sandboxCodeDeploy } from './codedeploy-detached.js';
import { isSplit, readTruth } from './crash-helpers.js';
import { type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

/**
 * lshift's CodeDeploy deployment promoted, then someone else's deployment on the same group (a
 * hotfix `aws deploy create-deployment`, a SAM deploy) splits the alias. status and check called it
 * STALLED ("recorded promoted, but the alias still routes … nobody drives it", exit 4, paging every
 * scheduled check) and advised `lshift alias demo live 2`, which said "routing cleared", exit 0 —
 * and CodeDeploy split the alias again seconds later (found by a hostile pass).
 */
describe('a finished lshift deployment whose alias another CodeDeploy deployment splits (built CLI against the sandbox)', () => {
  let env: SandboxEnv | undefined;
  let codeDeploy: CodeDeployClient | undefined;
  afterEach(async () => {
    codeDeploy?.destroy();
    codeDeploy = undefined;
    await env?.stop();
    env = undefined;
  });

  it('status and check leave it to that deployment (exit 0); lshift alias and a deploy refuse to write beside it (exit 5)', async () => {
    env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'healthy', speed: 60 });
    await initCodeDeployGroup(env);
    const deploy = await env.cli(['deploy', 'demo', '--engine', 'codedeploy', '--strategy', 'AllAtOnce']);
    expect(deploy.code, deploy.stdout + deploy.stderr).toBe(0);
    codeDeploy = sandboxCodeDeploy(env);
    // The hotfix must still split the alias when the last command below runs, however slow the
    // machine: its canary lasts two simulated days (48 real minutes at speed 60, the longest the
    // sandbox accepts), not CodeDeployDefault.LambdaCanary10Percent30Minutes' 30 real seconds,
    // which a loaded machine outlasted (the alias then wrote beside a finished one: exit 0).
    await codeDeploy.send(
      new CreateDeploymentConfigCommand({
        deploymentConfigName: 'hotfix-canary-2-days',
        computePlatform: 'Lambda',
        trafficRoutingConfig: {
          type: 'TimeBasedCanary',
          timeBasedCanary: { canaryPercentage: 10, canaryInterval: 2880 },
        },
      }),
    );
    const hotfix = await codeDeploy.send(
      new CreateDeploymentCommand({
        applicationName: 'lshift-demo',
        deploymentGroupName: 'demo-live',
        deploymentConfigName: 'hotfix-canary-2-days',
        description: 'hotfix',
        revision: {
          revisionType: 'AppSpecContent',
          appSpecContent: {
            content: buildAppSpec({
              functionName: 'demo',
              alias: 'live',
              currentVersion: '2',
              targetVersion: '1',
            }),
          },
        },
      }),
    );
    const id = hotfix.deploymentId!;
    // CodeDeploy's sandbox moves a deployment as it is asked about it, as `lshift wait` would.
    const asked = async () => {
      await codeDeploy!.send(new GetDeploymentCommand({ deploymentId: id }));
      return isSplit(readTruth(env!));
    };
    await waitUntil(asked, 'the hotfix splitting the alias');

    const status = await env.cli(['status', 'demo']);
    expect(status.code, status.stdout + status.stderr).toBe(0);
    expect(status.stdout).toContain(
      `driven by another CodeDeploy deployment on its group: ${id} (InProgress, "hotfix")`,
    );
    expect(status.stdout).toContain(`follow it with \`lshift wait ${id} --on-interrupt leave\``);
    expect(status.stdout).not.toContain('STALLED');
    const check = await env.cli(['check', 'demo', '--alarm', 'demo-errors']);
    expect(check.code, check.stdout + check.stderr).toBe(0);
    expect(check.stdout).toContain(
      `left to it (\`lshift wait ${id} --on-interrupt leave\` follows it without stopping it)`,
    );

    const before = readTruth(env);
    const alias = await env.cli(['alias', 'demo', 'live', '2', '--json']);
    expect(alias.code, alias.stdout + alias.stderr).toBe(5);
    expect(JSON.parse(alias.stdout)).toMatchObject({ code: 'CODEDEPLOY_GROUP_BUSY' });
    expect(readTruth(env).weights).toEqual(before.weights);
    // These runs go through this worker's process (run-cli-in-process.ts; the file is in
    // IN_PROCESS_E2E, vitest.config.ts): the built CLI, started against the same sandbox, refuses
    // alike. (Not status: its canary analysis reads the minutes the sandbox's clock moved on.)
    await expectBuiltCliRunsAlike(alias, ['alias', 'demo', 'live', '2', '--json'], {
      env: { LSHIFT_SANDBOX: env.handle.url },
    });
    expect(readTruth(env).weights).toEqual(before.weights);
    // A deploy's preflight leaves it to that deployment too, offering nothing that writes beside
    // it (it offered `lshift rollback` and `--supersede`: h3's s69 brief).
    const next = await env.cli(['deploy', 'demo', '--json']);
    expect(next.code, next.stdout + next.stderr).toBe(5);
    const refused = JSON.parse(next.stdout) as { code: string; message: string; hint: string };
    expect(refused.code).toBe('SHIFT_IN_PROGRESS');
    expect(refused.message).toContain(
      `driven by another AWS CodeDeploy deployment on its group: ${id} (InProgress, "hotfix"); lshift leaves it to that deployment`,
    );
    expect(refused.hint).not.toContain('lshift rollback');
    expect(refused.hint).not.toContain('--supersede');
    expect(readTruth(env).weights).toEqual(before.weights);
    // A release's preflight asks the same (run-release.ts): it said "no lshift deployment drives
    // that split" and offered `lshift rollback` (h3's s69 F5).
    await seedDemo(env.handle, { functionName: 'other', ...DEMO_SCENARIOS.healthy });
    const release = await env.cli(['deploy', 'demo', 'other', '--json']);
    expect(release.code, release.stdout + release.stderr).toBe(5);
    expect(release.stdout + release.stderr).toContain(
      `driven by another AWS CodeDeploy deployment on its group: ${id} (InProgress, "hotfix"); lshift leaves it to that deployment`,
    );
    expect(release.stdout + release.stderr).not.toContain('lshift rollback');
    expect(readTruth(env).weights).toEqual(before.weights);
  });
});
