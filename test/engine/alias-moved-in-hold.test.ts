/**
 * Someone moves the alias by hand during a hold (the console, `aws lambda update-alias`): a
 * single deploy reads its alias once a heartbeat interval (health-monitor.ts aliasMoved) and stops
 * then, as its next weight write's 412 would have — up to a whole hold (or a bake) later, while it
 * judged and reported a split that no longer existed (found by the docs audit: "stops the running
 * deploy (exit 5)" was only true at the next write).
 */
import { describe, expect, it } from 'vitest';
import { describeReason } from '../../src/cli/describe-outcome.js';
import { exitCodeForStatus } from '../../src/cli/exit-codes.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { ALIAS, createWorld, FN, linear, request } from './world.js';

describe('an alias moved by someone else during a hold', () => {
  it('stops at the next alias read (within 30 s), not at the end of the hold: conflict, exit 5, record closed', async () => {
    const w = createWorld();
    // linear:10%:10m: 10% holds from 0 to 600 s; moved back to version 1 at 65 s.
    w.lambda.moveAliasAt(w.start + 65_000, FN, ALIAS, { functionVersion: '1', additionalWeights: {} });
    const result = await runDeploy(w.deps, request(linear(10, 600)));

    expect(result.status).toBe('conflict');
    expect(exitCodeForStatus(result.status)).toBe(5);
    expect(result.cause).toMatchObject({ code: 'ALIAS_CHANGED' });
    expect(w.lambda.callsOf('updateAlias')).toHaveLength(1);
    expect((result.endedAt ?? 0) - w.start).toBeLessThanOrEqual(100_000);
    expect(describeReason(result)).toBe(
      'alias live of function demo changed underneath at step 1 (10%): someone else moved it (a read during the hold found it routing all traffic to version 1, not version 1 + version 2 at 10% as lshift last wrote it); lshift stopped and moved no more traffic; it is now version 1 (100%)',
    );
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'rolled-back' });
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
  });

  it('goes on when only the RevisionId changed (the same routing written again)', async () => {
    const w = createWorld();
    w.lambda.moveAliasAt(w.start + 65_000, FN, ALIAS, {
      functionVersion: '1',
      additionalWeights: { '2': 0.1 },
    });
    const result = await runDeploy(w.deps, request(linear(10, 600)));

    // Not stopped by the read: the next weight write meets the new RevisionId (412), as before.
    // A split left with nobody driving it: unsafe, exit 4 (DESIGN.md §6; split-mid-shift.test.ts), was a conflict.
    expect(result.status).toBe('unsafe');
    expect(w.lambda.callsOf('updateAlias').map((c) => c.error)).toEqual([undefined, 'ALIAS_CHANGED']);
    expect(w.lambda.callsOf('updateAlias')[1]!.at - w.start).toBeGreaterThanOrEqual(600_000);
  });

  it('reads the alias at most once per 30 s of hold', async () => {
    const w = createWorld();
    const result = await runDeploy(w.deps, request(linear(50, 600)));
    expect(result.status).toBe('promoted');
    const inHold = w.lambda.callsOf('getAlias').filter((c) => c.at > w.start && c.at < w.start + 600_000);
    expect(inHold.length).toBeGreaterThanOrEqual(18);
    expect(inHold.length).toBeLessThanOrEqual(20);
  });
});
