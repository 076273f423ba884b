import { afterEach, describe, expect, it } from 'vitest';
import { type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

/**
 * `deploy --engine codedeploy --detach --alarm X` exits once CodeDeploy has the deployment, and
 * CodeDeploy stops only on its group's alarms: an --alarm the group lacks was silently read by
 * nobody. It is said now (stderr and the result's warnings), with the init that adds it.
 */
describe('--detach with an --alarm its CodeDeploy group does not watch (built CLI against the sandbox)', () => {
  let env: SandboxEnv | undefined;
  afterEach(async () => {
    await env?.stop();
    env = undefined;
  });

  it('warns that nothing reads it, then that the group does once init --update added it', async () => {
    env = await startSandboxEnv({ preset: 'healthy', speed: 60 });
    const init = await env.cli(['codedeploy', 'init', 'demo', '--role', 'arn:aws:iam::123456789012:role/cd']);
    expect(init.code, init.stderr).toBe(0);
    const deploy = (...more: string[]) =>
      env!.cli([
        ...['deploy', 'demo', '--engine', 'codedeploy', '--strategy', 'canary:10%:90m'],
        ...['--alarm', 'demo-errors', '--detach', '--json', ...more],
      ]);

    const run = await deploy();
    expect(run.code, run.stderr + run.stdout).toBe(0);
    const said = 'nothing reads --alarm demo-errors (nor runs the canary analysis)';
    expect(run.stderr).toContain(said);
    expect(JSON.parse(run.stdout).warnings.join('\n')).toContain(
      '`lshift codedeploy init demo --application lshift-demo --deployment-group demo-live --alarm demo-errors --update`',
    );

    const rollback = await env.cli(['rollback', 'demo']);
    expect(rollback.code, rollback.stderr).toBe(0);
    const update = await env.cli(['codedeploy', 'init', 'demo', '--alarm', 'demo-errors', '--update']);
    expect(update.code, update.stderr).toBe(0);
    const watched = await deploy('--version', '2');
    expect(watched.code, watched.stderr).toBe(0);
    expect(watched.stderr).not.toContain(said);
  });

  it('says neither it nor the no-alarm warning when there turns out to be nothing to deploy', async () => {
    env = await startSandboxEnv({ preset: 'healthy', speed: 60 });
    const init = await env.cli(['codedeploy', 'init', 'demo', '--role', 'arn:aws:iam::123456789012:role/cd']);
    expect(init.code, init.stderr).toBe(0);
    const deploy = [
      'deploy',
      'demo',
      '--engine',
      'codedeploy',
      '--strategy',
      'canary:10%:90m',
      '--version',
      '1',
    ];

    // Version 1 is live already: no shift, so nothing is left unread and nothing goes unwatched.
    const detached = await env.cli([...deploy, '--alarm', 'demo-errors', '--detach', '--json']);
    expect(detached.code, detached.stderr).toBe(0);
    expect(JSON.parse(detached.stdout)).toMatchObject({ status: 'nothing_to_deploy' });
    expect(JSON.parse(detached.stdout).warnings).toBeUndefined();
    expect(detached.stderr).not.toContain('warning');
    const unwatched = await env.cli([...deploy, '--no-analysis', '--detach', '--json']);
    expect(unwatched.code, unwatched.stderr).toBe(0);
    expect(JSON.parse(unwatched.stdout).warnings).toBeUndefined();
    expect(unwatched.stderr).not.toContain('warning');
  });
});
