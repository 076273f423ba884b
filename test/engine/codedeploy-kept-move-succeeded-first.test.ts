/**
 * A stop WITHOUT rollback (to keep a person's move of the alias) that CodeDeploy refused because it
 * had already ended the deployment Succeeded (DeploymentAlreadyCompletedException): its last step
 * had moved the alias over the move. Found in session 65's note: status, check, wait and the
 * hints then said "lshift stopped … but did not see the stop end" of a stop CodeDeploy refused.
 * The record's mark says which (`r=@ks`), and each says how the deployment had ended.
 */
import { describe, expect, it } from 'vitest';
import { describeFollow } from '../../src/cli/describe-follow.js';
import { exitCodeForCheck } from '../../src/cli/exit-codes.js';
import { buildHistory, renderHistory } from '../../src/cli/history.js';
import { askAboutKeptMove } from '../../src/cli/history-kept-move.js';
import { renderStatus } from '../../src/cli/renderers/status-text.js';
import { needsOperator } from '../../src/cli/status-needs-operator.js';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import { decodeRecord } from '../../src/domain/record-decode.js';
import { encodeRecord } from '../../src/domain/record-encode.js';
import { type CheckDeps, runCheck } from '../../src/engine/check.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { followCodeDeploy } from '../../src/engine/follow-codedeploy.js';
import { describeKeptMoveWaysOut } from '../../src/engine/kept-move-hint.js';
import {
  isKeepMoveUnconfirmed,
  KEEP_MOVE_SUCCEEDED_FIRST_REASON,
  KEEP_MOVE_UNCONFIRMED_REASON,
} from '../../src/engine/record-view.js';
import { getStatus } from '../../src/engine/status.js';
import { codeDeployWorld } from './codedeploy-world.js';
import { ALARM, ALIAS, canary, FN, request } from './world.js';

const gone = { checkOwner: 'check:tester@host:97', processes: { isRunning: (pid: number) => pid === 97 } };

/** The person's split at 2 min; the run's stop reaches CodeDeploy only after its 100% (5 min). */
async function succeededFirst() {
  const w = codeDeployWorld('Canary10Percent5Minutes');
  w.lambda.moveAliasAt(w.start + 120_000, FN, ALIAS, {
    functionVersion: '1',
    additionalWeights: { '2': 0.5 },
  });
  const stop = w.codedeploy.stopDeployment.bind(w.codedeploy);
  w.codedeploy.stopDeployment = async (id: string, rollback: boolean) => {
    if (w.clock.now() < w.start + 300_000) await w.clock.advance(w.start + 301_000 - w.clock.now());
    return stop(id, rollback);
  };
  const result = await runDeploy(w.deps, request(canary(10, 300)));
  expect(result.status).toBe('unsafe');
  return w;
}

describe('a stop without rollback CodeDeploy refused because it had Succeeded', () => {
  it('the record keeps the mark that says so; status OVERRIDDEN names how it ended, not a stop unseen', async () => {
    const w = await succeededFirst();
    const record = w.store.peek(FN, ALIAS);
    expect(record).toMatchObject({ endReason: KEEP_MOVE_SUCCEEDED_FIRST_REASON });
    expect(isKeepMoveUnconfirmed(record!)).toBe(true);
    const s = await getStatus(
      { ...w.deps, codedeploy: w.codedeploy, ...gone },
      { functionName: FN, alias: ALIAS, alarms: [] },
    );
    expect(s.record?.againstKeptMove).toBe('Succeeded');
    expect(needsOperator(s)).toBe(true);
    const text = renderStatus(s);
    // Before: "… lshift stopped AWS CodeDeploy deployment d-FAKE1 without its rollback to keep that
    // move, but did not see the stop end; CodeDeploy then ended it Succeeded …".
    expect(text).not.toContain('did not see the stop end');
    expect(text).not.toContain('not seen to end');
    expect(text).toContain(
      'OVERRIDDEN: someone moved alias live by hand and when lshift came to stop AWS CodeDeploy deployment d-FAKE1 without its rollback to keep that move, CodeDeploy had already ended it Succeeded, its last step moving the alias over that move (nothing was stopped); nobody has closed its record: alias live routes all traffic to version 2',
    );
    expect(text).toContain("(Succeeded before lshift's stop without rollback for a move by hand reached it)");
  });

  it('check STALLED, wait UNSAFE and history OVERRIDDEN say the same', async () => {
    const w = await succeededFirst();
    await w.clock.advance(4 * 60_000);
    const checked = await runCheck(
      { ...w.deps, store: w.store, codedeploy: w.codedeploy, owner: 'check:cron@host:1' } as CheckDeps,
      { functionNames: [FN], alias: ALIAS, windowSeconds: 3600, alarms: [ALARM], staleAfterSeconds: 120 },
    );
    expect(exitCodeForCheck(checked)).toBe(4);
    const reason = checked.results[0]?.reason ?? '';
    expect(reason).not.toContain('did not see the stop end');
    expect(reason).toContain(
      'CodeDeploy had already ended it Succeeded, its last step moving the alias over that move',
    );

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
    const said = describeFollow(waited);
    expect(said).not.toContain('did not see that stop end');
    expect(said).toContain('CodeDeploy had already ended it Succeeded');

    const record = w.store.peek(FN, ALIAS);
    const alias = await w.lambda.getAlias(FN, ALIAS);
    const answer = await askAboutKeptMove(w.codedeploy, record, () => w.lambda.getAlias(FN, ALIAS));
    const history = renderHistory(buildHistory(FN, ALIAS, alias!, record, w.clock.now(), false, answer));
    expect(history).toContain('OVERRIDDEN version 1 → 2');
    expect(history).not.toContain('did not see the stop end');
  });

  it('the refusal hints offer the rollback, not a stop unseen', async () => {
    const w = await succeededFirst();
    const record = w.store.peek(FN, ALIAS)!;
    const hint = describeKeptMoveWaysOut(FN, ALIAS, record);
    expect(hint).not.toContain('has not seen that stop end');
    expect(hint).not.toContain('stop-deployment');
    expect(hint).toContain('CodeDeploy had already ended it Succeeded');
    expect(hint).toContain('`lshift rollback demo --alias live` puts all traffic back on version 1');
  });

  it('the mark is written `r=@ks` and read back; `@km` records read as before', () => {
    const base: DeploymentRecord = {
      id: 'd-1',
      stableVersion: '1',
      targetVersion: '2',
      strategy: 'canary:10%:5m',
      stepIndex: 0,
      percent: 10,
      phase: 'shifting',
      startedAt: 1_000,
      heartbeatAt: 2_000,
      owner: 'ci@runner:42',
      history: ['1'],
      engine: 'codedeploy',
      codeDeployId: 'd-FAKE1',
    };
    const first = encodeRecord({ ...base, endReason: KEEP_MOVE_SUCCEEDED_FIRST_REASON });
    expect(first).toContain('r=@ks');
    expect(decodeRecord(first).endReason).toBe(KEEP_MOVE_SUCCEEDED_FIRST_REASON);
    expect(decodeRecord(encodeRecord({ ...base, endReason: KEEP_MOVE_UNCONFIRMED_REASON })).endReason).toBe(
      KEEP_MOVE_UNCONFIRMED_REASON,
    );
  });
});
