/**
 * `lshift check --alarm '{function}-errors' <ARN>`: `{function}` is the function's name (the
 * name part of the ARN), as for deploy and releases — the ARN made the alarm
 * `arn:aws:lambda:…:function:orders-errors`, which does not exist, and the check reported an
 * error (or judged by nothing) instead of rolling back.
 */
import { describe, expect, it } from 'vitest';
import { runCheck } from '../../src/engine/check.js';
import { expandAlarms } from '../../src/engine/check-classify.js';
import { ALIAS, createWorld, deadRecord } from './world.js';

const ARN = 'arn:aws:lambda:us-east-1:123456789012:function:orders';

describe('{function} in a check alarm when the function is given as an ARN', () => {
  it.each([
    [ARN, ['orders-errors', 'live-orders']],
    ['123456789012:function:orders', ['orders-errors', 'live-orders']],
    ['orders', ['orders-errors', 'live-orders']],
  ])('%s → the function name', (fn, expected) => {
    expect(expandAlarms(['{function}-errors', '{alias}-{function}'], fn, ALIAS)).toEqual(expected);
  });

  it('reads and judges the alarm of the function name, and rolls back', async () => {
    const w = createWorld();
    w.lambda.addFunction('orders');
    w.lambda.addVersion('orders');
    w.lambda.addVersion('orders');
    w.lambda.addAlias('orders', ALIAS, '1');
    w.lambda.moveAlias('orders', ALIAS, { functionVersion: '1', additionalWeights: { '2': 0.2 } });
    w.store.seed(ARN, ALIAS, deadRecord(w));
    w.metrics.setAlarm('orders-errors', 'ALARM', { reason: 'errors over 3' });
    // Lambda takes a function's ARN wherever it takes its name; the fake knows names only.
    const lambda = new Proxy(w.lambda, {
      get: (obj, key, receiver) => {
        const value = Reflect.get(obj, key, receiver);
        if (typeof value !== 'function') return value;
        return (fn: unknown, ...rest: unknown[]) => value.call(obj, fn === ARN ? 'orders' : fn, ...rest);
      },
    });
    const report = await runCheck(
      { ...w.deps, lambda, store: w.store },
      { functionNames: [ARN], alias: ALIAS, windowSeconds: 3600, alarms: ['{function}-errors'] },
    );

    expect(report.results[0], JSON.stringify(report.results)).toMatchObject({ action: 'rolled_back' });
    expect(report.results[0]?.reason).toContain('alarm orders-errors is ALARM');
    expect(
      w.metrics.calls.filter((c) => c.op === 'describeAlarms').flatMap((c) => c.args[0] as string[]),
    ).toEqual(['orders-errors']);
  });
});
