/**
 * `deploy --resume` of a CodeDeploy record whose deployment CodeDeploy has ended (stopped without
 * its rollback, say by `aws deploy stop-deployment`) with the alias left split: `lshift status`
 * calls it STALLED, "nobody to finish it", exit 4 (status-codedeploy.ts leftSplitByCodeDeploy). The
 * resume said CODEDEPLOY_NOT_RESUMABLE, exit 2, "carries on without lshift … follow it with
 * `lshift wait`" (session 70). A refusal over a split nobody drives is exit 4, with status's way out.
 * While CodeDeploy, or another deployment on its group, drives the alias, it stays exit 2.
 */
import { describe, expect, it } from 'vitest';
import { renderStatus } from '../../src/cli/renderers/status-text.js';
import { needsOperator } from '../../src/cli/status-needs-operator.js';
import { buildAppSpec } from '../../src/domain/codedeploy-plan.js';
import { runCheck } from '../../src/engine/check.js';
import { findCodeDeployDriver } from '../../src/engine/codedeploy-split-driver.js';
import { resumeDeploy } from '../../src/engine/resume.js';
import { rollbackClaimed } from '../../src/engine/rollback-claim.js';
import { getStatus } from '../../src/engine/status.js';
import { FakeCodeDeploy } from '../helpers/fake-codedeploy.js';
import { ALARM, ALIAS, createWorld, deadRecord, FN, resumeRequest } from './world.js';

const GROUP = { application: 'lshift-demo', group: 'demo-live' };

/** demo:live at 10% under CodeDeploy deployment `id`, its runner long gone. */
async function detached() {
  const w = createWorld();
  w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: { '2': 0.1 } });
  const codedeploy = new FakeCodeDeploy(w.clock, w.lambda);
  const id = await codedeploy.createDeployment({
    ...GROUP,
    config: 'CodeDeployDefault.LambdaLinear10PercentEvery1Minute',
    appSpec: buildAppSpec({ functionName: FN, alias: ALIAS, currentVersion: '1', targetVersion: '2' }),
  });
  w.store.seed(
    FN,
    ALIAS,
    deadRecord(w, {
      engine: 'codedeploy',
      codeDeployId: id,
      strategy: 'canary:10%:90m',
      stepIndex: 0,
      percent: 10,
    }),
  );
  const deps = {
    ...w.deps,
    deployments: codedeploy,
    codeDeploySplitDriver: (split: Parameters<typeof findCodeDeployDriver>[2]) =>
      findCodeDeployDriver(codedeploy, GROUP, split),
  };
  return { w, codedeploy, id, deps };
}

type Refusal = { code: string; exitCode: number; message: string; hint: string };
const refused = (run: Promise<unknown>) =>
  run.then(
    () => undefined,
    (e: unknown) => e as Refusal,
  );

describe('deploy --resume of a CodeDeploy deployment', () => {
  it('ended with its alias left split, nobody driving it: exit 4, STALLED and the rollback, as status says', async () => {
    const { w, codedeploy, id, deps } = await detached();
    await codedeploy.stopDeployment(id, false);
    const status = await getStatus({ ...w.deps, codedeploy }, { functionName: FN, alias: ALIAS, alarms: [] });
    expect(needsOperator(status)).toBe(true);
    expect(renderStatus(status)).toContain('with nobody to finish it');
    const writes = w.lambda.aliasWrites().length;
    const error = await refused(resumeDeploy(deps, resumeRequest()));
    expect(error).toMatchObject({ code: 'CODEDEPLOY_NOT_RESUMABLE', exitCode: 4 });
    expect(error?.message).toBe(
      `Deployment d-dead01 of demo alias live was run by AWS CodeDeploy (deployment ${id}), which has ended it (Stopped) and left the alias split: it routes version 1 (90%) + version 2 (10%) with nobody to finish it — \`lshift status demo --alias live\` calls it STALLED. --resume does not apply; nothing was written.`,
    );
    expect(error?.hint).toBe('`lshift rollback demo --alias live` puts all traffic back on version 1.');
    expect(w.lambda.aliasWrites().length).toBe(writes);
  });

  it('still running: exit 2, follow it', async () => {
    const { id, deps } = await detached();
    const error = await refused(resumeDeploy(deps, resumeRequest()));
    expect(error).toMatchObject({ code: 'CODEDEPLOY_NOT_RESUMABLE', exitCode: 2 });
    expect(error?.message).toContain('which carries on without lshift');
    expect(error?.hint).toContain(`\`lshift wait ${id}\``);
  });

  it('ended, its split driven by another deployment on its group: exit 2, not STALLED', async () => {
    const { codedeploy, id, deps } = await detached();
    await codedeploy.stopDeployment(id, false);
    codedeploy.startForeign(
      { ...GROUP, config: 'x', description: 'hotfix' },
      { functionName: FN, alias: ALIAS, currentVersion: '1', targetVersion: '2', weight: 0.1 },
    );
    const error = await refused(resumeDeploy(deps, resumeRequest()));
    expect(error).toMatchObject({ code: 'CODEDEPLOY_NOT_RESUMABLE', exitCode: 2 });
    expect(error?.message).not.toContain('STALLED');
  });

  // Its group is the one CodeDeploy names for it, not only the one preflight guesses (the config's
  // names, else lshift's defaults): run without that config, the guess finds no group.
  it('ended, driven by another deployment on the group it ran on, the guessed group empty: exit 2', async () => {
    const { codedeploy, id, deps } = await detached();
    await codedeploy.stopDeployment(id, false);
    codedeploy.startForeign(
      { ...GROUP, config: 'x', description: 'hotfix' },
      { functionName: FN, alias: ALIAS, currentVersion: '1', targetVersion: '2', weight: 0.1 },
    );
    const guessed = { ...deps, codeDeploySplitDriver: async () => undefined };
    const error = await refused(resumeDeploy(guessed, resumeRequest()));
    expect(error).toMatchObject({ code: 'CODEDEPLOY_NOT_RESUMABLE', exitCode: 2 });
  });

  it('CodeDeploy not answering: not known to be ended, exit 2 as before', async () => {
    const { codedeploy, id, deps } = await detached();
    await codedeploy.stopDeployment(id, false);
    codedeploy.getDeployment = async () => {
      throw new Error('ThrottlingException: Rate exceeded');
    };
    const error = await refused(resumeDeploy(deps, resumeRequest()));
    expect(error).toMatchObject({ code: 'CODEDEPLOY_NOT_RESUMABLE', exitCode: 2 });
  });
});

// Found while doing the above: status, check and this refusal offered the plain `lshift rollback`
// of a split that routes a version its deployment never wrote, which it refuses (RECORD_INVALID).
describe('a split CodeDeploy left that someone moved onto a version its deployment never wrote', () => {
  const TO =
    '`lshift rollback demo --alias live --to 1` puts all traffic back on version 1 (without --to it is refused: the split routes a version its deployment never wrote; its record is left open, and `lshift status demo --alias live` then says what closes it)';

  it('status, check and --resume offer the --to rollback, which works; the plain one is refused', async () => {
    const { w, codedeploy, id, deps } = await detached();
    await codedeploy.stopDeployment(id, false);
    w.lambda.addVersion(FN);
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: { '3': 0.55 } });
    const status = await getStatus({ ...w.deps, codedeploy }, { functionName: FN, alias: ALIAS, alarms: [] });
    expect(renderStatus(status)).toContain(`\n    ${TO}`);
    const check = await runCheck(
      { ...w.deps, store: w.store, codedeploy },
      { functionNames: [FN], alias: ALIAS, windowSeconds: 3600, alarms: [ALARM] },
    );
    expect(check.results[0]?.reason).toContain(`with nobody to finish it: ${TO}`);
    const error = await refused(resumeDeploy(deps, resumeRequest()));
    expect(error).toMatchObject({ code: 'CODEDEPLOY_NOT_RESUMABLE', exitCode: 4, hint: `${TO}.` });
    const rollbackDeps = { ...w.deps, codedeploy, store: w.store, owner: 'rollback:op@laptop:2' };
    const plain = await refused(
      rollbackClaimed(rollbackDeps, { functionName: FN, alias: ALIAS, reason: 'manual' }),
    );
    expect(plain?.code).toBe('RECORD_INVALID');
    await rollbackClaimed(rollbackDeps, { functionName: FN, alias: ALIAS, reason: 'manual', to: '1' });
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
  });
});
