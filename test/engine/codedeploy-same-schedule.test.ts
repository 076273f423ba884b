/**
 * A config of lshift's name made by hand with a routing spelled otherwise but the same schedule
 * (canary 50% then 100% after 10 minutes under `lshift.Linear50PercentEvery10Minutes`) was refused
 * CODEDEPLOY_CONFIG_MISMATCH (session 63's notes): CodeDeploy would run exactly what lshift plans
 * and judges. Only a different schedule is refused now.
 */
import { describe, expect, it } from 'vitest';
import { mapStrategyToCodeDeploy, type TimeBasedRouting } from '../../src/domain/codedeploy-plan.js';
import { parseStrategy } from '../../src/domain/strategy.js';
import { sameSchedule } from '../../src/engine/codedeploy-config-check.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { codeDeployWorld } from './codedeploy-world.js';
import { ALIAS, FN, linear, request } from './world.js';

const canary = (percentage: number, intervalMinutes: number): TimeBasedRouting => ({
  type: 'TimeBasedCanary',
  percentage,
  intervalMinutes,
});
const linearly = (percentage: number, intervalMinutes: number): TimeBasedRouting => ({
  type: 'TimeBasedLinear',
  percentage,
  intervalMinutes,
});

describe('sameSchedule: the same weights at the same times, however spelled', () => {
  it.each([
    ['the same routing', linearly(20, 10), linearly(20, 10), true],
    ['linear 50% every 10 minutes is canary 50% for 10 minutes', linearly(50, 10), canary(50, 10), true],
    ['and the other way round', canary(50, 10), linearly(50, 10), true],
    [
      'linear 60% every 5 minutes is canary 60% for 5 minutes (120% is capped at 100%)',
      linearly(60, 5),
      canary(60, 5),
      true,
    ],
    ['linear 99% is canary 99%', linearly(99, 1), canary(99, 1), true],
    ['another interval', linearly(20, 10), linearly(20, 1), false],
    ['another percentage', linearly(20, 10), linearly(25, 10), false],
    ['linear 40% (40, 80, 100) is no canary 40% (40, 100)', linearly(40, 10), canary(40, 10), false],
    ['linear 50% every 10 minutes is no canary 50% for 5 minutes', linearly(50, 10), canary(50, 5), false],
    ['canary 10% is no canary 20%', canary(10, 10), canary(20, 10), false],
  ])('%s', (_what, a, b, same) => {
    expect(sameSchedule(a, b)).toBe(same);
  });
});

describe('a config of lshift’s name routing the same schedule spelled otherwise', () => {
  it('is reused: the deploy promotes on it, nothing refused, nothing created', async () => {
    const config = mapStrategyToCodeDeploy(parseStrategy('linear:50%:10m'));
    expect(config.name).toBe('lshift.Linear50PercentEvery10Minutes');
    const w = codeDeployWorld('linear:50%:10m');
    // Made by hand: canary 50%, then 100% after 10 minutes — the schedule the name says.
    w.codedeploy.configs.set(config.name, canary(50, 10));
    const result = await runDeploy(w.deps, request({ ...linear(50, 600) }));

    expect(JSON.stringify(result)).not.toContain('CODEDEPLOY_CONFIG_MISMATCH');
    expect(result.status).toBe('promoted');
    expect(w.codedeploy.callsOf('createDeploymentConfig')).toEqual([]);
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '2', additionalWeights: {} });
  });
});
