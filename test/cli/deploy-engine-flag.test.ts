import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectSameAsBuiltCli, runCliInProcess } from '../helpers/run-cli-in-process.js';

/** `--engine codedeploy` is offered, and what it cannot run is refused before anything starts. */
describe('lshift deploy --engine (built CLI)', () => {
  it('is offered in deploy --help with --detach, --application and --deployment-group', async () => {
    const run = await runCliInProcess(['deploy', '--help']);
    expect(run.code, run.stderr).toBe(0);
    for (const flag of ['--engine', '--detach', '--application', '--deployment-group']) {
      expect(run.stdout).toContain(flag);
    }
    expect(run.stdout).toContain('codedeploy');
  });

  it.each([
    [['--engine', 'codedeploy', '--strategy', 'canary:10%:30s'], 'ENGINE_CANNOT_RUN', /whole minutes/],
    [['--engine', 'codedeploy', '--bake', '10m'], 'ENGINE_CANNOT_RUN', /--bake/],
    [['--engine', 'codedeploy', '--pre-hook', 'cmd:./smoke.sh'], 'ENGINE_CANNOT_RUN', /cmd hook/],
    [['--detach'], 'CONFLICTING_FLAGS', /--detach/],
    // A release: the hint must not send the user to --engine codedeploy, which refuses a release.
    [['billing', '--detach'], 'CONFLICTING_FLAGS', /release of 2 functions runs in this process/],
    [['billing', '--engine', 'codedeploy', '--detach'], 'CONFLICTING_FLAGS', /deploy each function alone/],
    [['--engine', 'codedeploy', '--resume'], 'CONFLICTING_FLAGS', /lshift wait/],
    [
      ['--application', 'app'],
      'CONFLICTING_FLAGS',
      /^--application names a CodeDeploy application, which only applies with --engine codedeploy\. .*drop --application\.$/,
    ],
    [
      ['--application', 'app', '--deployment-group', 'g'],
      'CONFLICTING_FLAGS',
      /^--application and --deployment-group name CodeDeploy resources, which only apply with --engine codedeploy\./,
    ],
    [
      ['--engine', 'codedeploy', '--dry-run', '--strategy', 'steps:5%@2m,100%'],
      'ENGINE_CANNOT_RUN',
      /step list/,
    ],
  ])('%j is refused with %s (exit 2), nothing started', async (args, code, message) => {
    const run = await runCliInProcess(['deploy', 'my-fn', ...args, '--json']);
    expect(run.code, run.stderr).toBe(2);
    const out = JSON.parse(run.stdout);
    expect(out).toMatchObject({ code, exitCode: 2 });
    expect(`${out.message} ${out.hint ?? ''}`).toMatch(message);
  });

  it('a config file’s `application` without the engine is named as the config key, not as flags never typed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lshift-engine-config-'));
    writeFileSync(join(dir, 'lshift.config.json'), '{"application": ""}\n');
    const run = await runCliInProcess(['deploy', 'my-fn', '--json'], { cwd: dir });
    expect(run.code, run.stderr).toBe(2);
    expect(JSON.parse(run.stdout)).toMatchObject({
      code: 'CONFLICTING_FLAGS',
      message:
        'the config file’s `application` (empty) names a CodeDeploy application, which only applies with --engine codedeploy.',
      hint: 'Add --engine codedeploy (config file: `engine: codedeploy`), or remove the config file’s `application`.',
    });
  });
  it('the built CLI, started as a user would, gives the same for a sample of these', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lshift-engine-config-'));
    writeFileSync(join(dir, 'lshift.config.json'), '{"application": ""}\n');
    await expectSameAsBuiltCli([
      { args: ['deploy', 'my-fn', '--engine', 'codedeploy', '--bake', '10m', '--json'] },
      { args: ['deploy', 'my-fn', '--json'], cwd: dir },
    ]);
  });
});
