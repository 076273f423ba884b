/**
 * `lshift status` of an unfinished CodeDeploy record whose deployment CodeDeploy no longer knows
 * (its application or deployment group was deleted: GetDeployment answers
 * DeploymentDoesNotExistException). It showed the record as if CodeDeploy still ran it ("follow it:
 * lshift wait d-…", exit 0); check and wait already said it is forgotten. Status asks CodeDeploy
 * for such a record only, and says what check and wait say: forgotten, where the alias is, the fix.
 */
import { describe, expect, it } from 'vitest';
import { renderStatus } from '../../src/cli/renderers/status-text.js';
import { buildAppSpec } from '../../src/domain/codedeploy-plan.js';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import { getStatus } from '../../src/engine/status.js';
import { expectValidResultOf } from '../helpers/contract.js';
import { FakeCodeDeploy } from '../helpers/fake-codedeploy.js';
import { ALIAS, createWorld, FN, type World } from './world.js';

function codeDeployRecord(w: World, overrides: Partial<DeploymentRecord> = {}): DeploymentRecord {
  return {
    id: 'd-cd0001',
    stableVersion: '1',
    targetVersion: '2',
    strategy: 'canary:10%:90m',
    stepIndex: 0,
    percent: 10,
    phase: 'paused',
    startedAt: w.start - 60_000,
    owner: 'ci@runner:1',
    heartbeatAt: w.start - 20_000,
    history: [],
    engine: 'codedeploy',
    codeDeployId: 'd-GONE12345',
    ...overrides,
  };
}

/** demo:live at 10% as `deploy --detach` leaves it: CodeDeploy runs `id`, slowly. */
async function splitWorld() {
  const w = createWorld();
  w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: { '2': 0.1 } });
  const codedeploy = new FakeCodeDeploy(w.clock, w.lambda);
  const id = await codedeploy.createDeployment({
    application: 'lshift-demo',
    group: 'demo-live',
    config: 'CodeDeployDefault.LambdaLinear10PercentEvery1Minute',
    appSpec: buildAppSpec({ functionName: FN, alias: ALIAS, currentVersion: '1', targetVersion: '2' }),
  });
  return { w, codedeploy, id };
}

describe('lshift status: a CodeDeploy deployment CodeDeploy no longer knows', () => {
  it('says it is forgotten, where the alias is and the fix, as wait and check do', async () => {
    const { w, codedeploy, id } = await splitWorld();
    codedeploy.deleteGroup('lshift-demo', 'demo-live');
    w.store.seed(FN, ALIAS, codeDeployRecord(w, { codeDeployId: id }));
    const status = await getStatus({ ...w.deps, codedeploy }, { functionName: FN, alias: ALIAS, alarms: [] });
    expect(status.record?.forgottenByCodeDeploy).toBe(true);
    expect(codedeploy.callsOf('getDeployment')).toHaveLength(1);
    const text = renderStatus(status);
    expect(text).toContain(
      `AWS CodeDeploy no longer knows deployment ${id} (DeploymentDoesNotExistException: its application or deployment group was deleted)`,
    );
    expect(text).toContain(
      'nothing drives alias live any more, and it is left at version 1 (90%) + version 2 (10%)',
    );
    expect(text).toContain(`\`lshift check ${FN} --alias ${ALIAS}\``);
    expect(text).toContain(`\`lshift rollback ${FN} --alias ${ALIAS}\` puts all traffic back on version 1`);
    expect(text).not.toContain('lshift wait');
  });

  it('one CodeDeploy still runs is shown as before; a finished record or a native one asks CodeDeploy nothing', async () => {
    const { w, codedeploy, id } = await splitWorld();
    w.store.seed(FN, ALIAS, codeDeployRecord(w, { codeDeployId: id }));
    const running = await getStatus(
      { ...w.deps, codedeploy },
      { functionName: FN, alias: ALIAS, alarms: [] },
    );
    expect(running.record?.forgottenByCodeDeploy).toBeUndefined();
    expect(renderStatus(running)).toContain(`follow it: \`lshift wait ${id}\``);
    codedeploy.calls.length = 0;
    for (const record of [
      codeDeployRecord(w, { phase: 'promoted', endedAt: w.start - 1000, percent: 100 }),
      codeDeployRecord(w, { engine: undefined, codeDeployId: undefined }),
    ]) {
      w.store.seed(FN, ALIAS, record);
      const status = await getStatus(
        { ...w.deps, codedeploy },
        { functionName: FN, alias: ALIAS, alarms: [] },
      );
      expect(status.record?.forgottenByCodeDeploy).toBeUndefined();
    }
    expect(codedeploy.callsOf('getDeployment')).toEqual([]);
  });

  // F10 (session 61): a `--detach`ed deployment read `paused, version 1 → 2, step 1 at 10%` while
  // CodeDeploy, on its own schedule, had the alias at 40%.
  it('one CodeDeploy runs is where CodeDeploy and the alias say, not at lshift’s step counter', async () => {
    const { w, codedeploy, id } = await splitWorld();
    w.store.seed(FN, ALIAS, codeDeployRecord(w, { codeDeployId: id }));
    // CodeDeploy took it on to 40% since lshift handed it over at 10%.
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: { '2': 0.4 } });
    const status = await getStatus({ ...w.deps, codedeploy }, { functionName: FN, alias: ALIAS, alarms: [] });
    expect(status.record?.codeDeployStatus).toBe('InProgress');
    expectValidResultOf('status', { schemaVersion: 4, ...status });
    const text = renderStatus(status);
    expect(text).toContain(
      `  deployment d-cd0001: run by AWS CodeDeploy, deployment ${id} InProgress, version 1 → 2 (canary:10%:90m): ` +
        "CodeDeploy moves the traffic on its own schedule; version 2 has 40% of the traffic as the alias routes now; lshift's record stays at step 1 (10%), where lshift handed it over\n",
    );
    expect(text).not.toContain('paused, version 1 → 2, step 1 at 10%');
    // A follower that stopped mid-shift: its record's step, named as the record's.
    w.store.seed(FN, ALIAS, codeDeployRecord(w, { codeDeployId: id, phase: 'shifting' }));
    const followed = renderStatus(
      await getStatus({ ...w.deps, codedeploy }, { functionName: FN, alias: ALIAS, alarms: [] }),
    );
    expect(followed).toMatch(
      /InProgress, version 1 → 2 \(canary:10%:90m\): CodeDeploy moves the traffic on its own schedule; version 2 has \d+% of the traffic as the alias routes now; lshift's record says shifting at step 1 \(10%\)\n/,
    );
    // CodeDeploy not answered: the record's own words, as before.
    codedeploy.getDeployment = async () => {
      throw new Error('ThrottlingException: Rate exceeded');
    };
    const unasked = renderStatus(
      await getStatus({ ...w.deps, codedeploy }, { functionName: FN, alias: ALIAS, alarms: [] }),
    );
    expect(unasked).toContain(
      '  deployment d-cd0001: shifting, version 1 → 2, step 1 at 10% (canary:10%:90m)',
    );
  });

  it('CodeDeploy that cannot be asked (throttled, denied) is said, never read as forgotten or running', async () => {
    const { w, codedeploy } = await splitWorld();
    codedeploy.getDeployment = async () => {
      throw new Error('AccessDeniedException: codedeploy:GetDeployment');
    };
    w.store.seed(FN, ALIAS, codeDeployRecord(w));
    const status = await getStatus({ ...w.deps, codedeploy }, { functionName: FN, alias: ALIAS, alarms: [] });
    expect(status.record?.forgottenByCodeDeploy).toBeUndefined();
    expect(status.record?.codeDeployError).toContain('AccessDeniedException');
    expect(renderStatus(status)).toContain('could not ask AWS CodeDeploy about it: AccessDeniedException');
  });

  it('one CodeDeploy stopped without rollback, its alias left split, is STALLED as check says, not "follow it"', async () => {
    const { w, codedeploy, id } = await splitWorld();
    await codedeploy.stopDeployment(id, false);
    w.store.seed(FN, ALIAS, codeDeployRecord(w, { codeDeployId: id }));
    const status = await getStatus({ ...w.deps, codedeploy }, { functionName: FN, alias: ALIAS, alarms: [] });
    expect(status.record?.leftSplitByCodeDeploy).toBe(true);
    expect(status.record?.codeDeployEnded).toContain(`CodeDeploy deployment ${id} Stopped`);
    const text = renderStatus(status);
    expect(text).toContain(
      `STALLED: CodeDeploy deployment ${id} Stopped: The deployment was stopped by the user`,
    );
    expect(text).toContain('alias live routes version 1 (90%) + version 2 (10%) with nobody to finish it');
    expect(text).toContain(`\`lshift rollback ${FN} --alias ${ALIAS}\` puts all traffic back on version 1`);
    expect(text).not.toContain('lshift wait');
  });

  // Found by a hostile pass: a hotfix deployment on the same group drove the split, and status
  // said STALLED, "nobody to finish it", with a rollback that would write beside it.
  it('ended, its alias split by another deployment running on its group: names that one, not STALLED', async () => {
    const { w, codedeploy, id } = await splitWorld();
    await codedeploy.stopDeployment(id, false);
    // Its AppSpec moves this alias between the split's versions (codedeploy-split-rule.ts).
    const other = codedeploy.startForeign(
      { application: 'lshift-demo', group: 'demo-live', config: 'x', description: 'hotfix' },
      { functionName: FN, alias: ALIAS, currentVersion: '1', targetVersion: '2', weight: 0.1 },
    );
    w.store.seed(FN, ALIAS, codeDeployRecord(w, { codeDeployId: id }));
    const status = await getStatus({ ...w.deps, codedeploy }, { functionName: FN, alias: ALIAS, alarms: [] });
    expect(status.record?.leftSplitByCodeDeploy).toBeUndefined();
    expect(status.record?.splitByOtherDeployment).toBe(`${other} (InProgress, "hotfix")`);
    const text = renderStatus(status);
    expect(text).toContain(
      `driven by another CodeDeploy deployment on its group: ${other} (InProgress, "hotfix")`,
    );
    expect(text).toContain(`follow it with \`lshift wait ${other} --on-interrupt leave\``);
    expect(text).not.toContain('STALLED');
  });

  it('one CodeDeploy ended with its alias all on one version is not stalled', async () => {
    const { w, codedeploy, id } = await splitWorld();
    await codedeploy.stopDeployment(id, true);
    w.store.seed(FN, ALIAS, codeDeployRecord(w, { codeDeployId: id }));
    const status = await getStatus({ ...w.deps, codedeploy }, { functionName: FN, alias: ALIAS, alarms: [] });
    expect(status.record?.leftSplitByCodeDeploy).toBeUndefined();
    expect(status.record?.codeDeployEnded).toContain(`CodeDeploy deployment ${id} Stopped`);
    expect(renderStatus(status)).toContain(
      `engine: AWS CodeDeploy, deployment ${id} (ended: CodeDeploy deployment ${id} Stopped: The deployment was stopped by the user`,
    );
    expect(renderStatus(status)).toContain(`\`lshift wait ${id}\` closes its record`);
  });

  it('one that ended between the alias read and CodeDeploy’s answer is judged on the alias read after it, not the older split', async () => {
    const { w, codedeploy, id } = await splitWorld();
    w.store.seed(FN, ALIAS, codeDeployRecord(w, { codeDeployId: id }));
    // CodeDeploy finishes the shift unseen: the alias read before GetDeployment still shows 10%.
    await w.clock.advance(20 * 60_000);
    const status = await getStatus({ ...w.deps, codedeploy }, { functionName: FN, alias: ALIAS, alarms: [] });
    expect(status.record?.leftSplitByCodeDeploy).toBeUndefined();
    expect(status.record?.codeDeployEnded).toContain(`CodeDeploy deployment ${id} Succeeded`);
    expect(status).toMatchObject({ functionVersion: '2', additionalWeights: {}, split: false });
  });
});

/**
 * Ended in CodeDeploy while the run that follows it still lives (a deploy in its settle wait):
 * status said "(ended: …; `lshift wait d-…` closes its record)", while that run closes it itself
 * and a wait beside it leaves it open (follow-live-owner.ts). Found by h1, session 60.
 */
describe('status of a CodeDeploy deployment that ended under a live follower', () => {
  async function endedWorld(heartbeatAgoMs: number) {
    const { w, codedeploy, id } = await splitWorld();
    await w.clock.advance(20 * 60_000);
    w.store.seed(
      FN,
      ALIAS,
      codeDeployRecord(w, {
        codeDeployId: id,
        phase: 'shifting',
        heartbeatAt: w.clock.now() - heartbeatAgoMs,
      }),
    );
    const status = await getStatus({ ...w.deps, codedeploy }, { functionName: FN, alias: ALIAS, alarms: [] });
    return { id, status };
  }

  it('a fresh heartbeat: that run closes the record, not `lshift wait`', async () => {
    const { id, status } = await endedWorld(5_000);
    expect(status.record?.codeDeployEnded).toBe(`CodeDeploy deployment ${id} Succeeded`);
    expect(status.record?.codeDeployEndedFollower).toBe('ci@runner:1, heartbeat 5s ago');
    expectValidResultOf('status', { schemaVersion: 4, ...status });
    const text = renderStatus(status);
    expect(text).toContain(
      `engine: AWS CodeDeploy, deployment ${id} (ended: CodeDeploy deployment ${id} Succeeded; the run that follows it closes its record: ci@runner:1, heartbeat 5s ago)`,
    );
    expect(text).not.toContain('lshift wait');
  });

  it('a stale heartbeat (nobody follows it): `lshift wait` closes its record, as before', async () => {
    const { id, status } = await endedWorld(10 * 60_000);
    expect(status.record?.codeDeployEndedFollower).toBeUndefined();
    expect(renderStatus(status)).toContain(
      `(ended: CodeDeploy deployment ${id} Succeeded; \`lshift wait ${id}\` closes its record)`,
    );
  });
});

/**
 * Ended in CodeDeploy, its record still open and its follower gone (a deploy killed mid-follow):
 * the deployment line read `shifting, version 1 → 2, step 1 at 10%` under `all traffic on version
 * 2`, and its STALE line "its runner seems to have died (its process 41 no longer runs on this
 * machine)" (found by a hand pass, session 62).
 */
describe('status of a CodeDeploy deployment that ended after its follower was killed', () => {
  it('its line says CodeDeploy ended it and where the alias is; its follower is gone, not "seems to have died"', async () => {
    const { w, codedeploy, id } = await splitWorld();
    await w.clock.advance(20 * 60_000);
    const owner = 'ann@host-a:41/3f9a1c2e';
    w.store.seed(
      FN,
      ALIAS,
      codeDeployRecord(w, {
        codeDeployId: id,
        phase: 'shifting',
        owner,
        heartbeatAt: w.clock.now() - 600_000,
      }),
    );
    const status = await getStatus(
      {
        ...w.deps,
        codedeploy,
        checkOwner: 'check:ann@host-a:97/3f9a1c2e',
        processes: { isRunning: (pid) => pid === 97 },
      },
      { functionName: FN, alias: ALIAS, alarms: [] },
    );
    const text = renderStatus(status);
    expect(text).toContain(
      `deployment d-cd0001: run by AWS CodeDeploy, whose deployment ${id} has ended, version 1 → 2 (canary:10%:90m): all traffic is on version 2 as the alias routes now; lshift's record still says shifting at step 1 (10%)`,
    );
    expect(text).not.toMatch(/step 1 at 10%/);
    expect(text).toContain('STALE: its follower is gone (its process 41 no longer runs on this machine)');
    expect(text).not.toContain('seems to have died');
    expect(text).toContain(
      `(ended: CodeDeploy deployment ${id} Succeeded; \`lshift wait ${id}\` closes its record)`,
    );
  });
});
