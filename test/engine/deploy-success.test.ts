import { describe, expect, it } from 'vitest';
import { describeReason } from '../../src/cli/describe-outcome.js';
import { exitCodeForStatus } from '../../src/cli/exit-codes.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { PROMOTION_SETTLE_MS } from '../../src/engine/promotion-settle.js';
import { cmdHook } from '../helpers/fake-hooks.js';
import { ALIAS, allAtOnce, canary, createWorld, FN, linear, request, writesOf } from './world.js';

describe('runDeploy: a shift that succeeds', () => {
  it('runs a 30-minute linear shift on the fake clock, writing each exact weight with the last RevisionId', async () => {
    const w = createWorld();
    const result = await runDeploy(w.deps, request(linear(10, 200)));

    expect(result.status).toBe('promoted');
    expect(exitCodeForStatus(result.status)).toBe(0);
    // The holds, then the promotion's read-back (promotion-settle.ts).
    expect(w.clock.now() - w.start).toBe(30 * 60 * 1000 + PROMOTION_SETTLE_MS);
    expect(writesOf(w.lambda)).toEqual([
      ['1', { '2': 0.1 }, 'rev-4'],
      ['1', { '2': 0.2 }, 'rev-5'],
      ['1', { '2': 0.3 }, 'rev-6'],
      ['1', { '2': 0.4 }, 'rev-7'],
      ['1', { '2': 0.5 }, 'rev-8'],
      ['1', { '2': 0.6 }, 'rev-9'],
      ['1', { '2': 0.7 }, 'rev-10'],
      ['1', { '2': 0.8 }, 'rev-11'],
      ['1', { '2': 0.9 }, 'rev-12'],
      ['2', {}, 'rev-13'],
    ]);
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '2', additionalWeights: {} });
    // One DescribeAlarms in preflight, then one per poll: 9 holds × 200 s / 10 s.
    expect(w.metrics.callsOf('describeAlarms')).toHaveLength(1 + 180);
    expect(w.sink.ofType('health.polled')).toHaveLength(180);
    expect(result.steps.map((s) => [s.index, s.percent, s.result])).toEqual([
      [0, 10, 'completed'],
      [1, 20, 'completed'],
      [2, 30, 'completed'],
      [3, 40, 'completed'],
      [4, 50, 'completed'],
      [5, 60, 'completed'],
      [6, 70, 'completed'],
      [7, 80, 'completed'],
      [8, 90, 'completed'],
      [9, 100, 'completed'],
    ]);
    expect(result).toMatchObject({
      deploymentId: 'd-abc123',
      functionName: FN,
      alias: ALIAS,
      fromVersion: '1',
      toVersion: '2',
      strategy: 'linear:10%:200s',
      startedAt: w.start,
      endedAt: w.start + 1800_000 + PROMOTION_SETTLE_MS,
    });
    expect(result.verdicts).toEqual([expect.objectContaining({ gate: 'alarms', outcome: 'pass' })]);
  });

  it('keeps to the schedule when each alias write is slow: the next hold absorbs the delay (≤10% of it)', async () => {
    const w = createWorld();
    const slowLambda = Object.create(w.lambda) as typeof w.lambda;
    slowLambda.updateAlias = async (...args: Parameters<typeof w.lambda.updateAlias>) => {
      await w.clock.sleep(3000);
      return w.lambda.updateAlias(...args);
    };
    const result = await runDeploy({ ...w.deps, lambda: slowLambda }, request(linear(10, 200)));
    expect(result.status).toBe('promoted');
    // 30 minutes of holds; only the first write's 3 s cannot be caught up. Without the
    // catch-up it would be 30 min + 10 × 3 s.
    expect(w.clock.now() - w.start).toBe(30 * 60 * 1000 + 3000 + PROMOTION_SETTLE_MS);
  });

  it('never writes 1.0 as an additional weight: all-at-once is one write moving FunctionVersion', async () => {
    const w = createWorld();
    const result = await runDeploy(w.deps, request(allAtOnce()));
    expect(result.status).toBe('promoted');
    expect(writesOf(w.lambda)).toEqual([['2', {}, 'rev-4']]);
    expect(w.sink.ofType('health.polled')).toHaveLength(0);
  });

  it('writes fractional weights exactly (0.5% → 0.005)', async () => {
    const w = createWorld();
    const shape = canary(0.5, 30);
    await runDeploy(w.deps, request(shape));
    expect(writesOf(w.lambda).map((x) => x.slice(0, 2))).toEqual([
      ['1', { '2': 0.005 }],
      ['2', {}],
    ]);
  });

  it('emits the events of a shift in order', async () => {
    const w = createWorld();
    await runDeploy(w.deps, request(canary(10, 30)));
    const types = w.sink.types().filter((t) => t !== 'record.written' && t !== 'preflight.check');
    expect(types).toEqual([
      'preflight.started',
      'preflight.completed',
      'shift.started',
      'step.started',
      'health.polled',
      'health.polled',
      'health.polled',
      'step.completed',
      'step.started',
      'step.completed',
      'deploy.finished',
    ]);
    const polls = w.sink.ofType('health.polled');
    expect(polls.map((p) => p.remainingSeconds)).toEqual([20, 10, 0]);
    expect(polls[0]).toMatchObject({ index: 0, percent: 10, alarms: [{ name: 'demo-errors', state: 'OK' }] });
    const started = w.sink.ofType('shift.started')[0];
    expect(started).toMatchObject({ deploymentId: 'd-abc123', stableVersion: '1', targetVersion: '2' });
    expect(w.sink.ofType('deploy.finished')[0]?.result.status).toBe('promoted');
  });

  it('writes the record at every phase and step, and history on promotion', async () => {
    const w = createWorld();
    w.store.seed(FN, ALIAS, {
      id: 'd-old001',
      stableVersion: '7',
      targetVersion: '1',
      strategy: 'all-at-once',
      stepIndex: 0,
      percent: 100,
      phase: 'promoted',
      startedAt: w.start - 3600_000,
      owner: 'old@host:1',
      heartbeatAt: w.start - 3500_000,
      endedAt: w.start - 3500_000,
      history: ['7'],
    });
    const hooks = { pre: [cmdHook('pre')], post: [cmdHook('post')] };
    const result = await runDeploy(w.deps, request({ ...canary(10, 60), hooks, bakeSeconds: 120 }));

    expect(result.status).toBe('promoted');
    expect(w.store.phases()).toEqual(['started', 'pre-hook', 'shifting', 'baking', 'post-hook', 'promoted']);
    const shifting = w.store.writes.filter((x) => x.record.phase === 'shifting').map((x) => x.record);
    expect(shifting[0]).toMatchObject({ stepIndex: 0, percent: 10, heartbeatAt: w.start });
    expect(shifting.at(-1)).toMatchObject({ stepIndex: 1, percent: 100 });
    const final = w.store.peek(FN, ALIAS);
    expect(final).toMatchObject({
      id: 'd-abc123',
      stableVersion: '1',
      targetVersion: '2',
      phase: 'promoted',
      percent: 100,
      owner: 'tester@host:1',
      startedAt: w.start,
      endedAt: w.start + 180_000,
      history: ['1', '7'],
    });
    // Heartbeats during holds and the bake: at most one per poll, and at least every 30 s.
    const baking = w.store.writes.filter((x) => x.record.phase === 'baking');
    expect(baking.length).toBeGreaterThanOrEqual(120 / 30);
    expect(baking.length).toBeLessThanOrEqual(1 + 120 / 10);
    const beats = w.store.writes.map((x) => x.record.heartbeatAt);
    expect(beats).toEqual([...beats].sort((a, b) => a - b));
  });

  it('bakes at 100% with window phase `bake`, polling every interval', async () => {
    const w = createWorld();
    const windows: string[] = [];
    const gate = {
      name: 'probe',
      evaluate: async (win: { phase: string; percent: number; endOfStep: boolean }) => {
        windows.push(`${win.phase}@${win.percent}${win.endOfStep ? '!' : ''}`);
        return [];
      },
    };
    const result = await runDeploy(
      { ...w.deps, gates: [gate] },
      request({ ...canary(10, 20), bakeSeconds: 30 }),
    );
    expect(result.status).toBe('promoted');
    expect(windows).toEqual(['shift@10', 'shift@10!', 'bake@100', 'bake@100', 'bake@100!']);
    expect(w.sink.types()).toContain('bake.completed');
  });

  it('works without a store (no record writes) and returns nothing_to_deploy when the alias is already on the target', async () => {
    const w = createWorld({ withStore: false });
    const result = await runDeploy(w.deps, request({ targetVersion: '1' }));
    expect(result.status).toBe('nothing_to_deploy');
    expect(exitCodeForStatus(result.status)).toBe(0);
    expect(describeReason(result)).toContain('already points at version 1');
    expect(w.lambda.callsOf('updateAlias')).toHaveLength(0);
    expect(w.store.writes).toHaveLength(0);
  });
});
