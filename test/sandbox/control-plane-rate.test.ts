/**
 * The sandbox enforces Lambda's control-plane rate (src/sandbox/control-plane-rate.ts) per
 * simulated second, over a fake real time source that only moves when the test says: 15 a second
 * across the control plane, GetFunction on its own 100, Invoke and CloudWatch not counted, and
 * the refusal in Lambda's shape (429 TooManyRequestsException, Reason CallerRateLimitExceeded).
 */
import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { GetAliasCommand, GetFunctionCommand, InvokeCommand } from '@aws-sdk/client-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { seedDemo } from '../../src/sandbox/index.js';
import { startTestSandbox, type TestSandbox } from './helpers.js';

let t: TestSandbox | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

async function start(lambdaRate?: number | 'off', speed?: number): Promise<TestSandbox> {
  // Seed with the limit off (seeding is set-up), then put the rate under test in place.
  t = await startTestSandbox(speed === undefined ? {} : { speed });
  await seedDemo(t.handle, { functionName: 'demo', alias: 'live' });
  t.handle.state.lambdaRate.set(lambdaRate ?? 15);
  return t;
}

const getAlias = (s: TestSandbox) =>
  s.lambda.send(new GetAliasCommand({ FunctionName: 'demo', Name: 'live' })).then(
    () => 'ok',
    (e: { name: string; $metadata?: { httpStatusCode?: number } }) =>
      `${e.name} ${e.$metadata?.httpStatusCode}`,
  );

async function aliasUrl(s: TestSandbox): Promise<string> {
  return new URL('/2015-03-31/functions/demo/aliases/live', s.handle.url).toString();
}

describe('the sandbox’s Lambda control-plane rate', () => {
  it('counts simulated seconds: at speed 60 the 15 tokens come back in 1/60 of a real second', async () => {
    const s = await start(15, 60);
    const url = await aliasUrl(s);
    for (let i = 0; i < 15; i++) expect((await fetch(url)).status).toBe(200);
    expect((await fetch(url)).status).toBe(429);
    s.advance(17); // 17 real ms = 1.02 simulated s: a full bucket again
    const after = [];
    for (let i = 0; i < 16; i++) after.push((await fetch(url)).status);
    expect(after.filter((c) => c === 200)).toHaveLength(15);
    expect(after.at(-1)).toBe(429);
  });

  it('serves 15 a second, refuses the 16th as Lambda does, and refills with time', async () => {
    const s = await start();
    const url = await aliasUrl(s);
    for (let i = 0; i < 15; i++) expect((await fetch(url)).status).toBe(200);
    const refused = await fetch(url);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('x-amzn-errortype')).toBe('TooManyRequestsException');
    expect(await refused.json()).toMatchObject({
      Type: 'User',
      Reason: 'CallerRateLimitExceeded',
      message: 'Rate exceeded',
    });
    s.advance(200); // three tokens
    const after = [];
    for (let i = 0; i < 4; i++) after.push((await fetch(url)).status);
    expect(after).toEqual([200, 200, 200, 429]);
    expect(await (await fetch(new URL('/__lshift/rate', s.handle.url))).json()).toEqual({
      rate: 15,
      throttled: { GetAlias: 2 },
    });
    // A refused request was never applied nor counted as served.
    expect(s.handle.state.operationCounts.get('GetAlias')).toBe(18);
  });

  it('the SDK sees TooManyRequestsException (HTTP 429); GetFunction, Invoke and CloudWatch have their own limits', async () => {
    const s = await start(2);
    expect([await getAlias(s), await getAlias(s)]).toEqual(['ok', 'ok']);
    expect(await getAlias(s)).toBe('TooManyRequestsException 429');
    // Not counted against the control plane's 2/s:
    await s.lambda.send(new GetFunctionCommand({ FunctionName: 'demo' }));
    await s.lambda.send(new InvokeCommand({ FunctionName: 'demo', Qualifier: 'live' }));
    await s.cloudWatch.send(new DescribeAlarmsCommand({}));
    expect(s.handle.state.lambdaRate.describe().throttled).toEqual({ GetAlias: 3 });
  });

  it('POST /__lshift/rate changes the rate or lifts it; nonsense is refused', async () => {
    const s = await start(1);
    const post = (body: unknown) =>
      fetch(new URL('/__lshift/rate', s.handle.url), { method: 'POST', body: JSON.stringify(body) });
    expect((await post({ lambdaRate: 'off' })).status).toBe(200);
    for (let i = 0; i < 30; i++) expect(await getAlias(s)).toBe('ok');
    const bad = await post({ lambdaRate: -1 });
    expect(bad.status).toBe(400);
    expect((await bad.json()).message).toMatch(/positive number of requests per second or "off"/);
    expect((await post({ lambdaRate: 'fast' })).status).toBe(400);
    expect(s.handle.state.lambdaRate.rate).toBe('off');
  });
});
