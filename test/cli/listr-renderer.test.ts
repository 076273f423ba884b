import { afterEach, describe, expect, it, vi } from 'vitest';
import { EventBus } from '../../src/cli/renderers/event-bus.js';
import { createListrRenderer } from '../../src/cli/renderers/listr-renderer.js';
import { trackWaits } from '../../src/cli/renderers/wait-lines.js';
import { forgetRunTarget, noteRunTarget } from '../../src/cli/run-target.js';
import type { DeployResult, EngineEvent } from '../../src/domain/events.js';
import { demoPreflightDone, demoShiftStarted } from '../helpers/demo-events.js';

/** Lets listr2 react to what was emitted: a few turns of the event loop, no timer. */
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** A non-TTY listr renderer of a shift (no publish, no post hooks) whose stderr is captured. */
function renderToCapturedStderr(layout: { preHooks: number; bakeSeconds: number }) {
  const printed: string[] = [];
  vi.spyOn(process.stderr, 'write').mockImplementation((text) => {
    printed.push(String(text));
    return true;
  });
  const { bus, done } = createListrRenderer({ publish: false, shift: true, postHooks: 0, ...layout });
  return { printed, bus, done };
}

/** Ctrl-C during the preflight: the run ends before its shift, and no check failed. */
describe('listr renderer: a preflight interrupted by a signal', () => {
  afterEach(() => vi.restoreAllMocks());

  it('says interrupted, not "did not pass"', async () => {
    const { printed, bus, done } = renderToCapturedStderr({ preHooks: 0, bakeSeconds: 0 });
    bus.emit({ type: 'preflight.started', at: 0, functionName: 'demo', alias: 'live' });
    bus.say('SIGINT received: stopping (send it again after a second to exit at once).', 0);
    bus.close();
    await done;
    expect(printed.join('')).toContain('✖ Preflight [FAILED: preflight interrupted]');
    expect(printed.join('')).not.toContain('did not pass');
  });
});

describe('listr renderer: pre-traffic hooks', () => {
  afterEach(() => vi.restoreAllMocks());

  function start() {
    const { printed, bus, done } = renderToCapturedStderr({ preHooks: 1, bakeSeconds: 0 });
    const at = 0;
    const emit = (e: EngineEvent) => bus.emit(e);
    emit(demoPreflightDone());
    // The record is written (shift.started) before the pre-traffic hooks run.
    emit(demoShiftStarted());
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
      functionName: 'demo',
      alias: 'live',
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
      functionName: 'demo',
      alias: 'live',
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

/**
 * At a TTY every wait shows with its bound, as the plain renderer prints it: a step hook and the
 * settle between two weights (no step runs then: the next step's task shows them), a
 * provisioned-concurrency wait after a weight write, the bake's settle.
 */
describe('listr renderer: every wait is visible, with its bound', () => {
  afterEach(() => vi.restoreAllMocks());

  it('step hooks, the settle before 100%, a provisioned-concurrency wait, the bake and its settle', async () => {
    const { printed, bus, done } = renderToCapturedStderr({ preHooks: 0, bakeSeconds: 120 });
    const at = 0;
    const shows = async (text: string) =>
      vi.waitFor(() => expect(printed.join('')).toContain(text), { timeout: 10_000, interval: 5 });
    bus.emit(demoPreflightDone());
    bus.emit(demoShiftStarted());
    bus.emit({ type: 'step.started', at, index: 0, total: 2, percent: 10, holdSeconds: 300 });
    bus.emit({ type: 'step.completed', at, index: 0, percent: 10 });
    bus.emit({ type: 'hook.started', at, phase: 'step', hook: 'cmd:./check.sh' });
    await shows('hook step: running cmd:./check.sh');
    bus.emit({ type: 'hook.completed', at, phase: 'step', hook: 'cmd:./check.sh', ok: true, durationMs: 1 });
    bus.emit({ type: 'settle.started', at, phase: 'shift', percent: 10, maxSeconds: 360 });
    await shows('settle: holding 10% while waiting for metrics to arrive, at most 6m');
    bus.emit({
      type: 'health.polled',
      at,
      index: 0,
      percent: 10,
      alarms: [],
      verdicts: [],
      remainingSeconds: 349,
    });
    await shows('5m 49s left');

    bus.emit({ type: 'step.started', at, index: 1, total: 2, percent: 100, holdSeconds: 0 });
    const pc =
      'waiting for the provisioned concurrency of demo:live to be READY (IN_PROGRESS, 0 of 5 allocated)';
    bus.emit({ type: 'log', at, level: 'info', message: pc });
    await shows(pc);
    bus.emit({ type: 'step.completed', at, index: 1, percent: 100 });

    bus.emit({ type: 'bake.started', at, seconds: 120 });
    bus.emit({ type: 'settle.started', at, phase: 'bake', percent: 100, maxSeconds: 360 });
    await shows('settle: holding 100% while waiting for metrics to arrive, at most 6m');
    bus.emit({ type: 'bake.completed', at });
    bus.close();
    await done;
    // Without a TTY listr2 prints a title as it ends (the titles during a wait: the pty run).
    expect(printed.join('')).toContain('Bake at 100% for 2m');
    // A step's own task stops showing waits once it is held: the hook belongs to the next step.
    expect(printed.join('')).toMatch(/✔ Step 1\/2: 10%\n❯ Step 2\/2: 100%\n› hook step: running/);
  });
});

// A bake no gate judged ended "✔ Bake at 100% for 5m", as if watched and found healthy (session 61).
describe('listr renderer: a bake nothing judged', () => {
  it('says not judged in its title', async () => {
    const { printed, bus, done } = renderToCapturedStderr({ preHooks: 0, bakeSeconds: 300 });
    bus.emit(demoPreflightDone());
    bus.emit(demoShiftStarted());
    bus.emit({ type: 'step.started', at: 0, index: 0, total: 1, percent: 100, holdSeconds: 0 });
    bus.emit({ type: 'step.completed', at: 0, index: 0, percent: 100 });
    bus.emit({ type: 'bake.started', at: 0, seconds: 300 });
    bus.emit({ type: 'bake.completed', at: 0, unjudged: true });
    bus.close();
    await done;
    expect(printed.join('')).toContain(
      'Bake at 100% for 5m: not judged (no alarm watched, the canary analysis inconclusive)',
    );
  });
});

describe('trackWaits: what the next step is waiting on, kept from the moment it is emitted', () => {
  it('a pause obeyed during a hold is shown (the hold clock stands still) until the resume replaces it', () => {
    const bus = new EventBus();
    const waits = trackWaits(bus);
    bus.emit(demoShiftStarted());
    bus.emit({ type: 'step.started', at: 0, index: 0, total: 2, percent: 10, holdSeconds: 300 });
    bus.emit({ type: 'operator.command', at: 0, verb: 'pause', by: 'ann@laptop:9', obeyed: true });
    expect(waits.lines()).toEqual([expect.stringMatching(/^operator: ann@laptop:9 sent `pause`: /)]);
    bus.emit({ type: 'operator.command', at: 0, verb: 'resume', by: 'ann@laptop:9', obeyed: true });
    expect(waits.lines()).toEqual([expect.stringMatching(/^operator: ann@laptop:9 sent `resume`: /)]);
  });

  it('a settle that starts before anyone asks, until the weight is written', () => {
    const bus = new EventBus();
    const waits = trackWaits(bus);
    bus.emit({ type: 'log', at: 0, level: 'warn', message: 'a warning before the shift is no wait' });
    expect(waits.lines()).toEqual([]);
    bus.emit(demoShiftStarted());
    bus.emit({ type: 'step.completed', at: 0, index: 0, percent: 10 });
    bus.emit({ type: 'settle.started', at: 0, phase: 'shift', percent: 10, maxSeconds: 360 });
    expect(waits.settle()).toEqual({ phase: 'shift', maxSeconds: 360 });
    expect(waits.lines()).toEqual(['settle: holding 10% while waiting for metrics to arrive, at most 6m']);
    bus.emit({ type: 'step.started', at: 0, index: 1, total: 2, percent: 100, holdSeconds: 0 });
    expect([waits.settle(), waits.lines()]).toEqual([undefined, []]);
  });
});

/**
 * `deploy --supersede` rolls back the deployment holding the alias before its own preflight, on
 * the same events: that rollback is not this deployment's. Before, a superseding deploy that
 * promoted showed its shift skipped ("no step run") and "Rolled back: all traffic on version 1".
 */
describe('listr renderer: a superseded deployment rolled back first', () => {
  afterEach(() => vi.restoreAllMocks());

  it("is a note under the preflight, not this deployment's rollback", async () => {
    const { printed, bus, done } = renderToCapturedStderr({ preHooks: 0, bakeSeconds: 0 });
    const at = 0;
    await vi.waitFor(() => expect(printed.join('')).toContain('Preflight'));
    const reason = 'superseded by deployment d-2 (ann@laptop:9)';
    bus.emit({
      type: 'rollback.started',
      functionName: 'demo',
      alias: 'live',
      at,
      reason,
      fromPercent: 10,
      toVersion: '1',
    });
    bus.emit({ type: 'rollback.completed', at, toVersion: '1' });
    await vi.waitFor(() =>
      expect(printed.join('')).toContain(`supersede: ROLLBACK from 10% to version 1: ${reason}`),
    );
    bus.emit(demoPreflightDone());
    bus.emit(demoShiftStarted({ deploymentId: 'd-2' }));
    bus.emit({ type: 'step.started', at, index: 0, total: 2, percent: 10, holdSeconds: 300 });
    bus.emit({ type: 'step.completed', at, index: 0, percent: 10 });
    bus.emit({ type: 'step.started', at, index: 1, total: 2, percent: 100, holdSeconds: 0 });
    bus.emit({ type: 'step.completed', at, index: 1, percent: 100 });
    const result: DeployResult = {
      status: 'promoted',
      functionName: 'demo',
      alias: 'live',
      steps: [],
      verdicts: [],
    };
    bus.emit({ type: 'deploy.finished', at, result });
    bus.close();
    await done;
    const text = printed.join('');
    expect(text).toMatch(/✔ Step 1\/2: 10%/);
    expect(text).toMatch(/✔ Step 2\/2: 100%/);
    expect(text).not.toContain('no step run');
    expect(text).not.toContain('Rolled back');
  });
});

/**
 * A shift that ends while a step holds, with no rollback of its own (no `rollback.started`): its
 * step line says how it ended, as the result does — not "interrupted" when nobody interrupted.
 * Another operator's rollback (exit 3), a takeover (exit 5) and the others read `deploy.finished`.
 */
describe('listr renderer: a step ended without a rollback of its own', () => {
  afterEach(() => vi.restoreAllMocks());

  async function endStepWith(result: DeployResult | undefined): Promise<string> {
    const { printed, bus, done } = renderToCapturedStderr({ preHooks: 0, bakeSeconds: 0 });
    bus.emit(demoPreflightDone());
    bus.emit(demoShiftStarted());
    bus.emit({ type: 'step.started', at: 0, index: 0, total: 2, percent: 10, holdSeconds: 300 });
    // In its hold: the weight landed (until a poll at it, the title says "shifting to 10%").
    const poll = { alarms: [], verdicts: [], remainingSeconds: 200 };
    bus.emit({ type: 'health.polled', at: 0, index: 0, percent: 10, ...poll });
    if (result) bus.emit({ type: 'deploy.finished', at: 0, result });
    bus.close();
    await done;
    return printed.join('');
  }

  const ended = (status: DeployResult['status'], cause: DeployResult['cause']): DeployResult => ({
    status,
    functionName: 'demo',
    alias: 'live',
    steps: [],
    verdicts: [],
    ...(cause ? { cause } : {}),
  });

  it.each<[string, DeployResult | undefined, string]>([
    [
      "another operator's rollback",
      ended('rolled_back', { code: 'ROLLED_BACK_BY_OTHER', data: { owner: 'ann@laptop:9' } }),
      'rolled back by ann@laptop:9',
    ],
    [
      'a supersede that rolled it back and replaced it before the runner looked',
      ended('rolled_back', {
        code: 'ROLLED_BACK_BY_OTHER',
        data: { owner: 'bob@ci:4', successor: 'd-new001' },
      }),
      'rolled back, replaced by d-new001 of bob@ci:4',
    ],
    [
      'a takeover',
      ended('conflict', { code: 'TAKEN_OVER', data: {}, detail: 'deployment d-2 by bob replaced d-1' }),
      'taken over: this lshift stopped and wrote nothing more',
    ],
    [
      'someone else moved the alias',
      ended('conflict', { code: 'ALIAS_CHANGED', data: {} }),
      'stopped: someone else moved the alias',
    ],
    [
      'its CodeDeploy deployment stopped from outside (not a gate of its own)',
      ended('rolled_back', { code: 'STOPPED_IN_CODEDEPLOY', data: { deploymentId: 'd-1' } }),
      'stopped from outside: its AWS CodeDeploy deployment was stopped',
    ],
    [
      'the function deleted',
      ended('failed', { code: 'ROLLBACK_TARGET_DELETED', data: { what: 'function' } }),
      'stopped: the function was deleted',
    ],
    [
      'a Ctrl-C that left the weights (--on-interrupt leave)',
      ended('unsafe', { code: 'INTERRUPTED', data: { left: true } }),
      'interrupted: weights left as they are',
    ],
    ['paused', ended('paused', undefined), 'paused'],
    ['an internal error', ended('failed', { code: 'INTERNAL', data: { error: 'boom' } }), 'failed'],
    ['no result at all (an error ended the run)', undefined, 'stopped before the deployment ended'],
  ])('%s', async (_, result, line) => {
    const text = await endStepWith(result);
    // The non-TTY (simple) renderer prints a failed task as `✖ title [FAILED: error]`.
    expect(text).toContain(`✖ Step 1/2: 10% [FAILED: ${line}]`);
    if (!line.includes('interrupted')) expect(text).not.toContain('interrupted');
  });

  it('an owner taken from the record is printed safely', async () => {
    const owner = 'eve\u001b[2J@x';
    const text = await endStepWith(ended('rolled_back', { code: 'ROLLED_BACK_BY_OTHER', data: { owner } }));
    expect(text).not.toContain('\u001b[2J');
  });
});

/** listr2 writes to process.stderr itself, past output.ts: its warnings' commands get the run target too. */
describe('listr renderer: the run target in a warning', () => {
  afterEach(() => {
    forgetRunTarget();
    vi.restoreAllMocks();
  });

  it('a preflight warning quoting an aws command carries the region the run was given', async () => {
    noteRunTarget({ region: 'eu-west-1' });
    const { printed, bus, done } = renderToCapturedStderr({ preHooks: 0, bakeSeconds: 0 });
    bus.emit({ type: 'preflight.started', at: 0, functionName: 'demo', alias: 'live' });
    bus.emit({
      type: 'log',
      at: 0,
      level: 'warn',
      message:
        'point it at the alias: `aws lambda update-event-source-mapping --uuid u-1 --function-name demo:live`',
    });
    bus.say('SIGINT received: stopping (send it again after a second to exit at once).', 0);
    bus.close();
    await done;
    expect(printed.join('')).toContain('--uuid u-1 --function-name demo:live --region eu-west-1`');
  });
});
