/**
 * Issue 14: a new version that would lose the stable version's on-failure destination is
 * refused before any traffic moves (exit 1) with the fix; differences are shown.
 */
import { describe, expect, it } from 'vitest';
import { runDeploy } from '../../src/engine/deploy.js';
import { createWorld, FN, request } from './world.js';

const Q = 'arn:aws:sqs:us-east-1:123456789012:demo-failures';

describe('preflight: asynchronous invocation settings during the shift', () => {
  it('refuses when the new version would lose the on-failure destination (exit 1, the fix named)', async () => {
    const w = createWorld();
    w.lambda.setEventInvokeConfig(FN, { qualifier: '1', onFailure: Q });
    await expect(runDeploy(w.deps, request())).rejects.toMatchObject({
      code: 'ASYNC_DESTINATION_LOST',
      exitCode: 1,
      message: expect.stringContaining(
        `version 2 would handle its share of alias live's asynchronous events without the on-failure destination ${Q} that version 1 has (from version 1; version 2 gets defaults)`,
      ),
      hint: expect.stringContaining(
        `aws lambda put-function-event-invoke-config --function-name demo --qualifier 2 --destination-config '{"OnFailure":{"Destination":"${Q}"}}'`,
      ),
    });
    expect(w.lambda.callsOf('updateAlias')).toHaveLength(0);
    expect(w.store.writes).toHaveLength(0);
  });

  it('passes when the alias carries the config (both versions share it)', async () => {
    const w = createWorld();
    w.lambda.setEventInvokeConfig(FN, { qualifier: 'live', onFailure: Q });
    w.lambda.setEventInvokeConfig(FN, { qualifier: '1', onFailure: Q });
    const result = await runDeploy(w.deps, request());
    expect(result.status).toBe('promoted');
    const check = w.sink.ofType('preflight.check').find((c) => c.check === 'async-destinations');
    expect(check?.message).toBe(
      `both versions handle asynchronous events alike (alias live: on failure → ${Q}, 2 retries, max age 21600 s)`,
    );
  });

  it('shows retry and age differences without refusing', async () => {
    const w = createWorld();
    w.lambda.setEventInvokeConfig(FN, { qualifier: '1', onFailure: Q, maximumRetryAttempts: 2 });
    w.lambda.setEventInvokeConfig(FN, {
      qualifier: '2',
      onFailure: Q,
      maximumRetryAttempts: 0,
      maximumEventAgeInSeconds: 60,
    });
    const result = await runDeploy(w.deps, request());
    expect(result.status).toBe('promoted');
    const check = w.sink.ofType('preflight.check').find((c) => c.check === 'async-destinations');
    expect(check?.message).toBe(
      'asynchronous invocation differs: retry attempts: 2 → 0; maximum event age (s): 21600 → 60 (version 1: the config on version 1; version 2: the config on version 2)',
    );
  });

  it('stops with the read error when the configs cannot be read (never assumes none)', async () => {
    const w = createWorld();
    const denied = Object.assign(new Error('denied lambda:ListFunctionEventInvokeConfigs'), {
      code: 'ACCESS_DENIED',
    });
    w.lambda.fail({ op: 'listEventInvokeConfigs', error: denied });
    await expect(runDeploy(w.deps, request())).rejects.toThrow('lambda:ListFunctionEventInvokeConfigs');
    expect(w.lambda.callsOf('updateAlias')).toHaveLength(0);
  });
});
