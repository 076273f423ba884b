import { describe, expect, it } from 'vitest';
import { describeReason } from '../../src/cli/describe-outcome.js';
import { exitCodeForStatus } from '../../src/cli/exit-codes.js';
import { OperationError } from '../../src/domain/errors.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { cmdHook } from '../helpers/fake-hooks.js';
import { ALIAS, canary, createWorld, FN, linear, request, writesOf } from './world.js';

describe('runDeploy: Ctrl-C while the record’s first write hangs', () => {
  // Found by a hostile pass: the abandoned write ended as INTERNAL, exit 4, "after traffic moved".
  it.each([
    ['landed', true],
    ['lost', false],
  ])(
    'abandoned and %s: INTERRUPTED (exit 1), no alias write, the record closed if it landed',
    async (_name, lands) => {
      const w = createWorld();
      const controller = new AbortController();
      const write = w.store.write.bind(w.store);
      let first = true;
      w.store.write = async (fn, alias, record, opts) => {
        if (!first) return write(fn, alias, record, opts);
        first = false;
        if (lands) await write(fn, alias, record, opts);
        controller.abort(new Error('interrupted by SIGINT'));
        throw new OperationError('INTERRUPTED', 'lambda:TagResource on function demo was abandoned');
      };
      const error = await runDeploy(w.deps, request({ ...linear(10, 60), signal: controller.signal })).catch(
        (e: unknown) => e,
      );

      expect(error).toMatchObject({ code: 'INTERRUPTED', exitCode: 1 });
      expect((error as Error).message).toBe(
        'interrupted by SIGINT while writing the deployment record, before any traffic moved: alias live is unchanged (the record is closed if its write landed).',
      );
      expect(writesOf(w.lambda)).toEqual([]);
      if (lands)
        expect(w.store.peek(FN, ALIAS)).toMatchObject({
          phase: 'rolled-back',
          percent: 0,
          cause: { code: 'INTERRUPTED' },
        });
      else expect(w.store.peek(FN, ALIAS)).toBeUndefined();
    },
  );
});

describe('runDeploy: SIGTERM while the record’s first write hangs, and the write lands later', () => {
  // The SDK's request was abandoned, not withdrawn: it landed after the deploy had exited, and the
  // `started` record then held the alias (DEPLOYMENT_IN_PROGRESS, then DEPLOYMENT_STALE) until
  // `lshift check` or `rollback` closed it. The close is written as the seal (record-seal.ts).
  it('the late `started` record is read as the closed deployment it is, and the next deploy goes ahead', async () => {
    const w = createWorld();
    const controller = new AbortController();
    const write = w.store.write.bind(w.store);
    let held: (() => Promise<void>) | undefined;
    w.store.write = async (fn, alias, record, opts) => {
      if (held) return write(fn, alias, record, opts);
      held = () => write(fn, alias, record, opts);
      controller.abort(new Error('terminated by SIGTERM'));
      throw new OperationError('INTERRUPTED', 'lambda:TagResource on function demo was abandoned');
    };
    const error = await runDeploy(w.deps, request({ ...linear(10, 60), signal: controller.signal })).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'INTERRUPTED', exitCode: 1 });
    expect(w.store.peek(FN, ALIAS)).toBeUndefined();

    await held!();
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ id: 'd-abc123', phase: 'started' });
    expect(await w.store.read(FN, ALIAS)).toMatchObject({
      id: 'd-abc123',
      phase: 'rolled-back',
      percent: 0,
      cause: { code: 'INTERRUPTED' },
    });

    w.store.write = write;
    const next = await runDeploy(w.deps, request({ ...linear(50, 60), deploymentId: 'd-next01' }));
    expect(next.status).toBe('promoted');
    expect(await w.store.read(FN, ALIAS)).toMatchObject({ id: 'd-next01', phase: 'promoted' });
  });
});

describe('runDeploy: Ctrl-C / SIGTERM', () => {
  it('rolls back with a single alias write when interrupted mid-hold', async () => {
    const w = createWorld();
    const controller = new AbortController();
    w.clock.at(w.start + 95_000, () => controller.abort(new Error('SIGINT')));
    const hooks = { rollback: [cmdHook('notify')] };
    const abortedAtStart: boolean[] = [];
    w.hooks.script('cmd:notify', (_, opts) => {
      abortedAtStart.push(opts.signal?.aborted ?? false);
      return { ok: true, durationMs: 0 };
    });
    const result = await runDeploy(w.deps, request({ ...linear(10, 60), hooks, signal: controller.signal }));

    expect(result.status).toBe('rolled_back');
    expect(describeReason(result)).toBe('interrupted at step 2 (20%); all traffic is back on version 1');
    expect(writesOf(w.lambda)).toEqual([
      ['1', { '2': 0.1 }, 'rev-4'],
      ['1', { '2': 0.2 }, 'rev-5'],
      ['1', {}, 'rev-6'],
    ]);
    // The rollback is written at the moment of the interrupt, not at the end of the hold.
    expect(w.lambda.callsOf('updateAlias')[2]?.at).toBe(w.start + 95_000);
    expect(result.steps.at(-1)).toMatchObject({
      percent: 20,
      result: 'interrupted',
      endedAt: w.start + 95_000,
    });
    // Rollback hooks tell people, so they run after an interrupt too (a cancelled CI job rolled
    // production back and nobody was told), each for at most 4 s: the process must exit within
    // seconds, before CI's SIGTERM. The signal that caused the rollback does not stop them.
    expect(w.hooks.calls.map((c) => [c.spec.raw, c.timeoutMs])).toEqual([['cmd:notify', 4000]]);
    expect(abortedAtStart).toEqual([false]);
    expect(result.rollbackHooks).toBeUndefined();
  });

  // One after the other, three hooks of 4 s each took 13.5 s and met CI's SIGTERM (found by a
  // hostile pass): side by side, they start together.
  it('several rollback hooks after an interrupt run side by side, each for at most 4 s', async () => {
    const w = createWorld();
    const controller = new AbortController();
    w.clock.at(w.start + 95_000, () => controller.abort(new Error('SIGTERM')));
    const hooks = { rollback: [cmdHook('page'), cmdHook('chat'), cmdHook('ticket')] };
    let running = 0;
    let most = 0;
    for (const raw of ['cmd:page', 'cmd:chat', 'cmd:ticket'])
      w.hooks.script(raw, async () => {
        most = Math.max(most, ++running);
        await new Promise((resolve) => setImmediate(resolve));
        running--;
        return { ok: true, durationMs: 0 };
      });
    const result = await runDeploy(w.deps, request({ ...linear(10, 60), hooks, signal: controller.signal }));
    expect(result.status).toBe('rolled_back');
    expect(w.hooks.calls.map((c) => c.timeoutMs)).toEqual([4000, 4000, 4000]);
    expect(most).toBe(3);
    expect(w.store.phases()).toEqual(['started', 'shifting', 'rolling-back', 'rolled-back']);
  });

  it('leaves the weights and pauses with onInterrupt leave (exit 4, no write)', async () => {
    const w = createWorld();
    const controller = new AbortController();
    w.clock.at(w.start + 95_000, () => controller.abort());
    const result = await runDeploy(
      w.deps,
      request({ ...linear(10, 60), signal: controller.signal, onInterrupt: 'leave' }),
    );

    expect(result.status).toBe('paused');
    expect(exitCodeForStatus(result.status)).toBe(4);
    expect(w.lambda.callsOf('updateAlias')).toHaveLength(2);
    expect(result.aliasState).toEqual({ functionVersion: '1', additionalWeights: { '2': 0.2 } });
    expect(describeReason(result)).toContain('interrupted at step 2 (20%); weights left as they are');
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'paused', stepIndex: 1, percent: 20 });
  });

  // Found by a hostile pass: "left as they are: 75/25", then 50/50 once the held write landed.
  it('onInterrupt leave with a weight write abandoned in flight: the alias read again, and the write said to maybe land', async () => {
    const w = createWorld();
    const controller = new AbortController();
    let writes = 0;
    w.lambda.onCall = (call) => {
      if (call.op !== 'updateAlias' || ++writes !== 2) return;
      // The 20% write reached Lambda, and the interrupt abandoned its answer.
      w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: { '2': 0.2 } });
      controller.abort(new Error('SIGTERM'));
    };
    w.lambda.fail({
      op: 'updateAlias',
      nth: 2,
      error: new OperationError('INTERRUPTED', 'lambda:UpdateAlias on function demo was abandoned'),
    });
    const result = await runDeploy(
      w.deps,
      request({ ...linear(10, 60), signal: controller.signal, onInterrupt: 'leave' }),
    );

    expect(result.status).toBe('paused');
    expect(result.aliasState).toEqual({ functionVersion: '1', additionalWeights: { '2': 0.2 } });
    expect(result.cause).toMatchObject({ code: 'INTERRUPTED', data: { left: true, writeInFlight: 20 } });
    // The undo its reason offers is a field, which the CLI gives the run's target flags (h2, session 65).
    expect(result.rollbackCommand).toBe('lshift rollback demo --alias live');
    expect(describeReason(result)).toContain(
      'A weight write to 20% was in flight when interrupted and may still land (`lshift status demo --alias live` reads where it is).',
    );
  });

  it('rejects the pending hold promptly on abort (manual clock: no time has to pass)', async () => {
    const w = createWorld({ auto: false });
    const controller = new AbortController();
    const done = runDeploy(w.deps, request({ ...canary(10, 600), signal: controller.signal }));
    await w.clock.advance(25_000);
    expect(w.clock.pendingSleeps).toBe(1);
    controller.abort(new Error('SIGTERM'));
    const result = await done;
    expect(result.status).toBe('rolled_back');
    expect(w.clock.now() - w.start).toBe(25_000);
    expect(writesOf(w.lambda).map((x) => x.slice(0, 2))).toEqual([
      ['1', { '2': 0.1 }],
      ['1', {}],
    ]);
  });

  it('rolls back when interrupted during a step hook', async () => {
    const w = createWorld();
    const controller = new AbortController();
    w.hooks.script('cmd:check', (_payload, opts) => {
      controller.abort();
      expect(opts.signal?.aborted).toBe(true);
      return { ok: false, reason: 'killed', durationMs: 3 };
    });
    const hooks = { step: [cmdHook('check')] };
    const result = await runDeploy(w.deps, request({ ...linear(10, 60), hooks, signal: controller.signal }));
    expect(result.status).toBe('rolled_back');
    expect(describeReason(result)).toBe('interrupted at step 1 (10%); all traffic is back on version 1');
    expect(writesOf(w.lambda).map((x) => x.slice(0, 2))).toEqual([
      ['1', { '2': 0.1 }],
      ['1', {}],
    ]);
    expect(w.sink.ofType('hook.completed')[0]).toMatchObject({ ok: false, reason: 'interrupted' });
    expect(w.sink.ofType('rollback.started')[0]).toMatchObject({ fromPercent: 10, trafficMoved: true });
  });

  it('writes nothing when interrupted during the pre-traffic hooks, even with onInterrupt leave', async () => {
    const w = createWorld();
    const controller = new AbortController();
    w.hooks.script('cmd:pre', () => {
      controller.abort();
      return { ok: false, durationMs: 0 };
    });
    const result = await runDeploy(
      w.deps,
      request({
        ...canary(10, 60),
        hooks: { pre: [cmdHook('pre')] },
        signal: controller.signal,
        onInterrupt: 'leave',
      }),
    );
    expect(result.status).toBe('rolled_back');
    expect(result.position).toEqual({ kind: 'before-traffic', during: 'pre-hook' });
    expect(w.sink.ofType('rollback.started')[0]).toMatchObject({
      reason: 'interrupted before any traffic moved, during the pre-traffic hook',
      fromPercent: 0,
      trafficMoved: false,
    });
    expect(describeReason(result)).toBe(
      'interrupted before any traffic moved, during the pre-traffic hook; alias live unchanged',
    );
    expect(w.lambda.callsOf('updateAlias')).toHaveLength(0);
  });
});
