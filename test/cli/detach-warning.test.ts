import { describe, expect, it } from 'vitest';
import { resolveDeployOptions } from '../../src/cli/deploy-options.js';
import { describeWatch } from '../../src/cli/deploy-warnings.js';
import { describeDetachedWatch, type GroupAlarms } from '../../src/cli/detach-warning.js';

const group = (alarms: string[], enabled = true): GroupAlarms => ({
  application: 'lshift-demo',
  group: 'demo-live',
  alarms,
  enabled,
});

describe('describeDetachedWatch: --detach with an --alarm only lshift would read', () => {
  it.each([
    ['every --alarm on the group', ['a', 'b'], group(['b', 'a', 'c']), undefined],
    ['an --alarm the group lacks', ['a', 'x'], group(['a']), ['--alarm x', '(a)']],
    [
      'a group whose alarms are disabled',
      ['a'],
      group(['a'], false),
      ['--alarm a', '(none: its alarms a are disabled)'],
    ],
  ] as const)('%s', (_, alarms, g, expected) => {
    const said = describeDetachedWatch('demo', alarms, g, true);
    if (expected === undefined) {
      expect(said).toMatch(/canary analysis does not run/);
      expect(describeDetachedWatch('demo', alarms, g, false)).toBeUndefined();
      return;
    }
    expect(said).toContain(`nothing reads ${expected[0]} (nor runs the canary analysis)`);
    expect(said).toContain(`deployment group's alarms ${expected[1]}`);
    // Under --no-analysis there is no analysis to speak of.
    expect(describeDetachedWatch('demo', alarms, g, false)).toContain(`nothing reads ${expected[0]}: `);
  });

  it('names the init that adds them (keeping the group’s own) and the check that judges it', () => {
    const said = describeDetachedWatch('demo', ['x'], group(['a']), true);
    expect(said).toContain(
      '`lshift codedeploy init demo --application lshift-demo --deployment-group demo-live --alarm a --alarm x --update`',
    );
    expect(said).toContain('`lshift check demo --alarm x`');
    expect(said).toMatch(/, or run without --detach$/);
  });
});

/**
 * Found by a hostile pass: with no --alarm, `deploy --detach` said "health is judged by the canary
 * analysis of the new version alone" while lshift exits at the hand-over and no analysis runs.
 */
describe('describeDetachedWatch: --detach with no --alarm', () => {
  it('a group with no alarm: says nothing watches it, and the three ways out', () => {
    const said = describeDetachedWatch('demo', [], group([]), true)!;
    expect(said).toBe(
      '--detach: lshift exits once CodeDeploy has the deployment, and after the hand-over nothing watches its health: ' +
        'no --alarm was given, its deployment group lshift-demo/demo-live stops on no alarm (none), and the canary analysis does not run, ' +
        'so CodeDeploy shifts it to 100% on schedule whatever it does. ' +
        'Add an alarm to the group (`lshift codedeploy init demo --application lshift-demo --deployment-group demo-live --alarm <alarm-name> --update`), ' +
        'judge it on a schedule with `lshift check demo --alarm <alarm-name>`, or run without --detach and with --alarm',
    );
    expect(said).not.toMatch(/judged by the canary analysis/);
    expect(describeDetachedWatch('demo', [], group([]), false)).not.toMatch(/analysis/);
  });

  it('a group whose alarms are disabled: names them, and the init that turns them on', () => {
    const said = describeDetachedWatch('demo', [], group(['e1', 'e2'], false), false)!;
    expect(said).toContain('nothing watches its health');
    expect(said).toContain('stops on no alarm (none: its alarms e1, e2 are disabled)');
    expect(said).toContain('--alarm e1 --alarm e2 --update');
  });

  it('a group with alarms: they alone watch it (the analysis does not run); nothing to say under --no-analysis', () => {
    expect(describeDetachedWatch('demo', [], group(['e1', 'e2']), true)).toBe(
      '--detach: lshift exits once CodeDeploy has the deployment, so the canary analysis does not run: after the hand-over only the ' +
        "deployment group's alarms (e1, e2) watch health. Run without --detach to have the analysis judge it, or pass --no-analysis to leave it to those alarms",
    );
    expect(describeDetachedWatch('demo', [], group(['e1']), false)).toBeUndefined();
  });
});

/**
 * A followed (not detached) CodeDeploy deploy given no --alarm said "judged by the canary analysis
 * alone" (or, under --no-analysis, "nothing watches health") though CodeDeploy stops it on its
 * deployment group's alarms (found by a hostile pass).
 */
describe('describeWatch: what watches a deploy, said before the shift', () => {
  const options = (flags: Record<string, unknown> = {}) =>
    resolveDeployOptions({ version: '2', strategy: 'canary:10%:5m', ...flags } as never, {});
  const followed = (g: GroupAlarms) => ({ group: g, detach: false });

  it('followed under CodeDeploy, no --alarm, a group with enabled alarms: they watch it, nothing to warn of', () => {
    expect(describeWatch('demo', [], options(), followed(group(['e1'])))).toBeUndefined();
    expect(
      describeWatch('demo', [], options({ 'no-analysis': true }), followed(group(['e1']))),
    ).toBeUndefined();
  });

  it('followed, no --alarm, a group with no alarm or its alarms disabled: the no-alarm warning, as without CodeDeploy', () => {
    const alone = describeWatch('demo', [], options());
    expect(alone).toContain(
      'no --alarm given: health is judged by the canary analysis of the new version alone',
    );
    expect(describeWatch('demo', [], options(), followed(group([])))).toBe(alone);
    expect(describeWatch('demo', [], options(), followed(group(['e1'], false)))).toBe(alone);
  });

  it('--detach: the hand-over words (detach-warning.ts), whatever the group', () => {
    const g = group(['e1']);
    expect(describeWatch('demo', ['x'], options(), { group: g, detach: true })).toBe(
      describeDetachedWatch('demo', ['x'], g, true),
    );
  });
});
