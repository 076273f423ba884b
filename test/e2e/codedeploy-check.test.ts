import { CloudWatchClient, DescribeAlarmsCommand, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import {
  CodeDeployClient,
  DeleteApplicationCommand,
  DeleteDeploymentGroupCommand,
} from '@aws-sdk/client-codedeploy';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { afterEach, describe, expect, it } from 'vitest';
import { expectBuiltCliRunsAlike, runCliInProcess } from '../helpers/run-cli-in-process.js';
import { startDetachedCanary } from './codedeploy-detached.js';
import { type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

/**
 * `lshift check` over a deployment handed to the sandbox's CodeDeploy with `deploy --detach`:
 * CodeDeploy is its live owner, so it is not stalled; an alarm of the check stops it with
 * auto-rollback. The canary holds 90 simulated minutes (90 s at --speed 60), far longer than the
 * few CLI runs between its start and the checks; moments are chosen by waiting on state.
 */
describe('lshift check over a detached CodeDeploy deployment (built CLI against the sandbox)', () => {
  let env: SandboxEnv | undefined;
  let cloudWatch: CloudWatchClient | undefined;
  let codeDeploy: CodeDeployClient | undefined;
  afterEach(async () => {
    cloudWatch?.destroy();
    cloudWatch = undefined;
    codeDeploy?.destroy();
    codeDeploy = undefined;
    await env?.stop();
    env = undefined;
  });

  async function operations(): Promise<Record<string, number>> {
    const response = await fetch(`${env?.handle.url}/__lshift/operations`);
    return (await response.json()) as Record<string, number>;
  }

  /** Starts the detached canary (no group alarms: CodeDeploy would not stop it on its own). */
  async function detach(strategy = 'canary:10%:90m', speed = 60): Promise<string> {
    env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'healthy', speed });
    return startDetachedCanary(env, strategy);
  }

  /** An alarm on the demo's invocations that is in ALARM whenever it is evaluated. */
  async function alwaysAlarming(name: string): Promise<void> {
    cloudWatch = new CloudWatchClient({
      endpoint: env!.handle.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' },
      retryStrategy: new ConfiguredRetryStrategy(3, () => 0),
    });
    await cloudWatch.send(
      new PutMetricAlarmCommand({
        AlarmName: name,
        Namespace: 'AWS/Lambda',
        MetricName: 'Invocations',
        Dimensions: [{ Name: 'FunctionName', Value: 'demo' }],
        Statistic: 'Sum',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 0,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'breaching',
      }),
    );
    for (;;) {
      const read = await cloudWatch.send(new DescribeAlarmsCommand({ AlarmNames: [name] }));
      if (read.MetricAlarms?.[0]?.StateValue === 'ALARM') return;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it('a running one is driven by AWS CodeDeploy: HEALTHY, exit 0, nothing stopped', async () => {
    const id = await detach();
    const run = await env!.cli(['check', 'demo', '--alarm', 'demo-errors']);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^HEALTHY /);
    expect(run.stdout).toContain(`driven by AWS CodeDeploy (${id}, InProgress, 10%)`);
    expect(run.stdout).toContain(`lshift wait ${id}`);
    expect(run.stdout).not.toContain('STALLED');
    const ops = await operations();
    expect(ops.StopDeployment ?? 0).toBe(0);
    expect((await env!.status()).record?.phase).toBe('paused');
    // These runs go through this worker's process (run-cli-in-process.ts; the file is in
    // IN_PROCESS_E2E, vitest.config.ts): the built CLI, started against the same sandbox, says the same.
    await expectBuiltCliRunsAlike(run, ['check', 'demo', '--alarm', 'demo-errors'], {
      env: { LSHIFT_SANDBOX: env!.handle.url },
    });
    expect((await operations()).StopDeployment ?? 0).toBe(0);
  });

  it('an alarm of the check in ALARM stops it with auto-rollback: exit 3, all traffic back on version 1', async () => {
    const id = await detach();
    await alwaysAlarming('demo-always');
    const run = await env!.cli(['check', 'demo', '--alarm', 'demo-always', '--json']);
    expect(run.code, run.stdout + run.stderr).toBe(3);
    const [result] = JSON.parse(run.stdout).results;
    expect(result).toMatchObject({ action: 'rolled_back', toVersion: '1' });
    expect(result.reason).toContain(`driven by AWS CodeDeploy (${id}, InProgress`);
    expect((await operations()).StopDeployment).toBe(1);
    const status = await env!.status();
    expect(status).toMatchObject({ functionVersion: '1', additionalWeights: {} });
    expect(status.record).toMatchObject({
      phase: 'rolled-back',
      cause: { code: 'GATE_FAILED', gates: ['alarms'] },
    });
  });

  it('one that Succeeded while nobody followed it has its record closed as promoted, as lshift wait would', async () => {
    // 10 simulated minutes at --speed 600: CodeDeploy finishes within seconds of the detach.
    const id = await detach('canary:10%:10m', 600);
    while ((await env!.status()).functionVersion !== '2') await new Promise((r) => setTimeout(r, 200));
    const run = await env!.cli(['check', 'demo', '--alarm', 'demo-errors', '--window', '12h']);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^HEALTHY /);
    expect(run.stdout).toContain(`CodeDeploy deployment ${id} Succeeded`);
    expect(run.stdout).toContain('its record is closed as promoted');
    expect((await env!.status()).record?.phase).toBe('promoted');
    const again = await env!.cli(['check', 'demo', '--alarm', 'demo-errors', '--window', '12h']);
    expect(again.stdout).toMatch(/^HEALTHY .* — 1 alarm OK\n$/);
  });

  /** Deletes what `lshift codedeploy init demo` made, as someone cleaning up would (the real API). */
  async function deleteFromCodeDeploy(what: 'group' | 'application'): Promise<void> {
    codeDeploy = new CodeDeployClient({
      endpoint: env!.handle.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' },
      retryStrategy: new ConfiguredRetryStrategy(3, () => 0),
    });
    if (what === 'group') {
      await codeDeploy.send(
        new DeleteDeploymentGroupCommand({
          applicationName: 'lshift-demo',
          deploymentGroupName: 'demo-live',
        }),
      );
    } else await codeDeploy.send(new DeleteApplicationCommand({ applicationName: 'lshift-demo' }));
  }

  it('its deployment group deleted mid-canary: STALLED (exit 4) naming lshift rollback, which then works without CodeDeploy', async () => {
    const id = await detach();
    await deleteFromCodeDeploy('group');
    const run = await env!.cli(['check', 'demo', '--alarm', 'demo-errors']);
    expect(run.code, run.stdout + run.stderr).toBe(4);
    expect(run.stdout).toMatch(/^STALLED /);
    expect(run.stdout).toContain(`AWS CodeDeploy no longer knows deployment ${id}`);
    expect(run.stdout).toContain('alias live is left at version 1 (90%) + version 2 (10%)');
    expect(run.stdout).toContain('`lshift rollback demo --alias live` puts all traffic back on version 1');
    const rollback = await env!.cli(['rollback', 'demo', '--json']);
    expect(rollback.code, rollback.stdout + rollback.stderr).toBe(0);
    expect(JSON.parse(rollback.stdout)).toMatchObject({ status: 'rolled_back' });
    const status = await env!.status();
    expect(status).toMatchObject({ functionVersion: '1', additionalWeights: {} });
    expect(status.record?.phase).toBe('rolled-back');
    const again = await env!.cli(['check', 'demo', '--alarm', 'demo-errors']);
    expect(again.code, again.stdout + again.stderr).toBe(0);
  });

  it('its application deleted after it Succeeded: judged from the alias, HEALTHY, record closed as promoted (exit 0)', async () => {
    const id = await detach('canary:10%:10m', 600);
    while ((await env!.status()).functionVersion !== '2') await new Promise((r) => setTimeout(r, 200));
    await deleteFromCodeDeploy('application');
    const run = await env!.cli(['check', 'demo', '--alarm', 'demo-errors', '--json']);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const [result] = JSON.parse(run.stdout).results;
    expect(result).toMatchObject({ action: 'healthy', phase: 'promoted' });
    expect(result.reason).toContain(`AWS CodeDeploy no longer knows deployment ${id}`);
    expect(result.reason).toContain('its record is closed as promoted');
    expect((await env!.status()).record?.phase).toBe('promoted');
  });
});
