/**
 * What `lshift wait`'s engine (followCodeDeploy) is given in a test, and a deployment for it to
 * follow: the kept-move and follow tests built both inline, the same five fields each time.
 */
import { buildAppSpec } from '../../src/domain/codedeploy-plan.js';
import type { FollowDeps } from '../../src/engine/follow-codedeploy-types.js';
import type { FakeClock } from './fake-clock.js';
import type { FakeCodeDeploy } from './fake-codedeploy.js';
import type { FakeLambda } from './fake-lambda.js';
import type { FakeStore } from './fake-store.js';
import type { RecordingSink } from './recording-sink.js';

/** A test world's parts (test/engine/world.ts createWorld) that a follow reads and writes. */
export interface FollowWorld {
  lambda: FakeLambda;
  clock: FakeClock;
  sink: RecordingSink;
  store: FakeStore;
}

/** followCodeDeploy's deps over a world and its fake CodeDeploy. */
export function followDepsOf(w: FollowWorld, codedeploy: FakeCodeDeploy): FollowDeps {
  return { codedeploy, lambda: w.lambda, clock: w.clock, events: w.sink, store: w.store };
}

/**
 * A deployment of `fn:alias` from version 1 to 2 that lshift's deploy started (its description is
 * a deploy's) in lshift-demo/demo-live, under `config` (`CodeDeployDefault.LambdaCanary10Percent5Minutes`).
 */
export function startDeployOf(
  codedeploy: FakeCodeDeploy,
  config: string,
  fn = 'demo',
  alias = 'live',
): Promise<string> {
  return codedeploy.createDeployment({
    application: 'lshift-demo',
    group: 'demo-live',
    config,
    description: `lshift deploy of ${fn}:${alias}`,
    appSpec: buildAppSpec({ functionName: fn, alias, currentVersion: '1', targetVersion: '2' }),
  });
}
