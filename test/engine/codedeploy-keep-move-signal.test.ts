/**
 * A Ctrl-C (or SIGTERM, SIGHUP) while `deploy --engine codedeploy` stops CodeDeploy WITHOUT its
 * rollback for a person's move (session 63's notes): the deploy's AWS calls are abandoned on a
 * signal (run-deploy.ts, abortUntilWrite), so the StopDeployment in flight was cut short — "lshift
 * could not stop … INTERRUPTED", exit 4, CodeDeploy left to move the alias over the move. The driver
 * now says before that stop that it begins (CodeDeploySetup.onKeepingMove), as `lshift wait` does,
 * and the deploy no longer abandons its calls from then on. Modelled here as the CLI wires it.
 */
import { describe, expect, it } from 'vitest';
import { describeReason } from '../../src/cli/describe-outcome.js';
import { exitCodeForStatus } from '../../src/cli/exit-codes.js';
import { abortUntilWrite } from '../../src/cli/interrupts.js';
import { OperationError } from '../../src/domain/errors.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { codeDeployWorld } from './codedeploy-world.js';
import { ALIAS, canary, FN, request } from './world.js';

describe('a signal during the stop without rollback for a move by hand (deploy --engine codedeploy)', () => {
  it('the StopDeployment in flight is not abandoned: CodeDeploy stopped, the move kept, exit 4 (a split nobody drives)', async () => {
    const interrupt = new AbortController();
    // The runtime's calls, as run-deploy.ts makes them: abandoned on a signal until onKeepingMove.
    const calls = abortUntilWrite(interrupt.signal);
    const order: string[] = [];
    const w = codeDeployWorld('Canary10Percent15Minutes', interrupt.signal, undefined, () => {
      order.push('keeping move');
      calls.writing();
    });
    const stop = w.codedeploy.stopDeployment.bind(w.codedeploy);
    w.codedeploy.stopDeployment = async (id, autoRollback) => {
      order.push(`stop ${id} rollback=${autoRollback}`);
      // Ctrl-C while the stop is in flight: an abandonable call is then abandoned (call-deadline.ts).
      interrupt.abort(new Error('interrupted by SIGINT'));
      if (calls.signal.aborted)
        throw new OperationError(
          'INTERRUPTED',
          `codedeploy:StopDeployment on deployment ${id} was abandoned`,
          {},
        );
      return stop(id, autoRollback);
    };
    w.lambda.moveAliasAt(w.start + 120_000, FN, ALIAS, {
      functionVersion: '1',
      additionalWeights: { '2': 0.5 },
    });
    const result = await runDeploy(w.deps, request({ ...canary(10, 900), signal: interrupt.signal }));

    expect(order).toEqual(['keeping move', 'stop d-FAKE1 rollback=false']);
    // Before: unsafe, exit 4, "lshift could not stop … (INTERRUPTED …)".
    // The person's split kept, nobody driving it: exit 4 (5 until session 68, DESIGN.md §6).
    expect(result.status).toBe('unsafe');
    expect(exitCodeForStatus(result.status)).toBe(4);
    const reason = describeReason(result);
    expect(reason).toContain('lshift stopped AWS CodeDeploy deployment d-FAKE1 without its rollback');
    expect(reason).not.toContain('could not stop');
    expect(w.store.peek(FN, ALIAS)).toMatchObject({
      phase: 'rolled-back',
      endReason: 'weights changed by hand',
    });
    w.clock.advance(20 * 60_000);
    expect((await w.codedeploy.getDeployment('d-FAKE1')).status).toBe('Stopped');
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({
      functionVersion: '1',
      additionalWeights: { '2': 0.5 },
    });
  });

  it('no move by hand, no stop without rollback: the deploy is never told it keeps one', async () => {
    const told: string[] = [];
    const w = codeDeployWorld('Canary10Percent5Minutes', undefined, undefined, () =>
      told.push('keeping move'),
    );
    const result = await runDeploy(w.deps, request(canary(10, 300)));
    expect(result.status).toBe('promoted');
    expect(told).toEqual([]);
  });
});
