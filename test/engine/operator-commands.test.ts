import { describe, expect, it } from 'vitest';
import { describeReason } from '../../src/cli/describe-outcome.js';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import type { OperatorCommand, OperatorVerb } from '../../src/domain/operator-command.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { ALARM, ALIAS, createWorld, FN, linear, request, type World } from './world.js';

/**
 * The running deployment's side of `lshift promote | pause | resume | abort` (fake clock): a
 * command written into the record (as the verbs do: on a copy of what they read) is obeyed at the
 * next health poll and answered in the record. linear:10%:1m, polls every 10 s: step 2 (20%)
 * holds from 60 s to 120 s, and every command below lands at 95 s, in that hold.
 */
describe('operator commands read by a running deployment', () => {
  function sendAt(
    w: World,
    at: number,
    verb: OperatorVerb,
    extra: Partial<OperatorCommand> = {},
    base?: () => DeploymentRecord,
  ): void {
    w.clock.at(at, () => {
      const record = base?.() ?? w.store.peek(FN, ALIAS);
      if (!record) throw new Error('no record to command');
      const command: OperatorCommand = {
        verb,
        nonce: `n${at.toString(36).slice(-3)}`,
        state: 'sent',
        by: 'ann@laptop:9',
        ...extra,
      };
      w.store.seed(FN, ALIAS, { ...record, command });
    });
  }
  const at = (w: World, seconds: number) => w.start + seconds * 1000;
  const eventsOf = (w: World, type: string) => w.sink.events.filter((e) => e.type === type);
  const weightWritesBetween = (w: World, from: number, to: number) =>
    w.lambda.callsOf('updateAlias').filter((c) => c.at >= from && c.at <= to).length;

  it('pause stops the hold clock (no weight write, health still polled) until resume', async () => {
    const w = createWorld();
    sendAt(w, at(w, 95), 'pause');
    sendAt(w, at(w, 695), 'resume');
    const result = await runDeploy(w.deps, request(linear(10, 60)));
    expect(result.status).toBe('promoted');
    const obeyed = eventsOf(w, 'operator.command');
    expect(obeyed.map((e) => e.type === 'operator.command' && [e.verb, e.obeyed])).toEqual([
      ['pause', true],
      ['resume', true],
    ]);
    const [paused, resumed] = obeyed.map((e) => e.at);
    expect(paused! - at(w, 95)).toBeLessThanOrEqual(10_000); // within one poll
    expect(weightWritesBetween(w, paused!, resumed!)).toBe(0);
    const polledWhilePaused = eventsOf(w, 'health.polled').filter((e) => e.at > paused! && e.at < resumed!);
    expect(polledWhilePaused.length).toBeGreaterThanOrEqual(55);
    // The hold had ~25 s left when paused, and has them again after the resume.
    const next = w.sink.events.find((e) => e.type === 'step.started' && e.index === 2);
    expect(next!.at - resumed!).toBeGreaterThan(15_000);
    expect(next!.at - resumed!).toBeLessThanOrEqual(35_000);
    expect(w.store.peek(FN, ALIAS)?.command).toMatchObject({ verb: 'resume', state: 'done' });
  });

  it('a failure while paused still rolls back', async () => {
    const w = createWorld();
    sendAt(w, at(w, 95), 'pause');
    w.metrics.setAlarm(ALARM, 'ALARM', { at: at(w, 300), reason: 'Threshold Crossed' });
    const result = await runDeploy(w.deps, request(linear(10, 60)));
    expect(result.status).toBe('rolled_back');
    expect(result.cause?.code).toBe('GATE_FAILED');
    expect(result.endedAt! - at(w, 300)).toBeLessThanOrEqual(10_000);
  });

  it('promote skips the rest of the current hold only', async () => {
    const w = createWorld();
    sendAt(w, at(w, 95), 'promote');
    const result = await runDeploy(w.deps, request(linear(10, 60)));
    expect(result.status).toBe('promoted');
    const step3 = w.sink.events.find((e) => e.type === 'step.started' && e.index === 2);
    expect(step3!.at).toBeLessThanOrEqual(at(w, 105));
    // The next steps hold their full minute.
    const step4 = w.sink.events.find((e) => e.type === 'step.started' && e.index === 3);
    expect(step4!.at - step3!.at).toBeGreaterThanOrEqual(60_000);
    expect(w.lambda.aliasWrites()).toHaveLength(10);
  });

  it('promote --full skips every remaining weight, hold and the bake', async () => {
    const w = createWorld();
    sendAt(w, at(w, 95), 'promote-full');
    const result = await runDeploy(w.deps, request({ ...linear(10, 60), bakeSeconds: 600 }));
    expect(result.status).toBe('promoted');
    expect(w.lambda.aliasWrites().map((a) => [a.functionVersion, a.additionalWeights])).toEqual([
      ['1', { '2': 0.1 }],
      ['1', { '2': 0.2 }],
      ['2', {}],
    ]);
    expect(w.sink.types()).not.toContain('bake.started');
    expect(result.endedAt!).toBeLessThanOrEqual(at(w, 110));
  });

  it('abort rolls back with the operator and the reason in the cause', async () => {
    const w = createWorld();
    sendAt(w, at(w, 95), 'abort', { reason: 'p99 doubled' });
    const result = await runDeploy(w.deps, request(linear(10, 60)));
    expect(result.status).toBe('rolled_back');
    expect(result.cause).toMatchObject({
      code: 'OPERATOR_ABORTED',
      data: { by: 'ann@laptop:9', reason: 'p99 doubled' },
    });
    expect(describeReason(result)).toBe('rolled back at step 2 (20%): aborted by ann@laptop:9: p99 doubled');
    expect(w.store.peek(FN, ALIAS)).toMatchObject({
      phase: 'rolled-back',
      command: { verb: 'abort', state: 'done' },
    });
  });

  it('an abort whose sender a full record dropped (by empty) never reads "aborted by " with nothing after', async () => {
    // A record of many steps keeps the command's verb, not who sent it (record-encode.ts fitCommand).
    const w = createWorld();
    sendAt(w, at(w, 95), 'abort', { by: '' });
    const result = await runDeploy(w.deps, request(linear(10, 60)));
    expect(result.status).toBe('rolled_back');
    expect(describeReason(result)).toBe(
      'rolled back at step 2 (20%): aborted by an operator (not named: the deployment record had no room for it)',
    );
  });

  it('a command on a copy of an older record of ours is obeyed, not taken for a takeover', async () => {
    const w = createWorld();
    let early: DeploymentRecord | undefined;
    w.clock.at(at(w, 35), () => {
      early = w.store.peek(FN, ALIAS);
    });
    sendAt(w, at(w, 95), 'promote', {}, () => early!);
    const result = await runDeploy(w.deps, request(linear(10, 60)));
    expect(result.status).toBe('promoted');
    expect(eventsOf(w, 'operator.command')).toHaveLength(1);
  });

  it('a command on another deployment’s record is not obeyed', async () => {
    const w = createWorld();
    sendAt(w, at(w, 95), 'abort', {}, () => ({
      ...w.store.peek(FN, ALIAS)!,
      id: 'd-other1',
      heartbeatAt: at(w, 95),
    }));
    const result = await runDeploy(w.deps, request(linear(10, 60)));
    expect(eventsOf(w, 'operator.command')).toHaveLength(0);
    expect(result.status).not.toBe('rolled_back');
  });
});
