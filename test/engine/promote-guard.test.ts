/**
 * The safety net before `promoted` (src/engine/promote-guard.ts): a deployment is recorded
 * promoted only when the engine knows its alias routes all traffic to the new version alone —
 * from its own last write's answer, or a read. Otherwise: unsafe (exit 4), the record not
 * promoted, the alias state and both ways out in the reason.
 */
import { describe, expect, it } from 'vitest';
import { describeReason } from '../../src/cli/describe-outcome.js';
import { exitCodeForStatus } from '../../src/cli/exit-codes.js';
import { mapStrategyToCodeDeploy } from '../../src/domain/codedeploy-plan.js';
import { OperationError } from '../../src/domain/errors.js';
import { parseStrategy } from '../../src/domain/strategy.js';
import { createCodeDeployGate } from '../../src/engine/codedeploy-gate.js';
import { createCodeDeployTrafficDriver } from '../../src/engine/codedeploy-traffic-driver.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { createNativeTrafficDriver } from '../../src/engine/native-traffic-driver.js';
import type { TrafficDriver } from '../../src/ports/traffic-driver.js';
import { FakeCodeDeploy } from '../helpers/fake-codedeploy.js';
import { ALIAS, canary, createWorld, FN, linear, request, type World } from './world.js';

const SPLIT = { functionVersion: '2', additionalWeights: { '1': 0.3 } };

/** CodeDeploy reports Succeeded, but the alias read right after still splits traffic. */
function codeDeployWorldEndingSplit() {
  const w = createWorld();
  const fake = new FakeCodeDeploy(w.clock, w.lambda);
  const codedeploy = Object.assign(Object.create(fake), {
    getDeployment: async (id: string) => {
      const info = await fake.getDeployment(id);
      if (info.status === 'Succeeded') w.lambda.moveAlias(FN, ALIAS, SPLIT);
      return info;
    },
  }) as FakeCodeDeploy;
  let current: string | undefined;
  const traffic = createCodeDeployTrafficDriver(
    { codedeploy, lambda: w.lambda, clock: w.clock },
    {
      start: {
        application: 'lshift-demo',
        group: 'demo-live',
        config: mapStrategyToCodeDeploy(parseStrategy('Canary10Percent5Minutes')),
        hooks: {},
      },
      pollSeconds: 10,
      onStarted: (id) => {
        current = id;
      },
    },
  );
  return { ...w, deps: { ...w.deps, traffic, gates: [createCodeDeployGate(codedeploy, () => current)] } };
}

/** The native driver, but its cursor is not told what the last write answered. */
function forgetfulDriver(w: World): TrafficDriver {
  const native = createNativeTrafficDriver(w.lambda);
  return {
    name: 'native',
    setWeight: async (cursor, percent, opts) => {
      const before = { ...cursor.aliasState };
      await native.setWeight(cursor, percent, opts);
      if (percent === 100) cursor.aliasState = before;
    },
    observe: (cursor) => native.observe(cursor),
  };
}

describe('a deployment whose every step passed', () => {
  it('CodeDeploy Succeeded but the alias still split: unsafe (exit 4), not recorded promoted, the state and both fixes said', async () => {
    const w = codeDeployWorldEndingSplit();
    const result = await runDeploy(w.deps, request({ ...canary(10, 300) }));

    expect(result.status).toBe('unsafe');
    expect(exitCodeForStatus(result.status)).toBe(4);
    expect(result.cause?.code).toBe('PROMOTE_UNCONFIRMED');
    expect(result.aliasState).toEqual(SPLIT);
    expect(w.store.peek(FN, ALIAS)?.phase).not.toBe('promoted');
    const reason = describeReason(result)!;
    expect(reason).toContain('version 2 (70%) + version 1 (30%)');
    expect(reason).toContain(`\`lshift alias ${FN} ${ALIAS} 2\``);
    expect(reason).toContain(`\`lshift rollback ${FN} --alias ${ALIAS}\``);
    expect(result.rollbackCommand).toBe(`lshift rollback ${FN} --alias ${ALIAS}`);
    expect(w.sink.warnings()).toContainEqual({
      message: expect.stringContaining(`alias ${ALIAS} of function ${FN} is not on version 2 alone`),
      about: 'alias',
    });
  });

  it('the last write did not say where the alias is, a read shows it on the new version alone: promoted', async () => {
    const w = createWorld();
    const result = await runDeploy({ ...w.deps, traffic: forgetfulDriver(w) }, request(linear(50, 60)));

    expect(result.status, JSON.stringify(result.cause)).toBe('promoted');
    expect(w.store.peek(FN, ALIAS)?.phase).toBe('promoted');
    expect(w.lambda.callsOf('getAlias').length).toBeGreaterThan(0);
  });

  it('the last write did not say, and the alias cannot be read: unsafe (exit 4), not promoted — unknown is not "on the new version"', async () => {
    const w = createWorld();
    const driver = forgetfulDriver(w);
    let writes = 0;
    const traffic: TrafficDriver = {
      ...driver,
      setWeight: async (cursor, percent, opts) => {
        await driver.setWeight(cursor, percent, opts);
        if (percent === 100 && writes++ === 0)
          w.lambda.fail({
            op: 'getAlias',
            times: Number.POSITIVE_INFINITY,
            error: new OperationError('ACCESS_DENIED', 'not allowed to read alias live'),
          });
      },
    };
    const result = await runDeploy({ ...w.deps, traffic }, request(linear(50, 60)));

    expect(result.status).toBe('unsafe');
    expect(result.cause?.code).toBe('PROMOTE_UNCONFIRMED');
    expect(w.store.peek(FN, ALIAS)?.phase).not.toBe('promoted');
    expect(describeReason(result)).toContain('not allowed to read alias live');
  });
});
