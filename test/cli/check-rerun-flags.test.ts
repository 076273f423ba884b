import { describe, expect, it } from 'vitest';
import { describeCheckFlagsToRepeat } from '../../src/cli/check-rerun-flags.js';

describe('the flags lshift check repeats in the check commands it offers', () => {
  it('every flag given but --alias, each value shell-quoted', () => {
    expect(
      describeCheckFlagsToRepeat({
        alarm: ['{function}-errors', 'shared p99'],
        window: '2h',
        'stale-after': '5m',
        config: 'conf/lshift.yaml',
        region: 'eu-west-1',
        profile: 'prod',
        'endpoint-url': 'http://127.0.0.1:4911',
      }),
    ).toBe(
      " --alarm '{function}-errors' --alarm 'shared p99' --window 2h --stale-after 5m --config conf/lshift.yaml --region eu-west-1 --profile prod --endpoint-url http://127.0.0.1:4911",
    );
  });

  it('an endpoint password is masked, never printed', () => {
    expect(describeCheckFlagsToRepeat({ 'endpoint-url': 'http://u:SECRET@127.0.0.1:4911' })).toBe(
      " --endpoint-url 'http://***@127.0.0.1:4911'",
    );
  });

  it('none given: nothing', () => {
    expect(describeCheckFlagsToRepeat({})).toBe('');
  });
});
