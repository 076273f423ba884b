/** The world of world.ts with the CodeDeploy driver and its status gate, as the CLI wires them. */
import { mapStrategyToCodeDeploy } from '../../src/domain/codedeploy-plan.js';
import { parseStrategy } from '../../src/domain/strategy.js';
import type { CodeDeploySetup } from '../../src/engine/codedeploy-driver-deps.js';
import { createCodeDeployGate } from '../../src/engine/codedeploy-gate.js';
import { createCodeDeployTrafficDriver } from '../../src/engine/codedeploy-traffic-driver.js';
import type { DeployHooks } from '../../src/engine/deploy-types.js';
import { FakeCodeDeploy } from '../helpers/fake-codedeploy.js';
import { createWorld } from './world.js';

/**
 * `hooks`: lshift's hooks CodeDeploy runs, as the CLI hands them to the gate (a request's engineHooks).
 * `onKeepingMove`: the driver's CodeDeploySetup.onKeepingMove (run-deploy.ts stops abandoning calls).
 * `onBesideStop`: the driver's CodeDeploySetup.onBesideStop (run-deploy.ts tells the second signal's watch).
 */
export function codeDeployWorld(
  strategy = 'Canary10Percent5Minutes',
  signal?: AbortSignal,
  hooks?: DeployHooks,
  onKeepingMove?: () => void,
  onBesideStop?: CodeDeploySetup['onBesideStop'],
) {
  const w = createWorld();
  const codedeploy = new FakeCodeDeploy(w.clock, w.lambda);
  let current: string | undefined;
  const succeeded = new Set<string>();
  const traffic = createCodeDeployTrafficDriver(
    { codedeploy, lambda: w.lambda, clock: w.clock },
    {
      start: {
        application: 'lshift-demo',
        group: 'demo-live',
        config: mapStrategyToCodeDeploy(parseStrategy(strategy)),
        hooks: { beforeAllowTraffic: 'pre-check' },
      },
      pollSeconds: 10,
      signal,
      onKeepingMove,
      onBesideStop,
      succeeded: (id) => succeeded.has(id),
      onStarted: (id) => {
        current = id;
      },
    },
  );
  const deps = {
    ...w.deps,
    traffic,
    gates: [
      createCodeDeployGate(
        codedeploy,
        () => current,
        hooks,
        (id) => succeeded.add(id),
      ),
    ],
  };
  return { ...w, codedeploy, deps };
}
