/**
 * An `abort` sent while the deployment waits for its alias's provisioned concurrency to be READY
 * after a weight write (up to 5 minutes, the alias split at the new weight) is obeyed within a
 * poll interval, as during a hook (operator-abort-hook.test.ts): the wait ends, the command is
 * answered `done`, and the deployment rolls back with OPERATOR_ABORTED. A pause or promote is
 * left for the hold's first poll after the wait.
 */
import { describe, expect, it } from 'vitest';
import type { OperatorCommand, OperatorVerb } from '../../src/domain/operator-command.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { ALIAS, createWorld, driven, FN, linear, request, type World, writesOf } from './world.js';

const POLL_MS = 10_000;
/** The allocation takes 4 minutes after each routing change (48 reads 5 s apart). */
const FOUR_MINUTES_IN_PROGRESS = Array<'IN_PROGRESS'>(48).fill('IN_PROGRESS');

function sendAt(w: World, atMs: number, verb: OperatorVerb, nonce: string): void {
  w.clock.at(w.start + atMs, () => {
    const command: OperatorCommand = { verb, nonce, state: 'sent', by: 'ann@laptop:9', reason: 'pager' };
    w.store.seed(FN, ALIAS, { ...w.store.peek(FN, ALIAS)!, command });
  });
}

const obeyed = (w: World) =>
  w.sink.events.flatMap((e) =>
    e.type === 'operator.command' ? [{ verb: e.verb, obeyed: e.obeyed, at: e.at - w.start }] : [],
  );

describe('an abort sent during the wait for provisioned concurrency after a weight write', () => {
  it('is obeyed within a poll: the wait ends, the alias put back on the stable version, OPERATOR_ABORTED', async () => {
    const w = createWorld({ auto: false });
    w.lambda.setProvisionedConcurrency(FN, ALIAS, 10, FOUR_MINUTES_IN_PROGRESS);
    sendAt(w, 33_000, 'abort', 'a1');
    const result = await driven(w, runDeploy(w.deps, request(linear(25, 60))));

    expect(result.status).toBe('rolled_back');
    expect(result.cause?.code).toBe('OPERATOR_ABORTED');
    expect(JSON.stringify(result.cause)).toMatch(/ann@laptop:9/);
    const [abort, ...more] = obeyed(w);
    expect(more).toEqual([]);
    expect(abort).toMatchObject({ verb: 'abort', obeyed: true });
    expect(abort!.at).toBeLessThanOrEqual(33_000 + POLL_MS);
    expect(w.store.peek(FN, ALIAS)?.command).toMatchObject({ nonce: 'a1', state: 'done' });
    expect(writesOf(w.lambda).map((x) => x.slice(0, 2))).toEqual([
      ['1', { '2': 0.25 }],
      ['1', {}],
    ]);
    // The wait ended with the abort: no read of the allocation after the rollback began.
    const rolledBack = w.sink.ofType('rollback.started')[0]!;
    expect(rolledBack.at - (w.start + 33_000)).toBeLessThanOrEqual(POLL_MS + 1_000);
    expect(w.lambda.callsOf('getProvisionedConcurrency').filter((c) => c.at > rolledBack.at)).toEqual([]);
    expect(result.steps[0]).toMatchObject({ percent: 25, result: 'stopped' });
  });

  it("reads the record about once a poll interval, as a hold would, not at each of the wait's 5 s reads", async () => {
    const w = createWorld({ auto: false });
    w.lambda.setProvisionedConcurrency(FN, ALIAS, 10, FOUR_MINUTES_IN_PROGRESS);
    const reads: number[] = [];
    const read = w.store.read.bind(w.store);
    w.store.read = async (f, a) => {
      reads.push(w.clock.now() - w.start);
      return read(f, a);
    };
    sendAt(w, 200_000, 'abort', 'a2');
    await driven(w, runDeploy(w.deps, request(linear(25, 60))));
    const during = reads.filter((at) => at > 0 && at <= 200_000);
    // 4 minutes of wait from the 25% write: one read each 10 s poll, never more.
    expect(during.length).toBeGreaterThanOrEqual(15);
    expect(during.length).toBeLessThanOrEqual(21);
  });

  it('a pause sent during the wait is not obeyed by it: the wait runs to READY, the pause at the first poll of the hold', async () => {
    const w = createWorld({ auto: false });
    w.lambda.setProvisionedConcurrency(FN, ALIAS, 10, Array<'IN_PROGRESS'>(12).fill('IN_PROGRESS'));
    sendAt(w, 20_000, 'pause', 'q1');
    sendAt(w, 200_000, 'resume', 'q2');
    const result = await driven(w, runDeploy(w.deps, request(linear(50, 60))));

    expect(result.status).toBe('promoted');
    const [pause, resume] = obeyed(w);
    expect(pause).toMatchObject({ verb: 'pause', obeyed: true });
    // The 60 s of allocation after the 50% write, then the hold's first poll.
    expect(pause!.at).toBeGreaterThanOrEqual(60_000);
    expect(resume).toMatchObject({ verb: 'resume', obeyed: true });
  });
});
