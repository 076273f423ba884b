/**
 * A deploy's rollback (Ctrl-C under `--engine codedeploy`) whose StopDeployment times out (F8,
 * session 66): reproduced on the sandbox with the stop held, a 5-minute canary interrupted at
 * 10%. The log said nothing for the stop's whole time (3 attempts of 10 s: 5 simulated minutes
 * at 10×), CodeDeploy ended Succeeded meanwhile, lshift wrote the alias back itself, and the run
 * said "interrupted at step 1 (10%); all traffic is back on version 1", as if its stop had landed.
 */
import { describe, expect, it } from 'vitest';
import { tellStopNews } from '../../src/cli/codedeploy-stop-lines.js';
import { withReason } from '../../src/cli/describe-outcome.js';
import { renderDeployResult } from '../../src/cli/render-result.js';
import { mapStrategyToCodeDeploy } from '../../src/domain/codedeploy-plan.js';
import { OperationError } from '../../src/domain/errors.js';
import { parseStrategy } from '../../src/domain/strategy.js';
import { createCodeDeployGate } from '../../src/engine/codedeploy-gate.js';
import { createCodeDeployTrafficDriver } from '../../src/engine/codedeploy-traffic-driver.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { FakeCodeDeploy } from '../helpers/fake-codedeploy.js';
import { driveUntil } from './race.js';
import { ALIAS, canary, createWorld, FN, request } from './world.js';

const TIMEOUT = () =>
  new OperationError(
    'NETWORK_ERROR',
    'http://127.0.0.1:4931 did not answer codedeploy:StopDeployment in time (3 attempts of 10 s each timed out)',
    {},
  );

/**
 * A 5-minute canary interrupted at 30 s; `stop` stands in for StopDeployment (given the fake's
 * own and the clock). CodeDeploy's rollback takes 20 s, so its progress can be seen.
 */
function interruptedWorld(
  stop: (
    real: FakeCodeDeploy['stopDeployment'],
    w: ReturnType<typeof createWorld>,
  ) => FakeCodeDeploy['stopDeployment'],
) {
  const w = createWorld({ auto: false });
  const codedeploy = new FakeCodeDeploy(w.clock, w.lambda);
  codedeploy.slowRollbacks(20_000);
  codedeploy.stopDeployment = stop(codedeploy.stopDeployment.bind(codedeploy), w);
  const traffic = createCodeDeployTrafficDriver(
    { codedeploy, lambda: w.lambda, clock: w.clock },
    {
      start: {
        application: 'lshift-demo',
        group: 'demo-live',
        config: mapStrategyToCodeDeploy(parseStrategy('Canary10Percent5Minutes')),
        hooks: {},
      },
      pollSeconds: 5,
      onStop: tellStopNews({ clock: w.clock, events: w.sink }),
    },
  );
  const controller = new AbortController();
  w.clock.at(w.start + 30_000, () => controller.abort(new Error('interrupted by SIGINT')));
  const deps = { ...w.deps, traffic, gates: [createCodeDeployGate(codedeploy, () => undefined)] };
  const run = runDeploy(deps, request({ ...canary(10, 300), signal: controller.signal }));
  return { w, result: driveUntil(w, run) };
}

describe('a CodeDeploy rollback whose StopDeployment fails', () => {
  it('times out after CodeDeploy ended Succeeded: the log says each step, the result says the stop stopped nothing and lshift wrote the alias back', async () => {
    const { w, result: running } = interruptedWorld((_real, w) => async () => {
      await new Promise<void>((resolve) => w.clock.at(w.start + 301_000, resolve));
      throw TIMEOUT();
    });
    const result = await running;

    expect(result.status).toBe('rolled_back');
    expect(result.cause).toMatchObject({ code: 'INTERRUPTED', data: { stopOutran: true } });
    const text = renderDeployResult(withReason(result));
    // Before: "interrupted at step 1 (10%); all traffic is back on version 1".
    expect(text).not.toContain('all traffic is back on version 1');
    expect(text).toContain(
      "interrupted at step 1 (10%); lshift's stop of AWS CodeDeploy deployment d-FAKE1 failed (NETWORK_ERROR: http://127.0.0.1:4931 did not answer codedeploy:StopDeployment in time (3 attempts of 10 s each timed out)), and CodeDeploy says the deployment had ended Succeeded, all traffic on version 2: the stop stopped nothing, and lshift wrote the alias back to version 1 itself",
    );
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
    // The stop said when sent (before, nothing for its whole time), its failure, and what CodeDeploy then said.
    const logs = w.sink.logs();
    const from = logs.findIndex((l) => l.startsWith('rollback: stopping'));
    expect(logs.slice(from, from + 3)).toEqual([
      'rollback: stopping AWS CodeDeploy deployment d-FAKE1 with auto-rollback (StopDeployment); CodeDeploy then puts the alias back',
      "rollback: lshift's stop of AWS CodeDeploy deployment d-FAKE1 failed (NETWORK_ERROR: http://127.0.0.1:4931 did not answer codedeploy:StopDeployment in time (3 attempts of 10 s each timed out)): it is not known to have reached CodeDeploy; reading the deployment",
      'rollback: AWS CodeDeploy says deployment d-FAKE1 had ended Succeeded, all traffic on version 2: the stop stopped nothing; lshift writes the alias back to version 1 itself',
    ]);
    expect(w.sink.logs('warn')).toHaveLength(2);
  });

  it('fails while CodeDeploy still runs: said, sent again, and CodeDeploy’s rollback followed to its end (the result as a stop that landed)', async () => {
    let first = true;
    const { w, result: running } = interruptedWorld((real) => async (id, rollback) => {
      if (!first) return real(id, rollback);
      first = false;
      throw TIMEOUT();
    });
    const result = await running;

    expect(result.status).toBe('rolled_back');
    expect(renderDeployResult(withReason(result))).toContain(
      'interrupted at step 1 (10%); all traffic is back on version 1',
    );
    const logs = w.sink.logs();
    const from = logs.findIndex((l) => l.startsWith('rollback: stopping'));
    expect(logs.slice(from, from + 5)).toEqual([
      'rollback: stopping AWS CodeDeploy deployment d-FAKE1 with auto-rollback (StopDeployment); CodeDeploy then puts the alias back',
      "rollback: lshift's stop of AWS CodeDeploy deployment d-FAKE1 failed (NETWORK_ERROR: http://127.0.0.1:4931 did not answer codedeploy:StopDeployment in time (3 attempts of 10 s each timed out)): it is not known to have reached CodeDeploy; reading the deployment",
      'rollback: AWS CodeDeploy says deployment d-FAKE1 is still InProgress',
      'rollback: sending the stop of AWS CodeDeploy deployment d-FAKE1 again (StopDeployment with auto-rollback)',
      expect.stringMatching(
        /^rollback: waiting for AWS CodeDeploy to put the alias back: deployment d-FAKE1-rb InProgress, the alias routes /,
      ),
    ]);
  });
});
