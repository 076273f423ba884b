/**
 * A rollback whose alias writes fail for a reason that passes (a throttle, no answer, AWS failing
 * inside) goes on trying for ROLLBACK_PERSIST_MS of clock time (step-restore.ts), saying each
 * failure; one no retry passes (access denied) stops after the fixed attempts (deploy-failures).
 * Before, four attempts within 3.5 s of waits ended in exit 4 with the alias split and nobody
 * watching, however short the blip.
 */
import { describe, expect, it } from 'vitest';
import { describeReason } from '../../src/cli/describe-outcome.js';
import { exitCodeForStatus } from '../../src/cli/exit-codes.js';
import { OperationError } from '../../src/domain/errors.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { rollbackDeployment } from '../../src/engine/rollback.js';
import { ROLLBACK_PERSIST_MS } from '../../src/engine/step-restore.js';
import type { AliasWrite } from '../../src/ports/lambda.js';
import { ALARM, ALIAS, createWorld, FN, linear, request, type World } from './world.js';

const isRollbackWrite = (args: unknown[]) => {
  const write = args[2] as AliasWrite;
  return write.functionVersion === '1' && Object.keys(write.additionalWeights).length === 0;
};

function rollbackWrites(w: World) {
  return w.lambda.callsOf('updateAlias').filter((c) => isRollbackWrite(c.args));
}

function retryLines(w: World): string[] {
  return w.sink
    .ofType('log')
    .filter((e) => e.level === 'warn' && e.message.startsWith('rollback: putting the alias back failed'))
    .map((e) => e.message);
}

const unanswered = () =>
  new OperationError(
    'NETWORK_ERROR',
    'the AWS endpoint did not answer UpdateAlias on demo:live in time.',
    {},
  );

describe('a rollback persists through failures that pass', () => {
  it('a throttle storm over 8 writes (about 45 s): rolled back (exit 3), each failure said', async () => {
    const w = createWorld();
    w.metrics.setAlarm(ALARM, 'ALARM', { at: w.start + 85_000 });
    w.lambda.fail({ op: 'updateAlias', match: isRollbackWrite, times: 8 });
    const result = await runDeploy(w.deps, request(linear(10, 60)));

    expect(result.status).toBe('rolled_back');
    expect(exitCodeForStatus(result.status)).toBe(3);
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
    expect(rollbackWrites(w)).toHaveLength(9);
    // The fixed waits, then doubling up to 15 s.
    expect(w.clock.sleeps.filter((ms) => ms >= 500).slice(-8)).toEqual([
      500, 1000, 2000, 4000, 8000, 15000, 15000, 15000,
    ]);
    const lines = retryLines(w);
    expect(lines).toHaveLength(8);
    expect(lines[0]).toMatch(/^rollback: putting the alias back failed \(try 1\): .*THROTTLED|throttled/);
    expect(lines[0]).toContain('trying again in 0.5s');
    expect(lines[7]).toContain('(try 8)');
    expect(lines[7]).toMatch(/trying again in 15s; a failure that may pass is retried for 4m15s more$/);
  });

  it('writes that never stop failing: given up once the persistence time has passed (exit 4), not before', async () => {
    const w = createWorld();
    w.metrics.setAlarm(ALARM, 'ALARM', { at: w.start + 85_000 });
    w.lambda.fail({ op: 'updateAlias', match: isRollbackWrite, times: Number.POSITIVE_INFINITY });
    const result = await runDeploy(w.deps, request(linear(10, 60)));

    expect(result.status).toBe('unsafe');
    const writes = rollbackWrites(w);
    const span = writes.at(-1)!.at - writes[0]!.at;
    expect(span).toBeGreaterThanOrEqual(ROLLBACK_PERSIST_MS);
    expect(span).toBeLessThanOrEqual(ROLLBACK_PERSIST_MS + 1000);
    expect(writes.length).toBeGreaterThan(20);
    expect(describeReason(result)).toContain(`the alias write failed ${writes.length} times (THROTTLED`);
    expect(retryLines(w)).toHaveLength(writes.length - 1);
    expect(result.aliasState).toEqual({ functionVersion: '1', additionalWeights: { '2': 0.2 } });
  });

  it('`lshift rollback` through writes that got no answer 6 times: rolled back', async () => {
    const w = createWorld();
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: { '2': 0.2 } });
    w.lambda.fail({ op: 'updateAlias', times: 6, error: unanswered() });
    const result = await rollbackDeployment(w.deps, { functionName: FN, alias: ALIAS, reason: 'manual' });

    expect(result.status).toBe('rolled_back');
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
    expect(w.lambda.callsOf('updateAlias')).toHaveLength(7);
    expect(retryLines(w)).toHaveLength(6);
  });
});
