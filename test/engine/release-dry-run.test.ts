import { describe, expect, it } from 'vitest';
import { dryRunRelease } from '../../src/engine/release-dry-run.js';
import type { LambdaOp } from '../helpers/fake-lambda.js';
import { ALIAS, createFleetWorld, linear, request, type World } from './world.js';

const FNS = ['alpha', 'beta', 'gamma'];

/** Every LambdaPort method that reads; anything else is a write and fails the test. */
const READS: readonly LambdaOp[] = [
  'getFunction',
  'getAlias',
  'listEventInvokeConfigs',
  'listEventSourceMappings',
  'getProvisionedConcurrency',
  'getCodeLocation',
  // What a publish would give: the newest version, to compare with $LATEST.
  'listVersions',
];

function fleetWorld(): World {
  return createFleetWorld(FNS);
}

function members(targetVersion?: string) {
  return FNS.map((fn, i) => {
    const req = request({
      functionName: fn,
      alarms: [`${fn}-errors`],
      deploymentId: `d-abc12${i}`,
      ...linear(25, 60),
    });
    return targetVersion ? { req: { ...req, targetVersion } } : { req: { ...req, targetVersion: undefined } };
  });
}

function expectNoWrite(w: World): void {
  expect(w.lambda.calls.filter((c) => !READS.includes(c.op)).map((c) => c.op)).toEqual([]);
  expect(w.store.writes).toEqual([]);
}

describe('dryRunRelease', () => {
  it('preflights every function as the release would, returns the lockstep program, writes nothing', async () => {
    const w = fleetWorld();
    const report = await dryRunRelease(w.deps, { releaseId: 'r-abc123', members: members('2') });
    expect(report.functions.map((f) => [f.functionName, f.stableVersion, f.targetVersion])).toEqual(
      FNS.map((fn) => [fn, '1', '2']),
    );
    const completed = w.sink.ofType('preflight.completed').map((e) => e.functionName);
    expect(completed.sort()).toEqual(FNS);
    const weights = report.program.steps.filter((s) => s.kind === 'setWeight');
    expect(
      weights.slice(0, 3).map((s) => (s.kind === 'setWeight' ? [s.target.functionName, s.percent] : [])),
    ).toEqual(FNS.map((fn) => [fn, 25]));
    expectNoWrite(w);
  });

  it('before a publish: the checks of the publish path for each function, and the code it would publish', async () => {
    const w = fleetWorld();
    const report = await dryRunRelease(w.deps, { releaseId: 'r-abc123', members: members() });
    expect(report.functions.map((f) => [f.functionName, f.publish?.kind])).toEqual(
      FNS.map((fn) => [fn, 'latest']),
    );
    expectNoWrite(w);
  });

  it("before a publish: each function's preflight.started, closed by its preflight.stopped, as a single dry run's, named by target", async () => {
    const w = fleetWorld();
    await dryRunRelease(w.deps, { releaseId: 'r-abc123', members: members() });
    for (const fn of FNS) {
      const own = w.sink.events.filter(
        (e) => 'target' in e && e.target?.functionName === fn && e.type.startsWith('preflight.'),
      );
      const pair = own.filter((e) => e.type !== 'preflight.check');
      // Before: only the checks, no preflight.started and nothing to close it.
      expect(pair.map((e) => e.type)).toEqual(['preflight.started', 'preflight.stopped']);
      expect(pair[0]).toMatchObject({
        functionName: fn,
        alias: ALIAS,
        target: { functionName: fn, alias: ALIAS },
      });
      expect(pair[1]).toMatchObject({ functionName: fn, alias: ALIAS, stableVersion: '1' });
      // Its checks come between the two, as in a single dry run.
      expect(own.at(0)?.type).toBe('preflight.started');
      expect(own.at(-1)?.type).toBe('preflight.stopped');
      expect(own.filter((e) => e.type === 'preflight.check').length).toBeGreaterThan(0);
    }
    expect(w.sink.ofType('preflight.completed')).toEqual([]);
  });

  it('before a publish, one function refused: its preflight.started has no preflight.stopped (its refusal ends it); the others have theirs', async () => {
    const w = fleetWorld();
    w.metrics.setAlarm('beta-errors', 'ALARM');
    await expect(dryRunRelease(w.deps, { releaseId: 'r-abc123', members: members() })).rejects.toMatchObject({
      code: 'ALARM_ALREADY_FIRING',
    });
    const named = (type: string) =>
      w.sink.events
        .filter((e) => e.type === type)
        .map((e) => ('target' in e ? e.target?.functionName : undefined));
    expect(named('preflight.started').sort()).toEqual(FNS);
    expect(named('preflight.stopped').sort()).toEqual(['alpha', 'gamma']);
  });

  it('checks every function even when one is refused, then throws the refusal; still no write', async () => {
    const w = fleetWorld();
    w.metrics.setAlarm('beta-errors', 'ALARM');
    await expect(
      dryRunRelease(w.deps, { releaseId: 'r-abc123', members: members('2') }),
    ).rejects.toMatchObject({
      code: 'ALARM_ALREADY_FIRING',
    });
    const completed = w.sink.ofType('preflight.completed').map((e) => e.functionName);
    expect(completed.sort()).toEqual(['alpha', 'gamma']);
    expectNoWrite(w);
  });
  it('lists every refused function, not only the first: the first sets the code, the others are in the message', async () => {
    const w = fleetWorld();
    w.metrics.setAlarm('alpha-errors', 'ALARM');
    w.lambda.moveAlias('gamma', ALIAS, { functionVersion: '1', additionalWeights: { '2': 0.5 } });
    const error = await dryRunRelease(w.deps, { releaseId: 'r-abc123', members: members('2') }).then(
      () => undefined,
      (e: unknown) => e as { code: string; message: string },
    );
    expect(error?.code).toBe('ALARM_ALREADY_FIRING');
    expect(error?.message).toMatch(
      /alpha-errors[\s\S]*1 more of the release's functions refused too:\n {2}- gamma: /,
    );
    expect(error?.message).not.toContain('- beta');
    expectNoWrite(w);
  });

  it('a function already on its target takes no part in the program, as in the release', async () => {
    const w = fleetWorld();
    w.lambda.moveAlias('beta', ALIAS, { functionVersion: '2', additionalWeights: {} });
    const report = await dryRunRelease(w.deps, { releaseId: 'r-abc123', members: members('2') });
    expect(report.functions.map((f) => [f.functionName, f.nothingToDeploy])).toEqual([
      ['alpha', false],
      ['beta', true],
      ['gamma', false],
    ]);
    expect(report.program.targets.map((t) => t.functionName)).toEqual(['alpha', 'gamma']);
    expectNoWrite(w);
  });
});
