import { afterEach, describe, expect, it } from 'vitest';
import { type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

const Q = 'arn:aws:sqs:us-east-1:123456789012:demo-failures';

/** Issue 14: asynchronous invocation and destinations, the built CLI against a sandbox. */
describe('deploy and asynchronous destinations (built CLI)', () => {
  let env: SandboxEnv | undefined;
  afterEach(async () => {
    await env?.stop();
    env = undefined;
  });

  async function putConfig(qualifier: string, body: unknown): Promise<void> {
    const res = await fetch(
      `${env!.handle.url}/2019-09-25/functions/demo/event-invoke-config?Qualifier=${qualifier}`,
      { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
    );
    expect(res.status, await res.text()).toBe(200);
  }

  it("refuses a new version that loses the stable version's on-failure destination before any traffic moves (exit 1)", async () => {
    env = await startSandboxEnv({ preset: 'healthy' });
    await putConfig('1', { DestinationConfig: { OnFailure: { Destination: Q } } });
    const run = await env.cli(['deploy', 'demo', '--strategy', 'canary:10%:5m', '--alarm', 'demo-errors']);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toContain('ASYNC_DESTINATION_LOST');
    expect(run.stderr).toContain(`without the on-failure destination ${Q} that version 1 has`);
    expect(run.stderr).toContain(
      'aws lambda put-function-event-invoke-config --function-name demo --qualifier 2',
    );
    const status = await env.status();
    expect(status.functionVersion).toBe('1');
    expect(status.additionalWeights).toEqual({});
  });

  it('rolls the new version back when its deliveries to a destination fail (exit 3)', async () => {
    env = await startSandboxEnv({ preset: 'healthy' });
    await putConfig('live', { DestinationConfig: { OnSuccess: { Destination: Q } } });
    // $LATEST (the version this deploy publishes) gets asynchronous traffic whose deliveries fail.
    const fn = `${env.handle.url}/2015-03-31/functions/demo/configuration`;
    const current = (await (await fetch(fn)).json()) as {
      Environment?: { Variables?: Record<string, string> };
    };
    const Variables = {
      ...current.Environment?.Variables,
      LSHIFT_SANDBOX_ASYNC_SHARE: '0.5',
      LSHIFT_SANDBOX_DELIVERY_FAILURE_RATE: '1',
    };
    const put = await fetch(fn, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ Environment: { Variables } }),
    });
    expect(put.status).toBe(200);
    await fetch(fn);
    // --no-analysis: the reason must be the delivery failures, never an equal-version verdict of
    // the judge (which rolls back ≤ 1% of those by design, docs/analysis.md).
    const run = await env.cli([
      'deploy',
      'demo',
      '--strategy',
      'canary:10%:5m',
      '--alarm',
      'demo-errors',
      '--no-analysis',
      '--json',
    ]);
    expect(run.code, run.stderr).toBe(3);
    const result = JSON.parse(run.stdout);
    expect(result.status).toBe('rolled_back');
    expect(result.reason).toMatch(
      /asynchronous events? of version 2 could not be delivered to a destination/,
    );
    expect(result.reason).toContain('function-wide (no per-version dimension)');
    const status = await env.status();
    expect(status.functionVersion).toBe('1');
    expect(status.additionalWeights).toEqual({});
  });
});
