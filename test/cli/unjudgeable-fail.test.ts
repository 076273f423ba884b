/**
 * `--on-inconclusive fail` asks to roll back a version the analysis could not judge. AllAtOnce with
 * no --bake is never judged (no step below 100%, nothing held after the write), and it promoted a
 * version failing 30% of its calls, exit 0 (found by a hostile pass). Refused before anything runs.
 */
import { describe, expect, it } from 'vitest';
import type { LshiftConfig } from '../../src/cli/config-file.js';
import { resolveDeployOptions } from '../../src/cli/deploy-options.js';

const resolve = (flags: Record<string, unknown>, config: Record<string, unknown> = {}) =>
  resolveDeployOptions({ version: '2', ...flags } as never, config as LshiftConfig);
const refusal = (flags: Record<string, unknown>, config?: Record<string, unknown>) => {
  try {
    resolve(flags, config);
  } catch (error) {
    return error as { code: string; exitCode: number; message: string; hint?: string };
  }
  return undefined;
};

describe('--on-inconclusive fail with a plan the analysis never judges', () => {
  it('AllAtOnce, no bake: refused (exit 2), saying why and the ways out', () => {
    const error = refusal({ strategy: 'AllAtOnce', 'on-inconclusive': 'fail' });
    expect(error).toMatchObject({ code: 'ANALYSIS_FLAG_CONFLICT', exitCode: 2 });
    expect(error?.message).toBe(
      '--on-inconclusive fail rolls back a version the analysis could not judge, but AllAtOnce with no --bake is never judged: every version would be promoted unjudged.',
    );
    expect(error?.hint).toBe(
      'Use a canary or linear strategy, or add --bake 10m (the new version at 100% compared with the stable version from before); or drop --on-inconclusive fail to deploy all at once unjudged.',
    );
  });

  it('from the config file: named as written there', () => {
    const error = refusal({}, { strategy: 'AllAtOnce', 'on-inconclusive': 'fail' });
    expect(error?.message).toMatch(/^the config file’s `on-inconclusive: fail` rolls back/);
  });

  it('under CodeDeploy (which runs no bake): no --bake advised', () => {
    const error = refusal({ strategy: 'AllAtOnce', 'on-inconclusive': 'fail', engine: 'codedeploy' });
    expect(error?.hint).toBe(
      'Use a canary or linear strategy; or drop --on-inconclusive fail to deploy all at once unjudged.',
    );
  });

  it.each([
    ['with a bake', { strategy: 'AllAtOnce', 'on-inconclusive': 'fail', bake: '10m' }],
    ['a canary', { strategy: 'Canary10Percent5Minutes', 'on-inconclusive': 'fail' }],
    ['--on-inconclusive continue', { strategy: 'AllAtOnce', 'on-inconclusive': 'continue' }],
    [
      'no analysis (nothing to be inconclusive)',
      { strategy: 'AllAtOnce', 'on-inconclusive': 'fail', analysis: false },
    ],
  ])('%s: accepted', (_name, flags) => {
    expect(refusal(flags)).toBeUndefined();
  });
});
