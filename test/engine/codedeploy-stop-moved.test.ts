/**
 * A person's split of the alias a moment before a Ctrl-C, under a CodeDeploy deploy: the rollback
 * (StopDeployment with auto-rollback) still puts all traffic back, but says it ran over that split
 * (codedeploy-stop-move.ts). Found by a hostile pass (session 65, item 7a): a 50/50 split by hand at
 * the 10% step and SIGINT at once ended "interrupted at step 1 (10%)", "✔ Rolled back", exit 3, and
 * nothing named the split.
 */
import { describe, expect, it } from 'vitest';
import { describeReason } from '../../src/cli/describe-outcome.js';
import { exitCodeForStatus } from '../../src/cli/exit-codes.js';
import { renderStatus } from '../../src/cli/renderers/status-text.js';
import { OperationError } from '../../src/domain/errors.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { getStatus } from '../../src/engine/status.js';
import type { AliasInfo } from '../../src/ports/lambda.js';
import { codeDeployWorld } from './codedeploy-world.js';
import { ALIAS, canary, FN, request } from './world.js';

const SIGNAL_AT = 120_000;
const SPLIT = { functionVersion: '1', additionalWeights: { '2': 0.5 } };

/**
 * A canary 10% under CodeDeploy whose rollback takes 30 s (as CodeDeploy's does: a rollback
 * deployment), interrupted at the 10% hold; `atSignal` runs at the signal's moment. Calls to
 * StopDeployment and GetAlias are logged in order.
 */
async function interruptAtTenPercent(atSignal: (w: ReturnType<typeof codeDeployWorld>) => void = () => {}) {
  const controller = new AbortController();
  const w = codeDeployWorld('Canary10Percent5Minutes', controller.signal);
  w.codedeploy.slowRollbacks(30_000);
  const order: string[] = [];
  const stop = w.codedeploy.stopDeployment.bind(w.codedeploy);
  w.codedeploy.stopDeployment = (id, auto) => {
    order.push('stop');
    return stop(id, auto);
  };
  const read = w.lambda.getAlias.bind(w.lambda);
  w.lambda.getAlias = (fn, alias) => {
    order.push('read');
    return read(fn, alias);
  };
  w.clock.at(w.start + SIGNAL_AT, () => {
    atSignal(w);
    order.length = 0;
    controller.abort(new Error('SIGINT'));
  });
  const result = await runDeploy(w.deps, request({ ...canary(10, 300), signal: controller.signal }));
  return { w, result, order };
}

describe('a split by hand just before a Ctrl-C under CodeDeploy', () => {
  it('the rollback still puts all traffic back, and says it ran over the split (reason, --json cause)', async () => {
    const { w, result, order } = await interruptAtTenPercent((w) => w.lambda.moveAlias(FN, ALIAS, SPLIT));

    expect(result.status).toBe('rolled_back');
    expect(exitCodeForStatus(result.status)).toBe(3);
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
    const words =
      "the alias routed 50% on 2 when lshift stopped CodeDeploy, not CodeDeploy's 10%: someone had moved it by hand; the rollback put all traffic back on version 1 over it";
    expect(result.cause).toEqual({
      code: 'INTERRUPTED',
      data: { left: false, movedByHand: true },
      detail: words,
    });
    expect(describeReason(result)).toBe(`interrupted at step 1 (10%); ${words}`);
    // The stop went out first, with its rollback; the read beside it after.
    expect(w.codedeploy.callsOf('stopDeployment').map((c) => c.args)).toEqual([['d-FAKE1', true]]);
    expect(order.slice(0, 2)).toEqual(['stop', 'read']);
    // The record keeps it (`y=INTERRUPTED.hand`), and `lshift status` says it once the run is gone.
    expect(w.store.peek(FN, ALIAS)).toMatchObject({
      phase: 'rolled-back',
      cause: { code: 'INTERRUPTED', overHandMove: true },
    });
    expect(w.store.peek(FN, ALIAS)?.endReason).toBeUndefined();
    const status = renderStatus(await getStatus(w.deps, { functionName: FN, alias: ALIAS, alarms: [] }));
    expect(status).toContain(
      'someone had moved the alias by hand just before lshift stopped CodeDeploy, and the rollback put all traffic back over that move',
    );
  });

  it('no move: the plain interrupt, no word of a hand', async () => {
    const { result } = await interruptAtTenPercent();

    expect(result.cause).toEqual({ code: 'INTERRUPTED', data: { left: false } });
    expect(describeReason(result)).toBe('interrupted at step 1 (10%); all traffic is back on version 1');
  });

  it('CodeDeploy’s own next weight (its 100%, due) is never taken for a person’s', async () => {
    // The 5-minute canary's second step is due at 300 s; a signal after it, before lshift read it.
    const controller = new AbortController();
    const w = codeDeployWorld('Canary10Percent5Minutes', controller.signal);
    w.codedeploy.slowRollbacks(30_000);
    const atStop: unknown[] = [];
    const stop = w.codedeploy.stopDeployment.bind(w.codedeploy);
    w.codedeploy.stopDeployment = (id, auto) => {
      atStop.push(w.lambda.peekAlias(FN, ALIAS));
      return stop(id, auto);
    };
    w.clock.at(w.start + 330_000, () => controller.abort(new Error('SIGINT')));
    const result = await runDeploy(w.deps, request({ ...canary(10, 600), signal: controller.signal }));

    expect(result.status).toBe('rolled_back');
    expect(result.cause?.code).toBe('INTERRUPTED');
    expect(describeReason(result)).not.toContain('by hand');
    // The read beside the stop found CodeDeploy's 100%, one step on from lshift's last read.
    expect(atStop).toMatchObject([{ functionVersion: '2', additionalWeights: {} }]);
  });

  it('the read beside the stop failing says nothing and holds nothing back', async () => {
    const { w, result } = await interruptAtTenPercent((w) => {
      w.lambda.moveAlias(FN, ALIAS, SPLIT);
      const read = w.lambda.getAlias.bind(w.lambda);
      let first = true;
      w.lambda.getAlias = (fn, alias) => {
        if (!first) return read(fn, alias);
        first = false;
        return Promise.reject(new OperationError('NETWORK_ERROR', 'no answer to lambda:GetAlias', {}));
      };
    });

    expect(result).toMatchObject({
      status: 'rolled_back',
      cause: { code: 'INTERRUPTED', data: { left: false } },
    });
    expect(describeReason(result)).toBe('interrupted at step 1 (10%); all traffic is back on version 1');
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
  });

  it('the read beside the stop never answering: the rollback ends as it would have, without waiting for it', async () => {
    const { w, result } = await interruptAtTenPercent((w) => {
      w.lambda.moveAlias(FN, ALIAS, SPLIT);
      // The GetAlias sent right after the StopDeployment (before any GetDeployment) never answers.
      let justStopped = false;
      const stop = w.codedeploy.stopDeployment.bind(w.codedeploy);
      w.codedeploy.stopDeployment = (id, auto) => {
        justStopped = true;
        return stop(id, auto);
      };
      const status = w.codedeploy.getDeployment.bind(w.codedeploy);
      w.codedeploy.getDeployment = (id) => {
        justStopped = false;
        return status(id);
      };
      const read = w.lambda.getAlias.bind(w.lambda);
      w.lambda.getAlias = (fn, alias) =>
        justStopped ? new Promise<AliasInfo | undefined>(() => {}) : read(fn, alias);
    });

    expect(result).toMatchObject({
      status: 'rolled_back',
      cause: { code: 'INTERRUPTED', data: { left: false } },
    });
    // CodeDeploy's rollback (30 s) and lshift's polls of it (10 s): nothing more.
    expect(w.clock.now() - w.start - SIGNAL_AT).toBeLessThanOrEqual(45_000);
  });
});
