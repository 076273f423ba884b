/**
 * `lshift status` of a CodeDeploy record that names no deployment: its follower was killed after
 * CreateDeployment went out, before it wrote the id. Status said "no deployment id recorded yet:
 * none started, or …" while `check` and `lshift wait` already found it by the run token its
 * description carries (found by a hostile pass over CodeDeploy). Status finds it too, on the
 * config's group or lshift's default, and names it.
 */
import { describe, expect, it } from 'vitest';
import { renderStatus } from '../../src/cli/renderers/status-text.js';
import { buildAppSpec } from '../../src/domain/codedeploy-plan.js';
import { getStatus } from '../../src/engine/status.js';
import { expectValidResultOf } from '../helpers/contract.js';
import { FakeCodeDeploy } from '../helpers/fake-codedeploy.js';
import { ALIAS, createWorld, deadRecord, FN } from './world.js';

const GROUP = { application: 'lshift-demo', group: 'demo-live' };

async function unnamedWorld(description: string) {
  const w = createWorld();
  w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: { '2': 0.1 } });
  const codedeploy = new FakeCodeDeploy(w.clock, w.lambda);
  const id = await codedeploy.createDeployment({
    ...GROUP,
    config: 'CodeDeployDefault.LambdaLinear10PercentEvery1Minute',
    appSpec: buildAppSpec({ functionName: FN, alias: ALIAS, currentVersion: '1', targetVersion: '2' }),
    description,
  });
  w.store.seed(
    FN,
    ALIAS,
    deadRecord(w, {
      id: 'd-unnamed1',
      engine: 'codedeploy',
      phase: 'started',
      percent: 0,
      stepIndex: 0,
      startedAt: w.start - 60_000,
    }),
  );
  return { w, codedeploy, id };
}

describe('lshift status of a CodeDeploy record that names no deployment', () => {
  it('finds it on its group by its run token and names it', async () => {
    const { w, codedeploy, id } = await unnamedWorld('lshift deploy of demo:live [lshift-run:d-unnamed1]');
    const status = await getStatus(
      { ...w.deps, codedeploy, codeDeployGroupOf: () => GROUP },
      { functionName: FN, alias: ALIAS, alarms: [] },
    );
    expect(status.record?.codeDeployIdFound).toBe(id);
    expectValidResultOf('status', { schemaVersion: 4, ...status });
    const text = renderStatus(status);
    expect(text).toContain(
      `engine: AWS CodeDeploy, deployment ${id} (found by its run token: the runner stopped before recording its id) (follow it: \`lshift wait ${id}\`)`,
    );
    expect(text).not.toContain('no deployment id recorded yet');
  });

  it('another run’s deployment on the group is not taken for it', async () => {
    const { w, codedeploy } = await unnamedWorld('lshift deploy of demo:live [lshift-run:d-other99]');
    const status = await getStatus(
      { ...w.deps, codedeploy, codeDeployGroupOf: () => GROUP },
      { functionName: FN, alias: ALIAS, alarms: [] },
    );
    expect(status.record?.codeDeployIdFound).toBeUndefined();
    expect(renderStatus(status)).toContain('no deployment id recorded yet');
  });
});
