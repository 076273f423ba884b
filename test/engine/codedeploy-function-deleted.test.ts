/**
 * The CodeDeploy engine, its function deleted mid-shift (while CodeDeploy holds the canary).
 * Every heartbeat after the deletion failed to write the record, and each said so — five to
 * fifty "could not write the deployment record … the shift continues" lines before the end —
 * and the end said the function was "deleted during the rollback", which it was not.
 */
import { describe, expect, it } from 'vitest';
import { describeReason } from '../../src/cli/describe-outcome.js';
import { OperationError } from '../../src/domain/errors.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { codeDeployWorld } from './codedeploy-world.js';
import { canary, FN, request } from './world.js';

const notFound = () =>
  new OperationError(
    'FUNCTION_NOT_FOUND',
    `Function ${FN} does not exist in this account and region (lambda:TagResource).`,
    {},
  );

describe('the CodeDeploy engine: the function deleted while CodeDeploy holds the canary', () => {
  it('one record-write warning, and the end says it was deleted during the deployment', async () => {
    const w = codeDeployWorld('Canary10Percent5Minutes');
    // Two minutes into the 5-minute canary the function is deleted: the record (tags on it) too.
    w.clock.at(w.start + 120_000, () => {
      w.lambda.deleteFunction(FN);
      w.store.failWrites(notFound());
    });
    const result = await runDeploy(w.deps, request(canary(10, 300)));

    expect(result).toMatchObject({
      status: 'failed',
      cause: { code: 'ROLLBACK_TARGET_DELETED', data: { what: 'function', missingBefore: true } },
    });
    expect(describeReason(result)).toMatch(
      /^could not roll back \(at step 1 \(10%\): health unreadable: .*\): function demo was deleted during the deployment: there is no traffic left to move and nothing to roll back$/,
    );
    const recordWarnings = w.sink
      .warnings()
      .filter((x) => x.message.includes('could not write the deployment record'));
    expect(recordWarnings.map((x) => x.message)).toEqual([
      `could not write the deployment record (shifting) of ${FN} alias live: function ${FN} no longer exists (FUNCTION_NOT_FOUND), and its record went with it; the shift continues without one, and later writes that find it missing are not reported`,
    ]);
    const failed = w.sink.ofType('rollback.failed').map((e) => e.message);
    expect(failed).toEqual([`function ${FN} was deleted during the deployment`]);
  });
});
