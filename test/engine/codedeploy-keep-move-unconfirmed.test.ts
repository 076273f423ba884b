/**
 * Someone moved the alias by hand while AWS CodeDeploy ran lshift's deployment, and lshift's stop
 * WITHOUT rollback (to keep that move) was not seen to end: refused, lost, or its run exited on a
 * second signal. Found by a hostile pass (session 64): the record was closed "moved by hand" (or
 * left `shifting` with no trace of the move), `lshift status` said the deployment had ended (exit
 * 0) while CodeDeploy said InProgress, and once CodeDeploy moved the alias over the move, status
 * said all traffic was on version 2 (exit 0) and blamed a person for lshift's own deployment's move.
 */
import { describe, expect, it } from 'vitest';
import { describeFollow } from '../../src/cli/describe-follow.js';
import { withReason } from '../../src/cli/describe-outcome.js';
import { describeClaimedRollback } from '../../src/cli/describe-rollback.js';
import { exitCodeForCheck } from '../../src/cli/exit-codes.js';
import { renderStatus } from '../../src/cli/renderers/status-text.js';
import { needsOperator } from '../../src/cli/status-needs-operator.js';
import { OperationError } from '../../src/domain/errors.js';
import { type CheckDeps, runCheck } from '../../src/engine/check.js';
import { createCodeDeployTrafficDriver } from '../../src/engine/codedeploy-traffic-driver.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { followCodeDeploy } from '../../src/engine/follow-codedeploy.js';
import { KEEP_MOVE_UNCONFIRMED_REASON } from '../../src/engine/record-view.js';
import { rollbackClaimed } from '../../src/engine/rollback-claim.js';
import { getStatus } from '../../src/engine/status.js';
import { expectValidResultOf } from '../helpers/contract.js';
import { codeDeployWorld } from './codedeploy-world.js';
import { ALARM, ALIAS, canary, FN, request } from './world.js';

/** The deploy's run (owner `tester@host:1`) has exited: its pid no longer runs here. */
const gone = { checkOwner: 'check:tester@host:97', processes: { isRunning: (pid: number) => pid === 97 } };

async function refusedStop() {
  const w = codeDeployWorld('Canary10Percent15Minutes');
  w.codedeploy.stopDeployment = async () => {
    throw new OperationError(
      'ACCESS_DENIED',
      'Access denied: the caller may not perform codedeploy:StopDeployment',
      {},
    );
  };
  w.lambda.moveAliasAt(w.start + 120_000, FN, ALIAS, { functionVersion: '1', additionalWeights: {} });
  const result = await runDeploy(w.deps, request(canary(10, 900)));
  const status = (deps = {}) =>
    getStatus(
      { ...w.deps, codedeploy: w.codedeploy, ...deps },
      { functionName: FN, alias: ALIAS, alarms: [] },
    );
  return { w, result, status };
}

describe('a stop without rollback (keeping a move by hand) not seen to end', () => {
  it('the record keeps the mark, open: not closed "moved by hand"', async () => {
    const { w, result } = await refusedStop();
    expect(result.status).toBe('unsafe');
    expect(w.store.peek(FN, ALIAS)).toMatchObject({
      phase: 'shifting',
      endReason: KEEP_MOVE_UNCONFIRMED_REASON,
    });
    expect(w.store.peek(FN, ALIAS)?.endedAt).toBeUndefined();
  });

  it('status, its run gone: CodeDeploy InProgress, nobody watches it (exit 4), then Succeeded over the move (exit 4)', async () => {
    const { w, status } = await refusedStop();
    const running = await status(gone);
    expect(running.record?.againstKeptMove).toBe('InProgress');
    expect(needsOperator(running)).toBe(true);
    const text = renderStatus(running);
    expect(text).toContain(
      'NOT STOPPED: someone moved alias live by hand and lshift stopped AWS CodeDeploy deployment d-FAKE1 without its rollback to keep that move, but did not see the stop end: it is InProgress with nobody watching it',
    );
    expect(text).toContain(
      'Fix: `aws deploy stop-deployment --deployment-id d-FAKE1 --no-auto-rollback-enabled` (keeps the alias as it is)',
    );
    // Its gone runner's line offered `lshift wait`, which closed it promoted once CodeDeploy Succeeded.
    expect(text).not.toContain('lshift wait');
    expect(text).not.toContain('ended: moved by hand');
    expectValidResultOf('status', { schemaVersion: 4, ...running });

    // CodeDeploy's own 100% step moves the alias over the person's move.
    await w.clock.advance(20 * 60_000);
    expect((await w.codedeploy.getDeployment('d-FAKE1')).status).toBe('Succeeded');
    const over = await status(gone);
    expect(over.record?.againstKeptMove).toBe('Succeeded');
    // Before (session 65): none under --json of a deployment that had ended.
    expect(over.record?.codeDeployStatus).toBe('Succeeded');
    expect(needsOperator(over)).toBe(true);
    const after = renderStatus(over);
    expect(after).toContain('CodeDeploy then ended it Succeeded, moving the alias over that move');
    // Ended: not "NOT STOPPED"; and no claim that the rollback restores the person's move.
    expect(after).toContain('OVERRIDDEN: someone moved alias live by hand');
    expect(after).not.toContain('NOT STOPPED');
    expect(after).not.toContain('as the person had put it');
    expect(after).not.toContain('MOVED SINCE');
  });

  // Found by a hostile pass (session 65): a `--detach`ed deploy leaves its record `paused`, and
  // `lshift wait` writes the mark there; the mark was ignored on a `paused` record: status exit 0
  // "`lshift wait` closes its record", and that wait said UNSAFE again (a loop).
  it('a `--detach`ed (paused) record with the mark: status OVERRIDDEN (exit 4) after CodeDeploy Succeeded over the move, wait unsafe', async () => {
    const { w, status } = await refusedStop();
    const marked = w.store.peek(FN, ALIAS);
    if (!marked) throw new Error('no record');
    await w.store.write(FN, ALIAS, { ...marked, phase: 'paused' });
    await w.clock.advance(20 * 60_000);
    const over = await status(gone);
    expect(over.record?.againstKeptMove).toBe('Succeeded');
    expect(needsOperator(over)).toBe(true);
    const text = renderStatus(over);
    expect(text).toContain('OVERRIDDEN: someone moved alias live by hand');
    expect(text).not.toContain('closes its record');
    const checked = await runCheck(
      { ...w.deps, store: w.store, codedeploy: w.codedeploy, owner: 'check:cron@host:1' } as CheckDeps,
      { functionNames: [FN], alias: ALIAS, windowSeconds: 3600, alarms: [ALARM], staleAfterSeconds: 120 },
    );
    expect(checked.results[0]).toMatchObject({ stalled: true });
    expect(checked.results[0]?.reason).toContain(
      'CodeDeploy then ended it Succeeded, moving the alias over that move',
    );
    expect(exitCodeForCheck(checked)).toBe(4);
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
    expect(waited).toMatchObject({ outcome: 'unsafe', status: 'Succeeded' });
    expect(describeFollow(waited)).toContain('had stopped it without its rollback to keep a move by hand');
    expect(w.store.peek(FN, ALIAS)).toMatchObject({
      phase: 'paused',
      endReason: KEEP_MOVE_UNCONFIRMED_REASON,
    });
  });

  it('status while its run may still be stopping it (a fresh heartbeat, its pid not known dead): not flagged', async () => {
    const { status } = await refusedStop();
    const s = await status();
    expect(s.record?.againstKeptMove).toBeUndefined();
    // Before (session 65): "rolled back by hand … record that with `lshift rollback`" and "follow
    // it: lshift wait", of a run still stopping CodeDeploy without rollback to keep the move.
    expect(s.record?.keepingMoveByRunner).toMatchObject({ codeDeployStatus: 'InProgress' });
    expect(s.record?.movedAway).toBeUndefined();
    expect(needsOperator(s)).toBe(false);
    const text = renderStatus(s);
    expect(text).toContain(
      'engine: AWS CodeDeploy, deployment d-FAKE1 (InProgress): someone moved alias live by hand, and its runner (tester@host:1',
    );
    expect(text).toContain('is stopping it WITHOUT its rollback so that the move stays');
    expect(text).not.toContain('rolled back by hand');
    expect(text).not.toContain('lshift wait');
    expect(text).not.toContain('lshift rollback');
    expectValidResultOf('status', { schemaVersion: 4, ...s });
  });

  // Session 65: "Wait for it" of a run that may be gone (its pid dead here, its heartbeat fresh).
  it('a deploy meanwhile: DEPLOYMENT_IN_PROGRESS offers the stop without rollback or the rollback, not waiting', async () => {
    const { w } = await refusedStop();
    const error = (await runDeploy(w.deps, request(canary(10, 900))).then(
      () => undefined,
      (e: unknown) => e,
    )) as { code: string; hint: string };
    expect(error.code).toBe('DEPLOYMENT_IN_PROGRESS');
    expect(error.hint).toContain(
      '`aws deploy stop-deployment --deployment-id d-FAKE1 --no-auto-rollback-enabled` keeps the alias where the person put it, or `lshift rollback demo --alias live` stops it with its rollback and puts all traffic back on version 1',
    );
    expect(error.hint).not.toContain('Wait for it');
  });

  // Session 65: it said only "Nothing to roll back … now recorded as rolled back", while it had
  // stopped the deployment CodeDeploy still ran (which then ended Stopped).
  it('`lshift rollback` while CodeDeploy still runs it: says it stopped it with its rollback, not only "nothing to roll back"', async () => {
    const { w } = await refusedStop();
    // The stop is allowed again (the role fixed): the fake's own StopDeployment answers.
    Reflect.deleteProperty(w.codedeploy, 'stopDeployment');
    const restoreDriver = createCodeDeployTrafficDriver(
      { codedeploy: w.codedeploy, lambda: w.lambda, clock: w.clock },
      { pollSeconds: 5 },
    );
    const { traffic: _codeDeploy, gates: _gates, ...native } = w.deps;
    const result = await rollbackClaimed(
      { ...native, store: w.store, owner: 'ops@laptop:9', trafficFor: () => restoreDriver },
      { functionName: FN, alias: ALIAS, reason: 'manual rollback' },
    );
    expect(result.status).toBe('nothing_to_deploy');
    expect(w.codedeploy.callsOf('stopDeployment').at(-1)?.args).toEqual(['d-FAKE1', true]);
    expect(result.cause).toMatchObject({
      data: { stoppedCodeDeploy: { deploymentId: 'd-FAKE1', keptMove: true } },
    });
    const text = describeClaimedRollback(withReason(result));
    expect(text).toContain(
      "AWS CodeDeploy deployment d-FAKE1 was still running (lshift's earlier stop WITHOUT its rollback, to keep a move of the alias by hand, had not been seen to end): lshift stopped it with its rollback, so it moves the alias no more",
    );
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
  });

  it('`lshift wait` after CodeDeploy Succeeded over the move: unsafe (exit 4), the record not closed promoted', async () => {
    const { w } = await refusedStop();
    await w.clock.advance(20 * 60_000);
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

    // Before: `✔ … Succeeded`, exit 0, and the record closed promoted (history: PROMOTED).
    expect(waited).toMatchObject({ outcome: 'unsafe', status: 'Succeeded' });
    const text = describeFollow(waited);
    expect(text).toContain('✖ UNSAFE: CodeDeploy deployment d-FAKE1 ended Succeeded');
    expect(text).toContain('had stopped it without its rollback to keep a move by hand of alias live');
    expect(w.store.peek(FN, ALIAS)).toMatchObject({
      phase: 'shifting',
      endReason: KEEP_MOVE_UNCONFIRMED_REASON,
    });
  });

  it('`lshift check`, its run gone: STALLED (exit 4) while CodeDeploy runs and after it Succeeded over the move; never closed promoted', async () => {
    const { w } = await refusedStop();
    // Its run's heartbeat stale: check acts on records nobody drives.
    await w.clock.advance(4 * 60_000);
    const check = () =>
      runCheck(
        { ...w.deps, store: w.store, codedeploy: w.codedeploy, owner: 'check:cron@host:1' } as CheckDeps,
        {
          functionNames: [FN],
          alias: ALIAS,
          windowSeconds: 3600,
          alarms: [ALARM],
          staleAfterSeconds: 120,
        },
      );
    const running = await check();
    expect(running.results[0]).toMatchObject({ stalled: true });
    expect(running.results[0]?.reason).toContain('it is InProgress with nobody watching it');
    expect(exitCodeForCheck(running)).toBe(4);

    await w.clock.advance(20 * 60_000);
    // Before: HEALTHY, exit 0, "its record is closed as promoted".
    const over = await check();
    expect(over.results[0]).toMatchObject({ stalled: true });
    expect(over.results[0]?.reason).toContain(
      'CodeDeploy then ended it Succeeded, moving the alias over that move',
    );
    expect(exitCodeForCheck(over)).toBe(4);
    expect(w.store.peek(FN, ALIAS)).toMatchObject({
      phase: 'shifting',
      endReason: KEEP_MOVE_UNCONFIRMED_REASON,
    });
  });

  // Found by a hostile pass (session 64): within the stale limit check said SKIPPED (exit 0) of
  // the record whose run's pid was gone here, while status said NOT STOPPED (exit 4).
  it('`lshift check` right after its run died here (heartbeat fresh, pid gone): STALLED (exit 4), as status says', async () => {
    const { w } = await refusedStop();
    const checked = await runCheck(
      {
        ...w.deps,
        store: w.store,
        codedeploy: w.codedeploy,
        owner: 'check:tester@host:97',
        processes: gone.processes,
      } as CheckDeps,
      { functionNames: [FN], alias: ALIAS, windowSeconds: 3600, alarms: [ALARM], staleAfterSeconds: 120 },
    );
    expect(checked.results[0]).toMatchObject({ stalled: true });
    expect(checked.results[0]?.reason).toContain('it is InProgress with nobody watching it');
    expect(exitCodeForCheck(checked)).toBe(4);
  });
});
