/**
 * The listr2 renderer as a terminal shows it: listr2 draws its frames (the default renderer)
 * only when stdout is a TTY, and falls back to one line per change otherwise, which is what the
 * other listr tests see. Here stdout claims to be a TTY, so each frame is what the operator sees
 * at that moment.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createListrRenderer, type ProgressLayout } from '../../src/cli/renderers/listr-renderer.js';
import type { DeployResult, EngineEvent } from '../../src/domain/events.js';
import { planShift } from '../../src/domain/plan.js';
import { parseStrategy } from '../../src/domain/strategy.js';
import { demoPreflightDone, demoShiftStarted } from '../helpers/demo-events.js';

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escapes are control characters by definition.
const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;

const LAYOUT: ProgressLayout = { publish: false, shift: true, preHooks: 0, bakeSeconds: 0, postHooks: 0 };

function startAtTerminal(layout: ProgressLayout = LAYOUT) {
  const printed: string[] = [];
  vi.spyOn(process.stderr, 'write').mockImplementation((text) => {
    printed.push(String(text));
    return true;
  });
  const { bus, done, nodeWarning } = createListrRenderer(layout);
  const text = () => printed.join('').replace(ANSI, '');
  return {
    bus,
    done,
    nodeWarning,
    text,
    /** Everything drawn from now on (the frames after a mark). */
    mark: () => printed.length,
    since: (mark: number) => printed.slice(mark).join('').replace(ANSI, ''),
    emit: (e: EngineEvent) => bus.emit(e),
    shows: (expected: string, from = 0) =>
      vi.waitFor(() => expect(printed.slice(from).join('').replace(ANSI, '')).toContain(expected), {
        timeout: 10_000,
        interval: 5,
      }),
  };
}

const at = 0;
const preflightDone = demoPreflightDone();
const shiftStarted = demoShiftStarted();
const warn = (message: string): EngineEvent => ({ type: 'log', at, level: 'warn', message });

/** listr2 draws its terminal renderer only when stdout says it is a TTY. */
function pretendStdoutIsATerminal(): void {
  let wasTTY: boolean | undefined;
  beforeEach(() => {
    wasTTY = process.stdout.isTTY;
    process.stdout.isTTY = true;
  });
  afterEach(() => {
    process.stdout.isTTY = wasTTY as boolean;
    vi.restoreAllMocks();
  });
}

describe('listr renderer at a terminal: warnings before the shift', () => {
  pretendStdoutIsATerminal();

  it('shows them under the preflight before the first weight is written, and keeps them there', async () => {
    const run = startAtTerminal();
    run.emit(warn('steps of 1m are shorter than the metric delay'));
    await run.shows('› Warning: steps of 1m are shorter than the metric delay');
    run.emit({ type: 'preflight.check', at, check: 'alias', ok: true, message: 'alias live exists' });
    run.emit(warn('no --alarm given'));
    // The same warning again (a check repeated after the upload) is shown once.
    run.emit(warn('no --alarm given'));
    await run.shows('preflight: ok alias: alias live exists');
    run.emit(preflightDone);
    run.emit(shiftStarted);
    await run.shows('Traffic shift 1 → 2');
    // The frame the operator sees before any weight moves.
    const before = run.mark();
    await run.shows('Warning: steps of 1m are shorter than the metric delay', before);
    expect(run.since(before)).toContain('Warning: no --alarm given');

    run.emit({ type: 'step.started', at, index: 0, total: 2, percent: 10, holdSeconds: 300 });
    const during = run.mark();
    await run.shows('Step 1/2: 10%', during);
    await run.shows('Warning: no --alarm given', during);
    run.emit({ type: 'step.completed', at, index: 0, percent: 10 });
    run.emit({ type: 'step.started', at, index: 1, total: 2, percent: 100, holdSeconds: 0 });
    run.emit({ type: 'step.completed', at, index: 1, percent: 100 });
    run.bus.close();
    await run.done;
    // The last frame, left on the screen: the warnings under the passed preflight, once each.
    const last = run.text().slice(run.text().lastIndexOf('Preflight passed'));
    expect(last).toMatch(
      /^Preflight passed: version 1 → 2\n\s+› Warning: steps of 1m are shorter than the metric delay\n\s+Warning: no --alarm given\n✔ Traffic shift/,
    );
    expect(last.match(/no --alarm given/g)).toHaveLength(1);
    // The check lines were progress: gone once the preflight passed.
    expect(last).not.toContain('alias live exists');
  });

  it('while the new code is published, the publish task shows them', async () => {
    const run = startAtTerminal({ ...LAYOUT, publish: true });
    run.emit(warn('all-at-once moves all traffic at once and there is no --bake'));
    await run.shows('› Warning: all-at-once moves all traffic at once');
    run.emit({ type: 'publish.completed', at, functionName: 'demo', version: '2', created: true });
    run.emit(preflightDone);
    run.emit(shiftStarted);
    run.bus.close();
    await run.done;
    expect(run.text()).toMatch(/Preflight passed: version 1 → 2\n\s+› Warning: all-at-once/);
  });

  it('a warning said after the preflight passed, before the shift starts, is shown too', async () => {
    const run = startAtTerminal();
    run.emit(preflightDone);
    await run.shows('Preflight passed');
    run.emit(warn('event source mapping abc invokes version 1, not alias live'));
    run.emit(shiftStarted);
    run.bus.close();
    await run.done;
    expect(run.text()).toMatch(/Preflight passed: version 1 → 2\n\s+› Warning: event source mapping abc/);
  });

  it('a preflight that fails keeps its warnings and the check that failed', async () => {
    const run = startAtTerminal();
    run.emit(warn('no --alarm given'));
    await run.shows('› Warning: no --alarm given');
    run.emit({ type: 'preflight.check', at, check: 'alias', ok: false, message: 'alias live not found' });
    run.bus.close();
    await run.done;
    expect(run.text()).toMatch(/Warning: no --alarm given\n\s+preflight: FAILED alias: alias live not found/);
  });
});

describe('listr renderer at a terminal: what a step shows', () => {
  pretendStdoutIsATerminal();

  it('the settle before 100% and its last poll are gone once the 100% weight is written', async () => {
    const run = startAtTerminal();
    run.emit(preflightDone);
    run.emit(shiftStarted);
    run.emit({ type: 'step.started', at, index: 0, total: 2, percent: 10, holdSeconds: 300 });
    run.emit({ type: 'step.completed', at, index: 0, percent: 10 });
    run.emit({ type: 'settle.started', at, phase: 'shift', percent: 10, maxSeconds: 360 });
    run.emit({
      type: 'health.polled',
      at,
      index: 0,
      percent: 10,
      alarms: [],
      verdicts: [],
      remainingSeconds: 150,
    });
    await run.shows('health at 10%: no health signal configured, 2m 30s left');
    // Before: "Step 2/2: 100% — waiting for metrics…", read as 100% in place while 10% was held.
    await run.shows('Step 2/2: 100% next — waiting for metrics to arrive, at most 6m');
    expect(run.text()).not.toContain('Step 2/2: 100% — waiting');
    run.emit({ type: 'step.started', at, index: 1, total: 2, percent: 100, holdSeconds: 0 });
    const written = run.mark();
    await run.shows('Step 2/2: shifting to 100%', written);
    // Before: the 10% lines stayed under the step at 100% until it ended.
    expect(run.since(written)).not.toContain('health at 10%');
    expect(run.since(written)).not.toContain('settle: holding 10%');
    run.bus.close();
    await run.done;
  });

  it("a step's hooks before its weight: its title says the weight is still to come", async () => {
    const run = startAtTerminal();
    run.emit(preflightDone);
    run.emit({ ...shiftStarted, plan: planShift(parseStrategy('steps:10%@5m,50%@5m,100%')) });
    run.emit({ type: 'step.started', at, index: 0, total: 3, percent: 10, holdSeconds: 300 });
    run.emit({ type: 'step.completed', at, index: 0, percent: 10 });
    run.emit({ type: 'hook.started', at, phase: 'step', hook: 'cmd:./check.sh' });
    // Before: the running step read "Step 2/3: 50%" while traffic was still at 10%.
    await run.shows('Step 2/3: 50% next');
    run.emit({ type: 'hook.completed', at, phase: 'step', hook: 'cmd:./check.sh', ok: true, durationMs: 5 });
    run.emit({ type: 'step.started', at, index: 1, total: 3, percent: 50, holdSeconds: 300 });
    await run.shows('Step 2/3: shifting to 50%');
    run.bus.close();
    await run.done;
  });

  it('the health line under a step names an alarm that passed only as INSUFFICIENT_DATA, as the plain lines do', async () => {
    const run = startAtTerminal();
    run.emit(preflightDone);
    run.emit(shiftStarted);
    run.emit({ type: 'step.started', at, index: 0, total: 2, percent: 10, holdSeconds: 300 });
    run.emit({
      type: 'health.polled',
      at,
      index: 0,
      percent: 10,
      alarms: [{ name: 'orders-typo-errors', state: 'INSUFFICIENT_DATA' }],
      verdicts: [
        {
          outcome: 'pass',
          gate: 'alarms',
          summary: '0 alarms OK, orders-typo-errors INSUFFICIENT_DATA (counted as not alarming)',
          details: { insufficientData: ['orders-typo-errors'] },
          at,
        },
      ],
      remainingSeconds: 150,
    });
    // Wrapped at the terminal's width after it: the alarm is named on the line itself.
    await run.shows('health at 10%: alarms ok (orders-typo-errors INSUFFICIENT_DATA)');
    expect(run.text()).not.toMatch(/alarms ok(?! \(orders-typo-errors INSUFFICIENT_DATA\))/);
    run.bus.close();
    await run.done;
  });
});

describe('listr renderer at a terminal: how a shift that did not run to the end is left', () => {
  pretendStdoutIsATerminal();

  const linear = (strategy: string): EngineEvent => ({
    ...shiftStarted,
    plan: planShift(parseStrategy(strategy)),
  });
  /** The frame left on the screen, from the shift on. */
  const lastFrame = (text: string) => text.slice(text.lastIndexOf('Traffic shift') - 2);

  it('rolled back in a hold: the shift and its step failed (✖), the steps after it not reached', async () => {
    const run = startAtTerminal();
    run.emit(preflightDone);
    run.emit(linear('steps:10%@5m,50%@5m,100%'));
    run.emit({ type: 'step.started', at, index: 0, total: 3, percent: 10, holdSeconds: 300 });
    await run.shows('Step 1/3: 10%');
    run.emit({
      type: 'rollback.started',
      functionName: 'demo',
      alias: 'live',
      at,
      reason: 'alarm demo-errors is ALARM',
      fromPercent: 10,
      toVersion: '1',
    });
    run.emit({ type: 'rollback.completed', at, toVersion: '1' });
    run.bus.close();
    await run.done;
    // Before: ❯ Traffic shift (the glyph of one still running) and ◼ Step 2/3, Step 3/3 (waiting).
    expect(lastFrame(run.text())).toMatch(
      /^✖ Traffic shift 1 → 2 \(10m\)\n\s+✖ alarm demo-errors is ALARM\n\s+↓ Step 2\/3: 50% — not reached\n\s+↓ Step 3\/3: 100% — not reached\n/,
    );
  });

  it("a step hook that failed before a weight: that step failed with the hook's reason", async () => {
    const run = startAtTerminal();
    run.emit(preflightDone);
    run.emit(linear('steps:10%@5m,50%@5m,100%'));
    run.emit({ type: 'step.started', at, index: 0, total: 3, percent: 10, holdSeconds: 300 });
    run.emit({ type: 'step.completed', at, index: 0, percent: 10 });
    await run.shows('Step 2/3: 50%');
    const reason = 'hook cmd:./check.sh failed (before moving to 50%)';
    run.emit({
      type: 'rollback.started',
      functionName: 'demo',
      alias: 'live',
      at,
      reason,
      fromPercent: 10,
      toVersion: '1',
    });
    run.emit({ type: 'rollback.completed', at, toVersion: '1' });
    run.bus.close();
    await run.done;
    // Before: the step waiting for its weight was left spinning until the end, then "↓ not reached",
    // and the shift showed ✔.
    expect(lastFrame(run.text())).toMatch(
      /^✖ Traffic shift 1 → 2 \(10m\)\n\s+✔ Step 1\/3: 10%\n\s+✖ hook cmd:.\/check.sh failed \(before moving to 50%\)\n\s+↓ Step 3\/3: 100% — not reached\n/,
    );
  });

  it('a resumed deployment: the steps before the one it resumes at were held before the resume', async () => {
    const run = startAtTerminal();
    run.emit(preflightDone);
    run.emit(linear('steps:10%@5m,50%@5m,100%'));
    run.emit({ type: 'step.started', at, index: 1, total: 3, percent: 50, holdSeconds: 300 });
    // Before: "Step 1/3: 10%" spun, showing the 50% health, for the whole resumed deployment.
    await run.shows('Step 2/3: 50%');
    run.emit({ type: 'step.completed', at, index: 1, percent: 50 });
    run.emit({ type: 'step.started', at, index: 2, total: 3, percent: 100, holdSeconds: 0 });
    run.emit({ type: 'step.completed', at, index: 2, percent: 100 });
    run.bus.close();
    await run.done;
    expect(lastFrame(run.text())).toMatch(
      /^✔ Traffic shift 1 → 2 \(10m\)\n\s+✔ Step 1\/3: 10% — held before the resume\n\s+✔ Step 2\/3: 50%\n\s+✔ Step 3\/3: 100%\n/,
    );
  });

  it('`lshift promote --full`: the steps it skipped say so, and the 100% step runs', async () => {
    const run = startAtTerminal();
    run.emit(preflightDone);
    run.emit(linear('steps:10%@5m,50%@5m,100%'));
    run.emit({ type: 'step.started', at, index: 0, total: 3, percent: 10, holdSeconds: 300 });
    run.emit({ type: 'step.completed', at, index: 0, percent: 10 });
    run.emit({ type: 'step.started', at, index: 2, total: 3, percent: 100, holdSeconds: 0 });
    await run.shows('Step 3/3: 100%');
    run.emit({ type: 'step.completed', at, index: 2, percent: 100 });
    run.bus.close();
    await run.done;
    expect(lastFrame(run.text())).toMatch(
      /^✔ Traffic shift 1 → 2 \(10m\)\n\s+✔ Step 1\/3: 10%\n\s+↓ Step 2\/3: 50% — skipped\n\s+✔ Step 3\/3: 100%\n/,
    );
  });
});

describe('listr renderer at a terminal: before the first weight', () => {
  pretendStdoutIsATerminal();

  it("--warm's wait for provisioned concurrency shows under the shift until the first weight", async () => {
    const run = startAtTerminal();
    run.emit(preflightDone);
    run.emit(shiftStarted);
    const wait = 'waiting for the provisioned concurrency of demo:2 to be READY';
    run.emit({ type: 'log', at, level: 'info', message: wait });
    // Before: "❯ Traffic shift 1 → 2 (5m)" and nothing else, for up to 10 minutes.
    await run.shows(`› ${wait}`);
    run.emit({ type: 'step.started', at, index: 0, total: 2, percent: 10, holdSeconds: 300 });
    const written = run.mark();
    await run.shows('Step 1/2: 10%', written);
    expect(run.since(written)).not.toContain('waiting for the provisioned concurrency');
    run.bus.close();
    await run.done;
  });

  it('--warm with pre-traffic hooks: the wait shows under the hooks task, which runs first', async () => {
    const run = startAtTerminal({ ...LAYOUT, preHooks: 1 });
    run.emit(preflightDone);
    run.emit(shiftStarted);
    await run.shows('Pre-traffic hooks');
    run.emit({
      type: 'log',
      at,
      level: 'info',
      message: 'waiting for the provisioned concurrency of demo:2',
    });
    await run.shows('› waiting for the provisioned concurrency of demo:2');
    run.bus.close();
    await run.done;
  });

  it('a check before the upload refused: the publish says so, the preflight shows the check', async () => {
    const run = startAtTerminal({ ...LAYOUT, publish: true });
    await run.shows('Publish');
    const message = '--warm has nothing to match';
    run.emit({ type: 'preflight.check', at, check: 'warm', ok: false, message });
    run.bus.close();
    await run.done;
    // Before: "✖ publish did not complete" and "✖ preflight did not pass" with no check named.
    expect(run.text()).toContain('✖ not published: a check before the upload failed');
    expect(run.text()).toMatch(
      /✖ preflight did not pass\n\s+› preflight: FAILED warm: --warm has nothing to match/,
    );
  });
});

describe('listr renderer at a terminal: a hold', () => {
  pretendStdoutIsATerminal();

  it('names its weight once the write landed: "shifting to 50%" from step.started to its first poll', async () => {
    const run = startAtTerminal();
    run.emit(preflightDone);
    run.emit({ ...shiftStarted, plan: planShift(parseStrategy('steps:10%@5m,50%@5m,100%')) });
    run.emit({ type: 'step.started', at, index: 0, total: 3, percent: 10, holdSeconds: 300 });
    run.emit({ type: 'step.completed', at, index: 0, percent: 10 });
    // Said as the write is sent (docs/events.md): before, the title read "Step 2/3: 50%" at once,
    // for a write that may then fail (found by a hostile pass).
    run.emit({ type: 'step.started', at, index: 1, total: 3, percent: 50, holdSeconds: 300 });
    await run.shows('Step 2/3: shifting to 50%');
    run.emit({
      type: 'health.polled',
      at,
      index: 1,
      percent: 50,
      alarms: [],
      verdicts: [],
      remainingSeconds: 240,
    });
    await run.shows('Step 2/3: 50% (4m left)');
    run.emit({ type: 'step.completed', at, index: 1, percent: 50 });
    run.emit({ type: 'step.started', at, index: 2, total: 3, percent: 100, holdSeconds: 0 });
    await run.shows('Step 3/3: shifting to 100%');
    run.emit({ type: 'step.completed', at, index: 2, percent: 100 });
    run.bus.close();
    await run.done;
    const last = run.text().slice(run.text().lastIndexOf('Traffic shift') - 2);
    expect(last).toMatch(
      /^✔ Traffic shift 1 → 2 \(10m\)\n\s+✔ Step 1\/3: 10%\n\s+✔ Step 2\/3: 50%\n\s+✔ Step 3\/3: 100%\n/,
    );
  });

  it('counts down in its title, and its last poll does not say "(0s left)"', async () => {
    const run = startAtTerminal();
    run.emit(preflightDone);
    run.emit(shiftStarted);
    run.emit({ type: 'step.started', at, index: 0, total: 2, percent: 10, holdSeconds: 300 });
    const poll = (remainingSeconds: number): EngineEvent => ({
      type: 'health.polled',
      at,
      index: 0,
      percent: 10,
      alarms: [],
      verdicts: [],
      remainingSeconds,
    });
    // Polled until the step's task (started once listr2 sees the step) has shown it.
    await vi.waitFor(
      () => {
        run.emit(poll(30));
        expect(run.text()).toContain('Step 1/2: 10% (30s left)');
      },
      { timeout: 10_000, interval: 5 },
    );
    run.emit(poll(0));
    const last = run.mark();
    await run.shows('health at 10%: no health signal configured\n', last);
    expect(run.since(last)).not.toContain('0s left');
    run.bus.close();
    await run.done;
  });
});

describe('listr renderer at a terminal: Ctrl-C', () => {
  pretendStdoutIsATerminal();

  it('the notice shows at once, and stays under the rollback it starts while it runs', async () => {
    const run = startAtTerminal();
    run.emit(preflightDone);
    run.emit(shiftStarted);
    run.emit({ type: 'step.started', at, index: 0, total: 2, percent: 10, holdSeconds: 300 });
    await run.shows('Step 1/2: 10%');
    // What guardInterrupts says on the first signal (through Progress.say, progress.ts).
    const notice = 'SIGINT received: stopping safely (send it again to exit at once).';
    run.bus.say(notice, at);
    // Before: held by listr2 with every other stderr write, printed after the list had ended.
    await run.shows(`› ${notice}`);
    const reason = 'interrupted at step 1 (10%)';
    run.emit({
      type: 'rollback.started',
      functionName: 'demo',
      alias: 'live',
      at,
      reason,
      fromPercent: 10,
      toVersion: '1',
    });
    const rolling = run.mark();
    await run.shows('Rolling back to version 1', rolling);
    await run.shows(`ROLLBACK from 10% to version 1: ${reason}`, rolling);
    await run.shows(notice, rolling);
    run.emit({ type: 'rollback.completed', at, toVersion: '1' });
    run.bus.close();
    await run.done;
    expect(run.text()).toContain('✔ Rolled back: all traffic on version 1');
  });
});

describe('listr renderer at a terminal: hooks that never ran', () => {
  pretendStdoutIsATerminal();

  it('a rollback before the post-traffic hooks: they are not reached, not passed', async () => {
    const run = startAtTerminal({ ...LAYOUT, postHooks: 1 });
    run.emit(preflightDone);
    run.emit(shiftStarted);
    run.emit({ type: 'step.started', at, index: 0, total: 2, percent: 10, holdSeconds: 300 });
    await run.shows('Step 1/2: 10%');
    run.emit({
      type: 'rollback.started',
      functionName: 'demo',
      alias: 'live',
      at,
      reason: 'alarm demo-errors is ALARM',
      fromPercent: 10,
      toVersion: '1',
    });
    run.emit({ type: 'rollback.completed', at, toVersion: '1' });
    const result: DeployResult = {
      status: 'rolled_back',
      functionName: 'demo',
      alias: 'live',
      steps: [],
      verdicts: [],
    };
    run.emit({ type: 'deploy.finished', at, result });
    run.bus.close();
    await run.done;
    // Before: "✔ Post-traffic hooks", for hooks that never ran.
    expect(run.text()).toContain('↓ Post-traffic hooks — not reached');
    expect(run.text()).not.toContain('✔ Post-traffic hooks');
  });
});

describe('listr renderer at a terminal: health beside the post-traffic hooks', () => {
  pretendStdoutIsATerminal();

  const polled = (summary: string, outcome: 'pass' | 'fail'): EngineEvent => ({
    type: 'health.polled',
    at,
    index: 1,
    percent: 100,
    alarms: [{ name: 'demo-errors', state: 'OK' }],
    verdicts: [{ outcome, gate: 'alarms', summary, at }],
    remainingSeconds: 0,
    during: 'post-hook',
  });

  it('shows the health line under the running hook, as under a step hook', async () => {
    const run = startAtTerminal({ ...LAYOUT, postHooks: 1 });
    run.emit(preflightDone);
    run.emit(shiftStarted);
    run.emit({ type: 'step.started', at, index: 0, total: 2, percent: 10, holdSeconds: 300 });
    run.emit({ type: 'step.completed', at, index: 0, percent: 10 });
    run.emit({ type: 'step.started', at, index: 1, total: 2, percent: 100, holdSeconds: 0 });
    run.emit({ type: 'step.completed', at, index: 1, percent: 100 });
    await run.shows('Post-traffic hooks');
    run.emit({ type: 'hook.started', at, phase: 'post', hook: 'cmd:smoke' });
    await run.shows('hook post: running cmd:smoke');
    const mark = run.mark();
    run.emit(polled('1 alarm OK', 'pass'));
    // Before: the post-traffic hooks task showed the hook's line only.
    await vi.waitFor(
      () => {
        const text = run.since(mark);
        const hooks = text.slice(text.lastIndexOf('Post-traffic hooks'));
        expect(hooks).toMatch(
          /^Post-traffic hooks\n\s+› hook post: running cmd:smoke\n\s+health at 100%: alarms ok/,
        );
      },
      { timeout: 10_000, interval: 5 },
    );
    // A poll of a step hook or of the bake is not this task's.
    const other = run.mark();
    run.emit({ ...polled('1 alarm OK', 'pass'), during: 'step-hook', percent: 50 } as EngineEvent);
    run.emit({ type: 'hook.output', at, phase: 'post', hook: 'cmd:smoke', line: 'still smoking' });
    await run.shows('hook post | still smoking', other);
    expect(run.since(other)).not.toContain('health at 50%');
    run.bus.close();
    await run.done;
  });
});

describe('listr renderer at a terminal: a Node process warning (node-warnings.ts)', () => {
  pretendStdoutIsATerminal();

  /** The latest frame drawn since `from` has the rollback task, and `pattern` under its title. */
  const showsUnderRollback = (run: ReturnType<typeof startAtTerminal>, from: number, pattern: string) =>
    vi.waitFor(
      () => {
        const text = run.since(from);
        const rollback = text.slice(text.lastIndexOf('Rolling back to version 1'));
        expect(rollback).toMatch(new RegExp(`^Rolling back to version 1\\n[\\s\\S]*${pattern}`));
      },
      { timeout: 10_000, interval: 5 },
    );

  const nodeWarning = 'Warning: Node.js Warning: x';

  it('said before the shift: shown at once under the preflight, and kept there (not printed again)', async () => {
    const run = startAtTerminal();
    await run.shows('Preflight');
    // Before: listr2 held it with every other write to stderr, printed after the list had ended.
    expect(run.nodeWarning(nodeWarning, at)).toBe(true);
    await run.shows(`› ${nodeWarning}`);
    run.nodeWarning(nodeWarning, at);
    run.emit(preflightDone);
    run.emit(shiftStarted);
    run.bus.close();
    await run.done;
    const last = run.text().slice(run.text().lastIndexOf('Preflight passed'));
    expect(last).toMatch(
      /^Preflight passed: version 1 → 2\n\s+› Warning: Node.js Warning: x\n. Traffic shift/,
    );
    expect(last.match(/Node.js Warning: x/g)).toHaveLength(1);
  });

  it('said during the shift: shown at once under the step, and printed after the list (its line goes)', async () => {
    const run = startAtTerminal();
    run.emit(preflightDone);
    run.emit(shiftStarted);
    run.emit({ type: 'step.started', at, index: 0, total: 2, percent: 10, holdSeconds: 300 });
    await run.shows('Step 1/2: 10%');
    const during = run.mark();
    expect(run.nodeWarning(nodeWarning, at)).toBe(false);
    await run.shows('warning: Node.js Warning: x', during);
    run.emit({ type: 'step.completed', at, index: 0, percent: 10 });
    run.bus.close();
    await run.done;
  });

  it('said during the rollback: shown at once under the rollback, printed after the list (its line goes)', async () => {
    const run = startAtTerminal();
    run.emit(preflightDone);
    run.emit(shiftStarted);
    run.emit({ type: 'step.started', at, index: 0, total: 2, percent: 10, holdSeconds: 300 });
    const reason = 'alarm demo-errors is ALARM';
    run.emit({
      type: 'rollback.started',
      functionName: 'demo',
      alias: 'live',
      at,
      reason,
      fromPercent: 10,
      toVersion: '1',
    });
    await run.shows('Rolling back to version 1');
    const during = run.mark();
    expect(run.nodeWarning(nodeWarning, at)).toBe(false);
    // Before: the rollback task showed only where from and why; the warning waited for the list's end.
    await showsUnderRollback(
      run,
      during,
      `ROLLBACK from 10% to version 1: ${reason}\n\\s+warning: Node.js Warning: x`,
    );
    run.emit({ type: 'rollback.completed', at, toVersion: '1' });
    run.bus.close();
    await run.done;
  });

  it('said between the rollback starting and its task running: the rollback task shows it from the start', async () => {
    const run = startAtTerminal();
    run.emit(preflightDone);
    run.emit(shiftStarted);
    run.emit({ type: 'step.started', at, index: 0, total: 2, percent: 10, holdSeconds: 300 });
    await run.shows('Step 1/2: 10%');
    run.emit({
      type: 'rollback.started',
      functionName: 'demo',
      alias: 'live',
      at,
      reason: 'alarm demo-errors is ALARM',
      fromPercent: 10,
      toVersion: '1',
    });
    run.nodeWarning(nodeWarning, at);
    const rolling = run.mark();
    await showsUnderRollback(run, rolling, 'warning: Node.js Warning: x');
    run.emit({ type: 'rollback.completed', at, toVersion: '1' });
    run.bus.close();
    await run.done;
  });

  it('a command without a preflight (publish): shown under the publish, printed after the list too', async () => {
    const run = startAtTerminal({ ...LAYOUT, publish: true, shift: false });
    await run.shows('Publish');
    expect(run.nodeWarning(nodeWarning, at)).toBe(false);
    await run.shows(`› ${nodeWarning}`);
    run.emit({ type: 'publish.completed', at, functionName: 'demo', version: '2', created: true });
    run.bus.close();
    await run.done;
  });

  it('is made printable on its way', async () => {
    const run = startAtTerminal();
    await run.shows('Preflight');
    run.nodeWarning('Warning: Node.js Warning: a\u001b[2Jb', at);
    await run.shows('› Warning: Node.js Warning: a\uFFFD[2Jb');
    run.bus.close();
    await run.done;
  });
});
