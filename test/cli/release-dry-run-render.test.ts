import { describe, expect, it } from 'vitest';
import { renderReleaseDryRun } from '../../src/cli/run-release-dry-run.js';
import { planRelease } from '../../src/domain/release-program.js';
import { canary } from '../engine/world.js';
import { runCli } from '../helpers/run-cli.js';

const fns = ['a', 'b'].map((functionName) => ({ functionName, alias: 'live' }));
const program = planRelease(canary(10, 300).strategy, {}, fns);

function report(onTarget: boolean) {
  const functions = fns.map((f) => ({
    ...f,
    stableVersion: onTarget ? '2' : '1',
    targetVersion: '2',
    nothingToDeploy: onTarget,
  }));
  return { releaseId: 'r-1', functions, program, mode: 'lockstep' as const };
}

/**
 * A release dry run where every function is already on its version said "the release would do
 * nothing", then its warnings about the shift and a program of weights (seen in a hostile pass).
 */
describe('release dry run summary', () => {
  it('shows the program of a release that would shift traffic', () => {
    expect(renderReleaseDryRun(report(false))).toContain('set a:live to 10% on the new version');
  });

  it('shows no program when every function is already on its target version', () => {
    const text = renderReleaseDryRun(report(true));
    expect(text).toContain('the release would do nothing');
    expect(text).not.toContain('Release program:');
    expect(text).not.toContain('10% on the new version');
  });

  it('--json of a release that would do nothing carries no warning about the shift (built CLI, --sandbox)', async () => {
    const args = [
      'deploy',
      'a',
      'b',
      '--sandbox',
      '--version',
      '1',
      '--dry-run',
      '--strategy',
      'linear:50%:1m',
    ];
    const idle = await runCli([...args, '--json']);
    expect(idle.code, idle.stderr).toBe(0);
    expect(JSON.parse(idle.stdout).warnings).toBeUndefined();
    // The same flags over a real shift do warn: the check above is not vacuous.
    const moving = await runCli([...args.filter((a) => a !== '--version' && a !== '1'), '--json']);
    expect(moving.code, moving.stderr).toBe(0);
    // Whatever else is said: a low recent rate read from the young sandbox (its traffic so far
    // depends on the machine's speed) adds the --min-invocations warning.
    expect(JSON.parse(moving.stdout).warnings).toEqual(
      expect.arrayContaining([expect.stringContaining('steps of 1m are shorter')]),
    );
  }, 60_000);
});
