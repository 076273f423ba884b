/**
 * A failed verdict (an alarm of lshift's, canary analysis) under a CodeDeploy deploy a moment after
 * a person split the alias by hand: the rollback (StopDeployment with auto-rollback) still puts all
 * traffic back, and the read beside the stop names the split (codedeploy-stop-move.ts). Found in
 * session 65's note: it said so in words only, while the Ctrl-C path also gave `--json` its
 * `movedByHand` and the record `y=INTERRUPTED.hand`; once the run's output was gone, status and
 * history said only "a health gate failed (alarms)".
 */
import { describe, expect, it } from 'vitest';
import { describeReason } from '../../src/cli/describe-outcome.js';
import { buildHistory, renderHistory } from '../../src/cli/history.js';
import { renderStatus } from '../../src/cli/renderers/status-text.js';
import { causeCandidates, decodeCause } from '../../src/domain/record-cause.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { getStatus } from '../../src/engine/status.js';
import { expectValidResultOf } from '../helpers/contract.js';
import { codeDeployWorld } from './codedeploy-world.js';
import { ALARM, ALIAS, canary, FN, request } from './world.js';

const SPLIT = { functionVersion: '1', additionalWeights: { '2': 0.5 } };
const HAND_WORDS =
  'someone had moved the alias by hand just before lshift stopped CodeDeploy, and the rollback put all traffic back over that move';

/** lshift's alarm fires at 1 min of the 10% hold; the person's split lands just before its stop. */
async function alarmJustAfterSplit(split = true) {
  const w = codeDeployWorld('Canary10Percent5Minutes');
  w.codedeploy.slowRollbacks(30_000);
  w.metrics.setAlarm(ALARM, 'ALARM', { at: w.start + 60_000, reason: 'errors above 5%' });
  const stop = w.codedeploy.stopDeployment.bind(w.codedeploy);
  w.codedeploy.stopDeployment = async (id, auto) => {
    if (split) w.lambda.moveAlias(FN, ALIAS, SPLIT);
    return stop(id, auto);
  };
  const result = await runDeploy(w.deps, request({ ...canary(10, 300), alarms: [ALARM] }));
  return { w, result };
}

describe('a failed verdict just after a split by hand under CodeDeploy', () => {
  it('--json: GATE_FAILED with movedByHand; the record y=GATE_FAILED.alarms.hand; status and history say it', async () => {
    const { w, result } = await alarmJustAfterSplit();
    expect(result.status).toBe('rolled_back');
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
    expect(result.cause).toMatchObject({
      code: 'GATE_FAILED',
      data: { gates: ['alarms'], movedByHand: true },
    });
    expect(describeReason(result)).toContain(
      "the alias routed 50% on 2 when lshift stopped CodeDeploy, not CodeDeploy's 10%: someone had moved it by hand",
    );
    expectValidResultOf('deploy', { schemaVersion: 4, ...result });
    const record = w.store.peek(FN, ALIAS);
    expect(record).toMatchObject({
      phase: 'rolled-back',
      cause: { code: 'GATE_FAILED', gates: ['alarms'], overHandMove: true },
    });
    const status = renderStatus(await getStatus(w.deps, { functionName: FN, alias: ALIAS, alarms: [] }));
    expect(status).toContain(`a health gate failed (alarms); ${HAND_WORDS}`);
    const alias = await w.lambda.getAlias(FN, ALIAS);
    const history = renderHistory(buildHistory(FN, ALIAS, alias!, record, w.clock.now()));
    expect(history).toContain(HAND_WORDS);
  });

  it('no split: GATE_FAILED as before, no hand', async () => {
    const { w, result } = await alarmJustAfterSplit(false);
    expect(result.cause).toEqual(
      expect.objectContaining({ code: 'GATE_FAILED', data: { gates: ['alarms'] } }),
    );
    expect(w.store.peek(FN, ALIAS)?.cause).toEqual({ code: 'GATE_FAILED', gates: ['alarms'] });
  });

  it('the record form: richest first, the hand dropped before the gates; older records read as before', () => {
    const cause = {
      code: 'GATE_FAILED' as const,
      gates: ['alarms', 'analysis'],
      overHandMove: true as const,
    };
    expect(causeCandidates(cause)).toEqual([
      ' y=GATE_FAILED.alarms.analysis.hand',
      ' y=GATE_FAILED.alarms.analysis',
      ' y=GATE_FAILED',
    ]);
    expect(decodeCause('GATE_FAILED.alarms.analysis.hand')).toEqual(cause);
    expect(decodeCause('GATE_FAILED.alarms')).toEqual({ code: 'GATE_FAILED', gates: ['alarms'] });
    expect(decodeCause('INCONCLUSIVE.hand')).toEqual({ code: 'INCONCLUSIVE', overHandMove: true });
    expect(decodeCause('INTERRUPTED.hand')).toEqual({ code: 'INTERRUPTED', overHandMove: true });
  });
});
