import { describe, expect, it } from 'vitest';
import { planCodeDeployEngine } from '../../src/cli/codedeploy-engine.js';
import { type DeployFlags, resolveDeployOptions } from '../../src/cli/deploy-options.js';
import type { LshiftConfig } from '../../src/cli/option-schema.js';

/**
 * `--engine codedeploy` refuses hooks CodeDeploy cannot run. A hook written in the config file was
 * refused as "given to --pre-hook", a flag the user never typed: the error names where it is.
 */
function refusal(
  flags: Partial<DeployFlags>,
  config: LshiftConfig,
): { code: string; message: string; hint?: string } {
  try {
    planCodeDeployEngine(
      'orders',
      resolveDeployOptions({ engine: 'codedeploy', ...flags } as DeployFlags, config),
    );
  } catch (error) {
    return error as { code: string; message: string; hint?: string };
  }
  throw new Error('expected a refusal');
}

describe('CodeDeploy hook refusals name where the hook was written', () => {
  it('a command hook in the config file’s hooks.pre', () => {
    const error = refusal({}, { hooks: { pre: ['cmd:./smoke.sh'] } });
    expect(error.code).toBe('ENGINE_CANNOT_RUN');
    expect(error.message).toContain('the cmd hook given in the config file’s `hooks.pre`');
    expect(error.message).not.toContain('--pre-hook');
    expect(error.hint).toContain('Give the config file’s `hooks.pre` one lambda:<function> hook');
  });

  it('step hooks in the config file', () => {
    expect(refusal({}, { hooks: { step: ['lambda:check'] } }).message).toContain(
      'step hooks (the config file’s `hooks.step`)',
    );
  });

  it('a flag still names the flag, and wins over the config file', () => {
    const error = refusal(
      { 'post-hook': ['https://ci.example.com/hook'] },
      { hooks: { post: ['lambda:ok'] } },
    );
    expect(error.message).toContain('the http hook given in --post-hook');
  });

  // CodeDeploy waits up to an hour for a hook's report: a --hook-timeout was accepted and ignored.
  it.each([
    ['--hook-timeout', { 'hook-timeout': '2m', 'pre-hook': ['lambda:smoke'] }, {}],
    ['the config file’s `hook-timeout`', {}, { 'hook-timeout': '2m', hooks: { post: ['lambda:smoke'] } }],
  ])('a hook timeout for its hooks (%s) is refused, named where it was given', (source, flags, config) => {
    const error = refusal(flags as Partial<DeployFlags>, config as LshiftConfig);
    expect(error.code).toBe('ENGINE_CANNOT_RUN');
    expect(error.message).toBe(
      `CodeDeploy cannot run the hook timeout ${source} sets: it waits up to one hour for a hook function's report, a limit lshift cannot change.`,
    );
  });

  it('a config-file hook entry’s own timeout is refused too', () => {
    const error = refusal({}, { hooks: { pre: [{ spec: 'lambda:smoke', timeout: '2m' }] } });
    expect(error.message).toBe(
      "CodeDeploy cannot run the `timeout` of the hook in the config file’s `hooks.pre`: it waits up to one hour for a hook function's report, a limit lshift cannot change.",
    );
  });

  it('a hook timeout without hooks is nothing to run, and not refused', () => {
    const options = resolveDeployOptions({ engine: 'codedeploy', 'hook-timeout': '2m' } as DeployFlags, {});
    expect(planCodeDeployEngine('orders', options)?.hooks).toEqual({
      beforeAllowTraffic: undefined,
      afterAllowTraffic: undefined,
    });
  });
});
