import { describe, expect, it } from 'vitest';
import { describeDetachedAlarms, type GroupAlarms } from '../../src/cli/detach-warning.js';

const group = (alarms: string[], enabled = true): GroupAlarms => ({
  application: 'lshift-demo',
  group: 'demo-live',
  alarms,
  enabled,
});

describe('describeDetachedAlarms: --detach with an --alarm only lshift would read', () => {
  it.each([
    ['no --alarm', [], group([]), undefined],
    ['every --alarm on the group', ['a', 'b'], group(['b', 'a', 'c']), undefined],
    ['an --alarm the group lacks', ['a', 'x'], group(['a']), ['--alarm x', '(a)']],
    ['a group whose alarms are disabled', ['a'], group(['a'], false), ['--alarm a', '(none)']],
  ] as const)('%s', (_, alarms, g, expected) => {
    const said = describeDetachedAlarms('demo', alarms, g);
    if (expected === undefined) {
      expect(said).toBeUndefined();
      return;
    }
    expect(said).toContain(`nothing reads ${expected[0]} (nor runs the canary analysis)`);
    expect(said).toContain(`deployment group's alarms ${expected[1]}`);
  });

  it('names the init that adds them (keeping the group’s own) and the check that judges it', () => {
    const said = describeDetachedAlarms('demo', ['x'], group(['a']));
    expect(said).toContain(
      '`lshift codedeploy init demo --application lshift-demo --deployment-group demo-live --alarm a --alarm x --update`',
    );
    expect(said).toContain('`lshift check demo --alarm x`');
  });
});
