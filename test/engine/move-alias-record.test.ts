/**
 * `lshift alias` on an alias a deployment left split ends that deployment's record honestly
 * (issue 9): later deploys are not refused as "in progress", and the history is kept.
 */

import { describe, expect, it } from 'vitest';
import { describeReason } from '../../src/cli/describe-outcome.js';
import { buildAppSpec } from '../../src/domain/codedeploy-plan.js';
import { OperationError } from '../../src/domain/errors.js';
import { moveAlias } from '../../src/engine/move-alias.js';
import { runPreflight } from '../../src/engine/preflight.js';
import { rollbackDeployment } from '../../src/engine/rollback.js';
import { FakeCodeDeploy } from '../helpers/fake-codedeploy.js';
import { ALARM, ALIAS, createWorld, deadRecord, FN, leaveDeployment, type World } from './world.js';

function move(w: World, version: string) {
  return moveAlias(
    { lambda: w.lambda, store: w.store, clock: w.clock },
    { functionName: FN, alias: ALIAS, version },
  );
}

describe('moveAlias and the deployment record', () => {
  // Found by a hostile pass: the alias moved by hand after the runner died; `lshift status` said
  // `lshift alias fn live 5` records it, but that no-op said "nothing changed" and left the record
  // `shifting` (every check: STALLED). Now it writes the same routing again (a runner only cut
  // off from its record meets a 412) and closes the record.
  it('the alias already there, the deployment abandoned: the same routing written again, the record closed', async () => {
    const w = createWorld();
    leaveDeployment(w, deadRecord(w, { history: ['1'] }), 50);
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: {} });
    const before = w.lambda.peekAlias(FN, ALIAS)!.revisionId;
    const moved = await move(w, '1');

    expect(moved.changed).toBe(false);
    expect(moved.endedDeployment).toMatchObject({
      id: 'd-dead01',
      phase: 'rolled-back',
      endReason: 'moved by hand',
    });
    expect(w.lambda.aliasWrites()).toEqual([
      expect.objectContaining({ functionVersion: '1', additionalWeights: {}, revisionId: before }),
    ]);
    expect(w.lambda.peekAlias(FN, ALIAS)!.revisionId).not.toBe(before);
  });

  // The close is the seal too (record-end-write.ts): a late open write of the runner it closed
  // (its token, a verb's copy of its record) is read as the close, not as the runner's last seal.
  it('the close is written as the seal too, under a token of its own: a late write of the dead runner reads as closed', async () => {
    const w = createWorld();
    const dead = deadRecord(w, { history: ['1'], runnerToken: 'runa01' });
    leaveDeployment(w, dead, 50);
    w.store.seedAsWritten(FN, ALIAS, { ...dead, phase: 'paused' }, { keepRunnerToken: true, seal: 'also' });
    const moved = await move(w, '2');
    expect(moved.endedDeployment).toMatchObject({ phase: 'promoted', endReason: 'moved by hand' });
    const seal = w.store.peekSeal(FN, ALIAS)!;
    expect(seal).toMatchObject({ id: 'd-dead01', phase: 'promoted', endReason: 'moved by hand' });
    expect(seal.runnerToken).toMatch(/^[0-9a-z]{6}$/);
    expect(seal.runnerToken).not.toBe('runa01');
    expect(w.store.peek(FN, ALIAS)?.runnerToken).toBeUndefined();

    await w.store.write(FN, ALIAS, dead, { keepRunnerToken: true });
    expect(await w.store.read(FN, ALIAS)).toMatchObject({ phase: 'promoted', endReason: 'moved by hand' });
  });

  it('the alias already there, the deployment alive (fresh heartbeat): nothing written, the record left', async () => {
    const w = createWorld();
    leaveDeployment(w, deadRecord(w, { heartbeatAt: w.clock.now() - 5_000 }), 50);
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: {} });
    const moved = await move(w, '1');

    expect(moved.endedDeployment).toBeUndefined();
    expect(w.lambda.aliasWrites()).toEqual([]);
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'shifting' });
  });

  it('ends a split deployment moved back to its stable version as rolled back, moved by hand', async () => {
    const w = createWorld();
    leaveDeployment(w, deadRecord(w, { history: ['1'] }), 50);
    const moved = await move(w, '1');

    expect(moved.endedDeployment).toMatchObject({
      id: 'd-dead01',
      phase: 'rolled-back',
      endReason: 'moved by hand',
    });
    expect(w.store.peek(FN, ALIAS)).toMatchObject({
      phase: 'rolled-back',
      percent: 0,
      endReason: 'moved by hand',
      endedAt: w.start,
      history: ['1'],
    });
    // A new deployment is no longer refused (DEPLOYMENT_STALE, exit 5) by the abandoned one.
    const pre = await runPreflight(w.deps, {
      functionName: FN,
      alias: ALIAS,
      targetVersion: '2',
      alarms: [ALARM],
    });
    expect(pre.stableVersion).toBe('1');
    // And a rollback says there is nothing to do, rather than going further back.
    const rollback = await rollbackDeployment(w.deps, { functionName: FN, alias: ALIAS, reason: 'manual' });
    expect(rollback).toMatchObject({ status: 'nothing_to_deploy' });
    expect(describeReason(rollback)).toContain('was already closed (moved by hand)');
  });

  it('records a move to the target as promoted, and a move elsewhere names the version', async () => {
    const w = createWorld();
    leaveDeployment(w, deadRecord(w), 50);
    await move(w, '2');
    expect(w.store.peek(FN, ALIAS)).toMatchObject({
      phase: 'promoted',
      percent: 100,
      endReason: 'moved by hand',
    });

    const w2 = createWorld();
    w2.lambda.addVersion(FN);
    leaveDeployment(w2, deadRecord(w2), 50);
    await move(w2, '3');
    expect(w2.store.peek(FN, ALIAS)).toMatchObject({
      phase: 'rolled-back',
      endReason: 'moved by hand to version 3',
    });
  });

  it('leaves a finished record alone, and reports (not throws) a record it cannot write', async () => {
    const w = createWorld();
    leaveDeployment(w, deadRecord(w, { phase: 'promoted', percent: 100, endedAt: w.start - 1000 }), 100);
    await move(w, '1');
    expect(w.store.writes).toHaveLength(0);

    const w2 = createWorld();
    leaveDeployment(w2, deadRecord(w2), 50);
    w2.store.failWrites(new Error('AccessDenied: lambda:TagResource'));
    const moved = await move(w2, '1');
    expect(moved.changed).toBe(true);
    expect(moved.recordWarning).toContain('could not be closed (it still says shifting)');
  });
});

// Seen in a hostile pass: `lshift alias` moved an alias past a finished record silently, and only
// `lshift status` then said MOVED SINCE. The move reports the record it left behind.
describe('moveAlias past a finished record', () => {
  it('reports the record, and the version it says, when the move takes the alias elsewhere; writes nothing', async () => {
    const w = createWorld();
    leaveDeployment(w, deadRecord(w, { phase: 'promoted', percent: 100, endedAt: w.start - 1000 }), 100);
    const moved = await move(w, '1');
    expect(moved.movedPastRecord).toMatchObject({ record: { id: 'd-dead01' }, leftOnVersion: '2' });
    expect(moved.endedDeployment).toBeUndefined();
    expect(w.store.writes).toHaveLength(0);
  });

  it('says nothing when the move puts the alias where the record says', async () => {
    const w = createWorld();
    w.lambda.addVersion(FN);
    leaveDeployment(w, deadRecord(w, { phase: 'promoted', percent: 100, endedAt: w.start - 1000 }), 100);
    expect((await move(w, '3')).movedPastRecord).toEqual({ record: expect.anything(), leftOnVersion: '2' });
    expect((await move(w, '2')).movedPastRecord).toBeUndefined();
  });
});

// `lshift alias` while a detached CodeDeploy deployment ran wrote the alias and closed the record
// "moved by hand"; CodeDeploy then promoted the new version at its next step under a record that
// said rolled back, and `check` skipped it (seen against the sandbox).
describe('moveAlias beside a CodeDeploy deployment', () => {
  it.each([
    [
      'a detached one (paused)',
      { phase: 'paused' as const, codeDeployId: 'd-CD12345' },
      /lshift wait d-CD12345/,
    ],
    [
      'one whose follower died',
      { phase: 'shifting' as const, codeDeployId: 'd-CD12345' },
      /lshift wait d-CD12345/,
    ],
    ['one whose id was never recorded', { phase: 'started' as const }, /lshift rollback demo --alias live/],
  ])('%s: refused (exit 5), nothing written', async (_, fields, fix) => {
    const w = createWorld();
    leaveDeployment(w, deadRecord(w, { engine: 'codedeploy', ...fields }), 10);
    const record = w.store.peek(FN, ALIAS);
    const alias = w.lambda.peekAlias(FN, ALIAS);
    const error = await move(w, '1').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CODEDEPLOY_DEPLOYMENT_RUNNING', exitCode: 5 });
    expect((error as { hint: string }).hint).toMatch(fix);
    // A detached deployment is CodeDeploy's, shifting on: "paused" read as if nothing moved it.
    expect((error as { message: string }).message).not.toMatch(/, paused\)/);
    if (fields.phase === 'paused')
      expect((error as { message: string }).message).toContain(
        '(d-CD12345, left to CodeDeploy by --detach, which goes on shifting)',
      );
    expect(w.lambda.peekAlias(FN, ALIAS)).toEqual(alias);
    expect(w.store.peek(FN, ALIAS)).toEqual(record);
  });

  it('a CodeDeploy record that ended is no obstacle', async () => {
    const w = createWorld();
    const ended = deadRecord(w, {
      engine: 'codedeploy',
      codeDeployId: 'd-CD1',
      phase: 'promoted',
      percent: 100,
    });
    leaveDeployment(w, ended, 100);
    const moved = await move(w, '1');
    expect(moved.changed).toBe(true);
  });
});

/**
 * A CodeDeploy record whose deployment CodeDeploy no longer knows (its group deleted): nothing
 * else can close such a record — `check` skips it for ever once the alias is on a third version —
 * so `lshift alias` goes ahead when GetDeployment answers DeploymentDoesNotExistException, and
 * closes it as it closes a native record moved by hand. Any other answer still refuses.
 */
describe('moveAlias beside a CodeDeploy deployment CodeDeploy may no longer know', () => {
  async function cdWorld() {
    const w = createWorld();
    w.lambda.addVersion(FN);
    const codedeploy = new FakeCodeDeploy(w.clock, w.lambda);
    const id = await codedeploy.createDeployment({
      application: 'lshift-demo',
      group: 'demo-live',
      config: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
      appSpec: buildAppSpec({ functionName: FN, alias: ALIAS, currentVersion: '1', targetVersion: '2' }),
    });
    leaveDeployment(w, deadRecord(w, { engine: 'codedeploy', phase: 'paused', codeDeployId: id }), 10);
    const moveTo = (version: string) =>
      moveAlias(
        { lambda: w.lambda, store: w.store, clock: w.clock, codedeploy },
        { functionName: FN, alias: ALIAS, version },
      );
    return { w, codedeploy, id, moveTo };
  }

  it('its group deleted (DeploymentDoesNotExistException): moved to a third version, the record closed by hand', async () => {
    const { w, codedeploy, id, moveTo } = await cdWorld();
    codedeploy.deleteGroup('lshift-demo', 'demo-live');
    const moved = await moveTo('3');

    expect(codedeploy.callsOf('getDeployment').map((c) => c.args)).toEqual([[id]]);
    expect(moved).toMatchObject({ changed: true, forgottenCodeDeploy: id });
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '3', additionalWeights: {} });
    expect(moved.endedDeployment).toMatchObject({
      phase: 'rolled-back',
      endReason: 'moved by hand to version 3',
    });
    expect(w.store.peek(FN, ALIAS)).toMatchObject({
      phase: 'rolled-back',
      endReason: 'moved by hand to version 3',
    });
  });

  it('its group deleted: moved to the target, the record closed as promoted by hand', async () => {
    const { w, codedeploy, moveTo } = await cdWorld();
    codedeploy.deleteGroup('lshift-demo', 'demo-live');
    await moveTo('2');
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'promoted', endReason: 'moved by hand' });
  });

  it('its group deleted, the alias already moved to a third version by other means: nothing written to the alias, the record closed', async () => {
    const { w, codedeploy, id, moveTo } = await cdWorld();
    codedeploy.deleteGroup('lshift-demo', 'demo-live');
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '3', additionalWeights: {} });
    const writes = w.lambda.aliasWrites().length;
    const moved = await moveTo('3');

    expect(moved).toMatchObject({ changed: false, forgottenCodeDeploy: id });
    expect(w.lambda.aliasWrites()).toHaveLength(writes);
    expect(w.store.peek(FN, ALIAS)).toMatchObject({
      phase: 'rolled-back',
      endReason: 'moved by hand to version 3',
    });
  });

  it('CodeDeploy still knows it, the alias already on the version asked: nothing changed, the record left as it is', async () => {
    const { w, codedeploy, moveTo } = await cdWorld();
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '3', additionalWeights: {} });
    const moved = await moveTo('3');
    expect(moved.changed).toBe(false);
    expect(moved.forgottenCodeDeploy).toBeUndefined();
    expect(codedeploy.callsOf('getDeployment')).toHaveLength(1);
    expect(w.store.peek(FN, ALIAS)?.phase).toBe('paused');
  });

  it('CodeDeploy still knows it (InProgress): refused (exit 5), nothing written', async () => {
    const { w, moveTo } = await cdWorld();
    const alias = w.lambda.peekAlias(FN, ALIAS);
    const error = await moveTo('3').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CODEDEPLOY_DEPLOYMENT_RUNNING', exitCode: 5 });
    expect(w.lambda.peekAlias(FN, ALIAS)).toEqual(alias);
    expect(w.store.peek(FN, ALIAS)?.phase).toBe('paused');
  });

  it('GetDeployment unreadable: refused (exit 5), saying CodeDeploy could not be asked, nothing written', async () => {
    const { w, codedeploy, moveTo } = await cdWorld();
    codedeploy.getDeployment = async () => {
      throw new OperationError('ACCESS_DENIED', 'codedeploy:GetDeployment: not authorized');
    };
    const alias = w.lambda.peekAlias(FN, ALIAS);
    const error = await moveTo('3').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CODEDEPLOY_DEPLOYMENT_RUNNING', exitCode: 5 });
    expect((error as Error).message).toContain('not authorized');
    expect(w.lambda.peekAlias(FN, ALIAS)).toEqual(alias);
    expect(w.store.peek(FN, ALIAS)?.phase).toBe('paused');
  });
});
