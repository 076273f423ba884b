/**
 * An operator command (`lshift pause|promote|abort`) sent while the deployment waits without
 * polling its health — a hook of minutes, the wait for provisioned concurrency READY after a
 * weight write — stays in the record through that wait: the runner's heartbeats and step writes
 * carry it over instead of writing the record back from memory over it. It is obeyed (once) at
 * the first health poll after the wait, and answered in the record. (An `abort` is read by those
 * waits' beats and obeyed within a poll: operator-abort-hook.test.ts, operator-abort-pc-wait.test.ts.) A command withdrawn by its
 * sender meanwhile is not brought back.
 */
import { describe, expect, it } from 'vitest';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import type { OperatorCommand, OperatorVerb } from '../../src/domain/operator-command.js';
import { runDeploy } from '../../src/engine/deploy.js';
import type { HookResult } from '../../src/ports/hooks.js';
import { cmdHook } from '../helpers/fake-hooks.js';
import { ALIAS, createWorld, FN, linear, request, type World } from './world.js';

const POLL_MS = 10_000;

/** A hook that takes `ms` of clock time. */
function slowHook(w: World, ms: number) {
  return () =>
    new Promise<HookResult>((resolve) => {
      w.clock.after(ms, () => resolve({ ok: true, durationMs: ms }));
    });
}

/** Writes `verb` into the record at `atMs`, as `lshift <verb>` does: on a copy of what it read. */
function sendAt(w: World, atMs: number, verb: OperatorVerb, nonce: string): void {
  w.clock.at(w.start + atMs, () => {
    const command: OperatorCommand = { verb, nonce, state: 'sent', by: 'ann@laptop:9' };
    w.store.seed(FN, ALIAS, { ...w.store.peek(FN, ALIAS)!, command });
  });
}

/** Puts the record back without the command, as the sender does when its `--wait` ran out. */
function withdrawAt(w: World, atMs: number): void {
  w.clock.at(w.start + atMs, () => {
    const { command: _dropped, ...rest } = w.store.peek(FN, ALIAS)!;
    w.store.seed(FN, ALIAS, rest);
  });
}

/** The stored record as it is at `atMs`. */
function snapshotAt(w: World, atMs: number): () => DeploymentRecord | undefined {
  let seen: DeploymentRecord | undefined;
  w.clock.at(w.start + atMs, () => {
    seen = structuredClone(w.store.peek(FN, ALIAS));
  });
  return () => seen;
}

/** The runner's record writes (heartbeats, steps) whose heartbeat lies in (fromMs, toMs). */
function writesBetween(w: World, fromMs: number, toMs: number): DeploymentRecord[] {
  return w.store.writes
    .map((x) => x.record)
    .filter((r) => r.heartbeatAt > w.start + fromMs && r.heartbeatAt < w.start + toMs);
}

const obeyed = (w: World) =>
  w.sink.events.flatMap((e) =>
    e.type === 'operator.command' ? [{ verb: e.verb, obeyed: e.obeyed, at: e.at - w.start }] : [],
  );

async function run(w: World, req: ReturnType<typeof request>, untilMs: number) {
  const done = runDeploy(w.deps, req);
  await w.clock.advance(0);
  await w.clock.advance(untilMs);
  return done;
}

describe('an operator command sent while the deployment waits without polling', () => {
  it('during a 5-minute pre-traffic hook: kept through its heartbeats, obeyed at the first poll after it', async () => {
    const w = createWorld({ auto: false });
    w.hooks.script('cmd:slow', slowHook(w, 300_000));
    sendAt(w, 60_000, 'pause', 'p1');
    const during = snapshotAt(w, 200_000);
    sendAt(w, 900_000, 'resume', 'r1');
    const result = await run(w, request({ ...linear(50, 60), hooks: { pre: [cmdHook('slow')] } }), 1_500_000);

    expect(result.status).toBe('promoted');
    // The hook's heartbeats wrote the record between the send and the snapshot, and kept the command.
    const beats = writesBetween(w, 60_000, 200_000);
    expect(beats.length).toBeGreaterThanOrEqual(3);
    expect(beats.every((r) => r.command?.nonce === 'p1' && r.command.state === 'sent')).toBe(true);
    expect(during()?.command).toMatchObject({ verb: 'pause', nonce: 'p1', state: 'sent' });
    // Obeyed once, at the first poll of the first hold (the hook ends at 300 s), then resumed.
    const [pause, resume, ...more] = obeyed(w);
    expect(more).toEqual([]);
    expect(pause).toMatchObject({ verb: 'pause', obeyed: true });
    expect(pause!.at).toBeGreaterThanOrEqual(300_000);
    expect(pause!.at).toBeLessThanOrEqual(300_000 + POLL_MS);
    expect(resume).toMatchObject({ verb: 'resume', obeyed: true });
    expect(w.store.peek(FN, ALIAS)?.command).toMatchObject({ verb: 'resume', state: 'done' });
  });

  it('during a 5-minute step hook: kept through the next weight write, and that hold is promoted', async () => {
    const w = createWorld({ auto: false });
    // linear 25% every 60 s: 25% held 0–60 s, the step hook 60–360 s, 50% written at 360 s.
    w.hooks.script('cmd:soak', slowHook(w, 300_000));
    sendAt(w, 120_000, 'promote', 'm1');
    const result = await run(
      w,
      request({ ...linear(25, 60), hooks: { step: [cmdHook('soak')] } }),
      3_000_000,
    );

    expect(result.status).toBe('promoted');
    const weightAt = w.lambda.callsOf('updateAlias')[1]!.at - w.start;
    expect(weightAt).toBeGreaterThanOrEqual(360_000);
    const carried = writesBetween(w, 120_000, weightAt + 1);
    expect(carried.length).toBeGreaterThanOrEqual(7);
    expect(carried.every((r) => r.command?.nonce === 'm1' && r.command.state === 'sent')).toBe(true);
    // The step write right after the 50% write (it skips the ownership read) kept it too.
    const stepWrite = w.store.writes.find((x) => x.record.percent === 50)!.record;
    expect(stepWrite.command).toMatchObject({ nonce: 'm1', state: 'sent' });
    expect(obeyed(w)).toEqual([{ verb: 'promote', obeyed: true, at: expect.any(Number) }]);
    expect(obeyed(w)[0]!.at).toBeLessThanOrEqual(weightAt + POLL_MS);
    // The 50% hold was cut short by the promote: 75% came after one poll and the next step hook,
    // not after the hold's minute and the hook.
    const next = w.lambda.callsOf('updateAlias')[2]!.at - w.start;
    expect(next - weightAt).toBeLessThanOrEqual(POLL_MS + 300_000);
    expect(w.store.peek(FN, ALIAS)?.command).toMatchObject({ nonce: 'm1', state: 'done' });
  });

  it('withdrawn by its sender during the hook: not brought back, not obeyed', async () => {
    const w = createWorld({ auto: false });
    w.hooks.script('cmd:slow', slowHook(w, 300_000));
    // A pause (an abort would be obeyed at the hook's next beat and end it).
    sendAt(w, 60_000, 'pause', 'a1');
    withdrawAt(w, 180_000);
    const result = await run(w, request({ ...linear(50, 60), hooks: { pre: [cmdHook('slow')] } }), 1_500_000);

    expect(result.status).toBe('promoted');
    expect(obeyed(w)).toEqual([]);
    expect(writesBetween(w, 181_000, 1_500_000).every((r) => r.command === undefined)).toBe(true);
  });

  it('a promote during the wait for provisioned concurrency READY after a weight write: obeyed at the hold after it', async () => {
    const w = createWorld({ auto: false });
    // linear 50% every 60 s: 50% written at 0 s, READY at 120 s, held until 180 s; then 100%.
    w.lambda.setProvisionedConcurrency(FN, ALIAS, 10, Array(24).fill('IN_PROGRESS'));
    sendAt(w, 60_000, 'promote', 'a2');
    const during = snapshotAt(w, 110_000);
    const result = await run(w, request(linear(50, 60)), 1_000_000);

    expect(during()?.command).toMatchObject({ verb: 'promote', nonce: 'a2', state: 'sent' });
    expect(result.status).toBe('promoted');
    const [promote, ...more] = obeyed(w);
    expect(more).toEqual([]);
    expect(promote!.at).toBeGreaterThanOrEqual(120_000);
    expect(promote!.at).toBeLessThanOrEqual(130_000 + POLL_MS);
    // An abort is read by the wait's beats instead (operator-abort-pc-wait.test.ts).
  });
});

/** Makes the store's next `times` reads fail from `atMs` on (throttled, a reset: not a corrupt record). */
function failReadsAt(w: World, atMs: number, times: number): void {
  w.clock.at(w.start + atMs, () => w.store.failReads(new Error('Rate exceeded (throttled)'), times));
}

describe('an operator command in the store when the runner cannot read it', () => {
  it("a hook's beat whose read fails leaves a promote in the store; obeyed once at the first poll after the hook", async () => {
    const w = createWorld({ auto: false });
    w.hooks.script('cmd:slow', slowHook(w, 300_000));
    sendAt(w, 61_000, 'promote', 'a3');
    // The hook's next beat (at 70 s) reads first, and that read fails.
    failReadsAt(w, 61_000, 1);
    const afterFailedRead = snapshotAt(w, 95_000);
    const result = await run(w, request({ ...linear(50, 60), hooks: { pre: [cmdHook('slow')] } }), 1_500_000);

    expect(afterFailedRead()?.command).toMatchObject({ verb: 'promote', nonce: 'a3', state: 'sent' });
    expect(writesBetween(w, 61_000, 300_000).every((r) => r.command?.nonce === 'a3')).toBe(true);
    expect(result.status).toBe('promoted');
    const [promote, ...more] = obeyed(w);
    expect(more).toEqual([]);
    expect(promote!.at).toBeGreaterThanOrEqual(300_000);
    expect(promote!.at).toBeLessThanOrEqual(300_000 + POLL_MS);
  });

  it("a hook's beat whose read fails leaves an abort in the store; the next beat obeys it and ends the hook", async () => {
    const w = createWorld({ auto: false });
    w.hooks.script('cmd:slow', slowHook(w, 300_000));
    sendAt(w, 61_000, 'abort', 'a5');
    failReadsAt(w, 61_000, 1);
    const afterFailedRead = snapshotAt(w, 75_000);
    const result = await run(w, request({ ...linear(50, 60), hooks: { pre: [cmdHook('slow')] } }), 1_500_000);

    expect(afterFailedRead()?.command).toMatchObject({ verb: 'abort', nonce: 'a5', state: 'sent' });
    expect(result.status).toBe('rolled_back');
    expect(result.cause?.code).toBe('OPERATOR_ABORTED');
    const [abort, ...more] = obeyed(w);
    expect(more).toEqual([]);
    expect(abort!.at).toBeGreaterThan(70_000);
    expect(abort!.at).toBeLessThanOrEqual(70_000 + POLL_MS);
  });

  it("a hold's poll whose read fails when its heartbeat is due leaves it in the store; the next poll obeys it", async () => {
    const w = createWorld({ auto: false });
    // linear 50% every 60 s: 50% written at 0 s; polls every 10 s, a heartbeat due from 30 s.
    sendAt(w, 25_000, 'abort', 'a4');
    failReadsAt(w, 25_000, 1);
    const afterFailedRead = snapshotAt(w, 35_000);
    const result = await run(w, request(linear(50, 60)), 1_000_000);

    expect(afterFailedRead()?.command).toMatchObject({ verb: 'abort', nonce: 'a4', state: 'sent' });
    expect(result.status).toBe('rolled_back');
    expect(result.cause?.code).toBe('OPERATOR_ABORTED');
    const [abort, ...more] = obeyed(w);
    expect(more).toEqual([]);
    expect(abort!.at).toBeGreaterThan(30_000);
    expect(abort!.at).toBeLessThanOrEqual(30_000 + POLL_MS);
  });
});
