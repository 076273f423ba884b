/**
 * `lshift abort fb` on one function of a running release rolls the whole release back: its answer
 * names every function of the release, found by listing the records in reach (fb's record names
 * its release, not the others), and says nothing wrong when the listing cannot be made.
 */
import { describe, expect, it } from 'vitest';
import { describeAnswer } from '../../src/cli/operator-verb.js';
import { findReleaseFunctions } from '../../src/cli/release-mates.js';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import type { SendCommandResult } from '../../src/engine/operator-send.js';
import { TagStateStore } from '../../src/engine/tag-state-store.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { FakeLambda } from '../helpers/fake-lambda.js';

function record(
  releaseId: string | undefined,
  phase: DeploymentRecord['phase'] = 'shifting',
): DeploymentRecord {
  return {
    id: 'd-dead01',
    stableVersion: '1',
    targetVersion: '2',
    strategy: 'linear:20%:5m',
    stepIndex: 1,
    percent: 40,
    phase,
    startedAt: 0,
    owner: 'ci@runner:7',
    heartbeatAt: 0,
    history: [],
    ...(releaseId === undefined ? {} : { releaseId }),
  };
}

async function world(records: Record<string, DeploymentRecord | undefined>) {
  const lambda = new FakeLambda(new FakeClock());
  const store = new TagStateStore(lambda);
  for (const [fn, r] of Object.entries(records)) {
    lambda.addFunction(fn);
    lambda.addVersion(fn);
    lambda.addAlias(fn, 'live', '1');
    if (r) await store.write(fn, 'live', r);
  }
  return lambda;
}

const FB = { functionName: 'fb', alias: 'live' };

describe('findReleaseFunctions', () => {
  it('names the release’s functions, the aborted one first; not another release’s, nor a lone deploy', async () => {
    const lambda = await world({
      fa: record('r-abc123', 'rolling-back'),
      fb: record('r-abc123', 'rolled-back'),
      fc: record('r-abc123'),
      other: record('r-zzz999'),
      lone: record(undefined),
      none: undefined,
    });
    expect(await findReleaseFunctions(lambda, 'r-abc123', FB)).toEqual(['fb:live', 'fa:live', 'fc:live']);
  });

  it('the aborted function named by ARN: listed once, by name', async () => {
    const lambda = await world({ fa: record('r-abc123'), fb: record('r-abc123') });
    const byArn = { functionName: 'arn:aws:lambda:us-east-1:123456789012:function:fb', alias: 'live' };
    expect(await findReleaseFunctions(lambda, 'r-abc123', byArn)).toEqual(['fb:live', 'fa:live']);
  });

  it('a listing that cannot be made (no lambda:ListFunctions): undefined, not a list of one', async () => {
    const lambda = await world({ fa: record('r-abc123'), fb: record('r-abc123') });
    lambda.listFunctions = () => Promise.reject(new Error('AccessDeniedException'));
    expect(await findReleaseFunctions(lambda, 'r-abc123', FB)).toBeUndefined();
  });
});

describe('describeAnswer of an abort with the release’s functions listed', () => {
  it('names every function of the release and the status command for them', () => {
    const answer: SendCommandResult & { releaseFunctions: string[] } = {
      functionName: 'fb',
      alias: 'live',
      verb: 'abort',
      deploymentId: 'd-1',
      owner: 'ci@runner',
      answer: 'done',
      sentAt: 0,
      answeredAt: 1,
      record: { ...record('r-abc123', 'rolled-back'), id: 'd-1' },
      releaseFunctions: ['fb:live', 'fa:live', 'fc:live'],
    };
    expect(describeAnswer(answer)).toBe(
      '✔ Deployment d-1 (ci@runner) of fb:live was aborted and rolled back: all traffic is on version 1.\n' +
        '  fb is one of release r-abc123: the whole release is being rolled back, every function of it: fb:live, fa:live, fc:live. See each with `lshift status fb fa fc`.',
    );
  });
});
