import { describe, expect, it } from 'vitest';
import { describeRegionSource, hookSourcesOf, refuseForeignRegions } from '../../src/cli/function-region.js';
import { LshiftError } from '../../src/domain/errors.js';
import { parseHookSpec } from '../../src/domain/hook-spec.js';

const inUse = { region: 'us-east-1', source: 'AWS_REGION' };
const ARN = (region: string, name = 'orders') => `arn:aws:lambda:${region}:123456789012:function:${name}`;

function refusal(run: () => void): LshiftError {
  try {
    run();
  } catch (error) {
    if (error instanceof LshiftError) return error;
    throw error;
  }
  throw new Error('not refused');
}

describe('refuseForeignRegions', () => {
  it('passes names, partial ARNs and ARNs of lshift’s region', () => {
    expect(() =>
      refuseForeignRegions(inUse, {
        functions: ['orders', '123456789012:function:billing', ARN('us-east-1')],
        hooks: hookSourcesOf({
          hooks: {
            pre: [
              parseHookSpec(`lambda:${ARN('us-east-1', 'smoke')}:live`, '--pre-hook'),
              parseHookSpec('cmd:true', '--pre-hook'),
            ],
          },
        }),
      }),
    ).not.toThrow();
  });

  it('refuses a function ARN of another region, naming both regions and the fix', () => {
    const error = refusal(() => refuseForeignRegions(inUse, { functions: ['orders', ARN('eu-west-1')] }));
    expect(error).toMatchObject({
      code: 'FUNCTION_REGION_MISMATCH',
      exitCode: 2,
      message: `Function ${ARN('eu-west-1')} is in region eu-west-1, but lshift calls Lambda in us-east-1 (AWS_REGION).`,
    });
    expect(error.hint).toContain('--region eu-west-1');
    expect(error.hint).toContain('name the function of us-east-1');
  });

  it('refuses a lambda: hook of another region, naming the hook and its flag', () => {
    const spec = parseHookSpec(`lambda:${ARN('ap-south-1', 'smoke')}`, '--post-hook');
    const error = refusal(() =>
      refuseForeignRegions(inUse, {
        functions: ['orders'],
        hooks: hookSourcesOf({ hooks: { post: [spec] } }),
      }),
    );
    expect(error).toMatchObject({
      code: 'FUNCTION_REGION_MISMATCH',
      message: `Hook lambda:${ARN('ap-south-1', 'smoke')} (--post-hook) is a function of region ap-south-1, but lshift invokes it in us-east-1 (AWS_REGION).`,
    });
    expect(error.hint).toContain('use a hook function of us-east-1');
  });

  // Found by a hostile pass: a config file's hook was blamed on `--pre-hook`, which nobody gave.
  it('names a config file’s hook by its entry, a flag’s by its flag', () => {
    const spec = parseHookSpec('invoke-target:smoke.json', 'hooks.pre[1] in the config file');
    const other = parseHookSpec('cmd:true', 'hooks.pre[0] in the config file');
    expect(
      hookSourcesOf(
        {
          hooks: { pre: [other, spec], post: [spec] },
          hookSources: { pre: 'the config file’s `hooks.pre`', post: '--post-hook' },
        },
        { hooks: { step: [spec] } },
      ).map((h) => h.where),
    ).toEqual([
      'hooks.pre[0] in the config file',
      'hooks.pre[1] in the config file',
      '--post-hook',
      '--step-hook',
    ]);
  });
});

describe('describeRegionSource: where the region came from, in the client’s order', () => {
  it.each([
    [{ region: 'eu-west-1' }, false, { AWS_REGION: 'us-east-1' }, '--region'],
    [{ region: 'eu-west-1', fromConfig: ['region'] }, false, {}, 'the config file’s `region`'],
    [{}, true, { AWS_REGION: 'us-east-1' }, 'the sandbox’s default; --region changes it'],
    [{}, false, { AWS_REGION: 'us-east-1', AWS_DEFAULT_REGION: 'eu-west-1' }, 'AWS_REGION'],
    [{}, false, { AWS_REGION: ' ', AWS_DEFAULT_REGION: 'eu-west-1' }, 'AWS_DEFAULT_REGION'],
    [{ profile: 'ci' }, false, { AWS_PROFILE: 'dev' }, 'the region of AWS profile ci'],
    [{}, false, { AWS_PROFILE: 'dev' }, 'the region of AWS profile dev'],
    [{}, false, {}, 'the region of AWS profile default'],
  ])('%j sandbox=%s %j: %s', (given, sandbox, env, expected) => {
    expect(describeRegionSource(given, sandbox, env)).toBe(expected);
  });
});
