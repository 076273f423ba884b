/**
 * Issue 9 case 5: UpdateAlias applied, its response lost, the SDK's retry with the old RevisionId
 * answered 412. The fake plays exactly that: the nth write lands, then the same write is sent
 * again and its 412 is what the engine sees.
 */

import { describe, expect, it } from 'vitest';
import { describeReason } from '../../src/cli/describe-outcome.js';
import { ConflictError, type LshiftError } from '../../src/domain/errors.js';
import { runDeploy } from '../../src/engine/deploy.js';
import type { AliasWrite } from '../../src/ports/lambda.js';
import type { FakeLambda } from '../helpers/fake-lambda.js';
import { ALARM, ALIAS, canary, createWorld, FN, linear, request } from './world.js';

/**
 * The `nth` updateAlias (1-based) is applied, its answer lost, and sent again like the SDK
 * does: the retry's 412 comes back as the adapter reports a 412 after a retry.
 */
function loseResponseOf(lambda: FakeLambda, nth: number): void {
  const original = lambda.updateAlias.bind(lambda);
  let count = 0;
  lambda.updateAlias = async (fn: string, alias: string, write: AliasWrite) => {
    count++;
    if (count !== nth) return original(fn, alias, write);
    await original(fn, alias, write);
    try {
      return await original(fn, alias, write);
    } catch (error) {
      const e = error as LshiftError;
      if (e.code !== 'ALIAS_CHANGED') throw error;
      throw new ConflictError('ALIAS_CHANGED_ON_RETRY', 'retried after no answer; 412', {
        context: e.context,
      });
    }
  };
}

describe('a lost UpdateAlias response (applied, then 412 on the retry)', () => {
  it('carries on with the re-read RevisionId when the alias holds exactly what lshift wrote', async () => {
    const w = createWorld();
    loseResponseOf(w.lambda, 2);
    const result = await runDeploy(w.deps, request(linear(50, 60)));
    expect(result.status).toBe('promoted');
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '2', additionalWeights: {} });
    // 50% written, 100% written then 412 on the retry; no write after that was needed.
    expect(w.lambda.callsOf('updateAlias').map((c) => c.error)).toEqual([
      undefined,
      undefined,
      'ALIAS_CHANGED',
    ]);
  });

  it('continues the shift with the RevisionId read back after the lost response', async () => {
    const w = createWorld();
    loseResponseOf(w.lambda, 1);
    const result = await runDeploy(w.deps, request(linear(50, 60)));
    expect(result.status).toBe('promoted');
    const writes = w.lambda.callsOf('updateAlias');
    // The 100% write carries the RevisionId of the 50% write that landed.
    const landed = w.lambda.aliasWrites()[2];
    expect(writes[2]?.error).toBeUndefined();
    expect(landed?.functionVersion).toBe('2');
    expect(landed?.revisionId).not.toBe(w.lambda.aliasWrites()[0]?.revisionId);
  });

  it('finishes a rollback whose response was lost as rolled back (exit 3), not as a conflict', async () => {
    const w = createWorld();
    w.metrics.setAlarm(ALARM, 'ALARM', { at: w.start + 25_000 });
    loseResponseOf(w.lambda, 2); // 1: the 10% write, 2: the rollback write
    const result = await runDeploy(w.deps, request(canary(10, 60)));
    expect(result.status).toBe('rolled_back');
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
  });

  it('stops on a 412 to a first attempt even when the alias holds the same weights (a concurrent deploy)', async () => {
    const w = createWorld();
    // Someone else writes exactly the 100% lshift is about to write, before it does.
    // After the hold's alias read at 30 s (health-monitor.ts aliasMoved), before its end at 60 s.
    w.lambda.moveAliasAt(w.start + 45_000, FN, ALIAS, { functionVersion: '2', additionalWeights: {} });
    const result = await runDeploy(w.deps, request(linear(50, 60)));
    expect(result.status).toBe('conflict');
    expect(describeReason(result)).toContain('the alias now routes all traffic to version 2');
    expect(w.lambda.callsOf('updateAlias').map((c) => c.error)).toEqual([undefined, 'ALIAS_CHANGED']);
  });

  it('still stops on a foreign change, and says what the alias holds now and what to run', async () => {
    const w = createWorld();
    // After the hold's alias read at 30 s (health-monitor.ts aliasMoved), before its end at 60 s.
    w.lambda.moveAliasAt(w.start + 45_000, FN, ALIAS, {
      functionVersion: '1',
      additionalWeights: { '2': 0.3 },
    });
    const result = await runDeploy(w.deps, request(linear(50, 60)));
    // A split left with nobody driving it: unsafe, exit 4 (DESIGN.md §6; split-mid-shift.test.ts), was a conflict.
    expect(result.status).toBe('unsafe');
    expect(describeReason(result)).toContain('lshift was writing all traffic to version 2');
    expect(describeReason(result)).toContain('the alias now routes version 1 + version 2 at 30%');
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ additionalWeights: { '2': 0.3 } });
  });
});
