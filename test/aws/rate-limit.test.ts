/**
 * The control-plane limiter (src/aws/rate-limit.ts) in real time. Every timing assertion is a
 * lower bound (requests can never come faster than the bucket allows), so a slow or loaded
 * machine only makes them easier to meet; nothing asserts how fast it goes.
 */
import { GetAliasCommand } from '@aws-sdk/client-lambda';
import { describe, expect, it } from 'vitest';
import { createLambdaClient } from '../../src/aws/clients.js';
import {
  bucketRates,
  bucketShape,
  createLambdaRateLimiter,
  lambdaRateFromEnv,
} from '../../src/aws/rate-limit.js';
import { timeBounds } from '../../src/aws/time-bounds.js';
import {
  aliasConfiguration,
  type CapturedRequest,
  capture,
  createTestLambdaAdapter,
  fnPath,
  lambdaJson,
  lambdaNock,
  tagsPath,
  testClientOptions,
  useNock,
} from '../helpers/aws-nock.js';

/** Most requests that arrived within any `windowMs` span. */
function densest(arrivals: number[], windowMs: number): number {
  let most = 0;
  for (let i = 0; i < arrivals.length; i++) {
    let n = 0;
    for (let j = i; j < arrivals.length && arrivals[j]! - arrivals[i]! < windowMs; j++) n++;
    most = Math.max(most, n);
  }
  return most;
}

/** The SDK keeps a configured mode as given and one from the environment as a provider. */
async function modeOf(mode: unknown): Promise<string> {
  return typeof mode === 'function' ? await (mode as () => Promise<string>)() : String(mode);
}

describe('Lambda control-plane pacing', () => {
  it.each([
    [15, 1, 15, 100],
    [15, 60, 900, 6000],
    [200, 1, 200, 200],
    [1.5, 10, 15, 1000],
  ])('rate %f at time scale %f: %f and %f requests per real second', (rate, scale, control, getFunction) => {
    // Against a sandbox at --speed N the quota is per simulated second (the sandbox counts it so);
    // the bursts stay within one second's worth of tokens, like the sandbox's buckets; the
    // control plane's is a third of it, room for requests that arrive bunched.
    expect(bucketRates(rate, scale)).toEqual({
      control,
      getFunction,
      controlBurst: Math.max(1, Math.ceil(rate / 3)),
      getFunctionBurst: Math.max(rate, 100),
    });
  });

  it.each([
    [15, 15],
    [150, 15],
    [15, 1.5],
    [900, 15],
    [20, 2.5],
  ])('a bucket of %f/s with a burst of %f refills whole tokens and keeps its rate', (rate, burst) => {
    // Bottleneck's refill (LocalDatastore): reservoir += min(amount, maximum − reservoir), every
    // interval; a request takes one whole token. Ten seconds with requests always waiting:
    const shape = bucketShape(rate, burst);
    let reservoir = shape.reservoir;
    let sent = 0;
    const take = () => {
      while (reservoir >= 1) {
        reservoir -= 1;
        sent++;
      }
    };
    take();
    const refills = Math.round(10_000 / shape.intervalMs);
    for (let i = 0; i < refills; i++) {
      reservoir += Math.max(0, Math.min(shape.amount, shape.maximum - reservoir));
      take();
    }
    expect(Number.isInteger(shape.amount)).toBe(true);
    expect(sent).toBeGreaterThanOrEqual(Math.floor(rate * 10));
    expect(sent).toBeLessThanOrEqual(Math.ceil(rate * 10 + burst));
  });

  useNock();

  it('a paced client never sends more than the bucket holds plus its refill', async () => {
    const arrivals: number[] = [];
    lambdaNock()
      .get(fnPath('my-fn', '/aliases/live'))
      .times(30)
      .reply(() => {
        arrivals.push(Date.now());
        return lambdaJson(aliasConfiguration());
      });
    const client = await createLambdaClient(testClientOptions({ lambdaRate: 10, endpointUrl: undefined }));
    await Promise.all(
      Array.from({ length: 30 }, () =>
        client.send(new GetAliasCommand({ FunctionName: 'my-fn', Name: 'live' })),
      ),
    );
    arrivals.sort((a, b) => a - b);
    // A bucket of 10 that refills 2 every 200 ms: 30 requests need at least (30 - 10) / 10 s.
    expect(arrivals.at(-1)! - arrivals[0]!).toBeGreaterThanOrEqual(1_900);
    // In any half second: the burst of 10 plus at most 3 refills of 2.
    expect(densest(arrivals, 500)).toBeLessThanOrEqual(16);
  });

  it('unpaced (`off`), the same 30 requests go out as a burst', async () => {
    let served = 0;
    lambdaNock()
      .get(fnPath('my-fn', '/aliases/live'))
      .times(30)
      .reply(() => {
        served++;
        return lambdaJson(aliasConfiguration());
      });
    const client = await createLambdaClient(testClientOptions({ lambdaRate: 'off' }));
    const calls = Array.from({ length: 30 }, () =>
      client.send(new GetAliasCommand({ FunctionName: 'my-fn', Name: 'live' })),
    );
    await Promise.all(calls);
    expect(served).toBe(30);
  });

  it('alias writes go first, the rest in order; Invoke and GetFunction do not wait for the control plane', async () => {
    const limiter = createLambdaRateLimiter(5);
    const order: string[] = [];
    const run = (op: string) => limiter.schedule(op, async () => void order.push(op));
    // The first five drain the bucket; the rest queue.
    const reads = Array.from({ length: 12 }, (_, i) => run(`GetAlias${i}`));
    const writes = [run('TagResource'), run('UpdateAlias')];
    await Promise.all([run('Invoke'), run('GetFunction')]);
    expect(limiter.queued()).toBeGreaterThan(0);
    await Promise.all([...reads, ...writes]);
    expect(order.indexOf('UpdateAlias')).toBeLessThan(order.indexOf('GetAlias5'));
    // A write other than the alias's keeps its place: the queued reads before it go first.
    expect(order.indexOf('TagResource')).toBeGreaterThan(order.indexOf('GetAlias11'));
  });

  it('an urgent request (the rolling-back mark of a failed release) goes before queued alias writes and records', async () => {
    const limiter = createLambdaRateLimiter(5);
    const order: string[] = [];
    const run = (op: string, urgent = false) =>
      limiter.schedule(op, async () => void order.push(op), false, urgent);
    // The first five drain the bucket; the rest queue.
    const queued = Array.from({ length: 8 }, (_, i) => run(i % 2 ? `UpdateAlias${i}` : `TagResource${i}`));
    const mark = run('TagResource-mark', true);
    await Promise.all([...queued, mark]);
    expect(order.indexOf('TagResource-mark')).toBeLessThan(order.indexOf('UpdateAlias5'));
    expect(order.indexOf('TagResource-mark')).toBeLessThan(order.indexOf('TagResource6'));
  });

  it('the adapter passes urgency to the limiter: an urgent TagResource overtakes the queued ones', async () => {
    const arn = 'arn:aws:lambda:us-east-1:123456789012:function:my-fn';
    const log: CapturedRequest[] = [];
    lambdaNock()
      .post(tagsPath(arn))
      .times(7)
      .reply(capture(log, [204, '', {}]));
    const lambda = await createTestLambdaAdapter({ lambdaRate: 2 });
    const routine = Array.from({ length: 6 }, (_, i) => lambda.tagResource(arn, { k: `r${i}` }));
    const urgent = lambda.tagResource(arn, { k: 'urgent' }, { urgent: true });
    await Promise.all([...routine, urgent]);
    const arrived = log.map((r) => (r.body as { Tags: { k: string } }).Tags.k);
    // A bucket of 2: two routine writes go at once, then the urgent one, ahead of the four still
    // queued (only a later one is asserted, so a slow machine cannot fail it; without the
    // urgency it goes last).
    expect(arrived.indexOf('urgent')).toBeLessThan(arrived.indexOf('r5'));
  });

  it('a call waiting its turn longer than its deadline is not cut off: the deadline starts when it may go', async () => {
    lambdaNock()
      .get(fnPath('my-fn', '/aliases/live'))
      .times(4)
      .reply(() => lambdaJson(aliasConfiguration()));
    // Deadline 1.3 s (3 × 100 ms + 1 s); one token a second, so the fourth call waits ~3 s.
    const lambda = await createTestLambdaAdapter({
      lambdaRate: 1,
      bounds: timeBounds(100),
    });
    const calls = Array.from({ length: 4 }, () => lambda.getAlias('my-fn', 'live'));
    const results = await Promise.allSettled(calls);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled']);
  });

  it('reads LSHIFT_LAMBDA_RATE: default 15, a number, off; anything else is a usage error', () => {
    expect(lambdaRateFromEnv({})).toBe(15);
    expect(lambdaRateFromEnv({ LSHIFT_LAMBDA_RATE: ' 8 ' })).toBe(8);
    expect(lambdaRateFromEnv({ LSHIFT_LAMBDA_RATE: 'OFF' })).toBe('off');
    for (const bad of ['0', 'fast', '-3', '5000', '1e3']) {
      expect(() => lambdaRateFromEnv({ LSHIFT_LAMBDA_RATE: bad })).toThrow(
        expect.objectContaining({
          code: 'INVALID_FLAG',
          message: expect.stringContaining(`LSHIFT_LAMBDA_RATE=${bad}`),
        }),
      );
    }
  });

  it('clients retry in adaptive mode unless AWS_RETRY_MODE says otherwise', async () => {
    const saved = process.env['AWS_RETRY_MODE'];
    try {
      delete process.env['AWS_RETRY_MODE'];
      const adaptive = await createLambdaClient(testClientOptions({ retryStrategy: undefined }));
      expect(await modeOf(adaptive.config.retryMode)).toBe('adaptive');
      process.env['AWS_RETRY_MODE'] = 'standard';
      const standard = await createLambdaClient(testClientOptions({ retryStrategy: undefined }));
      expect(await modeOf(standard.config.retryMode)).toBe('standard');
    } finally {
      if (saved === undefined) delete process.env['AWS_RETRY_MODE'];
      else process.env['AWS_RETRY_MODE'] = saved;
    }
  });
});
