import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { expectBuiltCliRunsAlike, runCliInProcess } from '../helpers/run-cli-in-process.js';
import { initCodeDeployGroup } from './codedeploy-detached.js';
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
    env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'healthy', speed: 60 });
    await initCodeDeployGroup(env);
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

  // Found by a hostile pass: it said "health is judged by the canary analysis of the new version
  // alone" while lshift exits at the hand-over and no analysis runs.
  it('with no --alarm and a group with no alarm: says nothing watches it (stderr, --json warnings, ::warning)', async () => {
    env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'healthy', speed: 60 });
    await initCodeDeployGroup(env);
    const summary = join(mkdtempSync(join(tmpdir(), 'lshift-detach-')), 'summary.md');
    const deploy = [
      'deploy',
      'demo',
      '--engine',
      'codedeploy',
      '--strategy',
      'canary:10%:90m',
      '--detach',
      '--json',
    ];
    const said =
      '--detach: lshift exits once CodeDeploy has the deployment, and after the hand-over nothing watches its health: ' +
      'no --alarm was given, its deployment group lshift-demo/demo-live stops on no alarm (none), and the canary analysis does not run';
    // The dry run says what the deploy would.
    const dry = await env.cli([...deploy, '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect((JSON.parse(dry.stdout).warnings as string[]).join('\n')).toContain(said);
    // This run goes through this worker's process (run-cli-in-process.ts; the file is in
    // IN_PROCESS_E2E, vitest.config.ts): the built CLI, started against the same sandbox, says the same.
    await expectBuiltCliRunsAlike(dry, [...deploy, '--dry-run'], { env: { LSHIFT_SANDBOX: env.handle.url } });

    const run = await env.cli(deploy, { env: { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary } });
    expect(run.code, run.stderr + run.stdout).toBe(0);
    const warnings = JSON.parse(run.stdout).warnings as string[];
    expect(warnings.find((w) => w.startsWith('--detach'))).toContain(said);
    expect(warnings.join('\n')).toContain(
      '`lshift codedeploy init demo --application lshift-demo --deployment-group demo-live --alarm <alarm-name> --update`',
    );
    expect(run.stderr).toContain(said);
    expect(run.stderr).toContain(`::warning title=lshift health watch::demo:live: ${said}`);
    // Exit 0, as asked: handed over, not an error annotation saying "paused" (no signal came).
    expect(run.stderr).not.toContain('::error');
    expect(readFileSync(summary, 'utf8')).toMatch(
      /^## ➜ lshift: `demo:live` handed to AWS CodeDeploy as deployment d-\w+ \(--detach\)$/m,
    );
    const shown = [run.stdout, run.stderr].join('\n');
    expect(shown).not.toContain('judged by the canary analysis');
    expect(shown).not.toContain('nothing watches health, so the shift promotes on schedule');
  });

  it('says neither it nor the no-alarm warning when there turns out to be nothing to deploy', async () => {
    env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'healthy', speed: 60 });
    await initCodeDeployGroup(env);
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
