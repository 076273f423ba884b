/**
 * A deployment that fails before lshift wrote any weight (a pre-traffic hook, a first write
 * refused unsent) reads the alias before it says "unchanged": a hook (or a person during it) that
 * moved the alias was said "Not started: demo:live is unchanged, all traffic is still on version
 * 1", exit 3, with the alias on the version whose smoke test failed (found by a hostile pass).
 */
import { describe, expect, it } from 'vitest';
import { describeReason } from '../../src/cli/describe-outcome.js';
import { exitCodeForStatus } from '../../src/cli/exit-codes.js';
import { OperationError } from '../../src/domain/errors.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { cmdHook } from '../helpers/fake-hooks.js';
import { ALIAS, canary, createWorld, FN, request } from './world.js';

const failed = { ok: false, reason: 'exit code 1', durationMs: 0 };

describe('runDeploy: a failure before any weight write reads the alias', () => {
  it('a pre-traffic hook that moved all traffic to the new version, then failed: a conflict (exit 5), not "unchanged"', async () => {
    const w = createWorld();
    w.hooks.script('cmd:pre', () => {
      w.lambda.moveAlias(FN, ALIAS, { functionVersion: '2', additionalWeights: {} });
      return failed;
    });
    const result = await runDeploy(w.deps, request({ ...canary(10, 60), hooks: { pre: [cmdHook('pre')] } }));

    expect(result.status).toBe('conflict');
    expect(exitCodeForStatus(result.status)).toBe(5);
    expect(result.aliasState).toEqual({ functionVersion: '2', additionalWeights: {} });
    const reason = describeReason(result);
    expect(reason).toContain('was moved by someone else');
    expect(reason).toContain('lshift rollback demo --alias live');
    expect(reason).not.toContain('no traffic was moved');
    // Nothing written over the move; the record closed as moved by hand (check judges it).
    expect(w.lambda.aliasWrites()).toEqual([]);
    expect(w.lambda.peekAlias(FN, ALIAS)?.functionVersion).toBe('2');
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'promoted', endReason: 'moved by hand' });
    expect(w.sink.ofType('rollback.started')).toEqual([]);
  });

  it('a split made during the pre-traffic hook is left, and the record is paused (weights changed by hand)', async () => {
    const w = createWorld();
    w.hooks.script('cmd:pre', () => {
      w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: { '2': 0.3 } });
      return failed;
    });
    const result = await runDeploy(w.deps, request({ ...canary(10, 60), hooks: { pre: [cmdHook('pre')] } }));

    expect(result.status).toBe('conflict');
    expect(result.trafficMoved).toBe(false);
    expect(describeReason(result)).toContain('version 1 (70%) + version 2 (30%)');
    expect(w.lambda.aliasWrites()).toEqual([]);
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'paused', endReason: 'weights changed by hand' });
  });

  it('an alias that cannot be read after the failed hook is unknown: unsafe (exit 4) with the fix, never "unchanged"', async () => {
    const w = createWorld();
    w.hooks.script('cmd:pre', () => {
      w.lambda.fail({
        op: 'getAlias',
        times: Number.POSITIVE_INFINITY,
        error: new OperationError('THROTTLED', 'AWS throttled lambda:GetAlias.'),
      });
      return failed;
    });
    const result = await runDeploy(w.deps, request({ ...canary(10, 60), hooks: { pre: [cmdHook('pre')] } }));

    expect(result.status).toBe('unsafe');
    expect(exitCodeForStatus(result.status)).toBe(4);
    const reason = describeReason(result);
    expect(reason).toContain('reading the alias failed (THROTTLED');
    expect(reason).toContain('where alias live is now is unknown');
    expect(reason).not.toContain('unchanged');
    expect(result.rollbackCommand).toBe('lshift rollback demo --alias live');
    expect(result.fixCommand).toContain('update-alias');
    expect(w.lambda.aliasWrites()).toEqual([]);
  });

  it('an alias still all on the stable version after the failed hook: rolled back, nothing moved (as before)', async () => {
    const w = createWorld();
    w.hooks.script('cmd:pre', failed);
    const result = await runDeploy(w.deps, request({ ...canary(10, 60), hooks: { pre: [cmdHook('pre')] } }));
    expect(result.status).toBe('rolled_back');
    expect(result.trafficMoved).toBe(false);
    expect(describeReason(result)).toBe('pre-traffic hook cmd:pre failed: exit code 1; no traffic was moved');
  });
});
