import { describe, expect, it } from 'vitest';
import { planRelease } from '../../src/domain/release-program.js';
import { dryRunDeploy } from '../../src/engine/dry-run.js';
import { checkBeforePublish } from '../../src/engine/preflight-publish.js';
import type { LambdaOp } from '../helpers/fake-lambda.js';
import { ALARM, ALIAS, canary, createWorld, FN, request, type World } from './world.js';

/** Every LambdaPort method that reads; anything else a dry run calls is a write and fails the test. */
const READS: readonly LambdaOp[] = [
  'getFunction',
  'getAlias',
  // Issue 14's preflight reads (async configs, event source mappings, provisioned concurrency).
  'listEventInvokeConfigs',
  'listEventSourceMappings',
  'getProvisionedConcurrency',
  'getCodeLocation',
];

function program() {
  return planRelease(canary(10, 300).strategy, { bakeSeconds: 600 }, [{ functionName: FN, alias: ALIAS }]);
}

function expectNoWrite(w: World): void {
  const writes = w.lambda.calls.filter((c) => !READS.includes(c.op));
  expect(writes.map((c) => c.op)).toEqual([]);
  expect(w.store.writes).toEqual([]);
}

describe('dryRunDeploy', () => {
  it('with a published version: runs every preflight check, returns the program, writes nothing', async () => {
    const w = createWorld();
    const report = await dryRunDeploy(w.deps, {
      functionName: FN,
      alias: ALIAS,
      targetVersion: '2',
      alarms: [ALARM],
      program: program(),
    });
    expect(report).toMatchObject({ stableVersion: '1', targetVersion: '2', nothingToDeploy: false });
    expect(report.program.steps.map((s) => s.kind)).toEqual([
      'setWeight',
      'hold',
      'settle',
      'promote',
      'bake',
      'settle',
      'done',
    ]);
    const checks = w.sink.ofType('preflight.check').map((c) => c.check);
    expect(checks).toEqual(expect.arrayContaining(['target-version', 'same-role', 'alarms-quiet']));
    expectNoWrite(w);
  });

  it('before a publish: checks the alias, record and alarms, describes the zip, writes nothing', async () => {
    const w = createWorld();
    const report = await dryRunDeploy(w.deps, {
      functionName: FN,
      alias: ALIAS,
      publish: { kind: 'zip', fileName: 'fn.zip', bytes: 10, codeSha256: 'abc=' },
      alarms: [ALARM],
      program: program(),
    });
    expect(report.targetVersion).toBeUndefined();
    expect(report.publish).toMatchObject({ kind: 'zip', fileName: 'fn.zip', sameCodeAsLatest: false });
    const checks = w.sink.ofType('preflight.check').map((c) => c.check);
    expect(checks).toEqual([
      'function',
      'alias',
      'alias-not-latest',
      'deployment-record',
      'alias-not-split',
      'alarms-exist',
      'alarms-quiet',
    ]);
    expectNoWrite(w);
  });

  it('refuses like a deploy when an alarm fires, still without a write', async () => {
    const w = createWorld();
    w.metrics.setAlarm(ALARM, 'ALARM');
    await expect(
      dryRunDeploy(w.deps, { functionName: FN, alias: ALIAS, alarms: [ALARM], program: program() }),
    ).rejects.toMatchObject({ code: 'ALARM_ALREADY_FIRING' });
    expectNoWrite(w);
  });

  it('refuses code of the wrong package type exactly as the deploy does (code, exit), without a write', async () => {
    const imageUri = '123456789012.dkr.ecr.us-east-1.amazonaws.com/demo:2';
    const w = createWorld();
    const dry = dryRunDeploy(w.deps, {
      functionName: FN,
      alias: ALIAS,
      publish: { kind: 'image', imageUri },
      alarms: [ALARM],
      program: program(),
    });
    const { targetVersion: _, ...pending } = request();
    const real = checkBeforePublish(w.deps, pending, { kind: 'image', imageUri });
    const refusal = {
      code: 'PACKAGE_TYPE_MISMATCH',
      exitCode: 2,
      message: expect.stringContaining('Zip function'),
    };
    await expect(dry).rejects.toMatchObject(refusal);
    await expect(real).rejects.toMatchObject(refusal);
    expectNoWrite(w);
  });

  it("runs --warm's refusals too (with and without a published version)", async () => {
    const w = createWorld();
    w.lambda.setProvisionedConcurrency(FN, ALIAS, 10);
    const base = { functionName: FN, alias: ALIAS, alarms: [ALARM], program: program(), warm: true };
    await expect(dryRunDeploy(w.deps, base)).rejects.toMatchObject({ code: 'WARM_NOT_POSSIBLE' });
    await expect(dryRunDeploy(w.deps, { ...base, targetVersion: '2' })).rejects.toMatchObject({
      code: 'WARM_NOT_POSSIBLE',
    });
    expectNoWrite(w);
  });
});
