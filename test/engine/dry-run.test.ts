import { describe, expect, it } from 'vitest';
import { planRelease } from '../../src/domain/release-program.js';
import { runDeploy } from '../../src/engine/deploy.js';
import type { DeployRequest } from '../../src/engine/deploy-types.js';
import { type DryRunRequest, dryRunDeploy } from '../../src/engine/dry-run.js';
import { checkBeforePublish, publishAfterChecks } from '../../src/engine/preflight-publish.js';
import type { CodeSource } from '../../src/ports/lambda.js';
import type { LambdaOp } from '../helpers/fake-lambda.js';
import { ALARM, ALIAS, canary, createWorld, FN, request, stepsThrough, type World } from './world.js';

/** Every LambdaPort method that reads; anything else a dry run calls is a write and fails the test. */
const READS: readonly LambdaOp[] = [
  'getFunction',
  'getAlias',
  // Issue 14's preflight reads (async configs, event source mappings, provisioned concurrency).
  'listEventInvokeConfigs',
  'listEventSourceMappings',
  'getProvisionedConcurrency',
  'getCodeLocation',
  // What a publish would give: the newest version, to compare with $LATEST.
  'listVersions',
];

function program() {
  return planRelease(canary(10, 300).strategy, { bakeSeconds: 600 }, [{ functionName: FN, alias: ALIAS }]);
}

/** A dry run of the deploy `request(overrides)` would make: `targetVersion` absent = publish one. */
function dry(
  overrides: Partial<DeployRequest> = {},
  extra: Omit<DryRunRequest, 'req' | 'program'> = {},
): DryRunRequest {
  const { targetVersion, ...pending } = request(overrides);
  const req = 'targetVersion' in overrides ? { ...pending, targetVersion } : pending;
  return { req, program: program(), ...extra };
}

function expectNoWrite(w: World): void {
  const writes = w.lambda.calls.filter((c) => !READS.includes(c.op));
  expect(writes.map((c) => c.op)).toEqual([]);
  expect(w.store.writes).toEqual([]);
}

describe('dryRunDeploy', () => {
  it('with a published version: runs every preflight check, returns the program, writes nothing', async () => {
    const w = createWorld();
    const report = await dryRunDeploy(w.deps, dry({ targetVersion: '2' }));
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

  it('before a publish: checks the alias, record, $LATEST against the stable version, asynchronous invocation, event sources, provisioned concurrency and alarms, describes the zip, writes nothing', async () => {
    const w = createWorld();
    const report = await dryRunDeploy(
      w.deps,
      dry({}, { publish: { kind: 'zip', fileName: 'fn.zip', bytes: 10, codeSha256: 'abc=' } }),
    );
    expect(report.targetVersion).toBeUndefined();
    expect(report.publish).toMatchObject({ kind: 'zip', fileName: 'fn.zip', sameCodeAsLatest: false });
    const checks = w.sink.ofType('preflight.check').map((c) => c.check);
    expect(checks).toEqual([
      'function',
      'alias',
      'alias-not-latest',
      'deployment-record',
      'alias-not-split',
      'record-size',
      // What the new version will carry of $LATEST's configuration (an upload changes only code).
      'stable-version',
      'same-role',
      'same-dlq',
      'run-settings',
      // What needs no version number: the new version has no async config of its own yet.
      'async-destinations',
      'event-sources',
      'provisioned-concurrency',
      'alarms-exist',
      'alarms-quiet',
      'alarm-history',
    ]);
    expectNoWrite(w);
  });

  it('refuses like a deploy when an alarm fires, still without a write', async () => {
    const w = createWorld();
    w.metrics.setAlarm(ALARM, 'ALARM');
    await expect(dryRunDeploy(w.deps, dry())).rejects.toMatchObject({ code: 'ALARM_ALREADY_FIRING' });
    expectNoWrite(w);
  });

  it('before a publish: its preflight.started is closed by preflight.stopped (no target version to name)', async () => {
    const w = createWorld();
    await dryRunDeploy(
      w.deps,
      dry({}, { publish: { kind: 'zip', fileName: 'fn.zip', bytes: 10, codeSha256: 'abc=' } }),
    );
    const preflight = w.sink.types().filter((t) => t.startsWith('preflight.') && t !== 'preflight.check');
    // Before: a preflight.started and nothing to close it.
    expect(preflight).toEqual(['preflight.started', 'preflight.stopped']);
    expect(w.sink.ofType('preflight.stopped')[0]).toMatchObject({
      functionName: FN,
      alias: ALIAS,
      stableVersion: '1',
    });
    expect(w.sink.types().at(-1)).toBe('preflight.stopped');
  });

  it('before a publish, refused: no preflight.stopped (the refusal is its preflight.check)', async () => {
    const w = createWorld();
    w.metrics.setAlarm(ALARM, 'ALARM');
    await expect(dryRunDeploy(w.deps, dry())).rejects.toMatchObject({ code: 'ALARM_ALREADY_FIRING' });
    expect(w.sink.ofType('preflight.stopped')).toEqual([]);
  });

  it('with a published version: its preflight closes with preflight.completed, as the deploy does', async () => {
    const w = createWorld();
    await dryRunDeploy(w.deps, dry({ targetVersion: '2' }));
    expect(w.sink.types().filter((t) => t === 'preflight.completed' || t === 'preflight.stopped')).toEqual([
      'preflight.completed',
    ]);
  });

  it('refuses code of the wrong package type exactly as the deploy does (code, exit), without a write', async () => {
    const imageUri = '123456789012.dkr.ecr.us-east-1.amazonaws.com/demo:2';
    const w = createWorld();
    const source: CodeSource = { kind: 'image', imageUri };
    const dryRun = dryRunDeploy(w.deps, dry({}, { source, publish: source }));
    const { targetVersion: _, ...pending } = request();
    const real = checkBeforePublish(w.deps, pending, source, {});
    const refusal = {
      code: 'PACKAGE_TYPE_MISMATCH',
      exitCode: 2,
      message: expect.stringContaining('Zip function'),
    };
    await expect(dryRun).rejects.toMatchObject(refusal);
    await expect(real).rejects.toMatchObject(refusal);
    expectNoWrite(w);
  });

  it("runs --warm's refusals too (with and without a published version)", async () => {
    const w = createWorld();
    w.lambda.setProvisionedConcurrency(FN, ALIAS, 10);
    await expect(dryRunDeploy(w.deps, dry({ warm: true }))).rejects.toMatchObject({
      code: 'WARM_NOT_POSSIBLE',
    });
    await expect(dryRunDeploy(w.deps, dry({ warm: true, targetVersion: '2' }))).rejects.toMatchObject({
      code: 'WARM_NOT_POSSIBLE',
    });
    expectNoWrite(w);
  });

  it('says a passing --warm check once, before a publish and with a published version', async () => {
    for (const targetVersion of [undefined, '2']) {
      const w = createWorld();
      w.lambda.setProvisionedConcurrency(FN, '1', 10);
      await dryRunDeploy(w.deps, dry({ warm: true, ...(targetVersion ? { targetVersion } : {}) }));
      const warm = w.sink.ofType('preflight.check').filter((c) => c.check === 'warm');
      expect(warm, targetVersion).toEqual([expect.objectContaining({ ok: true })]);
    }
  });

  /** A strategy of 60 steps: its record (every weight, the step index) cannot fit in a tag. */
  function tooLong(): Partial<DeployRequest> {
    return stepsThrough(Array.from({ length: 60 }, (_, i) => i + 0.123456));
  }

  it.each([
    ['a published version', { targetVersion: '2' }],
    ['code to publish', {}],
  ])('refuses a record too large for a tag as the deploy does (%s), without a write', async (_, target) => {
    const w = createWorld();
    const refusal = { code: 'RECORD_TOO_LARGE', exitCode: 2 };
    await expect(dryRunDeploy(w.deps, dry({ ...tooLong(), ...target }))).rejects.toMatchObject(refusal);
    expectNoWrite(w);
    const real = 'targetVersion' in target ? runDeploy(w.deps, request(tooLong())) : undefined;
    if (real) await expect(real).rejects.toMatchObject(refusal);
  });

  it('refuses an image digest the alias already runs (IMAGE_UNCHANGED) as the deploy does, without a write', async () => {
    const repo = '123456789012.dkr.ecr.us-east-1.amazonaws.com/demo';
    const digest = `sha256:${'1'.repeat(64)}`;
    const w = createWorld();
    w.lambda.pushImage(`${repo}:v1`, digest);
    w.lambda.addFunction('img', { imageUri: `${repo}:v1` });
    w.lambda.addVersion('img');
    w.lambda.addAlias('img', ALIAS, '1');
    const source: CodeSource = { kind: 'image', imageUri: `${repo}@${digest}` };
    const refusal = { code: 'IMAGE_UNCHANGED', exitCode: 2 };
    await expect(
      dryRunDeploy(w.deps, dry({ functionName: 'img' }, { source, publish: source })),
    ).rejects.toMatchObject(refusal);
    expectNoWrite(w);
    const { targetVersion: _, ...pending } = request({ functionName: 'img' });
    await expect(publishAfterChecks(w.deps, pending, source)).rejects.toMatchObject(refusal);
  });
});
