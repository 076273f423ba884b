import type { ChildProcess } from 'node:child_process';
import { GetDeploymentGroupCommand } from '@aws-sdk/client-codedeploy';
import { afterEach, describe, expect, it } from 'vitest';
import { expectBuiltCliRunsAlike, runCliInProcess } from '../helpers/run-cli-in-process.js';
import { sandboxCodeDeploy } from './codedeploy-detached.js';
import { type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

/**
 * `lshift codedeploy init` with a typo: a function, alias or alarm that does not exist is refused
 * before CodeDeploy is touched, instead of leaving an application and a deployment group named
 * after the typo (`lshift-demoo`, `demoo-live`) that no deploy can ever use.
 */
describe('codedeploy init refuses what does not exist before creating anything', () => {
  let env: SandboxEnv | undefined;
  afterEach(async () => {
    await env?.stop();
    env = undefined;
  });

  const ROLE = 'arn:aws:iam::123456789012:role/codedeploy';

  async function codedeployWrites(): Promise<number> {
    const response = await fetch(`${env?.handle.url}/__lshift/operations`);
    const counts = (await response.json()) as Record<string, number>;
    return (
      (counts.CreateApplication ?? 0) +
      (counts.CreateDeploymentGroup ?? 0) +
      (counts.UpdateDeploymentGroup ?? 0)
    );
  }

  it.each([
    {
      what: 'a function',
      args: ['demoo'],
      exit: 1,
      code: 'FUNCTION_NOT_FOUND',
      text: 'Function demoo does not exist',
    },
    {
      what: 'an alias',
      args: ['demo', '--alias', 'lvie'],
      exit: 2,
      code: 'ALIAS_NOT_FOUND',
      text: 'Alias lvie of function demo',
    },
    {
      what: 'an alarm',
      args: ['demo', '--alarm', 'demo-errors', '--alarm', 'demo-erors'],
      exit: 2,
      code: 'ALARM_NOT_FOUND',
      text: 'demo-erors',
    },
  ])('$what that does not exist: exit $exit ($code), nothing created', async ({ args, exit, code, text }) => {
    env = await startSandboxEnv({ inProcess: runCliInProcess });
    const run = await env.cli(['codedeploy', 'init', ...args, '--role', ROLE, '--json']);
    expect(run.code, run.stderr).toBe(exit);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ status: 'error', code, exitCode: exit });
    expect(report.message).toContain(text);
    expect(await codedeployWrites()).toBe(0);
  });

  it('an alarm name that is blank or has a control character: ALARM_NAME_INVALID, exit 2, nothing created', async () => {
    env = await startSandboxEnv({ inProcess: runCliInProcess });
    for (const alarm of ['', 'demo\u0001errors']) {
      const run = await env.cli(['codedeploy', 'init', 'demo', '--alarm', alarm, '--role', ROLE]);
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toContain('Error [ALARM_NAME_INVALID]');
      // This run goes through this worker's process (run-cli-in-process.ts; the file is in
      // IN_PROCESS_E2E, vitest.config.ts): the built CLI, started against the same sandbox, says the same.
      if (alarm)
        await expectBuiltCliRunsAlike(run, ['codedeploy', 'init', 'demo', '--alarm', alarm, '--role', ROLE], {
          env: { LSHIFT_SANDBOX: env.handle.url },
        });
    }
    expect(await codedeployWrites()).toBe(0);
  });

  async function operations(): Promise<number> {
    const response = await fetch(`${env?.handle.url}/__lshift/operations`);
    return Object.values((await response.json()) as Record<string, number>).reduce((a, b) => a + b, 0);
  }

  // Found by a hostile pass: 11 alarms were looked up (DescribeAlarms) before the at-most-10 rule.
  it('11 different alarms: CODEDEPLOY_TOO_MANY_ALARMS (exit 2) before any AWS call', async () => {
    env = await startSandboxEnv({ inProcess: runCliInProcess });
    const before = await operations();
    const alarms = Array.from({ length: 11 }, (_, i) => ['--alarm', `missing-${i}`]).flat();
    const run = await env.cli(['codedeploy', 'init', 'demo', ...alarms, '--role', ROLE, '--json']);
    expect(run.code, run.stderr).toBe(2);
    expect(JSON.parse(run.stdout)).toMatchObject({ code: 'CODEDEPLOY_TOO_MANY_ALARMS' });
    expect(JSON.parse(run.stdout).message).toContain('11 different ones were given');
    expect(await operations()).toBe(before);
  });

  it('a repeated --alarm is one alarm: 11 times the same name is accepted, the group lists it once', async () => {
    env = await startSandboxEnv({ inProcess: runCliInProcess });
    const alarms = Array.from({ length: 11 }, () => ['--alarm', 'demo-errors']).flat();
    const run = await env.cli(['codedeploy', 'init', 'demo', ...alarms, '--role', ROLE]);
    expect(run.code, run.stderr).toBe(0);
    const client = sandboxCodeDeploy(env);
    try {
      const out = await client.send(
        new GetDeploymentGroupCommand({ applicationName: 'lshift-demo', deploymentGroupName: 'demo-live' }),
      );
      expect(out.deploymentGroupInfo?.alarmConfiguration?.alarms).toEqual([{ name: 'demo-errors' }]);
    } finally {
      client.destroy();
    }
  });

  // Found by a hostile pass: the init whose CreateApplication came second failed with AWS_ERROR
  // (ApplicationAlreadyExistsException), exit 1, although init is idempotent.
  it('two inits at once: both exit 0, one creates, the other reuses what it made', async () => {
    env = await startSandboxEnv({ inProcess: runCliInProcess });
    const args = ['codedeploy', 'init', 'demo', '--role', ROLE, '--alarm', 'demo-errors', '--json'];
    // Neither creates anything until both have read that nothing exists (or given up).
    const gate = env.handle.state.gate;
    gate.holdNow({ only: ['CreateApplication'] });
    let exited = 0;
    const onSpawn = (child: ChildProcess) => child.on('exit', () => exited++);
    const both = Promise.all([env.cli(args, { onSpawn }), env.cli(args, { onSpawn })]);
    while (gate.isClosed && gate.held + exited < 2) await new Promise((r) => setTimeout(r, 20));
    gate.release();
    const runs = await both;
    for (const run of runs) expect(run.code, run.stderr).toBe(0);
    const reports = runs.map((run) => JSON.parse(run.stdout));
    // Which one's CreateDeploymentGroup lands first is a race of its own.
    expect(reports.map((r) => r.application.action).sort()).toEqual(['created', 'reused']);
    expect(reports.map((r) => r.group.action).sort()).toEqual(['created', 'reused']);
    for (const report of reports) expect(report.drift).toEqual([]);
  });

  it('the demo function, its alias and alarm: created as before', async () => {
    env = await startSandboxEnv({ inProcess: runCliInProcess });
    const run = await env.cli(['codedeploy', 'init', 'demo', '--role', ROLE, '--alarm', 'demo-errors']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Application lshift-demo: created.');
    expect(await codedeployWrites()).toBe(2);
  });
});
