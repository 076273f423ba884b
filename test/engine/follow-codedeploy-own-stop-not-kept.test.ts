/**
 * A later `lshift wait` (and `lshift status`) of a deployment lshift itself stopped without its
 * rollback to keep a person's move, where CodeDeploy's own later step wrote over that move before
 * the stop landed (`r=@ko`; or `r=@km`, the stop not seen to end, landing later at CodeDeploy's
 * step). The wait said "stopped from outside this run (a StopDeployment request: the console, …
 * or another operator)", status "STALLED: … stopped by a StopDeployment request": an operator went
 * looking for someone who stopped it (h4's pass, session 67, F1). Both now say it was lshift's stop.
 */
import { describe, expect, it } from 'vitest';
import { describeFollow } from '../../src/cli/describe-follow.js';
import { renderStatus } from '../../src/cli/renderers/status-text.js';
import { OperationError } from '../../src/domain/errors.js';
import { followCodeDeploy } from '../../src/engine/follow-codedeploy.js';
import { moveAlias } from '../../src/engine/move-alias.js';
import { KEEP_MOVE_STEP_OVER_REASON, KEEP_MOVE_UNCONFIRMED_REASON } from '../../src/engine/record-view.js';
import { getStatus } from '../../src/engine/status.js';
import { FakeCodeDeploy } from '../helpers/fake-codedeploy.js';
import { followDepsOf, startDeployOf } from '../helpers/follow-deps.js';
import { ALIAS, createWorld, deadRecord, FN } from './world.js';

/** 37% by hand under a linear 10% config; `stop` replaces StopDeployment (given the real one). */
async function detachedLinear() {
  const w = createWorld();
  const codedeploy = new FakeCodeDeploy(w.clock, w.lambda);
  const id = await startDeployOf(codedeploy, 'CodeDeployDefault.LambdaLinear10PercentEvery1Minute');
  w.store.seed(
    FN,
    ALIAS,
    deadRecord(w, { phase: 'paused', engine: 'codedeploy', codeDeployId: id, percent: 10 }),
  );
  w.lambda.moveAliasAt(w.start + 20_000, FN, ALIAS, {
    functionVersion: '1',
    additionalWeights: { '2': 0.37 },
  });
  const real = codedeploy.stopDeployment.bind(codedeploy);
  const deps = followDepsOf(w, codedeploy);
  const wait = () => followCodeDeploy(deps, { deploymentId: id, pollSeconds: 10, onInterrupt: 'rollback' });
  const status = async () =>
    renderStatus(await getStatus({ ...w.deps, codedeploy }, { functionName: FN, alias: ALIAS, alarms: [] }));
  return { w, codedeploy, id, real, wait, status };
}

function expectOwnStopWords(text: string) {
  expect(text).not.toContain('from outside');
  expect(text).toContain('had stopped it without its rollback to keep a move by hand of alias live');
  expect(text).toContain('the move was not kept');
  expect(text).toContain('Fix: lshift rollback demo --alias live');
}

describe('a later lshift wait and status of lshift’s own stop whose move was not kept', () => {
  it('r=@ko (the stop landed after CodeDeploy’s later step): lshift’s stop, not "from outside"', async () => {
    const { w, codedeploy, id, real, wait, status } = await detachedLinear();
    codedeploy.stopDeployment = async (at: string, rollback: boolean) => {
      await w.clock.advance(60_000);
      await codedeploy.getDeployment(at);
      return real(at, rollback);
    };
    expect((await wait()).outcome).toBe('unsafe');
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ endReason: KEEP_MOVE_STEP_OVER_REASON });

    const again = await wait();
    expect(again.outcome).toBe('unsafe');
    expectOwnStopWords(describeFollow(again));
    expect(describeFollow(again)).toContain(
      "saw that stop end, but CodeDeploy's own later step had written over the move first",
    );
    const text = await status();
    expect(text).toContain(
      `STALLED: CodeDeploy deployment ${id} Stopped: someone moved the alias by hand and lshift stopped AWS CodeDeploy deployment ${id} without its rollback to keep that move and saw the stop end`,
    );
    expect(text).not.toContain('StopDeployment request');
  });

  it('r=@km (the stop failed, landing later at CodeDeploy’s step): lshift’s stop, not "from outside"', async () => {
    const { w, codedeploy, id, real, wait, status } = await detachedLinear();
    codedeploy.stopDeployment = async () => {
      throw new OperationError('NETWORK_ERROR', 'codedeploy:StopDeployment timed out after 30 s', {});
    };
    expect((await wait()).outcome).toBe('unsafe');
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ endReason: KEEP_MOVE_UNCONFIRMED_REASON });
    // The held request is carried out a step later: Stopped, no rollback, the alias at CodeDeploy's step.
    await w.clock.advance(60_000);
    await codedeploy.getDeployment(id);
    await real(id, false);
    codedeploy.stopDeployment = real;

    const again = await wait();
    expect(again.outcome).toBe('unsafe');
    expectOwnStopWords(describeFollow(again));
    const text = await status();
    expect(text).toContain(
      `STALLED: CodeDeploy deployment ${id} Stopped: someone moved the alias by hand and lshift stopped AWS CodeDeploy deployment ${id} without its rollback to keep that move, but did not see the stop end; it has ended since, the move not kept`,
    );
    expect(text).not.toContain('StopDeployment request');
  });
});

describe('lshift alias after lshift’s own stop without rollback (h4’s pass, session 67, F2)', () => {
  const move = (w: ReturnType<typeof createWorld>, codedeploy: FakeCodeDeploy, clock = w.clock) =>
    moveAlias(
      { lambda: w.lambda, store: w.store, clock, codedeploy },
      { functionName: FN, alias: ALIAS, version: '1' },
    );

  it('r=@ko (lshift saw its stop end): no rollback can come of it, so the move goes ahead at once', async () => {
    const { w, codedeploy, id, real, wait } = await detachedLinear();
    codedeploy.stopDeployment = async (at: string, rollback: boolean) => {
      await w.clock.advance(60_000);
      await codedeploy.getDeployment(at);
      return real(at, rollback);
    };
    await wait();
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ endReason: KEEP_MOVE_STEP_OVER_REASON });
    // Before: CODEDEPLOY_DEPLOYMENT_RUNNING for 5 minutes, "runs on … which goes on shifting".
    const moved = await move(w, codedeploy);
    expect(moved).toMatchObject({ changed: true, endedCodeDeploy: { id, status: 'Stopped' } });
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
  });

  it('r=@km (the stop not seen to end): the window is kept, saying why, its retry in the sandbox’s time, no `lshift wait`', async () => {
    const { w, codedeploy, id, real, wait } = await detachedLinear();
    codedeploy.stopDeployment = async () => {
      throw new OperationError('NETWORK_ERROR', 'codedeploy:StopDeployment timed out after 30 s', {});
    };
    await wait();
    await w.clock.advance(60_000);
    await codedeploy.getDeployment(id);
    await real(id, false);
    const sandboxClock = Object.assign(Object.create(w.clock), { followsSandbox: true as const });
    const error = (await move(w, codedeploy, sandboxClock).catch((e: unknown) => e)) as {
      code: string;
      message: string;
      hint: string;
    };
    expect(error.code).toBe('CODEDEPLOY_DEPLOYMENT_RUNNING');
    expect(error.message).toContain(
      `ran on AWS CodeDeploy (${id}), which says it ended Stopped, but it ended`,
    );
    expect(error.message).not.toContain('goes on shifting');
    expect(error.message).toContain(
      "lshift's own stop of it, without its rollback, was not seen to end: whether this Stopped is that stop, or another one with a rollback to come, is not known",
    );
    expect(error.hint).toContain("a minute for clocks' skew, by the sandbox's clock");
    expect(error.hint).toContain(
      '`lshift rollback demo --alias live` puts all traffic back on version 1 now',
    );
    expect(error.hint).not.toContain('lshift wait');
  });
});
