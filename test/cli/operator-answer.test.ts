import { describe, expect, it } from 'vitest';
import { describeAnswer } from '../../src/cli/operator-verb.js';
import type { DeploymentPhase } from '../../src/domain/deployment-record.js';
import type { SendCommandResult } from '../../src/engine/operator-send.js';

const answer = (
  phase: DeploymentPhase,
  joined?: SendCommandResult['joined'],
  releaseId?: string,
): SendCommandResult => ({
  functionName: 'orders',
  alias: 'live',
  verb: 'abort',
  deploymentId: 'd-1',
  owner: 'ci@runner',
  answer: 'done',
  sentAt: 0,
  answeredAt: 1,
  record: {
    id: 'd-1',
    stableVersion: '6',
    targetVersion: '7',
    strategy: 'canary:10%:5m',
    stepIndex: 0,
    percent: 0,
    phase,
    startedAt: 0,
    owner: 'ci@runner',
    heartbeatAt: 0,
    history: [],
    ...(releaseId ? { releaseId } : {}),
  },
  ...(joined ? { joined } : {}),
});

describe('describeAnswer: an abort', () => {
  it.each<[string, SendCommandResult, string]>([
    [
      'its own, rolled back',
      answer('rolled-back'),
      '✔ Deployment d-1 (ci@runner) of orders:live was aborted and rolled back: all traffic is on version 6.',
    ],
    [
      "another operator's, sent at the same moment, with its reason",
      answer('rolled-back', { by: 'ann@laptop', reason: 'bad release' }),
      '✔ Deployment d-1 (ci@runner) of orders:live was aborted by ann@laptop (bad release), whose abort came with this one, and rolled back: all traffic is on version 6.',
    ],
    [
      "another operator's, without a reason, still rolling back",
      answer('rolling-back', { by: 'ann@laptop' }),
      '✔ Deployment d-1 (ci@runner) of orders:live was aborted by ann@laptop, whose abort came with this one, and is rolling back (rolling-back); see `lshift status orders --alias live`.',
    ],
  ])('%s', (_name, result, text) => {
    expect(describeAnswer(result)).toBe(text);
  });
});

/**
 * `lshift abort orders` on one function of a running release rolls the whole release back
 * (docs/releases.md): the answer says so — the release, and that every function of it goes back —
 * not only that orders was rolled back.
 */
describe('describeAnswer: an abort of one function of a release', () => {
  it('rolled back: names the release and says every function of it is being rolled back', () => {
    const text = describeAnswer(answer('rolled-back', undefined, 'r-k3j9x2'));
    expect(text).toBe(
      '✔ Deployment d-1 (ci@runner) of orders:live was aborted and rolled back: all traffic is on version 6.\n' +
        '  orders is one of release r-k3j9x2: the whole release is being rolled back, every function of it, not orders alone. ' +
        'See each with `lshift status orders <its other functions> --alias live` (the release’s deploy output names them).',
    );
  });

  it('still rolling back, through a joined abort: the release is named too', () => {
    const text = describeAnswer(answer('rolling-back', { by: 'ann@laptop' }, 'r-k3j9x2'));
    expect(text).toContain('whose abort came with this one, and is rolling back (rolling-back)');
    expect(text).toContain('  orders is one of release r-k3j9x2: the whole release is being rolled back');
  });
});
