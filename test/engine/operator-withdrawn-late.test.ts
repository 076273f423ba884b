/**
 * An operator command withdrawn by its verb (Ctrl-C, or `--wait` running out) whose own write was
 * held in flight and lands later: the running deployment neither obeys nor carries it. Before the
 * list of withdrawn commands (`lshift-withdrawn:<alias>`, src/domain/command-withdrawal.ts) the
 * verb said "nothing was done", then the write landed and the deployment obeyed it: a withdrawn
 * `promote --full` jumped it to 100%. The verb and the deployment share one store and one clock
 * here; the verb's record writes go through HeldCommandStore, which holds them as a stalled
 * endpoint or a lost response does. The sandbox twin: test/e2e/operator-withdrawn-late.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import type { DeployResult } from '../../src/domain/events.js';
import { fnv1a64 } from '../../src/domain/fnv1a.js';
import type { OperatorCommand } from '../../src/domain/operator-command.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { type SendCommandRequest, sendOperatorCommand } from '../../src/engine/operator-send.js';
import { withdrawCommand } from '../../src/engine/operator-withdraw.js';
import { TagStateStore } from '../../src/engine/tag-state-store.js';
import type { HookResult } from '../../src/ports/hooks.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { cmdHook } from '../helpers/fake-hooks.js';
import { FakeStore } from '../helpers/fake-store.js';
import { HeldCommandStore } from './held-command-store.js';
import { createOperatorSendWorld } from './operator-send-world.js';
import { ALIAS, createWorld, FN, linear, request, type World } from './world.js';

/** The nonce the verbs draw with random() = 0.5. */
const NONCE = 'iiii';

const obeyed = (w: World) =>
  w.sink.events.flatMap((e) =>
    e.type === 'operator.command' ? [{ verb: e.verb, obeyed: e.obeyed, at: e.at - w.start }] : [],
  );

/** The percents the deployment wrote, with when (seconds after the start). */
const weights = (w: World): [number, number][] => {
  const writes = w.lambda.aliasWrites();
  return w.lambda.callsOf('updateAlias').map((call, i) => {
    const write = writes[i]!;
    const weight = Object.values(write.additionalWeights)[0] ?? 0;
    const percent = write.functionVersion === '2' ? 100 : Math.round(weight * 100);
    return [percent, Math.round((call.at - w.start) / 1000)];
  });
};

/** Starts the verb at `atMs` on the deployment's clock; its outcome once it ends. */
function verbAt(
  w: World,
  atMs: number,
  store: HeldCommandStore,
  req: Partial<SendCommandRequest>,
  signal?: AbortSignal,
) {
  const outcome: { error?: Error & { code?: string }; done?: boolean } = {};
  w.clock.at(w.start + atMs, () => {
    sendOperatorCommand(
      { store, clock: w.clock, random: () => 0.5 },
      {
        functionName: FN,
        alias: ALIAS,
        verb: 'pause',
        by: 'ann@laptop:9',
        waitSeconds: 120,
        ...(signal ? { signal } : {}),
        ...req,
      },
    ).then(
      () => {
        outcome.done = true;
      },
      (error: Error & { code?: string }) => {
        outcome.error = error;
      },
    );
  });
  return outcome;
}

/** Runs the deploy on the manual clock to `untilMs`; its result if it ended by then. */
async function runUntil(w: World, req: ReturnType<typeof request>, untilMs: number, deps = w.deps) {
  const ended: { result?: DeployResult } = {};
  void runDeploy(deps, req).then((result) => {
    ended.result = result;
  });
  await w.clock.advance(0);
  await w.clock.advance(untilMs);
  return ended;
}

/** What `run` threw (it must throw). */
async function failure(run: Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await run;
  } catch (error) {
    return error as Error & { code?: string };
  }
  throw new Error('it did not fail');
}

function slowHook(w: World, ms: number) {
  return () =>
    new Promise<HookResult>((resolve) => {
      w.clock.after(ms, () => resolve({ ok: true, durationMs: ms }));
    });
}

describe('a command withdrawn by its verb that lands later', () => {
  it('promote --full held in flight, Ctrl-C: "nothing was done", and when it lands the deployment walks on step by step', async () => {
    const w = createWorld({ auto: false });
    const controller = new AbortController();
    const held = new HeldCommandStore(w.store, controller.signal);
    held.hold('held');
    // linear 10% every 60 s: 10% at 0 s … 90% at 480 s, 100% at 540 s.
    const verb = verbAt(w, 95_000, held, { verb: 'promote-full' }, controller.signal);
    w.clock.at(w.start + 100_000, () => controller.abort(new Error('interrupted by SIGINT')));
    // The held write reaches Lambda long after the verb exited, mid-hold at 20%.
    let landed: DeploymentRecord | undefined;
    w.clock.at(w.start + 150_000, () => {
      held.land();
      landed = w.store.peek(FN, ALIAS);
    });
    const ended = await runUntil(w, request({ ...linear(10, 60) }), 1_500_000);

    expect(verb.error?.code).toBe('INTERRUPTED');
    expect(verb.error?.message).toMatch(/was being written to deployment d-abc123; nothing was done$/);
    // It did land: the record tag held the command…
    expect(landed?.command).toMatchObject({ verb: 'promote-full', nonce: NONCE, state: 'sent' });
    expect(w.store.peekWithdrawn(FN, ALIAS)).toEqual([`d-abc123.${NONCE}`]);
    // …and the deployment neither obeyed it nor carried it: every step, each after its minute.
    expect(obeyed(w)).toEqual([]);
    expect(ended.result?.status).toBe('promoted');
    expect(weights(w).map(([percent]) => percent)).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
    expect(weights(w).at(-1)![1]).toBeGreaterThanOrEqual(540);
    const after = w.store.writes.filter(
      (x) => x.record.heartbeatAt > w.start + 150_001 && x.record.owner === 'tester@host:1',
    );
    expect(after.length).toBeGreaterThan(0);
    expect(after.every((x) => x.record.command === undefined)).toBe(true);
  });

  it('pause whose first attempt lost its answer, --wait runs out during a hook: withdrawn, and its late attempt is not obeyed', async () => {
    const w = createWorld({ auto: false });
    const held = new HeldCommandStore(w.store);
    held.hold('lost');
    w.hooks.script('cmd:slow', slowHook(w, 300_000));
    // Sent at 60 s during a 5-minute pre-traffic hook (a pause waits for the first poll after it).
    const verb = verbAt(w, 60_000, held, { verb: 'pause', waitSeconds: 30 });
    w.clock.at(w.start + 150_000, () => held.land());
    const ended = await runUntil(
      w,
      request({ ...linear(50, 60), hooks: { pre: [cmdHook('slow')] } }),
      1_500_000,
    );

    expect(verb.error?.code).toBe('COMMAND_NOT_ANSWERED');
    expect(verb.error?.message).toMatch(/the command was withdrawn and nothing was done$/);
    expect(held.written.map((r) => r.command?.nonce)).toEqual([NONCE]);
    expect(obeyed(w)).toEqual([]);
    expect(ended.result?.status).toBe('promoted');
    const beats = w.store.writes.filter((x) => x.record.heartbeatAt > w.start + 150_000);
    expect(beats.every((x) => x.record.command === undefined)).toBe(true);
  });

  it('held, landed and obeyed before the Ctrl-C: the withdrawal says it had answered, and lists nothing', async () => {
    const w = createWorld({ auto: false });
    const controller = new AbortController();
    const held = new HeldCommandStore(w.store, controller.signal);
    held.hold('held');
    const verb = verbAt(w, 95_000, held, { verb: 'pause' }, controller.signal);
    // It lands (its answer lost), the deployment pauses at its next poll, then Ctrl-C.
    w.clock.at(w.start + 96_000, () => held.land());
    w.clock.at(w.start + 115_000, () => controller.abort(new Error('interrupted by SIGINT')));
    await runUntil(w, request({ ...linear(10, 60) }), 200_000);

    expect(obeyed(w)).toEqual([{ verb: 'pause', obeyed: true, at: expect.any(Number) }]);
    expect(verb.error?.code).toBe('INTERRUPTED');
    expect(verb.error?.message).toMatch(/\(it had already answered\)$/);
    expect(w.store.peekWithdrawn(FN, ALIAS)).toEqual([]);
    expect(w.store.peek(FN, ALIAS)?.command).toMatchObject({ verb: 'pause', nonce: NONCE, state: 'done' });
  });
});

/**
 * An alias of 112–121 characters names a record tag (`lshift:<alias>`, 128 at most) but its list's
 * key `lshift-withdrawn:<alias>` would pass Lambda's 128: it had no list, the verb said "nothing
 * was done yet — but it could not be marked withdrawn", and a late write was obeyed (found by a
 * hostile pass). Its list now lives under a hashed key (withdrawnTagKey). On the tag store itself
 * (over the fake Lambda's tags, which refuses a key over 128 as Lambda does), so the writer and the
 * readers are the real ones.
 */
describe('a long alias', () => {
  const LONG = `live-${'l'.repeat(110)}`;

  it('promote --full held in flight, Ctrl-C: listed under its hashed key, and when it lands it is not obeyed', async () => {
    expect(LONG).toHaveLength(115);
    const w = createWorld({ auto: false });
    w.lambda.addAlias(FN, LONG, '1');
    const store = new TagStateStore(w.lambda);
    const controller = new AbortController();
    const held = new HeldCommandStore(store, controller.signal);
    held.hold('held');
    const verb = verbAt(w, 95_000, held, { verb: 'promote-full', alias: LONG }, controller.signal);
    w.clock.at(w.start + 100_000, () => controller.abort(new Error('interrupted by SIGINT')));
    let landed: Record<string, string> | undefined;
    w.clock.at(w.start + 150_000, async () => {
      await held.land();
      landed = await w.lambda.listTags(FN);
    });
    const ended = await runUntil(w, request({ ...linear(10, 60), alias: LONG }), 1_500_000, {
      ...w.deps,
      store,
    });

    expect(verb.error?.code).toBe('INTERRUPTED');
    expect(verb.error?.message).toMatch(/was being written to deployment d-abc123; nothing was done$/);
    // It did land: the record tag held the command, and the list (its key hashed) named it.
    const record = landed?.[`lshift:${LONG}`];
    expect(record).toBeDefined();
    const listKey = `lshift-withdrawn:${LONG.slice(0, 94)}.${fnv1a64(LONG).toString(16).padStart(16, '0')}`;
    expect(landed?.[listKey]).toBe(`d-abc123.${NONCE}`);
    const view = await store.readWithdrawals(FN, LONG);
    expect(view.withdrawn).toEqual([`d-abc123.${NONCE}`]);
    // …and the deployment neither obeyed it nor carried it: every step, each after its minute.
    expect(obeyed(w)).toEqual([]);
    expect(ended.result?.status).toBe('promoted');
    expect(weights(w).map(([percent]) => percent)).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
    expect(weights(w).at(-1)![1]).toBeGreaterThanOrEqual(540);
    expect(Object.keys(await w.lambda.listTags(FN)).every((key) => key.length <= 128)).toBe(true);
  });
});

describe('the verb’s side', () => {
  function setup() {
    const world = createOperatorSendWorld();
    const controller = new AbortController();
    const held = new HeldCommandStore(world.store, controller.signal);
    const send = (over: Partial<SendCommandRequest> = {}) =>
      sendOperatorCommand(
        { store: held, clock: world.clock, random: () => 0.5 },
        {
          functionName: FN,
          alias: ALIAS,
          verb: 'pause',
          by: 'ann@laptop:9',
          waitSeconds: 60,
          signal: controller.signal,
          ...over,
        },
      );
    return { ...world, held, controller, send };
  }

  it('the same nonce written again (`resend`) and held, then Ctrl-C: when it lands, it is read as absent', async () => {
    const { clock, store, held, controller, send } = setup();
    // A deployment write dropped the command before it read it: the verb writes it again at 2 s,
    // and that write is held.
    clock.after(1_000, () => {
      const { command: _dropped, ...rest } = store.peek(FN, ALIAS)!;
      store.seed(FN, ALIAS, rest);
      held.hold('held');
    });
    held.onHeld = () => controller.abort(new Error('interrupted by SIGINT'));
    const error = await failure(send());
    expect(held.written.map((r) => r.command?.nonce)).toEqual([NONCE, NONCE]);
    expect(error).toMatchObject({
      code: 'INTERRUPTED',
      message: expect.stringMatching(/; nothing was done$/),
    });
    held.land();
    expect(store.peek(FN, ALIAS)?.command).toMatchObject({ nonce: NONCE, state: 'sent' });
    expect((await store.read(FN, ALIAS))?.command).toBeUndefined();
  });

  it('a write that failed unanswered (a timeout): withdrawn, and the error says the command may have been written', async () => {
    const { store, send } = setup();
    const { OperationError } = await import('../../src/domain/errors.js');
    store.failWrites(
      new OperationError(
        'NETWORK_ERROR',
        'lambda:TagResource on function demo: 3 attempts of 10 s each timed out.',
      ),
      1,
    );
    const error = await failure(send());
    expect(error).toMatchObject({
      code: 'NETWORK_ERROR',
      message:
        'lambda:TagResource on function demo: 3 attempts of 10 s each timed out: the command may have been written; nothing was done',
    });
    expect(store.peekWithdrawn(FN, ALIAS)).toEqual([`d-run001.${NONCE}`]);
  });

  it('a write refused before it was applied (access denied): the error as it was, nothing listed', async () => {
    const { store, send } = setup();
    const { OperationError } = await import('../../src/domain/errors.js');
    store.failWrites(
      new OperationError('ACCESS_DENIED', 'Access denied: lambda:TagResource.', {
        context: { notApplied: true },
      }),
      1,
    );
    const error = await failure(send());
    expect(error).toMatchObject({ code: 'ACCESS_DENIED', message: 'Access denied: lambda:TagResource.' });
    expect(store.withdrawnWrites).toEqual([]);
  });

  it('Ctrl-C before the write: nothing written, nothing listed', async () => {
    const { store, controller, send } = setup();
    controller.abort(new Error('interrupted by SIGINT'));
    const error = await failure(send());
    expect(error).toMatchObject({
      code: 'INTERRUPTED',
      message: expect.stringContaining('nothing was written'),
    });
    expect(store.writes).toEqual([]);
    expect(store.withdrawnWrites).toEqual([]);
  });

  it('a function with 50 tags: withdrawn as before, and the message says a late write would be obeyed', async () => {
    const { store, controller, held, send } = setup();
    store.noRoomForWithdrawn = true;
    held.hold('held');
    held.onHeld = () => controller.abort(new Error('interrupted by SIGINT'));
    const error = await failure(send());
    expect(error.message).toMatch(
      /; nothing was done yet — but it could not be marked withdrawn \(the function has the 50 tags Lambda allows\): if a write of it is still in flight and lands, the deployment obeys it; see `lshift status demo --alias live`$/,
    );
    expect(store.withdrawnWrites).toEqual([]);
  });

  it('a joined abort whose first sender withdrew, its late copy landing over this one’s: this one is written again and obeyed', async () => {
    const other: OperatorCommand = { verb: 'abort', nonce: 'zzzz', state: 'sent', by: 'bob@ci:3' };
    const world = createOperatorSendWorld({ command: other });
    const { clock, store, base } = world;
    // Bob's verb gives up at 3 s: it lists its abort and puts the record back without it.
    let bobSaid = '';
    clock.after(3_000, () => {
      void withdrawCommand(
        { store, clock },
        {
          functionName: FN,
          alias: ALIAS,
          sentOn: { ...base, command: undefined },
          command: other,
          settleMs: 2_000,
        },
      ).then((said) => {
        bobSaid = said;
      });
    });
    // Bob's own write, held until now, lands over Ann's abort.
    clock.after(6_500, () => store.seed(FN, ALIAS, { ...store.peek(FN, ALIAS)!, command: other }));
    // The deployment answers the abort it reads (Bob's is dropped by the read).
    clock.after(9_000, async () => {
      const seen = await store.read(FN, ALIAS);
      if (seen?.command?.state === 'sent')
        store.seed(FN, ALIAS, {
          ...seen,
          phase: 'rolled-back',
          percent: 0,
          command: { ...seen.command, state: 'done' },
        });
    });
    const result = await sendOperatorCommand(
      { store, clock, random: () => 0.5 },
      { functionName: FN, alias: ALIAS, verb: 'abort', by: 'ann@laptop:9', waitSeconds: 60 },
    );
    expect(bobSaid).toBe('; the command was withdrawn and nothing was done');
    expect(result.answer).toBe('done');
    expect(result.joined).toBeUndefined();
    expect(store.peek(FN, ALIAS)?.command).toMatchObject({ nonce: NONCE, by: 'ann@laptop:9', state: 'done' });
    // Ann wrote hers after Bob's withdrawal, and again after his late copy went over it.
    expect(store.writes.map((x) => x.record.command?.nonce ?? '-')).toEqual(['-', NONCE, NONCE]);
  });

  it('two withdrawals racing: the one whose list was written over lists itself again at its second look', async () => {
    const store = new FakeStore({ roundTrip: true });
    const { base } = createOperatorSendWorld();
    const clock = new FakeClock({ auto: false });
    store.seed(FN, ALIAS, base);
    // Both read the list before either writes it.
    let reads = 0;
    let bothRead: () => void = () => {};
    const barrier = new Promise<void>((resolve) => {
      bothRead = resolve;
    });
    const readWithdrawals = store.readWithdrawals.bind(store);
    store.readWithdrawals = async (fn, alias) => {
      const view = await readWithdrawals(fn, alias);
      if (++reads === 2) bothRead();
      if (reads <= 2) await barrier;
      return view;
    };
    const commandOf = (nonce: string): OperatorCommand => ({
      verb: 'pause',
      nonce,
      state: 'sent',
      by: 'x@y:1',
    });
    const withdraw = (nonce: string) =>
      withdrawCommand(
        { store, clock },
        { functionName: FN, alias: ALIAS, sentOn: base, command: commandOf(nonce), settleMs: 2_000 },
      );
    const both = Promise.all([withdraw('aaaa'), withdraw('bbbb')]);
    await clock.advance(0);
    // After the first looks one entry is lost: the last write won.
    expect(store.peekWithdrawn(FN, ALIAS)).toEqual(['d-run001.bbbb']);
    await clock.advance(2_000);
    await both;
    expect(store.peekWithdrawn(FN, ALIAS).sort()).toEqual(['d-run001.aaaa', 'd-run001.bbbb']);
  });
});
