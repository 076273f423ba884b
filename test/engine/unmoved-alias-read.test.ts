/**
 * A deployment that fails before lshift wrote any weight (a pre-traffic hook, a first write
 * refused unsent) reads the alias before it says "unchanged": a hook (or a person during it) that
 * moved the alias was said "Not started: demo:live is unchanged, all traffic is still on version
 * 1", exit 3, with the alias on the version whose smoke test failed (found by a hostile pass).
 */
import { describe, expect, it } from 'vitest';
import { describeReason } from '../../src/cli/describe-outcome.js';
import { exitCodeForStatus } from '../../src/cli/exit-codes.js';
import { renderStatus } from '../../src/cli/renderers/status-text.js';
import { needsOperator } from '../../src/cli/status-needs-operator.js';
import { OperationError } from '../../src/domain/errors.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { runRelease } from '../../src/engine/release.js';
import { getStatus } from '../../src/engine/status.js';
import { cmdHook } from '../helpers/fake-hooks.js';
import { ALARM, ALIAS, canary, createFleetWorld, createWorld, FN, request } from './world.js';

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

  // Its status said "step 1 at 100%", as if lshift's step 1 had moved all traffic; and trafficMoved
  // is false beside an alias all on version 2: it counts lshift's own writes (docs/ci.md).
  it('status of that record: moved by hand at step 1 or before it, not "step 1 at 100%"', async () => {
    const w = createWorld();
    w.hooks.script('cmd:pre', () => {
      w.lambda.moveAlias(FN, ALIAS, { functionVersion: '2', additionalWeights: {} });
      return failed;
    });
    const result = await runDeploy(w.deps, request({ ...canary(10, 60), hooks: { pre: [cmdHook('pre')] } }));
    expect(result.trafficMoved).toBe(false);

    const status = renderStatus(await getStatus(w.deps, { functionName: FN, alias: ALIAS, alarms: [] }));
    expect(status).toContain(
      "promoted (moved by hand), version 1 → 2, at step 1 of 2 or before it, not by lshift's steps (canary:10%:1m)",
    );
    expect(status).not.toContain('step 1 at 100%');
  });

  // Read as a 3 a.m. user (session 66): the version whose own smoke test failed serves all traffic,
  // and status said "promoted (moved by hand)", exit 0, nothing of the failure. The record now
  // keeps why lshift was rolling it back, and status says it with both ways, exit 4.
  it('status of that record names the failed hook and the way back, and needs a person (exit 4)', async () => {
    const w = createWorld();
    w.hooks.script('cmd:pre', () => {
      w.lambda.moveAlias(FN, ALIAS, { functionVersion: '2', additionalWeights: {} });
      return failed;
    });
    await runDeploy(w.deps, request({ ...canary(10, 60), hooks: { pre: [cmdHook('pre')] } }));
    expect(w.store.peek(FN, ALIAS)).toMatchObject({
      phase: 'promoted',
      endReason: 'moved by hand',
      cause: { code: 'HOOK_FAILED', phase: 'pre' },
    });

    const status = await getStatus(w.deps, { functionName: FN, alias: ALIAS, alarms: [] });
    expect(needsOperator(status)).toBe(true);
    const text = renderStatus(status);
    expect(text).toContain('lshift decided to roll it back: a pre-traffic hook failed');
    expect(text).toContain(
      "MOVED OVER LSHIFT'S ROLLBACK: all traffic is on version 2, which lshift had decided to roll back (a pre-traffic hook failed), put there by someone else (a hook, or a person); lshift left that move",
    );
    expect(text).toContain('to put it back on version 1: `lshift rollback demo --alias live`');
  });

  it('a move during the shift with no rollback decided (a person promoting by hand) stays exit 0', async () => {
    const w = createWorld({ auto: false });
    w.lambda.moveAliasAt(w.start + 30_000, FN, ALIAS, { functionVersion: '2', additionalWeights: {} });
    const running = runDeploy(w.deps, request({ ...canary(10, 60) }));
    for (let i = 0; i < 200; i++) await w.clock.advance(1000);
    await running;
    const record = w.store.peek(FN, ALIAS);
    expect(record).toMatchObject({ phase: 'promoted', endReason: 'moved by hand' });
    expect(record?.cause).toBeUndefined();
    expect(needsOperator(await getStatus(w.deps, { functionName: FN, alias: ALIAS, alarms: [] }))).toBe(
      false,
    );
  });

  // Closed rolled-back, not `paused`: lshift had decided to stop it, and a resume of a paused one
  // skipped the failed hook and promoted (rollback-decided-hand-split.test.ts).
  it('a split made during the pre-traffic hook is left, and the record is closed rolled-back (weights changed by hand)', async () => {
    const w = createWorld();
    w.hooks.script('cmd:pre', () => {
      w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: { '2': 0.3 } });
      return failed;
    });
    const result = await runDeploy(w.deps, request({ ...canary(10, 60), hooks: { pre: [cmdHook('pre')] } }));

    // Unsafe (exit 4), not a conflict (session 67): the split is left and nobody drives it.
    expect(result.status).toBe('unsafe');
    expect(exitCodeForStatus(result.status)).toBe(4);
    expect(result.trafficMoved).toBe(false);
    expect(describeReason(result)).toContain('version 1 (70%) + version 2 (30%)');
    expect(w.lambda.aliasWrites()).toEqual([]);
    expect(w.store.peek(FN, ALIAS)).toMatchObject({
      phase: 'rolled-back',
      endReason: 'weights changed by hand',
      cause: { code: 'HOOK_FAILED', phase: 'pre' },
    });
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
    expect(reason).toMatch(
      /^stopped \(before any traffic moved: pre-traffic hook cmd:pre failed: exit code 1\): lshift had written none of its weights and reading the alias then failed \(THROTTLED/,
    );
    expect(reason).toContain('where alias live is now is unknown');
    expect(reason).not.toContain('unchanged');
    expect(result.rollbackCommand).toBe('lshift rollback demo --alias live');
    expect(result.fixCommand).toContain('update-alias');
    expect(w.lambda.aliasWrites()).toEqual([]);
  });

  it('no pre-traffic hook, the first weight write refused (expired credentials refuse the read too): "Not started", exit 3, as documented', async () => {
    const w = createWorld();
    const expired = new OperationError(
      'CREDENTIALS_INVALID',
      'AWS rejected the credentials (ExpiredTokenException)',
      {
        context: { functionName: FN, alias: ALIAS, action: 'lambda:UpdateAlias', notApplied: true },
      },
    );
    w.lambda.fail({ op: 'updateAlias', times: Number.POSITIVE_INFINITY, error: expired });
    w.lambda.fail({ op: 'getAlias', nth: 2, times: Number.POSITIVE_INFINITY, error: expired });
    const result = await runDeploy(w.deps, request(canary(10, 60)));
    expect(result.status).toBe('rolled_back');
    expect(result.trafficMoved).toBe(false);
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

describe('runRelease: a failure before any weight write reads each alias', () => {
  it("beta's pre-traffic hook moved beta:live to its new version, then failed: beta is a conflict, never 'unchanged'", async () => {
    const fns = ['alpha', 'beta'];
    const w = createFleetWorld(fns);
    w.hooks.script('cmd:./smoke beta', () => {
      w.lambda.moveAlias('beta', ALIAS, { functionVersion: '2', additionalWeights: {} });
      return failed;
    });
    const members = fns.map((fn, i) => ({
      ...request({
        functionName: fn,
        alarms: [`${fn}-errors`],
        deploymentId: `d-abc12${i}`,
        ...canary(10, 60),
      }),
      hooks: { pre: [cmdHook(`./smoke ${fn}`)] },
    }));
    const result = await runRelease(w.deps, { releaseId: 'r-abc123', members });

    const beta = result.functions.find((f) => f.functionName === 'beta');
    expect(beta?.status).toBe('conflict');
    expect(exitCodeForStatus(result.status)).not.toBe(3);
    expect(w.lambda.aliasWrites()).toEqual([]);
    expect(w.lambda.peekAlias('beta', ALIAS)?.functionVersion).toBe('2');
    expect(w.store.peek('beta', ALIAS)).toMatchObject({ phase: 'promoted', endReason: 'moved by hand' });
    expect(w.store.peek('alpha', ALIAS)?.phase).toBe('rolled-back');
  });
});

describe('runDeploy: the alias is read again after the rollback hooks', () => {
  // Unsafe (exit 4), not the conflict (exit 5) it was until session 67: the split is left and
  // nobody drives it (DESIGN.md §6); moved whole onto one version (below) stays a conflict.
  it('a rollback hook that split the alias after an alarm rollback: unsafe (exit 4), not "all traffic is on version 1"', async () => {
    const w = createWorld();
    w.metrics.setAlarm(ALARM, 'ALARM', { at: w.start + 5_000, reason: 'errors' });
    w.hooks.script('cmd:notify', () => {
      w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: { '2': 0.3 } });
      return { ok: true, durationMs: 0 };
    });
    const result = await runDeploy(
      w.deps,
      request({ ...canary(10, 60), hooks: { rollback: [cmdHook('notify')] } }),
    );

    expect(result.status).toBe('unsafe');
    expect(exitCodeForStatus(result.status)).toBe(4);
    expect(result.aliasState).toEqual({ functionVersion: '1', additionalWeights: { '2': 0.3 } });
    expect(describeReason(result)).toContain(
      "was moved after lshift's rollback, while the rollback hooks ran",
    );
    expect(w.store.peek(FN, ALIAS)).toMatchObject({
      phase: 'rolled-back',
      endReason: 'weights changed by hand',
      cause: { code: 'GATE_FAILED' },
    });
  });

  it('a failed pre-traffic hook, then a rollback hook that moved all traffic to the new version: a conflict', async () => {
    const w = createWorld();
    w.hooks.script('cmd:pre', failed);
    w.hooks.script('cmd:notify', () => {
      w.lambda.moveAlias(FN, ALIAS, { functionVersion: '2', additionalWeights: {} });
      return { ok: true, durationMs: 0 };
    });
    const hooks = { pre: [cmdHook('pre')], rollback: [cmdHook('notify')] };
    const result = await runDeploy(w.deps, request({ ...canary(10, 60), hooks }));

    expect(result.status).toBe('conflict');
    expect(describeReason(result)).not.toContain('no traffic was moved');
    expect(w.lambda.aliasWrites()).toEqual([]);
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'promoted', endReason: 'moved by hand' });
  });

  it('an alias that cannot be read after the rollback hooks: unsafe (exit 4), where it is unknown', async () => {
    const w = createWorld();
    w.metrics.setAlarm(ALARM, 'ALARM', { at: w.start + 5_000, reason: 'errors' });
    w.hooks.script('cmd:notify', () => {
      w.lambda.fail({
        op: 'getAlias',
        times: Number.POSITIVE_INFINITY,
        error: new OperationError('THROTTLED', 'AWS throttled lambda:GetAlias.'),
      });
      return { ok: true, durationMs: 0 };
    });
    const result = await runDeploy(
      w.deps,
      request({ ...canary(10, 60), hooks: { rollback: [cmdHook('notify')] } }),
    );

    expect(result.status).toBe('unsafe');
    expect(describeReason(result)).toMatch(
      /^rolled back \(at step 1 \(10%\): alarm demo-errors is ALARM: errors\), but the rollback hooks ran and reading the alias then failed \(THROTTLED.*where alias live is now is unknown/,
    );
    expect(result.rollbackCommand).toBe('lshift rollback demo --alias live');
  });
});
