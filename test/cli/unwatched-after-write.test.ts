/**
 * All at once with --alarm and no --bake: nothing holds after the one weight write, so the alarms
 * are read before it and never after, and the deploy promoted at its write while it said "100%
 * held, healthy" (found by a hostile pass). Said before the write now, unless something does
 * watch after it: a bake, a step or post-traffic hook's wait, a hold below 100%, or CodeDeploy.
 */
import { describe, expect, it } from 'vitest';
import { resolveDeployOptions } from '../../src/cli/deploy-options.js';
import { describeUnwatched } from '../../src/cli/deploy-warnings.js';
import { parseHookSpec } from '../../src/domain/hook-spec.js';

const options = (flags: Record<string, unknown>) =>
  resolveDeployOptions({ version: '2', strategy: 'AllAtOnce', ...flags } as never, {});

describe('describeUnwatched: alarms nothing reads after the traffic moved', () => {
  it('all at once, no bake, no hook: says the alarm is read before the write only', () => {
    expect(describeUnwatched(['orders-errors'], options({}))).toBe(
      'AllAtOnce with no --bake: the alarms (--alarm) are read before the traffic moves and never after it (nothing holds at 100%), so the deploy promotes at its write; add --bake 10m to watch the new version at 100%',
    );
    expect(describeUnwatched(['a', 'b'], options({}))).toMatch(
      /^AllAtOnce with no --bake: the alarms \(--alarm\) are read before/,
    );
  });

  it.each([
    ['a bake', { bake: '5m' }],
    ['a hold below 100%', { strategy: 'Canary10Percent5Minutes' }],
    ['a post-traffic hook (its wait is watched)', { 'post-hook': ['cmd:true'] }],
    ['a step hook (its wait is watched)', { 'step-hook': ['cmd:true'] }],
  ])('%s: nothing to say', (_name, flags) => {
    expect(describeUnwatched(['orders-errors'], options(flags))).toBeUndefined();
  });

  it('a release hook after the traffic moved watches too', () => {
    const around = { step: [], post: [parseHookSpec('cmd:true', '--post-hook')] };
    expect(describeUnwatched(['orders-errors'], options({}), around)).toBeUndefined();
  });

  it('no alarm, a plan the analysis judges: judged by the analysis alone, as before', () => {
    expect(describeUnwatched([], options({ bake: '5m' }))).toMatch(
      /^no --alarm given: health is judged by the canary analysis of the new version alone/,
    );
    expect(describeUnwatched([], options({ strategy: 'Canary10Percent5Minutes' }))).toMatch(
      /^no --alarm given: health is judged by the canary analysis/,
    );
  });

  // Said "judged by the canary analysis alone" beside "the analysis never judges the new version"
  // (found by a hostile pass, session 61: AllAtOnce, no --alarm, no --bake, promoted in 7 s).
  it('no alarm, all at once without a bake: nothing watches health, said as such', () => {
    expect(describeUnwatched([], options({}))).toBe(
      'no --alarm given, and the canary analysis never judges AllAtOnce without --bake: nothing watches health, so the deploy promotes at its write (pass --alarm and add --bake 10m)',
    );
  });
});
