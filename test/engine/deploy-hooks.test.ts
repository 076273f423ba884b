import { describe, expect, it } from 'vitest';
import { describeReason } from '../../src/cli/describe-outcome.js';
import { exitCodeForStatus } from '../../src/cli/exit-codes.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { cmdHook, functionPayloadOf } from '../helpers/fake-hooks.js';
import { ALARM, canary, createWorld, linear, request, writesOf } from './world.js';

describe('runDeploy: hooks', () => {
  it('sends every hook the exact payload', async () => {
    const w = createWorld();
    const hooks = {
      pre: [cmdHook('pre')],
      step: [cmdHook('step')],
      post: [cmdHook('post')],
    };
    const result = await runDeploy(w.deps, request({ ...linear(25, 60), hooks }));
    expect(result.status).toBe('promoted');
    const base = {
      deploymentId: 'd-abc123',
      functionName: 'demo',
      alias: 'live',
      stableVersion: '1',
      targetVersion: '2',
      strategy: 'linear:25%:60s',
      startedAt: '2026-01-01T00:00:00.000Z',
    };
    expect(w.hooks.calls.map((c) => c.payload)).toEqual([
      { ...base, phase: 'pre', weight: 0 },
      { ...base, phase: 'step', weight: 25 },
      { ...base, phase: 'step', weight: 50 },
      { ...base, phase: 'step', weight: 75 },
      { ...base, phase: 'post', weight: 100 },
    ]);
  });

  it('runs step hooks before each weight increase after the first', async () => {
    const w = createWorld();
    const order: string[] = [];
    w.lambda.onCall = (call) => {
      if (call.op === 'updateAlias') order.push('write');
    };
    w.hooks.script('cmd:step', () => {
      order.push('hook');
      return { ok: true, durationMs: 1 };
    });
    await runDeploy(w.deps, request({ ...linear(25, 60), hooks: { step: [cmdHook('step')] } }));
    expect(order).toEqual(['write', 'hook', 'write', 'hook', 'write', 'hook', 'write']);
  });

  it('never writes the alias when a pre-traffic hook fails; status rolled_back naming the hook', async () => {
    const w = createWorld();
    w.hooks.script('cmd:./smoke.sh', {
      ok: false,
      reason: 'exit code 1',
      outputTail: 'GET /health -> 500\n',
    });
    const hooks = { pre: [cmdHook('./smoke.sh'), cmdHook('never')], rollback: [cmdHook('notify')] };
    const result = await runDeploy(w.deps, request({ ...canary(10, 60), hooks }));

    expect(result.status).toBe('rolled_back');
    expect(exitCodeForStatus(result.status)).toBe(3);
    expect(describeReason(result)).toBe(
      'pre-traffic hook cmd:./smoke.sh failed: exit code 1 (output: GET /health -> 500); no traffic was moved',
    );
    expect(w.lambda.callsOf('updateAlias')).toHaveLength(0);
    expect(w.hooks.callsOf('cmd:never')).toHaveLength(0);
    expect(w.hooks.callsOf('cmd:notify')).toHaveLength(1);
    expect(result.steps).toEqual([]);
  });

  // Found by a hostile pass (session 62): a function's environment value written into a hook's
  // command line was printed in clear in the hook's running and FAILED lines, the reason and the
  // result — its output was masked. The runner shows the hook (HookRunner.display).
  it('shows each hook as its runner displays it: in the events and the reason', async () => {
    const w = createWorld();
    w.hooks.script('cmd:./smoke.sh hunter2hunter2', { ok: false, reason: 'exit code 1' });
    const hooks = Object.assign(w.hooks, { display: () => 'cmd:./smoke.sh ***' });
    const result = await runDeploy(
      { ...w.deps, hooks },
      request({ ...canary(10, 60), hooks: { pre: [cmdHook('./smoke.sh hunter2hunter2')] } }),
    );
    expect(describeReason(result)).toBe(
      'pre-traffic hook cmd:./smoke.sh *** failed: exit code 1; no traffic was moved',
    );
    expect(w.sink.ofType('hook.started').map((e) => e.hook)).toEqual(['cmd:./smoke.sh ***']);
    expect(JSON.stringify([w.sink.events, result])).not.toContain('hunter2hunter2');
  });

  // Found by a hostile pass: the failure kept only the output's last line, though docs/hooks.md
  // says its last 20 are repeated in the failure message.
  it('a failed hook keeps the last 20 lines of its output in the cause; the reason quotes the last', async () => {
    const w = createWorld();
    const printed = Array.from({ length: 25 }, (_, i) => `line ${i + 1}`);
    w.hooks.script('cmd:./smoke.sh', {
      ok: false,
      reason: 'exit code 1',
      outputTail: `${printed.join('\n')}\n`,
    });
    const result = await runDeploy(
      w.deps,
      request({ ...canary(10, 60), hooks: { pre: [cmdHook('./smoke.sh')] } }),
    );

    expect(result.cause).toMatchObject({
      code: 'HOOK_FAILED',
      data: { phase: 'pre', hooks: ['cmd:./smoke.sh'], output: printed.slice(5) },
      detail: 'pre-traffic hook cmd:./smoke.sh failed: exit code 1 (output: line 25)',
    });
  });

  it('a failed rollback hook keeps its last lines too (rollbackHooks.output)', async () => {
    const w = createWorld();
    w.hooks.script('cmd:./smoke.sh', { ok: false, reason: 'exit code 1' });
    w.hooks.script('cmd:./page.sh', {
      ok: false,
      reason: 'exit code 7',
      outputTail: 'paging…\nno route to pager\n',
    });
    const hooks = { pre: [cmdHook('./smoke.sh')], rollback: [cmdHook('./page.sh')] };
    const result = await runDeploy(w.deps, request({ ...canary(10, 60), hooks }));

    expect(result.rollbackHooks).toEqual({
      kind: 'failed',
      hooks: ['cmd:./page.sh'],
      detail: 'rollback hook cmd:./page.sh failed: exit code 7 (output: no route to pager)',
      output: ['paging…', 'no route to pager'],
    });
  });

  it('rolls back when a step hook fails', async () => {
    const w = createWorld();
    w.hooks.script('cmd:check', { ok: true }, { ok: false, reason: 'p99 400ms' });
    const result = await runDeploy(
      w.deps,
      request({ ...linear(10, 60), hooks: { step: [cmdHook('check')] } }),
    );
    expect(result.status).toBe('rolled_back');
    expect(describeReason(result)).toBe(
      'rolled back at step 2 (20%): step hook cmd:check failed: p99 400ms (before moving to 30%)',
    );
    expect(writesOf(w.lambda).map((x) => x.slice(0, 2))).toEqual([
      ['1', { '2': 0.1 }],
      ['1', { '2': 0.2 }],
      ['1', {}],
    ]);
  });

  it('rolls back from 100% when a post-traffic hook fails', async () => {
    const w = createWorld();
    w.hooks.script('cmd:post', { ok: false, reason: 'exit code 2' });
    const result = await runDeploy(
      w.deps,
      request({ ...canary(10, 60), hooks: { post: [cmdHook('post')] } }),
    );
    expect(result.status).toBe('rolled_back');
    expect(describeReason(result)).toBe(
      'rolled back after step 2 (100%), during the post-traffic hooks: post-traffic hook cmd:post failed: exit code 2',
    );
    expect(writesOf(w.lambda).map((x) => x.slice(0, 2))).toEqual([
      ['1', { '2': 0.1 }],
      ['2', {}],
      ['1', {}],
    ]);
    expect(w.store.phases()).toEqual(['started', 'shifting', 'post-hook', 'rolling-back', 'rolled-back']);
  });

  it('treats a hook runner that throws as a failed hook', async () => {
    const w = createWorld();
    w.hooks.script('cmd:pre', { throws: new Error('spawn ENOENT') });
    const result = await runDeploy(w.deps, request({ ...canary(10, 60), hooks: { pre: [cmdHook('pre')] } }));
    expect(result.status).toBe('rolled_back');
    expect(describeReason(result)).toBe(
      'pre-traffic hook cmd:pre failed: spawn ENOENT; no traffic was moved',
    );
  });

  it('reports a failing rollback hook without changing the outcome, and runs every rollback hook', async () => {
    const w = createWorld();
    w.metrics.setAlarm(ALARM, 'ALARM', { at: w.start + 5_000, reason: 'errors' });
    w.hooks.script('cmd:notify', { ok: false, reason: 'slack down' });
    const hooks = { rollback: [cmdHook('notify'), cmdHook('cleanup')] };
    const result = await runDeploy(w.deps, request({ ...canary(10, 60), hooks }));

    expect(result.status).toBe('rolled_back');
    expect(describeReason(result)).toBe(
      'rolled back at step 1 (10%): alarm demo-errors is ALARM: errors; rollback hook cmd:notify failed: slack down (the outcome is unchanged)',
    );
    expect(w.hooks.calls.map((c) => [c.spec.raw, c.payload.phase, functionPayloadOf(c).weight])).toEqual([
      ['cmd:notify', 'rollback', 0],
      ['cmd:cleanup', 'rollback', 0],
    ]);
    const completed = w.sink.ofType('hook.completed');
    expect(completed.map((e) => [e.hook, e.ok])).toEqual([
      ['cmd:notify', false],
      ['cmd:cleanup', true],
    ]);
    expect(w.lambda.peekAlias('demo', 'live')?.functionVersion).toBe('1');
  });

  it('passes each hook its own timeout or the default, and streams its output as events', async () => {
    const w = createWorld();
    w.hooks.script('cmd:pre', { lines: ['starting', 'all good'] });
    const hooks = { pre: [cmdHook('pre'), cmdHook('slow', 30)] };
    await runDeploy(w.deps, request({ ...canary(10, 60), hooks, hookTimeoutSeconds: 120 }));
    // Always a signal, even without the deploy's own: it ends the hook if the deployment is taken over.
    expect(w.hooks.calls.map((c) => [c.spec.raw, c.timeoutMs, c.hadSignal])).toEqual([
      ['cmd:pre', 120_000, true],
      ['cmd:slow', 30_000, true],
    ]);
    expect(w.sink.ofType('hook.output').map((e) => [e.phase, e.hook, e.line])).toEqual([
      ['pre', 'cmd:pre', 'starting'],
      ['pre', 'cmd:pre', 'all good'],
    ]);
  });

  it('never passes on terminal escapes or line breaks from a hook: its output lines and its reason', async () => {
    const w = createWorld();
    // A script retitling and clearing the terminal; a hook function answering with escapes.
    w.hooks.script('cmd:./evil.sh', {
      lines: ['\u001b]0;TITLE\u0007\u001b[31mRED\u001b[2J'],
      ok: false,
      reason: 'failed: \u001b[31mEVIL\u009b2J\n::error::x',
    });
    const result = await runDeploy(
      w.deps,
      request({ ...canary(10, 60), hooks: { pre: [cmdHook('./evil.sh')] } }),
    );
    expect(result.status).toBe('rolled_back');
    const lines = w.sink.ofType('hook.output').map((e) => e.line);
    expect(lines).toEqual(['\uFFFD]0;TITLE\uFFFD\uFFFD[31mRED\uFFFD[2J']);
    const reason = describeReason(result);
    expect(reason).toContain('failed: \uFFFD[31mEVIL\uFFFD2J\uFFFD::error::x');
    for (const c of ['\u001b', '\u009b', '\n']) expect(reason).not.toContain(c);
  });
});
