/**
 * A stop WITHOUT its rollback, asked by lshift's deploy to keep a person's move of the alias, that
 * CodeDeploy took only after that run had died (found by a hostile pass, session 65, F8): CodeDeploy
 * Stopped, no rollback, the person's move still there, the record still marked. status, check and
 * wait offered only `lshift rollback`, which undoes the person's move. They say the move was kept;
 * `lshift wait` closes the record moved by hand, as the deploy's own run would have.
 */
import { describe, expect, it } from 'vitest';
import { describeFollow } from '../../src/cli/describe-follow.js';
import { exitCodeForCheck } from '../../src/cli/exit-codes.js';
import { renderStatus } from '../../src/cli/renderers/status-text.js';
import { needsOperator } from '../../src/cli/status-needs-operator.js';
import { OperationError } from '../../src/domain/errors.js';
import { type CheckDeps, runCheck } from '../../src/engine/check.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { followCodeDeploy } from '../../src/engine/follow-codedeploy.js';
import { KEEP_MOVE_UNCONFIRMED_REASON } from '../../src/engine/record-view.js';
import { getStatus } from '../../src/engine/status.js';
import { codeDeployWorld } from './codedeploy-world.js';
import { ALARM, ALIAS, canary, FN, request } from './world.js';

const gone = { checkOwner: 'check:tester@host:97', processes: { isRunning: (pid: number) => pid === 97 } };

/** The deploy's stop without rollback refused, then taken late (its run gone), the person's move kept. */
async function lateStop() {
  const w = codeDeployWorld('Canary10Percent15Minutes');
  const realStop = w.codedeploy.stopDeployment.bind(w.codedeploy);
  w.codedeploy.stopDeployment = async () => {
    throw new OperationError(
      'ACCESS_DENIED',
      'Access denied: the caller may not perform codedeploy:StopDeployment',
      {},
    );
  };
  w.lambda.moveAliasAt(w.start + 120_000, FN, ALIAS, {
    functionVersion: '1',
    additionalWeights: { '2': 0.5 },
  });
  const result = await runDeploy(w.deps, request(canary(10, 900)));
  expect(result.status).toBe('unsafe');
  expect(w.store.peek(FN, ALIAS)).toMatchObject({ endReason: KEEP_MOVE_UNCONFIRMED_REASON });
  w.codedeploy.stopDeployment = realStop;
  expect(await realStop('d-FAKE1', false)).toBe('stopping');
  expect((await w.codedeploy.getDeployment('d-FAKE1')).status).toBe('Stopped');
  return w;
}

describe('a stop without rollback to keep a move by hand, landed after its run died', () => {
  it('status: KEPT BY HAND, offers what keeps the move; the rollback named as undoing it', async () => {
    const w = await lateStop();
    const s = await getStatus(
      { ...w.deps, codedeploy: w.codedeploy, ...gone },
      { functionName: FN, alias: ALIAS, alarms: [] },
    );
    expect(s.record?.againstKeptMove).toBe('Stopped');
    expect(needsOperator(s)).toBe(true);
    const text = renderStatus(s);
    // Before: "STALLED: … with nobody to finish it" and `lshift rollback` alone.
    expect(text).toContain('KEPT BY HAND: someone moved alias live by hand');
    expect(text).toContain('the move was kept: alias live routes version 1 (50%) + version 2 (50%)');
    expect(text).toContain('`lshift wait d-FAKE1` closes its record as moved by hand');
    expect(text).toContain("`lshift rollback demo --alias live` undoes the person's move");
    expect(text).not.toContain('nobody to finish it');
    expect(text).toContain(
      "(Stopped: lshift's stop without rollback for a move by hand, ended after its run stopped watching)",
    );
  });

  it('check: STALLED (exit 4) with the same ways, the record left open', async () => {
    const w = await lateStop();
    await w.clock.advance(4 * 60_000);
    const checked = await runCheck(
      { ...w.deps, store: w.store, codedeploy: w.codedeploy, owner: 'check:cron@host:1' } as CheckDeps,
      { functionNames: [FN], alias: ALIAS, windowSeconds: 3600, alarms: [ALARM], staleAfterSeconds: 120 },
    );
    expect(checked.results[0]).toMatchObject({ stalled: true });
    const reason = checked.results[0]?.reason ?? '';
    expect(reason).toContain('the move was kept');
    expect(reason).toContain('`lshift wait d-FAKE1` closes its record as moved by hand');
    expect(reason).toContain("undoes the person's move");
    expect(exitCodeForCheck(checked)).toBe(4);
  });

  it('wait: closes the record moved by hand (not "stopped from outside this run … Fix: lshift rollback")', async () => {
    const w = await lateStop();
    const deps = {
      codedeploy: w.codedeploy,
      lambda: w.lambda,
      clock: w.clock,
      events: w.sink,
      store: w.store,
    };
    const waited = await followCodeDeploy(deps, {
      deploymentId: 'd-FAKE1',
      pollSeconds: 10,
      onInterrupt: 'rollback',
    });
    expect(waited).toMatchObject({ outcome: 'moved_by_hand', status: 'Stopped' });
    const text = describeFollow(waited);
    expect(text).not.toContain('lshift rollback');
    expect(text).not.toContain('stopped from outside this run');
    const closed = w.store.peek(FN, ALIAS);
    expect(closed?.endedAt).toBeDefined();
    expect(closed?.endReason).not.toBe(KEEP_MOVE_UNCONFIRMED_REASON);
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({
      functionVersion: '1',
      additionalWeights: { '2': 0.5 },
    });
  });
});
