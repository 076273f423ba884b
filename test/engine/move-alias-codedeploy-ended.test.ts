/**
 * `lshift alias` over an unfinished CodeDeploy record whose deployment AWS CodeDeploy says has
 * ended (move-alias-codedeploy-ended.ts). It was refused whatever CodeDeploy said
 * (CODEDEPLOY_DEPLOYMENT_RUNNING, "runs on AWS CodeDeploy"), the only ways out `lshift wait` and
 * `lshift rollback` (session 67's note). Now it goes ahead when nothing of CodeDeploy's moves the
 * alias any more: ended, and no CodeDeploy rollback of it running.
 */
import { describe, expect, it } from 'vitest';
import { buildAppSpec } from '../../src/domain/codedeploy-plan.js';
import { OperationError } from '../../src/domain/errors.js';
import { CLOCK_SKEW_ALLOWANCE_MS } from '../../src/engine/follow-schedule.js';
import { moveAlias } from '../../src/engine/move-alias.js';
import {
  judgeRollbackWindow,
  ROLLBACK_START_GRACE_MS,
} from '../../src/engine/move-alias-codedeploy-ended.js';
import type { DeploymentInfo } from '../../src/ports/codedeploy.js';
import { FakeCodeDeploy } from '../helpers/fake-codedeploy.js';
import { ALIAS, createWorld, deadRecord, FN, leaveDeployment } from './world.js';

async function cdWorld(rollbackMs = 0) {
  const w = createWorld();
  w.lambda.addVersion(FN);
  const codedeploy = new FakeCodeDeploy(w.clock, w.lambda);
  if (rollbackMs > 0) codedeploy.slowRollbacks(rollbackMs);
  const id = await codedeploy.createDeployment({
    application: 'lshift-demo',
    group: 'demo-live',
    config: 'CodeDeployDefault.LambdaCanary10Percent15Minutes',
    appSpec: buildAppSpec({ functionName: FN, alias: ALIAS, currentVersion: '1', targetVersion: '2' }),
  });
  leaveDeployment(w, deadRecord(w, { engine: 'codedeploy', phase: 'paused', codeDeployId: id }), 10);
  await w.clock.advance(60_000);
  const moveTo = (version: string) =>
    moveAlias(
      { lambda: w.lambda, store: w.store, clock: w.clock, codedeploy },
      { functionName: FN, alias: ALIAS, version },
    );
  return { w, codedeploy, id, moveTo };
}

describe('lshift alias over a CodeDeploy record whose deployment has ended', () => {
  it('Stopped without rollback (the split left): moved, the record closed by hand, the deployment named', async () => {
    const { w, codedeploy, id, moveTo } = await cdWorld();
    await codedeploy.stopDeployment(id, false);
    await w.clock.advance(ROLLBACK_START_GRACE_MS + CLOCK_SKEW_ALLOWANCE_MS);
    const moved = await moveTo('3');

    // Before: CODEDEPLOY_DEPLOYMENT_RUNNING, exit 5, nothing written.
    expect(moved).toMatchObject({ changed: true, endedCodeDeploy: { id, status: 'Stopped' } });
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '3', additionalWeights: {} });
    expect(moved.endedDeployment).toMatchObject({
      phase: 'rolled-back',
      endReason: 'moved by hand to version 3',
    });
  });

  it('Succeeded: moved back to version 1, the record closed by hand', async () => {
    const { w, codedeploy, id, moveTo } = await cdWorld();
    await w.clock.advance(15 * 60_000);
    expect((await codedeploy.getDeployment(id)).status).toBe('Succeeded');
    const moved = await moveTo('1');
    expect(moved.endedCodeDeploy).toEqual({ id, status: 'Succeeded' });
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
    expect(w.store.peek(FN, ALIAS)?.endedAt).toBeDefined();
  });

  it('Stopped, CodeDeploy’s rollback of it still running: refused (exit 5), saying so, nothing written', async () => {
    const { w, codedeploy, id, moveTo } = await cdWorld(120_000);
    await codedeploy.stopDeployment(id, true);
    const alias = w.lambda.peekAlias(FN, ALIAS);
    const error = await moveTo('3').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CODEDEPLOY_DEPLOYMENT_RUNNING', exitCode: 5 });
    expect((error as Error).message).toContain(
      `ran on AWS CodeDeploy (${id}), which says it ended Stopped, but AWS CodeDeploy's rollback deployment ${id}-rb of it is InProgress: it puts the alias back on its own and would undo a move by hand; nothing was written.`,
    );
    expect((error as { hint: string }).hint).toContain(`lshift wait ${id}`);
    expect(w.lambda.peekAlias(FN, ALIAS)).toEqual(alias);
    expect(w.store.peek(FN, ALIAS)?.endedAt).toBeUndefined();
  });

  it('its rollback found only among the group’s unfinished deployments (not yet in its rollbackInfo): refused', async () => {
    const { w, codedeploy, id, moveTo } = await cdWorld(120_000);
    await codedeploy.stopDeployment(id, true);
    const get = codedeploy.getDeployment.bind(codedeploy);
    codedeploy.getDeployment = async (at: string) => {
      const info = await get(at);
      return at === id ? { ...info, rollback: undefined } : info;
    };
    const error = await moveTo('3').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CODEDEPLOY_DEPLOYMENT_RUNNING' });
    expect((error as Error).message).toContain(`rollback deployment ${id}-rb of it is InProgress`);
    expect(w.lambda.peekAlias(FN, ALIAS)?.functionVersion).not.toBe('3');
  });

  it('the group’s deployments unreadable: refused, saying what could not be read', async () => {
    const { w, codedeploy, id, moveTo } = await cdWorld();
    await codedeploy.stopDeployment(id, false);
    codedeploy.listActiveDeployments = async () => {
      throw new OperationError('ACCESS_DENIED', 'codedeploy:ListDeployments: not authorized');
    };
    const error = await moveTo('3').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CODEDEPLOY_DEPLOYMENT_RUNNING' });
    expect((error as Error).message).toContain(
      'could not be read: ACCESS_DENIED: codedeploy:ListDeployments: not authorized',
    );
    expect(w.store.peek(FN, ALIAS)?.endedAt).toBeUndefined();
  });
});

describe('lshift alias just after a stop or failure with no rollback named yet (CodeDeploy may still create it)', () => {
  it('Stopped a moment ago, no rollback of it named or running: refused with when to retry, nothing written', async () => {
    const { w, codedeploy, id, moveTo } = await cdWorld();
    await codedeploy.stopDeployment(id, false);
    const stoppedAt = w.clock.now();
    await w.clock.advance(30_000);
    const alias = w.lambda.peekAlias(FN, ALIAS);
    const error = await moveTo('3').catch((e: unknown) => e);

    // Before: moved (endedCodeDeploy), and a rollback CodeDeploy created a moment later moved the alias over it.
    expect(error).toMatchObject({ code: 'CODEDEPLOY_DEPLOYMENT_RUNNING', exitCode: 5 });
    expect((error as Error).message).toContain(
      'which says it ended Stopped, but it ended 30 s ago and CodeDeploy names no rollback of it yet',
    );
    expect((error as { hint: string }).hint).toContain(
      `Run this again after ${new Date(stoppedAt + ROLLBACK_START_GRACE_MS + CLOCK_SKEW_ALLOWANCE_MS).toISOString()}`,
    );
    expect(w.lambda.peekAlias(FN, ALIAS)).toEqual(alias);
    expect(w.store.peek(FN, ALIAS)?.endedAt).toBeUndefined();
  });

  it('its rollback created inside the window: the retry then finds it running and refuses', async () => {
    const { w, codedeploy, id, moveTo } = await cdWorld(600_000);
    await codedeploy.stopDeployment(id, false);
    await expect(moveTo('3')).rejects.toMatchObject({ code: 'CODEDEPLOY_DEPLOYMENT_RUNNING' });
    // CodeDeploy's late rollback of the stop (autoRollbackEnabled) appears: the fake starts it now.
    codedeploy.startLateRollback(id);
    await w.clock.advance(ROLLBACK_START_GRACE_MS + CLOCK_SKEW_ALLOWANCE_MS);
    const error = await moveTo('3').catch((e: unknown) => e);
    expect((error as Error).message).toContain(`rollback deployment ${id}-rb of it is InProgress`);
  });
});

describe('judgeRollbackWindow', () => {
  const ended = 1_000_000;
  const info = (status: DeploymentInfo['status'], completedAt?: number): DeploymentInfo => ({
    id: 'd-1',
    status,
    ...(completedAt === undefined ? {} : { completedAt }),
  });
  it.each([
    ['Stopped just now', info('Stopped', ended), ended, false],
    ['Failed 4 min ago', info('Failed', ended), ended + 4 * 60_000, false],
    // A clock a minute fast must not end the window early (F5): 5 minutes and the skew allowance.
    ['Stopped 5 min ago', info('Stopped', ended), ended + ROLLBACK_START_GRACE_MS, false],
    [
      'Stopped 6 min ago',
      info('Stopped', ended),
      ended + ROLLBACK_START_GRACE_MS + CLOCK_SKEW_ALLOWANCE_MS,
      true,
    ],
    ['Failed, completeTime unread', info('Failed'), ended, false],
    ['Stopped, no clock', info('Stopped', ended), undefined, false],
    ['Succeeded just now (never rolled back)', info('Succeeded', ended), ended, true],
  ] as const)('%s: free %s', (_name, d, now, free) => {
    expect(judgeRollbackWindow(d, now).free).toBe(free);
  });
});
