/** The fakes are test oracles: check that they enforce the AWS semantics the engine relies on. */
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../helpers/fake-clock.js';
import { FakeLambda } from '../helpers/fake-lambda.js';

function lambdaWithAlias() {
  const clock = new FakeClock();
  const lambda = new FakeLambda(clock).addFunction('fn');
  lambda.addVersion('fn');
  lambda.addVersion('fn');
  lambda.addAlias('fn', 'live', '1');
  return { clock, lambda };
}

describe('FakeLambda', () => {
  it('changes the alias RevisionId on every write and rejects a stale one with ALIAS_CHANGED', async () => {
    const { lambda } = lambdaWithAlias();
    const alias = (await lambda.getAlias('fn', 'live'))!;
    const written = await lambda.updateAlias('fn', 'live', {
      functionVersion: '1',
      additionalWeights: { '2': 0.1 },
      revisionId: alias.revisionId,
    });
    expect(written.revisionId).not.toBe(alias.revisionId);
    await expect(
      lambda.updateAlias('fn', 'live', {
        functionVersion: '2',
        additionalWeights: {},
        revisionId: alias.revisionId,
      }),
    ).rejects.toMatchObject({ code: 'ALIAS_CHANGED', exitCode: 5 });
    expect(lambda.callsOf('updateAlias').map((c) => c.error)).toEqual([undefined, 'ALIAS_CHANGED']);
  });

  it.each([
    ['two additional versions', { '2': 0.1, '3': 0.1 }],
    ['weight above 1', { '2': 1.5 }],
    ['the primary as additional', { '1': 0.1 }],
    ['an unpublished additional version', { $LATEST: 0.1 }],
    ['a missing version', { '9': 0.1 }],
  ])('rejects routing with %s', async (_name, weights) => {
    const { lambda } = lambdaWithAlias();
    lambda.addVersion('fn');
    const alias = (await lambda.getAlias('fn', 'live'))!;
    await expect(
      lambda.updateAlias('fn', 'live', {
        functionVersion: '1',
        additionalWeights: weights,
        revisionId: alias.revisionId,
      }),
    ).rejects.toBeTruthy();
  });

  it('rejects routing between versions with different roles or DLQs', async () => {
    const { lambda } = lambdaWithAlias();
    const other = lambda.addVersion('fn', { role: 'arn:aws:iam::1:role/other' });
    const alias = (await lambda.getAlias('fn', 'live'))!;
    await expect(
      lambda.updateAlias('fn', 'live', {
        functionVersion: '1',
        additionalWeights: { [other]: 0.1 },
        revisionId: alias.revisionId,
      }),
    ).rejects.toMatchObject({ code: 'INVALID_PARAMETER' });
  });

  it('publishes increasing versions and returns the existing one when nothing changed', async () => {
    const { lambda } = lambdaWithAlias();
    const latest = await lambda.updateCode('fn', { kind: 's3', bucket: 'b', key: 'k' });
    await expect(
      lambda.publishVersion('fn', { codeSha256: latest.codeSha256, revisionId: latest.revisionId }),
    ).rejects.toMatchObject({ code: 'FUNCTION_BUSY' });
    const ready = await lambda.waitUntilUpdated('fn');
    const first = await lambda.publishVersion('fn', {
      codeSha256: ready.codeSha256,
      revisionId: ready.revisionId,
    });
    const again = await lambda.publishVersion('fn', {
      codeSha256: ready.codeSha256,
      revisionId: ready.revisionId,
    });
    expect(first).toMatchObject({ version: '3', created: true });
    expect(again).toMatchObject({ version: '3', created: false });
    expect((await lambda.listVersions('fn')).map((v) => v.version)).toEqual(['1', '2', '3']);
  });

  it('injects failures on the nth call, matching arguments, and applies scheduled moves by clock time', async () => {
    const { clock, lambda } = lambdaWithAlias();
    lambda.fail({ op: 'getAlias', nth: 2, times: 2 });
    await lambda.getAlias('fn', 'live');
    await expect(lambda.getAlias('fn', 'live')).rejects.toMatchObject({ code: 'THROTTLED' });
    await expect(lambda.getAlias('fn', 'live')).rejects.toMatchObject({ code: 'THROTTLED' });
    await lambda.getAlias('fn', 'live');
    lambda.moveAliasAt(clock.now() + 1000, 'fn', 'live', { functionVersion: '2', additionalWeights: {} });
    expect((await lambda.getAlias('fn', 'live'))?.functionVersion).toBe('1');
    await clock.sleep(1000);
    expect((await lambda.getAlias('fn', 'live'))?.functionVersion).toBe('2');
  });

  it('keeps tags per function', async () => {
    const { lambda } = lambdaWithAlias();
    const arn = (await lambda.getFunction('fn')).functionArn;
    await lambda.tagResource(arn, { 'lshift:live': 'v1 x' });
    expect(await lambda.listTags('fn')).toEqual({ 'lshift:live': 'v1 x' });
    await lambda.untagResource(arn, ['lshift:live']);
    expect(await lambda.listTags(arn)).toEqual({});
    await expect(lambda.tagResource(arn, { k: 'x'.repeat(257) })).rejects.toMatchObject({
      code: 'INVALID_PARAMETER',
    });
  });
});

describe('FakeClock', () => {
  it('auto mode: sleeps advance virtual time at once and run scheduled actions', async () => {
    const clock = new FakeClock();
    const start = clock.now();
    const seen: number[] = [];
    clock.at(start + 1500, () => seen.push(clock.now()));
    await clock.sleep(1000);
    await clock.sleep(1000);
    expect(clock.now() - start).toBe(2000);
    expect(seen).toEqual([start + 1500]);
    expect(clock.sleeps).toEqual([1000, 1000]);
  });

  it('auto mode: an action that aborts the signal rejects the sleep at that time', async () => {
    const clock = new FakeClock();
    const start = clock.now();
    const controller = new AbortController();
    clock.at(start + 300, () => controller.abort(new Error('stop')));
    await expect(clock.sleep(1000, controller.signal)).rejects.toThrow('stop');
    expect(clock.now() - start).toBe(300);
    await expect(clock.sleep(10, controller.signal)).rejects.toThrow('stop');
  });

  it('manual mode: sleeps wait for advance, and abort rejects a pending sleep', async () => {
    const clock = new FakeClock({ auto: false });
    let resolved = false;
    const sleeping = clock.sleep(1000).then(() => {
      resolved = true;
    });
    await clock.advance(999);
    expect(resolved).toBe(false);
    await clock.advance(1);
    await sleeping;
    expect(resolved).toBe(true);
    const controller = new AbortController();
    const pending = clock.sleep(5000, controller.signal);
    controller.abort(new Error('ctrl-c'));
    await expect(pending).rejects.toThrow('ctrl-c');
    expect(clock.pendingSleeps).toBe(0);
  });
});
