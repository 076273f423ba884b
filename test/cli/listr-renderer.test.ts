import { afterEach, describe, expect, it, vi } from 'vitest';
import { createListrRenderer } from '../../src/cli/renderers/listr-renderer.js';
import type { DeployResult, EngineEvent } from '../../src/domain/events.js';
import { planShift } from '../../src/domain/plan.js';
import { parseStrategy } from '../../src/domain/strategy.js';

/** Lets listr2 react to what was emitted: a few turns of the event loop, no timer. */
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise((resolve) => setImmediate(resolve));
}

describe('listr renderer: pre-traffic hooks', () => {
  afterEach(() => vi.restoreAllMocks());

  function start() {
    const printed: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((text) => {
      printed.push(String(text));
      return true;
    });
    const { bus, done } = createListrRenderer({
      publish: false,
      shift: true,
      preHooks: 1,
      bakeSeconds: 0,
      postHooks: 0,
    });
    const at = 0;
    const emit = (e: EngineEvent) => bus.emit(e);
    emit({
      type: 'preflight.completed',
      at,
      functionName: 'demo',
      alias: 'live',
      stableVersion: '1',
      targetVersion: '2',
    });
    // The record is written (shift.started) before the pre-traffic hooks run.
    emit({
      type: 'shift.started',
      at,
      deploymentId: 'd-1',
      functionName: 'demo',
      alias: 'live',
      stableVersion: '1',
      targetVersion: '2',
      plan: planShift(parseStrategy('canary:10%:5m')),
    });
    emit({ type: 'hook.started', at, phase: 'pre', hook: 'cmd:./smoke.sh' });
    return { printed: () => printed.join(''), emit, bus, done };
  }

  it('does not tick the pre-traffic hooks while one still runs', async () => {
    const run = start();
    await vi.waitFor(() => expect(run.printed()).toContain('❯ Pre-traffic hooks'));
    await settle();
    expect(run.printed()).not.toMatch(/✔ Pre-traffic hooks/);
    run.emit({
      type: 'hook.completed',
      at: 0,
      phase: 'pre',
      hook: 'cmd:./smoke.sh',
      ok: true,
      durationMs: 5,
    });
    run.emit({ type: 'step.started', at: 0, index: 0, total: 2, percent: 10, holdSeconds: 300 });
    run.bus.close();
    await run.done;
    expect(run.printed()).toMatch(/✔ Pre-traffic hooks/);
  });

  it('a failed pre-traffic hook is a failed task, and the shift moved no traffic', async () => {
    const run = start();
    run.emit({
      type: 'hook.completed',
      at: 0,
      phase: 'pre',
      hook: 'cmd:./smoke.sh',
      ok: false,
      durationMs: 5,
      reason: 'the command exited with code 7',
    });
    run.emit({
      type: 'rollback.started',
      at: 0,
      reason: 'pre-traffic hook failed',
      fromPercent: 0,
      toVersion: '1',
    });
    run.emit({ type: 'rollback.completed', at: 0, toVersion: '1' });
    run.bus.close();
    await run.done;
    const printed = run.printed();
    expect(printed).not.toMatch(/✔ Pre-traffic hooks/);
    expect(printed).toContain('the command exited with code 7');
    expect(printed).not.toMatch(/✔ Traffic shift/);
    expect(printed).toContain('no traffic moved');
  });

  it('a first weight write AWS refused: the rollback task says nothing was rolled back', async () => {
    const run = start();
    run.emit({
      type: 'hook.completed',
      at: 0,
      phase: 'pre',
      hook: 'cmd:./smoke.sh',
      ok: true,
      durationMs: 5,
    });
    run.emit({ type: 'step.started', at: 0, index: 0, total: 2, percent: 10, holdSeconds: 300 });
    run.emit({
      type: 'rollback.started',
      at: 0,
      reason: 'at step 1 (10%): could not write the weight: CREDENTIALS_INVALID',
      fromPercent: 0,
      toVersion: '1',
    });
    run.emit({ type: 'rollback.completed', at: 0, toVersion: '1' });
    const result: DeployResult = {
      status: 'rolled_back',
      functionName: 'demo',
      alias: 'live',
      steps: [],
      verdicts: [],
      trafficMoved: false,
    };
    run.emit({ type: 'deploy.finished', at: 0, result });
    run.bus.close();
    await run.done;
    const printed = run.printed();
    expect(printed).toContain('Nothing to roll back: no traffic moved, all traffic still on version 1');
    expect(printed).not.toContain('Rolled back: all traffic');
  });
});
