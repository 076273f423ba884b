/**
 * `lshift wait <id>` (followCodeDeploy) and the signal that interrupts it. The runtime's AWS
 * calls share the signal, so a Ctrl-C that lands while a poll's read is in flight abandons that
 * read (INTERRUPTED): it must still stop the deployment, not end the wait with the read's error.
 */
import { describe, expect, it } from 'vitest';
import { buildAppSpec } from '../../src/domain/codedeploy-plan.js';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import { OperationError } from '../../src/domain/errors.js';
import { encodeRecord } from '../../src/domain/record-encode.js';
import { type FollowDeps, followCodeDeploy } from '../../src/engine/follow-codedeploy.js';
import { FakeCodeDeploy } from '../helpers/fake-codedeploy.js';
import { ALIAS, createWorld, deadRecord, FN } from './world.js';

async function runningWorld() {
  const w = createWorld();
  const codedeploy = new FakeCodeDeploy(w.clock, w.lambda);
  const id = await codedeploy.createDeployment({
    application: 'lshift-demo',
    group: 'demo-live',
    config: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
    description: 'lshift deploy of demo:live',
    appSpec: buildAppSpec({ functionName: FN, alias: ALIAS, currentVersion: '1', targetVersion: '2' }),
  });
  const deps = { codedeploy, lambda: w.lambda, clock: w.clock, events: w.sink };
  return { w, codedeploy, id, deps };
}

/** `lshift wait <id>` with 10-s polls, stopping the deployment on the signal (the default). */
const follow = (
  deps: FollowDeps,
  id: string,
  signal?: AbortSignal,
  onInterrupt: 'rollback' | 'leave' = 'rollback',
) =>
  followCodeDeploy(deps, { deploymentId: id, pollSeconds: 10, onInterrupt, ...(signal ? { signal } : {}) });

/** The second GetDeployment is in flight when the signal comes: the SDK abandons it. */
function interruptDuringSecondRead(codedeploy: FakeCodeDeploy, controller: AbortController) {
  const read = codedeploy.getDeployment.bind(codedeploy);
  let reads = 0;
  codedeploy.getDeployment = async (id: string) => {
    if (++reads === 2) {
      controller.abort(new Error('SIGINT'));
      throw new OperationError(
        'INTERRUPTED',
        `codedeploy:GetDeployment on deployment ${id} was abandoned`,
        {},
      );
    }
    return read(id);
  };
}

describe('lshift wait names what the deployment moves', () => {
  it('onTarget: the function and alias of its AppSpec, once, at the first read', async () => {
    const { codedeploy, id, deps } = await runningWorld();
    await codedeploy.stopDeployment(id, true);
    const seen: unknown[] = [];
    await followCodeDeploy(deps, {
      deploymentId: id,
      pollSeconds: 10,
      onInterrupt: 'rollback',
      onTarget: (t) => seen.push(t),
    });
    expect(seen).toEqual([expect.objectContaining({ functionName: FN, alias: ALIAS })]);
  });

  // commands/wait.ts words a signal's notice by it: before the first read it does not know
  // whether there is anything to stop.
  it('onRead: every answered read, the first before anything acts on a signal', async () => {
    const { codedeploy, id, deps } = await runningWorld();
    const controller = new AbortController();
    controller.abort(new Error('SIGINT'));
    const order: string[] = [];
    const stop = codedeploy.stopDeployment.bind(codedeploy);
    codedeploy.stopDeployment = async (stopId: string, autoRollback: boolean) => {
      order.push('StopDeployment');
      return stop(stopId, autoRollback);
    };
    const result = await followCodeDeploy(deps, {
      deploymentId: id,
      pollSeconds: 10,
      onInterrupt: 'rollback',
      signal: controller.signal,
      onRead: (info) => order.push(`read ${info.status}`),
    });
    expect(result.stoppedByInterrupt).toBe(true);
    expect(order[0]).toBe('read InProgress');
    expect(order[1]).toBe('StopDeployment');
    expect(order.at(-1)).toBe('read Stopped');
  });

  // commands/wait.ts stops abandoning its AWS calls from then on: a signal after the end stops nothing.
  it('onEnd: CodeDeploy’s end, once, before the alias is read', async () => {
    const { codedeploy, id, deps, w } = await runningWorld();
    await codedeploy.stopDeployment(id, true);
    const order: string[] = [];
    const getAlias = w.lambda.getAlias.bind(w.lambda);
    w.lambda.getAlias = async (fn: string, alias: string) => {
      order.push('GetAlias');
      return getAlias(fn, alias);
    };
    await followCodeDeploy(deps, {
      deploymentId: id,
      pollSeconds: 10,
      onInterrupt: 'rollback',
      onEnd: (info) => order.push(`end ${info.status}`),
    });
    expect(order).toEqual(['end Stopped', 'GetAlias']);
  });
});

// Seen in a hostile pass: `lshift wait` on a deployment someone stopped (`aws deploy
// stop-deployment`) gave CodeDeploy's words alone; a deploy's follower says it was stopped from outside.
describe('lshift wait on a deployment stopped from outside', () => {
  it('says it was stopped from outside this run; its own Ctrl-C stop does not', async () => {
    const { codedeploy, id, deps } = await runningWorld();
    await codedeploy.stopDeployment(id, true);
    const outside = await follow(deps, id);
    expect(outside).toMatchObject({ status: 'Stopped', outcome: 'rolled_back' });
    expect(outside.stoppedByInterrupt).toBeUndefined();
    expect(outside.detail).toMatch(/^stopped from outside this run \(a StopDeployment request/);

    const own = await runningWorld();
    const controller = new AbortController();
    interruptDuringSecondRead(own.codedeploy, controller);
    const mine = await follow(own.deps, own.id, controller.signal);
    expect(mine.stoppedByInterrupt).toBe(true);
    expect(mine.detail).not.toContain('from outside');
  });
});

describe('lshift wait interrupted while a poll’s read is in flight', () => {
  it('rollback (the default): the deployment is still stopped with auto-rollback and followed to its end', async () => {
    const { w, codedeploy, id, deps } = await runningWorld();
    const controller = new AbortController();
    interruptDuringSecondRead(codedeploy, controller);

    const result = await follow(deps, id, controller.signal);

    expect(codedeploy.callsOf('stopDeployment').map((c) => c.args)).toEqual([[id, true]]);
    expect(result).toMatchObject({ outcome: 'rolled_back', status: 'Stopped', stoppedByInterrupt: true });
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
  });

  it('leave: nothing is stopped, the wait says it left the deployment running', async () => {
    const { codedeploy, id, deps } = await runningWorld();
    const controller = new AbortController();
    interruptDuringSecondRead(codedeploy, controller);

    const result = await follow(deps, id, controller.signal, 'leave');

    expect(codedeploy.callsOf('stopDeployment')).toEqual([]);
    expect(result).toMatchObject({ outcome: 'left', deploymentId: id });
  });

  // It returned status InProgress without having read it, and the line said CodeDeploy keeps
  // running a deployment that may have ended.
  it('leave, the signal abandoning the first read: left with its status unread, not InProgress', async () => {
    const { codedeploy, id, deps } = await runningWorld();
    const controller = new AbortController();
    codedeploy.getDeployment = async (deploymentId: string) => {
      controller.abort(new Error('SIGINT'));
      throw new OperationError(
        'INTERRUPTED',
        `codedeploy:GetDeployment on deployment ${deploymentId} was abandoned`,
        {},
      );
    };

    const result = await follow(deps, id, controller.signal, 'leave');

    expect(codedeploy.callsOf('stopDeployment')).toEqual([]);
    expect(result).toEqual({ deploymentId: id, outcome: 'left', statusUnread: true });
  });

  it('leave, the signal after a read: left with the status it read', async () => {
    const { codedeploy, id, deps } = await runningWorld();
    const controller = new AbortController();
    interruptDuringSecondRead(codedeploy, controller);

    const result = await follow(deps, id, controller.signal, 'leave');

    expect(result).toMatchObject({ outcome: 'left', status: 'InProgress' });
    expect(result.statusUnread).toBeUndefined();
  });

  it('a read that fails on its own (no signal) still ends the wait with its error', async () => {
    const { codedeploy, id, deps } = await runningWorld();
    codedeploy.getDeployment = async () => {
      throw new OperationError('ACCESS_DENIED', 'not allowed', {});
    };

    await expect(follow(deps, id)).rejects.toMatchObject({ code: 'ACCESS_DENIED' });
    expect(codedeploy.callsOf('stopDeployment')).toEqual([]);
  });
});

/**
 * `demo:live` as `deploy --engine codedeploy --detach` leaves it: CodeDeploy runs d-FAKE1 (10% a
 * minute, failing as `fail` says), the record `paused` at 10% naming it; `lshift wait` has a store.
 */
async function recordedWorld(
  fail?: { afterMs: number; message: string },
  record?: Partial<DeploymentRecord>,
  description?: string,
) {
  const w = createWorld();
  const codedeploy = new FakeCodeDeploy(w.clock, w.lambda);
  if (fail) codedeploy.failAfter(fail.afterMs, fail.message);
  const id = await codedeploy.createDeployment({
    application: 'lshift-demo',
    group: 'demo-live',
    config: 'CodeDeployDefault.LambdaLinear10PercentEvery1Minute',
    ...(description === undefined ? {} : { description }),
    appSpec: buildAppSpec({ functionName: FN, alias: ALIAS, currentVersion: '1', targetVersion: '2' }),
  });
  const paused = deadRecord(w, {
    phase: 'paused',
    percent: 10,
    engine: 'codedeploy',
    codeDeployId: id,
    heartbeatAt: w.clock.now(),
    startedAt: w.clock.now(),
    ...record,
  });
  // CodeDeploy moved the alias itself (10% at once, or back at once when it failed at its start).
  w.store.seed(FN, ALIAS, paused);
  const deps = { codedeploy, lambda: w.lambda, clock: w.clock, events: w.sink, store: w.store };
  return { w, codedeploy, id, deps };
}

/** The tag as it is stored: the `y=` key (or none). */
function causeKeyOf(record: DeploymentRecord | undefined): string | undefined {
  return encodeRecord(record!).match(/ y=(\S+)/)?.[1];
}

// `lshift status` says why a deployment rolled back from its record's `y=`; the wait that closes a
// CodeDeploy record as rolled back writes how CodeDeploy said it ended (codedeploy-end-cause.ts).
describe('lshift wait closes the record with why it rolled back (y=)', () => {
  it('CodeDeploy’s alarm (ALARM_ACTIVE): GATE_FAILED.alarms', async () => {
    const { w, id, deps } = await recordedWorld({ afterMs: 90_000, message: 'alarm demo-errors fired' });
    const result = await follow(deps, id);
    expect(result).toMatchObject({ outcome: 'rolled_back', recordPhase: 'rolled-back' });
    const record = w.store.peek(FN, ALIAS);
    expect(record).toMatchObject({ phase: 'rolled-back', cause: { code: 'GATE_FAILED', gates: ['alarms'] } });
    expect(causeKeyOf(record)).toBe('GATE_FAILED.alarms');
  });

  it('its BeforeAllowTraffic hook failed: HOOK_FAILED.pre; its AfterAllowTraffic hook: HOOK_FAILED.post', async () => {
    const pre = await recordedWorld({ afterMs: 0, message: 'hook:smoke test failed' });
    expect(await follow(pre.deps, pre.id)).toMatchObject({ outcome: 'rolled_back' });
    expect(pre.w.store.peek(FN, ALIAS)?.cause).toEqual({ code: 'HOOK_FAILED', phase: 'pre' });
    // The words and the cause come from one read of the lifecycle events.
    expect(pre.codedeploy.callsOf('getLifecycleEvents')).toHaveLength(1);

    const post = await recordedWorld({ afterMs: 90_000, message: 'post-hook:checkout smoke test failed' });
    expect(await follow(post.deps, post.id)).toMatchObject({ outcome: 'rolled_back' });
    expect(post.w.store.peek(FN, ALIAS)?.cause).toEqual({ code: 'HOOK_FAILED', phase: 'post' });
    expect(causeKeyOf(post.w.store.peek(FN, ALIAS))).toBe('HOOK_FAILED.post');
  });

  it('stopped from outside (a StopDeployment with auto-rollback): STOPPED_IN_CODEDEPLOY', async () => {
    const { w, codedeploy, id, deps } = await recordedWorld();
    await codedeploy.stopDeployment(id, true);
    expect(await follow(deps, id)).toMatchObject({ outcome: 'rolled_back', status: 'Stopped' });
    expect(w.store.peek(FN, ALIAS)?.cause).toEqual({ code: 'STOPPED_IN_CODEDEPLOY' });
  });

  it('its own Ctrl-C stop: INTERRUPTED, not a stop from outside', async () => {
    const { w, codedeploy, id, deps } = await recordedWorld();
    const controller = new AbortController();
    interruptDuringSecondRead(codedeploy, controller);
    const result = await follow(deps, id, controller.signal);
    expect(result).toMatchObject({ outcome: 'rolled_back', stoppedByInterrupt: true });
    expect(w.store.peek(FN, ALIAS)?.cause).toEqual({ code: 'INTERRUPTED' });
  });

  it('a cause the record has already (an earlier lshift decided the rollback) is kept', async () => {
    const { w, codedeploy, id, deps } = await recordedWorld(undefined, {
      cause: { code: 'OPERATOR_ABORTED' },
    });
    await codedeploy.stopDeployment(id, true);
    await follow(deps, id);
    expect(w.store.peek(FN, ALIAS)).toMatchObject({
      phase: 'rolled-back',
      cause: { code: 'OPERATOR_ABORTED' },
    });
  });

  // Found by a hostile pass: its runner was killed after CreateDeployment went out, before it
  // wrote the id; `lshift wait` reported Succeeded and left the record open (every check: STALLED).
  it('a record that names no deployment is closed when the deployment carries its run token, and names it', async () => {
    const { w, id, deps } = await recordedWorld(
      undefined,
      { id: 'd-token01', codeDeployId: undefined, phase: 'started', percent: 0 },
      'lshift deploy of demo:live [lshift-run:d-token01]',
    );
    expect(await follow(deps, id)).toMatchObject({ outcome: 'succeeded', recordPhase: 'promoted' });
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'promoted', codeDeployId: id });
  });

  it('a record that names no deployment is left alone when the token is another run’s', async () => {
    const { w, id, deps } = await recordedWorld(
      undefined,
      { id: 'd-token01', codeDeployId: undefined, phase: 'started', percent: 0 },
      'lshift deploy of demo:live [lshift-run:d-other99]',
    );
    expect(await follow(deps, id)).toMatchObject({ outcome: 'succeeded' });
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'started' });
  });

  // Found by a hostile pass: the warning named no way to close the record left open.
  it('a record write that fails after the end: the wait reports the end and names the command that closes the record', async () => {
    const { w, id, deps } = await recordedWorld();
    w.store.failWrites(new Error('connect ETIMEDOUT'));
    const result = await follow(deps, id);
    expect(result).toMatchObject({ outcome: 'succeeded' });
    expect(result.recordPhase).toBeUndefined();
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'paused' });
    expect(w.sink.events).toContainEqual(
      expect.objectContaining({
        type: 'log',
        message: expect.stringContaining(
          `the deployment has ended: \`lshift wait ${id}\` closes it once AWS answers`,
        ),
      }),
    );
  });

  it('promoted: no cause', async () => {
    const { w, id, deps } = await recordedWorld();
    expect(await follow(deps, id)).toMatchObject({ outcome: 'succeeded', recordPhase: 'promoted' });
    expect(w.store.peek(FN, ALIAS)?.cause).toBeUndefined();
    expect(causeKeyOf(w.store.peek(FN, ALIAS))).toBeUndefined();
  });
});

// Seen by hand (sandbox, tmux): a Ctrl-C on `lshift wait` a moment after CodeDeploy had ended the
// deployment met DeploymentAlreadyCompletedException from StopDeployment, and the wait ended with
// AWS_ERROR (exit 1), "retry once the cause is fixed", and the record left unclosed.
describe('lshift wait: a Ctrl-C that comes after CodeDeploy ended the deployment', () => {
  it('nothing to stop: the wait reports the end it finds (promoted), says so, and closes the record', async () => {
    const { w, codedeploy, id, deps } = await recordedWorld();
    const controller = new AbortController();
    const read = codedeploy.getDeployment.bind(codedeploy);
    let reads = 0;
    codedeploy.getDeployment = async (deploymentId: string) => {
      if (++reads === 2) {
        // Ten minutes on: the 1-minute linear deployment has ended by the time the stop reaches it.
        w.clock.advance(600_000);
        controller.abort(new Error('SIGINT'));
        throw new OperationError(
          'INTERRUPTED',
          `codedeploy:GetDeployment on deployment ${deploymentId} was abandoned`,
          {},
        );
      }
      return read(deploymentId);
    };
    const result = await follow(deps, id, controller.signal);
    expect(codedeploy.callsOf('stopDeployment').map((c) => c.args)).toEqual([[id, true]]);
    expect(result).toMatchObject({ outcome: 'succeeded', status: 'Succeeded', interruptedAfterEnd: true });
    expect(result.stoppedByInterrupt).toBeUndefined();
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'promoted' });
    expect(w.sink.events).toContainEqual(
      expect.objectContaining({
        type: 'log',
        message: `codedeploy: ${id} had already ended: nothing to stop`,
      }),
    );
  });

  it('after a stop CodeDeploy took, the wait still polls an interval apart until it ends', async () => {
    const { w, codedeploy, id, deps } = await runningWorld();
    const controller = new AbortController();
    // Accepted, yet the deployment runs on to its own end (AWS answers Pending and stops "a moment later").
    codedeploy.stopDeployment = async () => 'stopping';
    const read = codedeploy.getDeployment.bind(codedeploy);
    let reads = 0;
    codedeploy.getDeployment = async (deploymentId: string) => {
      reads++;
      if (reads === 2) controller.abort(new Error('SIGINT'));
      // The signal's abort once cut every later sleep short: reads without end on a frozen clock.
      if (reads > 200) throw new Error('GetDeployment read in a loop without waiting');
      return read(deploymentId);
    };
    const startedAt = w.clock.now();
    const result = await follow(deps, id, controller.signal);
    expect(result).toMatchObject({ status: 'Succeeded', stoppedByInterrupt: true });
    // The 5-minute canary ended on its own, read about every 10 s meanwhile.
    const elapsedS = (w.clock.now() - startedAt) / 1000;
    expect(reads).toBeGreaterThan(elapsedS / 10 - 2);
    expect(reads).toBeLessThanOrEqual(elapsedS / 10 + 3);
  });
});
