/**
 * A deploy's rollback whose write meets a 412 because this deployment's own earlier weight write
 * (sent, its answer never seen) landed late: the re-read finds the alias at exactly that weight,
 * the rollback writes again and ends clean. Its retry line said "Someone else changed alias live"
 * (found by a hostile pass, h3's F-g). Now it says its own write landed late — only
 * when the routing is at that weight; any other routing is worded as before.
 */
import { describe, expect, it } from 'vitest';
import { OperationError } from '../../src/domain/errors.js';
import { runDeploy } from '../../src/engine/deploy.js';
import type { AliasWrite } from '../../src/ports/lambda.js';
import { ALIAS, createWorld, FN, linear, request } from './world.js';

const isRollbackWrite = (args: unknown[]) => {
  const write = args[2] as AliasWrite;
  return write.functionVersion === '1' && Object.keys(write.additionalWeights).length === 0;
};

/** The 20% write is abandoned by a Ctrl-C; `landed` moves the alias just before the rollback's write. */
async function interruptedWith(landed: number) {
  const w = createWorld();
  const controller = new AbortController();
  let writes = 0;
  let moved = false;
  w.lambda.onCall = (call) => {
    if (call.op !== 'updateAlias') return;
    if (++writes === 2) controller.abort(new Error('SIGINT'));
    if (!moved && isRollbackWrite(call.args)) {
      moved = true;
      w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: { '2': landed / 100 } });
    }
  };
  w.lambda.fail({
    op: 'updateAlias',
    nth: 2,
    error: new OperationError('INTERRUPTED', 'lambda:UpdateAlias on function demo was abandoned'),
  });
  const result = await runDeploy(w.deps, request({ ...linear(10, 60), signal: controller.signal }));
  const retries = w.sink
    .ofType('log')
    .filter((e) => e.level === 'warn' && e.message.startsWith('rollback:'))
    .map((e) => e.message);
  return { w, result, retries };
}

describe("a deploy's rollback meeting its own late weight write", () => {
  it('the abandoned 20% write lands under the rollback: said as its own, not "Someone else changed"', async () => {
    const { w, result, retries } = await interruptedWith(20);
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
    expect(result.status).toBe('rolled_back');
    expect(retries).toHaveLength(1);
    expect(retries[0]).toMatch(
      /^rollback: this deployment's own weight write to 20%, sent before the rollback and never answered, landed late and moved the alias under the rollback's write \(try 1\); writing the rollback again in /,
    );
    expect(retries[0]).not.toContain('Someone else');
  });

  it('a routing at another of its own weights (10%): lshift cannot tell, worded as before', async () => {
    const { retries } = await interruptedWith(10);
    expect(retries).toHaveLength(1);
    expect(retries[0]).toContain('Someone else changed alias live');
  });
});
