/**
 * A throttled alias write is retried as the same write: the SDK's adaptive retry mode resends
 * the very request (same weights, same RevisionId), and nothing else is written in between, so a
 * throttle can neither skip nor reorder a step. The clients here are built as lshift builds them:
 * adaptive retries (no test retry strategy) and the control-plane limiter on.
 */
import { describe, expect, it } from 'vitest';
import { planShift } from '../../src/domain/plan.js';
import { parseStrategy } from '../../src/domain/strategy.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { publishFunction } from '../../src/engine/publish.js';
import { TagStateStore } from '../../src/engine/tag-state-store.js';
import { createTestCloudWatchAdapter, createTestLambdaAdapter, useNock } from '../helpers/aws-nock.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { type LoggedRequest, NockLambdaWorld, WORLD_ALIAS, WORLD_FN } from '../helpers/nock-lambda-world.js';
import { RecordingSink } from '../helpers/recording-sink.js';

const ALARM = 'fn-errors';
const WRITES = new Set(['UpdateAlias', 'TagResource', 'PublishVersion']);

async function deployWith(world: NockLambdaWorld, clock: FakeClock) {
  // As production builds them: adaptive retry mode, the shared limiter at Lambda's 15/s.
  const real = { retryStrategy: undefined, lambdaRate: 15 } as const;
  const lambda = await createTestLambdaAdapter(real);
  const metrics = await createTestCloudWatchAdapter(real);
  const deps = { lambda, metrics, clock, events: new RecordingSink(), store: new TagStateStore(lambda) };
  const published = await publishFunction(deps, { functionName: WORLD_FN });
  const strategy = parseStrategy('linear:25%:1m');
  const result = await runDeploy(deps, {
    functionName: WORLD_FN,
    alias: WORLD_ALIAS,
    targetVersion: published.version,
    strategy,
    plan: planShift(strategy),
    alarms: [ALARM],
    pollIntervalSeconds: 30,
    deploymentId: 'd-throttle',
    owner: 'ci@runner:1',
  });
  return { result, world };
}

/** The Lambda writes in order: operation, status and, for alias writes, weights and RevisionId. */
function writes(log: LoggedRequest[]): string[] {
  return log
    .filter((r) => WRITES.has(r.op))
    .map((r) => {
      if (r.op !== 'UpdateAlias') return `${r.op} ${r.status}`;
      const b = r.body as {
        FunctionVersion: string;
        RoutingConfig: { AdditionalVersionWeights: object };
        RevisionId: string;
      };
      return `UpdateAlias ${r.status} v${b.FunctionVersion} ${JSON.stringify(b.RoutingConfig.AdditionalVersionWeights)} ${b.RevisionId}`;
    });
}

describe('a throttled alias write (nock, adaptive retries, paced client)', () => {
  useNock();

  it('is sent again unchanged, guarded by the same RevisionId, with nothing written in between', async () => {
    const clock = new FakeClock();
    const world = new NockLambdaWorld(clock).addAlarm(ALARM, 'OK').throttle('UpdateAlias', 1, 2).install();
    const { result } = await deployWith(world, clock);

    expect(world.unrouted).toEqual([]);
    expect(result.status).toBe('promoted');
    const aliasWrites = writes(world.log).filter((w) => w.startsWith('UpdateAlias'));
    expect(aliasWrites).toEqual([
      'UpdateAlias 200 v1 {"2":0.25} alias-rev-0',
      'UpdateAlias 429 v1 {"2":0.5} alias-rev-1',
      'UpdateAlias 429 v1 {"2":0.5} alias-rev-1',
      'UpdateAlias 200 v1 {"2":0.5} alias-rev-1',
      'UpdateAlias 200 v1 {"2":0.75} alias-rev-2',
      'UpdateAlias 200 v2 {} alias-rev-3',
    ]);
    // Between the first throttled attempt and its success, no request of any other kind.
    const first = world.log.findIndex((r) => r.status === 429);
    const retried = world.log.slice(first, first + 3);
    expect(retried.map((r) => `${r.op} ${r.status}`)).toEqual([
      'UpdateAlias 429',
      'UpdateAlias 429',
      'UpdateAlias 200',
    ]);
    expect(new Set(retried.map((r) => JSON.stringify(r.body))).size).toBe(1);
  });

  it('throttled past the SDK’s attempts: the deploy goes no further than the step it was on', async () => {
    const clock = new FakeClock();
    const world = new NockLambdaWorld(clock).addAlarm(ALARM, 'OK').throttle('UpdateAlias', 1, 3).install();
    const { result } = await deployWith(world, clock);

    expect(result.status).not.toBe('promoted');
    const aliasWrites = writes(world.log).filter((w) => w.startsWith('UpdateAlias'));
    // 25%, three throttled tries at 50% (never applied), then back to version 1: 50% and the
    // later steps are never written, nor skipped to.
    expect(aliasWrites.slice(0, 4)).toEqual([
      'UpdateAlias 200 v1 {"2":0.25} alias-rev-0',
      'UpdateAlias 429 v1 {"2":0.5} alias-rev-1',
      'UpdateAlias 429 v1 {"2":0.5} alias-rev-1',
      'UpdateAlias 429 v1 {"2":0.5} alias-rev-1',
    ]);
    expect(aliasWrites.slice(4).every((w) => w.includes('v1 {}'))).toBe(true);
    expect(world.alias).toMatchObject({ functionVersion: '1', weights: {} });
  });
});
