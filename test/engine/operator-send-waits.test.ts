import { describe, expect, it } from 'vitest';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import { isLshiftError, type LshiftError } from '../../src/domain/errors.js';
import { ALIAS, createOperatorSendWorld, FN } from './operator-send-world.js';

/**
 * What `lshift pause|promote|resume|abort` say when the deployment runs but reads no command:
 * in a wait without health polls (its pre-traffic hooks, a step hook, the wait for provisioned
 * concurrency READY) the command waits in the record for the first poll after it — the verb
 * says so when its --wait runs out, and withdraws it as before; after the last poll (its
 * post-traffic hooks) nothing would ever read it, so nothing is sent.
 */
function setup(record: Partial<DeploymentRecord> = {}) {
  const world = createOperatorSendWorld(record);
  const { clock, store } = world;
  /** Plays a runner in a wait without polls: a heartbeat every 30 s, carrying what the record holds. */
  const beatEvery30s = (untilMs: number) => {
    for (let at = 30_000; at <= untilMs; at += 30_000) {
      clock.after(at, () => store.seed(FN, ALIAS, { ...store.peek(FN, ALIAS)!, heartbeatAt: clock.now() }));
    }
  };
  return { ...world, beatEvery30s };
}

async function errorOf(run: Promise<unknown>): Promise<LshiftError> {
  const error = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isLshiftError(error)) throw new Error(`expected an LshiftError, got ${String(error)}`);
  return error;
}

describe('an operator command while the deployment waits without health polls', () => {
  it('pre-traffic hooks running: not answered within --wait says why, withdraws, and says how to have it obeyed', async () => {
    const { store, base, send, beatEvery30s } = setup({ phase: 'pre-hook', stepIndex: 0, percent: 0 });
    beatEvery30s(120_000);
    const error = await errorOf(send({ waitSeconds: 60 }));
    expect(error.code).toBe('COMMAND_NOT_ANSWERED');
    expect(error.message).toMatch(
      /did not answer `pause` within 60 s: it is running its pre-traffic hooks, and obeys a pause, resume or promote only at the health polls that follow them; the command was withdrawn and nothing was done/,
    );
    expect(error.hint).toMatch(/--wait longer than what is left of the hooks/);
    expect(error.hint).toMatch(/at most 1h/);
    const { heartbeatAt: _h, ...withdrawn } = store.peek(FN, ALIAS)!;
    const { heartbeatAt: _b, ...before } = base;
    expect(withdrawn).toEqual(before);
  });

  it('a runner alive in a wait without polls (its heartbeat kept coming): says so', async () => {
    const { send, beatEvery30s } = setup();
    beatEvery30s(120_000);
    const error = await errorOf(send({ verb: 'promote', waitSeconds: 60 }));
    expect(error.code).toBe('COMMAND_NOT_ANSWERED');
    expect(error.message).toMatch(
      /did not answer `promote` within 60 s: it runs \(its heartbeat kept coming\) but obeyed no command meanwhile: it obeys a pause, resume or promote only at its health polls, and a step hook or the wait for provisioned concurrency to be READY has none; the command was withdrawn/,
    );
    expect(error.hint).toMatch(/--wait longer/);
  });

  it('an abort not read while the heartbeat kept coming: says which waits read one within a poll interval and what reads none', async () => {
    const { send, beatEvery30s } = setup({ phase: 'pre-hook', stepIndex: 0, percent: 0 });
    beatEvery30s(120_000);
    const error = await errorOf(send({ verb: 'abort', waitSeconds: 60 }));
    expect(error.code).toBe('COMMAND_NOT_ANSWERED');
    expect(error.message).toMatch(
      /did not answer `abort` within 60 s: it runs \(its heartbeat kept coming\) but did not read it meanwhile: a deployment reads an abort within a poll interval at its health polls, during its hooks, during its waits for provisioned concurrency and while it reads its alarms again before its first weight, not while one AWS call hangs until its bound; the command was withdrawn/,
    );
    expect(error.message).not.toMatch(/pre-traffic hooks/);
    expect(error.hint).toMatch(/--wait longer than what is left of that wait/);
  });

  it('a runner whose heartbeat did not move: the message stays as it was', async () => {
    const { send } = setup();
    const error = await errorOf(send({ waitSeconds: 30 }));
    expect(error.message).toMatch(/did not answer `pause` within 30 s; the command was withdrawn/);
    expect(error.message).not.toMatch(/hooks|heartbeat kept/);
  });

  it('a runner write in flight puts the command back just after it was withdrawn: withdrawn again', async () => {
    const { clock, store, send, base } = setup({ phase: 'pre-hook', stepIndex: 0, percent: 0 });
    let sent: DeploymentRecord | undefined;
    clock.after(1, () => {
      sent = store.peek(FN, ALIAS);
    });
    // The runner read the record (with the command) just before the withdrawal; its heartbeat,
    // carrying the command over, lands just after it.
    let revived = false;
    clock.after(30_500, () => {
      revived = true;
      store.seed(FN, ALIAS, { ...sent!, heartbeatAt: clock.now() });
    });
    const error = await errorOf(send({ waitSeconds: 30 }));
    expect(revived).toBe(true); // the verb looked again after its withdrawal
    expect(error.message).toMatch(/the command was withdrawn and nothing was done/);
    expect(store.peek(FN, ALIAS)?.command).toBeUndefined();
    expect(store.peek(FN, ALIAS)?.id).toBe(base.id);
  });

  it('the runner obeyed it as it was withdrawn: says so, not "nothing was done"', async () => {
    const { clock, store, send } = setup({ phase: 'pre-hook', stepIndex: 0, percent: 0 });
    let sent: DeploymentRecord | undefined;
    clock.after(1, () => {
      sent = store.peek(FN, ALIAS);
    });
    clock.after(30_500, () =>
      store.seed(FN, ALIAS, {
        ...sent!,
        command: { ...sent!.command!, state: 'done' },
        heartbeatAt: clock.now(),
      }),
    );
    const error = await errorOf(send({ waitSeconds: 30 }));
    expect(error.message).not.toMatch(/nothing was done/);
    expect(error.message).toMatch(/it obeyed the command as it was being withdrawn/);
    expect(store.peek(FN, ALIAS)?.command?.state).toBe('done');
  });

  it.each(['pause', 'promote'] as const)(
    'post-traffic hooks running (after its last hold): %s is refused, nothing written',
    async (verb) => {
      const { store, send } = setup({ phase: 'post-hook', stepIndex: 1, percent: 100 });
      const error = await errorOf(send({ verb }));
      expect(error.code).toBe('NO_RUNNING_DEPLOYMENT');
      expect(error.exitCode).toBe(2);
      expect(error.message).toMatch(
        /is running its post-traffic hooks, with all traffic on version 2: they follow its last hold, so there is nothing left to pause or promote/,
      );
      expect(error.hint).toMatch(/`lshift abort demo --alias live` ends them and rolls back/);
      expect(store.writes).toHaveLength(0);
    },
  );

  it('post-traffic hooks running: an abort is sent (their beats read it and roll back)', async () => {
    const { store, send } = setup({ phase: 'post-hook', stepIndex: 1, percent: 100 });
    const error = await errorOf(send({ verb: 'abort', waitSeconds: 10 }));
    expect(error.code).toBe('COMMAND_NOT_ANSWERED');
    expect(store.writes.length).toBeGreaterThanOrEqual(1);
  });

  it('a function of a release in its post-traffic hooks: sent as before (the release may read it elsewhere)', async () => {
    const { store, send } = setup({ phase: 'post-hook', stepIndex: 1, percent: 100, releaseId: 'r-k3j9x2' });
    const error = await errorOf(send({ verb: 'abort', release: 'r-k3j9x2', waitSeconds: 10 }));
    expect(error.code).toBe('COMMAND_NOT_ANSWERED');
    expect(store.writes.length).toBeGreaterThanOrEqual(1);
  });
});

describe('an operator command’s --wait while the wall clock is stepped', () => {
  it('a step back of the wall clock does not stretch --wait: not answered after 60 s of waiting', async () => {
    const { clock, send } = setup();
    clock.after(5_000, () => clock.stepWall(-10 * 60_000));
    const error = await errorOf(send({ waitSeconds: 60 }));
    expect(error.code).toBe('COMMAND_NOT_ANSWERED');
    // 60 s and the withdrawal, not the 10 minutes the wall clock went back.
    expect(clock.elapsed()).toBeLessThan(2 * 60_000);
  });
});
