/**
 * `lshift status` and `lshift history` of a record closed because someone moved the alias by hand
 * while AWS CodeDeploy ran it (CodeDeploy stopped WITHOUT its rollback): they led with
 * `rolled-back (weights changed by hand)` and `ROLLED BACK` although lshift ran no rollback
 * (session 63's notes). They now say the move by hand and that lshift ran no rollback; the
 * record's phase (`rolled-back`, nothing resumes it) and the JSON's field set are as before.
 */
import { describe, expect, it } from 'vitest';
import { buildHistory, renderHistory } from '../../src/cli/history.js';
import { describeRolledBackByHand } from '../../src/cli/renderers/by-hand-end.js';
import { renderStatus } from '../../src/cli/renderers/status-text.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { getStatus } from '../../src/engine/status.js';
import { codeDeployWorld } from './codedeploy-world.js';
import { ALIAS, canary, FN, request } from './world.js';

describe('status and history of a record closed by a move by hand under CodeDeploy', () => {
  it('a split by hand: "moved by hand (weights changed by hand; lshift ran no rollback)", not ROLLED BACK', async () => {
    const w = codeDeployWorld('Canary10Percent15Minutes');
    w.lambda.moveAliasAt(w.start + 120_000, FN, ALIAS, {
      functionVersion: '1',
      additionalWeights: { '2': 0.5 },
    });
    const result = await runDeploy(w.deps, request(canary(10, 900)));
    // A split nobody drives: exit 4 (a conflict, exit 5, until session 68).
    expect(result.status).toBe('unsafe');
    const record = w.store.peek(FN, ALIAS);
    expect(record).toMatchObject({ phase: 'rolled-back', endReason: 'weights changed by hand' });

    const status = renderStatus(await getStatus(w.deps, { functionName: FN, alias: ALIAS, alarms: [] }));
    expect(status).toContain(
      `deployment ${record?.id}: moved by hand (weights changed by hand; lshift ran no rollback, and the split it met is still there), version 1 → 2, stopped at step 1`,
    );
    expect(status).not.toContain('rolled-back (');

    const alias = w.lambda.peekAlias(FN, ALIAS)!;
    const history = buildHistory(FN, ALIAS, alias, record, w.clock.now());
    expect(history.latest).toMatchObject({
      outcome: 'moved by hand',
      phase: 'rolled-back',
      reason: 'weights changed by hand; lshift ran no rollback',
    });
    const text = renderHistory(history);
    expect(text).toContain(`latest: ${record?.id} MOVED BY HAND version 1 → 2`);
    expect(text).toContain('why: weights changed by hand; lshift ran no rollback');
    expect(text).not.toContain('ROLLED BACK');
  });

  it('all traffic put back on the stable version by hand: the same, the end reason not repeated', async () => {
    const w = codeDeployWorld('Canary10Percent15Minutes');
    w.lambda.moveAliasAt(w.start + 120_000, FN, ALIAS, { functionVersion: '1', additionalWeights: {} });
    await runDeploy(w.deps, request(canary(10, 900)));
    const status = renderStatus(await getStatus(w.deps, { functionName: FN, alias: ALIAS, alarms: [] }));
    expect(status).toContain(': moved by hand (lshift ran no rollback), version 1 → 2');
    const record = w.store.peek(FN, ALIAS);
    const history = buildHistory(FN, ALIAS, w.lambda.peekAlias(FN, ALIAS)!, record, w.clock.now());
    expect(history.latest?.outcome).toBe('moved by hand');
  });

  it.each([
    ['moved by hand', 'moved by hand (lshift ran no rollback)'],
    ['weights changed by hand', 'moved by hand (weights changed by hand; lshift ran no rollback)'],
    ['moved by hand to version 3', 'moved by hand (to version 3; lshift ran no rollback)'],
    [
      'moved by hand to a split: 50% on 11, 50% on 2',
      'moved by hand (to a split: 50% on 11, 50% on 2; lshift ran no rollback)',
    ],
  ])('%s → %s', (endReason, said) => {
    expect(describeRolledBackByHand(endReason)).toBe(said);
  });
});
