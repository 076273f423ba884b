/**
 * `lshift check --alarm '{function}-errors' <ARN>`: `{function}` is the function's name (the
 * name part of the ARN), as for deploy and releases — the ARN made the alarm
 * `arn:aws:lambda:…:function:orders-errors`, which does not exist, and the check reported an
 * error (or judged by nothing) instead of rolling back.
 */
import { describe, expect, it } from 'vitest';
import { runCheck } from '../../src/engine/check.js';
import { expandAlarms } from '../../src/engine/check-classify.js';
import { TagStateStore } from '../../src/engine/tag-state-store.js';
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

/**
 * Without function names the check finds functions by their records; a template that fills to
 * more than CloudWatch's 255 characters for one of them cannot be read (DescribeAlarms refuses
 * the whole batch, the other functions' alarms with it): that function is an error naming the
 * alarm and its length, never judged healthy, and the others are judged as usual.
 */
describe('a check alarm template too long once filled for a function found by its record', () => {
  it('that function is an error (not judged), the others are judged, and CloudWatch is not asked the long name', async () => {
    const w = createWorld();
    const tags = new TagStateStore(w.lambda);
    const long = 'f'.repeat(30);
    for (const fn of ['orders', long]) {
      w.lambda.addFunction(fn);
      w.lambda.addVersion(fn);
      w.lambda.addVersion(fn);
      w.lambda.addAlias(fn, ALIAS, '1');
      w.lambda.moveAlias(fn, ALIAS, { functionVersion: '1', additionalWeights: { '2': 0.2 } });
      await tags.write(fn, ALIAS, deadRecord(w));
    }
    const template = `{function}-${'x'.repeat(230)}`;
    w.metrics.setAlarm(`orders-${'x'.repeat(230)}`, 'ALARM', { reason: 'errors over 3' });
    const report = await runCheck(
      { ...w.deps, store: tags },
      { alias: ALIAS, windowSeconds: 3600, alarms: [template] },
    );

    const byName = new Map(report.results.map((r) => [r.functionName, r]));
    expect(byName.get('orders')).toMatchObject({ action: 'rolled_back' });
    expect(byName.get(long)).toMatchObject({ action: 'error' });
    expect(byName.get(long)?.reason).toContain(`for function ${long}, alias ${ALIAS}) is 261 characters`);
    const asked = w.metrics.calls
      .filter((c) => c.op === 'describeAlarms')
      .flatMap((c) => c.args[0] as string[]);
    expect(asked).toEqual([`orders-${'x'.repeat(230)}`]);
  });
});
