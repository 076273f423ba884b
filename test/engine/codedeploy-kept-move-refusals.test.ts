/**
 * A kept-move record whose stop WITHOUT rollback landed after its run died (KEPT BY HAND: CodeDeploy
 * Stopped, no rollback, the person's move still on the alias). Found by a hostile pass (session 66,
 * F3): status offered `lshift wait`, but a deploy (DEPLOYMENT_STALE), `--resume`
 * (CODEDEPLOY_NOT_RESUMABLE) and the operator verbs (DEPLOYMENT_STALE) offered the stop without
 * rollback "while CodeDeploy still runs it" — AWS refuses it (DeploymentAlreadyCompletedException)
 * — and the verbs said CodeDeploy "goes on shifting". They read the deployment (one GetDeployment)
 * where they read the alias, and offer what status offers.
 */
import { describe, expect, it } from 'vitest';
import { OperationError } from '../../src/domain/errors.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { sendOperatorCommand } from '../../src/engine/operator-send.js';
import { KEEP_MOVE_UNCONFIRMED_REASON } from '../../src/engine/record-view.js';
import { resumeDeploy } from '../../src/engine/resume.js';
import { codeDeployWorld } from './codedeploy-world.js';
import { ALIAS, canary, FN, request, resumeRequest } from './world.js';

/** The deploy's stop refused, then taken late (its run gone): CodeDeploy Stopped, the move kept. */
async function keptByHand() {
  const w = codeDeployWorld('Canary10Percent15Minutes');
  const realStop = w.codedeploy.stopDeployment.bind(w.codedeploy);
  w.codedeploy.stopDeployment = async () => {
    throw new OperationError('ACCESS_DENIED', 'Access denied: codedeploy:StopDeployment', {});
  };
  w.lambda.moveAliasAt(w.start + 120_000, FN, ALIAS, {
    functionVersion: '1',
    additionalWeights: { '2': 0.5 },
  });
  expect((await runDeploy(w.deps, request(canary(10, 900)))).status).toBe('unsafe');
  expect(w.store.peek(FN, ALIAS)).toMatchObject({ endReason: KEEP_MOVE_UNCONFIRMED_REASON });
  w.codedeploy.stopDeployment = realStop;
  expect(await realStop('d-FAKE1', false)).toBe('stopping');
  expect((await w.codedeploy.getDeployment('d-FAKE1')).status).toBe('Stopped');
  // Its heartbeat long stale.
  await w.clock.advance(10 * 60_000);
  return w;
}

function expectKeptWays(hint: string) {
  expect(hint).toContain('that stop has since ended (CodeDeploy Stopped, no rollback) and the move was kept');
  expect(hint).toContain('`lshift wait d-FAKE1` closes its record as moved by hand');
  expect(hint).toContain("`lshift rollback demo --alias live` undoes the person's move");
  expect(hint).not.toContain('stop-deployment');
}

describe('refusals of a KEPT BY HAND record offer what status offers', () => {
  it('deploy: DEPLOYMENT_STALE with `lshift wait`, no stop AWS refuses', async () => {
    const w = await keptByHand();
    const error = await runDeploy({ ...w.deps, deployments: w.codedeploy }, request(canary(10, 900))).then(
      () => undefined,
      (e: unknown) => e as { code: string; hint: string },
    );
    expect(error?.code).toBe('DEPLOYMENT_STALE');
    expectKeptWays(error?.hint ?? '');
  });

  it('--resume: CODEDEPLOY_NOT_RESUMABLE with `lshift wait`, no stop AWS refuses', async () => {
    const w = await keptByHand();
    const error = await resumeDeploy({ ...w.deps, deployments: w.codedeploy }, resumeRequest()).then(
      () => undefined,
      (e: unknown) => e as { code: string; exitCode: number; hint: string },
    );
    expect(error?.code).toBe('CODEDEPLOY_NOT_RESUMABLE');
    // CodeDeploy ended it (Stopped) with the move's split left: nobody drives it (status: exit 4).
    expect(error?.exitCode).toBe(4);
    expectKeptWays(error?.hint ?? '');
  });

  it('pause (follower gone): not "goes on shifting", `lshift wait` offered', async () => {
    const w = await keptByHand();
    // Its runner's process, on this machine (its token), no longer runs.
    const record = w.store.peek(FN, ALIAS);
    if (!record) throw new Error('no record');
    w.store.seed(FN, ALIAS, {
      ...record,
      owner: 'ann@laptop:41/3f9a1c2e',
      heartbeatAt: w.clock.now() - 5_000,
    });
    const error = await sendOperatorCommand(
      {
        store: w.store,
        clock: w.clock,
        random: () => 0.5,
        processes: { isRunning: () => false },
        aliases: w.lambda,
        deployments: w.codedeploy,
      },
      { functionName: FN, alias: ALIAS, verb: 'pause', by: 'ann@laptop:9/3f9a1c2e', waitSeconds: 20 },
    ).then(
      () => undefined,
      (e: unknown) => e as { code: string; message: string; hint: string },
    );
    expect(error?.code).toBe('DEPLOYMENT_STALE');
    expect(error?.message).not.toContain('goes on shifting');
    expect(error?.message).toContain('which has ended it (Stopped) and moves the alias no more');
    expectKeptWays(error?.hint ?? '');
  });
});
