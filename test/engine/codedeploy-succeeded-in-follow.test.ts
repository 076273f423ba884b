/**
 * CodeDeploy ended the deployment (Succeeded, all traffic on the new version) before lshift's
 * follow of a step below 100% saw that step: its answers came late (a throttled, retried
 * GetDeployment; a slow sandbox). lshift then held that step for its full time at 100% ("step 1/2:
 * still holding at 100%", 2 hours of a 2-hour canary) before its promote found what it knew.
 * Nothing is left to hold: the deploy goes on to its settle and its end at once.
 */
import { describe, expect, it } from 'vitest';
import { runDeploy } from '../../src/engine/deploy.js';
import { codeDeployWorld } from './codedeploy-world.js';
import { canary, FN, request } from './world.js';

describe('CodeDeploy succeeded while lshift followed a step below 100%', () => {
  it('goes on to the settle and the end, without holding the step at 100%', async () => {
    const w = codeDeployWorld('Canary10Percent5Minutes');
    // The pre-traffic hook runs 2 minutes; one GetDeployment meanwhile answers 8 minutes late.
    w.codedeploy.beforeAllowTraffic(120_000);
    const read = w.codedeploy.getDeployment.bind(w.codedeploy);
    let reads = 0;
    w.codedeploy.getDeployment = async (id: string) => {
      if (++reads === 3) await w.clock.sleep(8 * 60_000);
      return read(id);
    };
    const result = await runDeploy(w.deps, request({ ...canary(10, 7200) }));

    expect(result.status).toBe('promoted');
    expect(w.lambda.peekAlias(FN, 'live')).toMatchObject({ functionVersion: '2', additionalWeights: {} });
    // Before: 2 hours more (the whole 10% hold, at 100%).
    expect(w.clock.now() - w.start).toBeLessThan(20 * 60_000);
    expect(w.codedeploy.callsOf('stopDeployment')).toEqual([]);
  });
});
