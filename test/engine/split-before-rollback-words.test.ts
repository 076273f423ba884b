/**
 * A split someone made while lshift held a step — during the hold, or while its runner was
 * stopped (SIGSTOP) — found by the refusal of the rollback's FIRST write when a signal (or an
 * alarm) then rolled it back: it read "split by someone else during the rollback" (h3's pass F2,
 * session 67), sending an operator to the wrong minutes of CloudTrail. Said now as what lshift
 * knows: before its rollback wrote anything, where lshift was. A split that lands between the
 * rollback's writes is still "during the rollback".
 */
import { describe, expect, it } from 'vitest';
import { describeReason, withReason } from '../../src/cli/describe-outcome.js';
import { exitCodeForStatus } from '../../src/cli/exit-codes.js';
import { buildHistory, renderHistory } from '../../src/cli/history.js';
import { renderDeployResult } from '../../src/cli/render-result.js';
import { renderStatus } from '../../src/cli/renderers/status-text.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { getStatus } from '../../src/engine/status.js';
import type { LambdaPort } from '../../src/ports/lambda.js';
import { ALIAS, createWorld, FN, linear, request } from './world.js';

const SPLIT = { functionVersion: '1', additionalWeights: { '2': 0.37 } };

describe('a split found by the refusal of the rollback’s first write', () => {
  it('made during the hold, before a signal rolled it back: "before lshift\'s rollback wrote anything", not "during the rollback"', async () => {
    const w = createWorld();
    const controller = new AbortController();
    // After the hold's last read (every 30 s), before the signal.
    w.clock.at(w.start + 95_000, () => {
      w.lambda.moveAlias(FN, ALIAS, SPLIT);
      controller.abort();
    });
    const result = await runDeploy(w.deps, request({ ...linear(10, 600), signal: controller.signal }));

    expect(result.status).toBe('unsafe');
    expect(exitCodeForStatus(result.status)).toBe(4);
    expect(result.cause).toMatchObject({ code: 'ROLLBACK_CONFLICT', data: { beforeRollbackWrite: true } });
    const text = renderDeployResult(withReason(result));
    expect(text).toContain(
      "✖ UNSAFE: demo:live was split by someone else before lshift's rollback wrote anything (lshift was at step 1 (10%)), and lshift left it split",
    );
    expect(describeReason(result)).toContain(
      "alias live was changed by someone else before lshift's rollback wrote it",
    );
    expect(text).not.toContain('during the rollback');
    expect(text).toContain('Fix: lshift rollback demo --alias live');
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject(SPLIT);
  });

  it('made between the rollback’s writes (its first refused for a throttle): still "during the rollback"', async () => {
    const w = createWorld();
    const controller = new AbortController();
    w.clock.at(w.start + 95_000, () => controller.abort());
    // The rollback's first write is throttled; the split lands before its second.
    const lambda: LambdaPort = Object.create(w.lambda);
    let writes = 0;
    lambda.updateAlias = async (...args) => {
      writes++;
      if (writes === 2) {
        w.lambda.moveAlias(FN, ALIAS, SPLIT);
        throw Object.assign(new Error('Rate exceeded'), {
          name: 'TooManyRequestsException',
          $metadata: { httpStatusCode: 429 },
        });
      }
      return w.lambda.updateAlias(...args);
    };
    const result = await runDeploy(
      { ...w.deps, lambda },
      request({ ...linear(10, 600), signal: controller.signal }),
    );
    expect(result.status).toBe('unsafe');
    expect(result.cause?.code).toBe('ROLLBACK_CONFLICT');
    expect(renderDeployResult(withReason(result))).toContain(
      '✖ UNSAFE: demo:live was split by someone else during the rollback, and lshift left it split',
    );
  });

  it('its record then says lshift had decided to roll it back, not "lshift ran no rollback" (status, history)', async () => {
    const w = createWorld();
    w.lambda.addVersion(FN); // 3
    const controller = new AbortController();
    w.clock.at(w.start + 95_000, () => {
      w.lambda.moveAlias(FN, ALIAS, { functionVersion: '3', additionalWeights: { '2': 0.37 } });
      controller.abort();
    });
    await runDeploy(w.deps, request({ ...linear(10, 600), signal: controller.signal }));
    const record = w.store.peek(FN, ALIAS)!;
    expect(record.endReason).toMatch(/^moved by hand to a split/);
    const text = renderStatus(await getStatus(w.deps, { functionName: FN, alias: ALIAS, alarms: [] }));
    expect(text).toContain(
      '37% on 2; lshift had decided to roll it back, and the split it met is still there)',
    );
    expect(text).not.toContain('lshift ran no rollback');
    const history = buildHistory(FN, ALIAS, w.lambda.peekAlias(FN, ALIAS)!, record, w.clock.now());
    expect(history.latest?.reason).toContain('lshift had decided to roll it back');
    // Still split, nobody driving it: STALLED, as status and check say; once whole, moved by hand.
    expect(history.latest?.outcome).toBe('stalled');
    expect(history.latest?.reason).toContain('the alias is still split and nothing lshift runs drives it');
    expect(renderHistory(history)).toContain(`latest: ${record.id} STALLED`);
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '3', additionalWeights: {} });
    const whole = buildHistory(FN, ALIAS, w.lambda.peekAlias(FN, ALIAS)!, record, w.clock.now());
    expect(whole.latest?.outcome).toBe('moved by hand');
  });
});
