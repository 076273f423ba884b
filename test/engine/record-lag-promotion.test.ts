/**
 * The deployment is not declared promoted while its record lags, as no weight is written
 * (health-monitor-types.ts, RecordLagWatch): the end of a bake, and the `done` step after the
 * post-traffic hooks, hold 100% until a read (or a write) lands, obey what it finds, and roll back
 * at the stale limit (RECORD_UNREAD, RECORD_UNWRITTEN). Before, an abort sent during a bake whose
 * ListTags failed went unseen and the deploy said promoted. A weight write after a step hook
 * holds the weight it is at the same way (record-wait.ts); it rolled back at once, however briefly
 * the reads had failed.
 */
import { describe, expect, it } from 'vitest';
import { describeReason } from '../../src/cli/describe-outcome.js';
import { exitCodeForStatus } from '../../src/cli/exit-codes.js';
import { OperationError } from '../../src/domain/errors.js';
import { runDeploy } from '../../src/engine/deploy.js';
import type { HookResult } from '../../src/ports/hooks.js';
import { cmdHook } from '../helpers/fake-hooks.js';
import { ALIAS, createWorld, FN, linear, request, type World, writesOf } from './world.js';

const denied = () => new OperationError('ACCESS_DENIED', 'not authorized to perform lambda:ListTags');
const throttled = () => new OperationError('THROTTLED', 'tag write throttled');

/** The alias writes as [version, weights]. */
function weightsWritten(w: World) {
  return writesOf(w.lambda).map((x) => x.slice(0, 2));
}

/** A hook that takes `ms` of clock time unless its signal ends it. */
function slowHook(w: World, ms: number) {
  return (_payload: unknown, opts: { signal?: AbortSignal }) =>
    new Promise<HookResult>((resolve) => {
      w.clock.after(ms, () => resolve({ ok: true, durationMs: ms }));
      opts.signal?.addEventListener('abort', () => resolve({ ok: false, reason: 'killed', durationMs: 0 }));
    });
}

/**
 * `lshift abort`'s command, written at each of `atMs` unless the record holds it already: a
 * heartbeat put off for the failed reads is written blind after a minute, over the command, and
 * `lshift abort` writes it again when it sees it gone (operator-await-answer.ts resend).
 */
function sendAbortAt(w: World, ...atMs: number[]) {
  for (const at of atMs)
    w.clock.at(w.start + at, () => {
      const record = w.store.peek(FN, ALIAS)!;
      if (record.command?.nonce === 'a1') return;
      w.store.seed(FN, ALIAS, {
        ...record,
        command: { verb: 'abort', nonce: 'a1', state: 'sent', by: 'ann@laptop:9', reason: 'bad build' },
      });
    });
}

/** Runs the deploy on a manual clock for up to an hour: it must have ended by then. */
async function run(w: World, req: ReturnType<typeof request>) {
  let ended = false;
  const running = runDeploy(w.deps, req).finally(() => {
    ended = true;
  });
  running.catch(() => undefined);
  await w.clock.advance(0);
  await w.clock.advance(3_600_000);
  expect(ended, 'the deployment ended within an hour').toBe(true);
  return running;
}

// linear 50% / 60 s then a 120 s bake: 50% at 0 s, 100% at 60 s, the bake's end at 180 s.
const baked = () => request({ ...linear(50, 60), bakeSeconds: 120 });

describe('the end of a bake waits for a read of the deployment record', () => {
  it('an abort sent during the bake while ListTags failed is obeyed once a read lands, not promoted over', async () => {
    const w = createWorld({ auto: false });
    w.clock.at(w.start + 165_000, () => w.store.failReads(denied()));
    w.clock.at(w.start + 230_000, () => w.store.healReads());
    sendAbortAt(w, 170_000, 230_000);
    const result = await run(w, baked());

    expect(result.status).toBe('rolled_back');
    expect(result.cause).toMatchObject({ code: 'OPERATOR_ABORTED' });
    expect(w.sink.events.find((e) => e.type === 'operator.command')).toMatchObject({
      verb: 'abort',
      obeyed: true,
    });
    expect(weightsWritten(w)).toEqual([
      ['1', { '2': 0.5 }],
      ['2', {}],
      ['1', {}],
    ]);
    expect(w.store.phases()).not.toContain('promoted');
    const held = w.sink.logs('warn').filter((m) => m.includes('as the bake was to end'));
    expect(held).toHaveLength(1);
    expect(held[0]).toMatch(
      /^could not read the deployment record of demo alias live as the bake was to end \(.*ACCESS_DENIED.*\): holding 100% until it is read; lshift does not declare the deployment promoted while it cannot see an operator's abort or pause/,
    );
    // The read that landed found the abort: obeyed at that poll, the bake never completed.
    expect(w.sink.ofType('bake.completed')).toEqual([]);
  });

  it('rolls back from 100% when no read lands for the stale limit (RECORD_UNREAD), never recorded promoted', async () => {
    const w = createWorld({ auto: false });
    w.clock.at(w.start + 165_000, () => w.store.failReads(denied()));
    const result = await run(w, baked());

    expect(result.status).toBe('rolled_back');
    expect(exitCodeForStatus(result.status)).toBe(3);
    expect(result.cause).toMatchObject({ code: 'RECORD_UNREAD' });
    expect(result.cause?.data).not.toHaveProperty('paused');
    const seconds = (result.cause as { data: { seconds: number } }).data.seconds;
    expect(seconds).toBeGreaterThanOrEqual(120);
    expect(seconds).toBeLessThan(140);
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
    expect(describeReason(result)).toMatch(
      /^rolled back during the bake \(100%\): the deployment record of demo alias live could not be read for 2m( \d+s)? \(.*ACCESS_DENIED.*\): lshift could not see an operator's `lshift abort` or `pause`, or another lshift taking this deployment over, so it rolled back rather than declare the deployment promoted without seeing them/,
    );
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'rolled-back', cause: { code: 'RECORD_UNREAD' } });
  });

  it('ends once a read lands, later than planned, and promotes', async () => {
    const w = createWorld({ auto: false });
    w.clock.at(w.start + 165_000, () => w.store.failReads(denied()));
    w.clock.at(w.start + 215_000, () => w.store.healReads());
    const result = await run(w, baked());

    expect(result.status).toBe('promoted');
    const completed = w.sink.ofType('bake.completed')[0] as { at: number } | undefined;
    expect((completed?.at ?? 0) - w.start).toBeGreaterThanOrEqual(215_000);
    expect(w.sink.logs('info')).toContain('the deployment record is read again: the bake ends');
  });

  it('the same for a record that cannot be written: rolled back (RECORD_UNWRITTEN), not promoted over a record others take for abandoned', async () => {
    const w = createWorld({ auto: false });
    w.clock.at(w.start + 150_000, () => w.store.failWrites(throttled()));
    const result = await run(w, baked());

    expect(result.status).toBe('rolled_back');
    expect(result.cause).toMatchObject({ code: 'RECORD_UNWRITTEN' });
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
    expect(w.store.phases()).not.toContain('promoted');
    expect(
      w.sink
        .logs('warn')
        .some((m) =>
          m.startsWith('could not write the deployment record of demo alias live as the bake was to end'),
        ),
    ).toBe(true);
    expect(describeReason(result)).toContain(
      'so lshift rolled back rather than declare the deployment promoted unseen',
    );
  });
});

describe('the promotion waits for a read of the deployment record', () => {
  it('an abort sent during a post-traffic hook while ListTags failed is obeyed once a read lands', async () => {
    const w = createWorld({ auto: false });
    w.hooks.script('cmd:smoke', slowHook(w, 60_000));
    // The post-traffic hook runs 60–120 s; ListTags fails from 65 s to 150 s.
    w.clock.at(w.start + 65_000, () => w.store.failReads(denied()));
    w.clock.at(w.start + 150_000, () => w.store.healReads());
    sendAbortAt(w, 70_000, 150_000);
    const result = await run(w, request({ ...linear(50, 60), hooks: { post: [cmdHook('smoke')] } }));

    expect(result.status).toBe('rolled_back');
    expect(result.cause).toMatchObject({ code: 'OPERATOR_ABORTED' });
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
    expect(w.store.phases()).not.toContain('promoted');
    expect(
      w.sink
        .logs('warn')
        .filter((m) =>
          m.startsWith(
            'could not read the deployment record of demo alias live before declaring the deployment promoted',
          ),
        ),
    ).toHaveLength(1);
  });

  it('rolls back from 100% at the stale limit, after the last step (RECORD_UNREAD)', async () => {
    const w = createWorld({ auto: false });
    w.hooks.script('cmd:smoke', slowHook(w, 60_000));
    w.clock.at(w.start + 65_000, () => w.store.failReads(denied()));
    const result = await run(w, request({ ...linear(50, 60), hooks: { post: [cmdHook('smoke')] } }));

    expect(result.status).toBe('rolled_back');
    expect(result.cause).toMatchObject({ code: 'RECORD_UNREAD' });
    expect(describeReason(result)).toMatch(
      /^rolled back after step 2 \(100%\): the deployment record of demo alias live could not be read for 2m/,
    );
    expect(describeReason(result)).toContain(
      'rather than declare the deployment promoted without seeing them',
    );
  });
});

describe('a weight write after a step hook waits for a read of the deployment record', () => {
  it('holds the weight it is at until a read lands, then writes 100% (it rolled back at once)', async () => {
    const w = createWorld({ auto: false });
    w.hooks.script('cmd:slow', slowHook(w, 60_000));
    // The step hook before 100% runs 60–120 s; ListTags fails from 62 s to 150 s.
    w.clock.at(w.start + 62_000, () => w.store.failReads(denied()));
    w.clock.at(w.start + 150_000, () => w.store.healReads());
    const result = await run(w, request({ ...linear(50, 60), hooks: { step: [cmdHook('slow')] } }));

    expect(result.status).toBe('promoted');
    const at100 = w.lambda.callsOf('updateAlias')[1]!;
    expect(at100.at - w.start).toBeGreaterThanOrEqual(150_000);
    expect(w.sink.logs('warn').filter((m) => m.includes('before writing 100%'))).toEqual([
      expect.stringMatching(
        /^could not read the deployment record of demo alias live before writing 100% \(.*ACCESS_DENIED.*\): holding 50% until it is read; lshift moves no more traffic/,
      ),
    ]);
    expect(w.sink.logs('info')).toContain('the deployment record is read again: lshift writes 100%');
    // Health was watched meanwhile.
    const polled = w.sink.ofType('health.polled').filter((e) => e.at > w.start + 120_000 && e.at < at100.at);
    expect(polled.length).toBeGreaterThanOrEqual(2);
  });

  it('an abort found by that read is obeyed: 100% is never written', async () => {
    const w = createWorld({ auto: false });
    w.hooks.script('cmd:slow', slowHook(w, 60_000));
    w.clock.at(w.start + 62_000, () => w.store.failReads(denied()));
    w.clock.at(w.start + 140_000, () => w.store.healReads());
    // Sent during the hook, while the reads failed: seen once they work again.
    sendAbortAt(w, 90_000, 140_000);
    const result = await run(w, request({ ...linear(50, 60), hooks: { step: [cmdHook('slow')] } }));

    expect(result.status).toBe('rolled_back');
    expect(result.cause).toMatchObject({ code: 'OPERATOR_ABORTED' });
    expect(weightsWritten(w)).toEqual([
      ['1', { '2': 0.5 }],
      ['1', {}],
    ]);
  });

  it('rolls back from that weight at the stale limit', async () => {
    const w = createWorld({ auto: false });
    w.hooks.script('cmd:slow', slowHook(w, 60_000));
    w.clock.at(w.start + 62_000, () => w.store.failReads(denied()));
    const result = await run(w, request({ ...linear(50, 60), hooks: { step: [cmdHook('slow')] } }));

    expect(result.status).toBe('rolled_back');
    expect(result.cause).toMatchObject({ code: 'RECORD_UNREAD' });
    const seconds = (result.cause as { data: { seconds: number } }).data.seconds;
    expect(seconds).toBeGreaterThanOrEqual(120);
    expect(weightsWritten(w)).toEqual([
      ['1', { '2': 0.5 }],
      ['1', {}],
    ]);
    expect(describeReason(result)).toMatch(
      /^rolled back at step 1 \(50%\): the deployment record of demo alias live could not be read for 2m/,
    );
  });
});
