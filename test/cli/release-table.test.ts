/**
 * What the release table at a terminal shows while a release waits between two weights (a step
 * hook, the settle before 100%) or bakes: each function's row says what it waits on, with its
 * bound, as the single-function view does (wait-lines.ts). Before, the rows said "held" through
 * a step hook and "holding, 340s left" through a settle, as if the last step's hold had grown.
 */
import { describe, expect, it } from 'vitest';
import { createReleaseLineRenderer } from '../../src/cli/renderers/release-lines.js';
import { createReleaseTable } from '../../src/cli/renderers/release-table.js';
import type { EngineEvent } from '../../src/domain/events.js';

const target = (functionName: string) => ({ functionName, alias: 'live' });
const at = 0;

/** The STATE column of each row (where the header's STATE starts). */
function states(table: ReturnType<typeof createReleaseTable>): string[] {
  const lines = table.lines();
  const header = lines.findIndex((l) => l.startsWith('FUNCTION'));
  const column = lines[header]!.indexOf('STATE');
  return lines.slice(header + 1).map((l) => l.slice(column));
}

function emitTo(table: ReturnType<typeof createReleaseTable>) {
  return (functionName: string, event: Record<string, unknown>) =>
    table.emit({ at, ...event, target: target(functionName) } as unknown as EngineEvent);
}

const polled = (percent: number, remainingSeconds: number) => ({
  type: 'health.polled',
  index: 0,
  percent,
  alarms: [],
  verdicts: [{ outcome: 'pass', gate: 'alarms', summary: 'no alarm in ALARM', at }],
  remainingSeconds,
});

describe('the release table: what each function waits on', () => {
  it('a step hook: running, then passed, in the row of the function whose run it is', () => {
    const table = createReleaseTable(['orders', 'billing'], () => {});
    const emit = emitTo(table);
    for (const f of ['orders', 'billing']) {
      emit(f, { type: 'step.started', index: 0, total: 2, percent: 50, holdSeconds: 60 });
      emit(f, polled(50, 0));
    }
    emit('orders', { type: 'hook.started', phase: 'step', hook: 'cmd:./check.sh' });
    emit('orders', { type: 'hook.output', phase: 'step', hook: 'cmd:./check.sh', line: 'checking…' });
    expect(states(table)).toEqual(['hook step: running cmd:./check.sh', 'held']);
    emit('orders', {
      type: 'hook.completed',
      phase: 'step',
      hook: 'cmd:./check.sh',
      ok: true,
      durationMs: 4000,
    });
    expect(states(table)).toEqual(['hook step: passed cmd:./check.sh (4.0s)', 'held']);
  });

  it('the settle before 100%: its bound, counted down by the polls, until the weight is written', () => {
    const table = createReleaseTable(['orders', 'billing'], () => {});
    const emit = emitTo(table);
    for (const f of ['orders', 'billing']) {
      emit(f, { type: 'step.started', index: 0, total: 2, percent: 50, holdSeconds: 60 });
      emit(f, { type: 'settle.started', phase: 'shift', percent: 50, maxSeconds: 360 });
    }
    expect(states(table)).toEqual([
      'waiting for metrics to arrive, at most 6m',
      'waiting for metrics to arrive, at most 6m',
    ]);
    emit('orders', polled(50, 340));
    expect(states(table)[0]).toBe('waiting for metrics to arrive, at most 5m 40s more');
    // Its data in first, orders is watched until billing's are: at 50%, not promoted.
    emit('orders', { ...polled(50, 0), alongside: true });
    expect(states(table)[0]).toBe('metrics in, watched until the others have theirs');
    emit('orders', { type: 'step.started', index: 1, total: 2, percent: 100, holdSeconds: 0 });
    emit('orders', polled(100, 0));
    expect(states(table)).toEqual(['held', 'waiting for metrics to arrive, at most 6m']);
  });

  it('lockstep: a function whose hold ended a poll before the others is held, not promoted', () => {
    const table = createReleaseTable(['orders'], () => {});
    const emit = emitTo(table);
    emit('orders', { type: 'step.started', index: 0, total: 2, percent: 50, holdSeconds: 60 });
    emit('orders', { ...polled(50, 0), alongside: true });
    expect(states(table)).toEqual(['held, watched']);
  });

  it("the bake counts down as a bake, not as a step's hold, and its settle says so", () => {
    const table = createReleaseTable(['orders'], () => {});
    const emit = emitTo(table);
    emit('orders', { type: 'step.started', index: 0, total: 1, percent: 100, holdSeconds: 0 });
    emit('orders', { type: 'bake.started', seconds: 120 });
    emit('orders', polled(100, 110));
    expect(states(table)).toEqual(['baking, 1m 50s left']);
    emit('orders', { type: 'settle.started', phase: 'bake', percent: 100, maxSeconds: 360 });
    expect(states(table)).toEqual(['waiting for metrics to arrive, at most 6m']);
  });

  it('a note during its shift (a provisioned-concurrency wait) is what the row waits on', () => {
    const table = createReleaseTable(['orders'], () => {});
    const emit = emitTo(table);
    emit('orders', { type: 'shift.started', deploymentId: 'd-1', stableVersion: '1', targetVersion: '2' });
    emit('orders', { type: 'step.started', index: 0, total: 2, percent: 50, holdSeconds: 60 });
    emit('orders', { type: 'log', level: 'info', message: 'waiting for the provisioned concurrency' });
    expect(states(table)).toEqual(['waiting for the provisioned concurrency']);
  });

  it("a function's warning from before its shift stays above the header, naming it", () => {
    const table = createReleaseTable(['orders'], () => {});
    const emit = emitTo(table);
    emit('orders', { type: 'log', level: 'warn', message: 'event source mapping abc invokes version 1' });
    expect(table.lines()).toEqual([
      'Warning: orders: event source mapping abc invokes version 1',
      'FUNCTION  WEIGHT  HEALTH          STATE',
      'orders        0%  —               checking',
    ]);
  });

  it('names the alarms that passed only because they were INSUFFICIENT_DATA, as the plain lines do', () => {
    const table = createReleaseTable(['orders', 'billing'], () => {});
    const emit = emitTo(table);
    const quiet = {
      outcome: 'pass',
      gate: 'alarms',
      summary: '0 alarms OK, orders-errors INSUFFICIENT_DATA (counted as not alarming)',
      details: { insufficientData: ['orders-errors'] },
      at,
    };
    emit('orders', { ...polled(10, 30), verdicts: [quiet] });
    emit('billing', polled(10, 30));
    expect(table.lines().slice(-3)).toEqual([
      'FUNCTION  WEIGHT  HEALTH                                STATE',
      'orders       10%  ok (orders-errors INSUFFICIENT_DATA)  holding, 30s left',
      'billing      10%  ok                                    holding, 30s left',
    ]);
  });

  it('health that cannot be read is not left showing the last good poll', () => {
    const table = createReleaseTable(['orders'], () => {});
    const emit = emitTo(table);
    emit('orders', polled(10, 30));
    emit('orders', { type: 'health.error', message: 'throttled', consecutive: 1, limit: 3 });
    expect(table.lines().at(-1)).toBe('orders       10%  unreadable 1/3  holding, 30s left');
  });
});

describe('the release table: Ctrl-C', () => {
  it("the first signal's notice is a line of the table, above the header", () => {
    const drawn: string[][] = [];
    const table = createReleaseTable(['orders'], (lines) => drawn.push(lines));
    // Before: written to stderr under the table, then wiped by the next redraw, which went up
    // by the table's rows only and left a copy of the title and header above.
    table.say(
      'SIGINT received: stopping the deployment safely (send it again after a second to exit at once).',
    );
    expect(drawn.at(-1)).toEqual([
      'SIGINT received: stopping the deployment safely (send it again after a second to exit at once).',
      'FUNCTION  WEIGHT  HEALTH          STATE',
      'orders        0%  —               checking',
    ]);
  });
});

/** A hook of the whole release: its events carry the release's id and name no function. */
const releaseHook = (event: Record<string, unknown>) =>
  ({ at, ...event, releaseId: 'r-abc123' }) as unknown as EngineEvent;

describe("the release table: the release's own hooks", () => {
  it('hold every function: shown above the header, not in the row of the first function', () => {
    const table = createReleaseTable(['orders', 'billing'], () => {});
    const emit = emitTo(table);
    for (const f of ['orders', 'billing']) {
      emit(f, { type: 'step.started', index: 0, total: 2, percent: 50, holdSeconds: 60 });
      emit(f, polled(50, 0));
    }
    table.emit(releaseHook({ type: 'hook.started', phase: 'step', hook: 'cmd:./check.sh' }));
    expect(table.lines()).toEqual([
      'release hook step: running cmd:./check.sh',
      'FUNCTION  WEIGHT  HEALTH          STATE',
      'orders       50%  ok              held',
      'billing      50%  ok              held',
    ]);
    table.emit(
      releaseHook({
        type: 'hook.completed',
        phase: 'step',
        hook: 'cmd:./check.sh',
        ok: true,
        durationMs: 1000,
      }),
    );
    expect(table.lines()[0]).toBe('release hook step: passed cmd:./check.sh (1.0s)');
    emit('orders', { type: 'step.started', index: 1, total: 2, percent: 100, holdSeconds: 0 });
    expect(table.lines()[0]).toBe('FUNCTION  WEIGHT  HEALTH          STATE');
  });

  it("a function's own hook with the same spec as the release's stays in that function's row", () => {
    const table = createReleaseTable(['orders', 'billing'], () => {});
    const emit = emitTo(table);
    for (const f of ['orders', 'billing'])
      emit(f, { type: 'step.started', index: 0, total: 2, percent: 50, holdSeconds: 60 });
    table.emit(releaseHook({ type: 'hook.started', phase: 'pre', hook: 'cmd:./check.sh' }));
    emit('billing', { type: 'hook.started', phase: 'step', hook: 'cmd:./check.sh' });
    // Before, matched by its spec, billing's own hook replaced the release's line above the header.
    expect(table.lines()[0]).toBe('release hook pre: running cmd:./check.sh');
    expect(states(table)[1]).toBe('hook step: running cmd:./check.sh');
  });
});

describe("plain release lines: the release's own hooks", () => {
  it("print unnamed, as the release's; a function's own hook names the function, whatever its spec", () => {
    const lines: string[] = [];
    const sink = createReleaseLineRenderer((t) => lines.push(t.trimEnd()));
    const own = (functionName: string, name: string) =>
      ({ type: 'hook.started', at, phase: 'step', hook: name, target: target(functionName) }) as EngineEvent;
    sink.emit(releaseHook({ type: 'hook.started', phase: 'step', hook: 'cmd:./check.sh' }));
    sink.emit(own('orders', 'cmd:./orders-only.sh'));
    sink.emit(own('billing', 'cmd:./check.sh'));
    expect(lines.map((l) => l.slice(l.indexOf(' ') + 1))).toEqual([
      'hook step: running cmd:./check.sh',
      'orders: hook step: running cmd:./orders-only.sh',
      'billing: hook step: running cmd:./check.sh',
    ]);
  });
});

describe('the release table: a function found deleted', () => {
  it('shows no weight or health for it and says it was deleted (it read "60%  ok  failed")', () => {
    const table = createReleaseTable(['orders', 'billing'], () => {});
    const emit = emitTo(table);
    for (const f of ['orders', 'billing']) {
      emit(f, { type: 'step.started', index: 0, total: 2, percent: 60, holdSeconds: 60 });
      emit(f, polled(60, 30));
    }
    const finished = (functionName: string, result: Record<string, unknown>) =>
      emit(functionName, { type: 'deploy.finished', result: { functionName, alias: 'live', ...result } });
    emit('billing', { type: 'rollback.failed', message: 'function billing was deleted during the release' });
    finished('billing', {
      status: 'failed',
      cause: { code: 'ROLLBACK_TARGET_DELETED', data: { what: 'function', missingBefore: true } },
    });
    emit('orders', { type: 'rollback.completed', toVersion: '1' });
    finished('orders', { status: 'rolled_back', cause: { code: 'INTERRUPTED', data: { left: false } } });

    const [, orders, billing] = table.lines();
    expect(orders).toMatch(/^orders\s+0%\s+ok\s+rolled back$/);
    expect(billing).toMatch(/^billing\s+—\s+—\s+failed: function deleted, nothing to roll back$/);
  });
});

describe('the release table: a function found deleted mid-release', () => {
  it('its row keeps saying so through its later polls and its rollback', () => {
    const table = createReleaseTable(['orders', 'billing'], () => {});
    const emit = emitTo(table);
    for (const f of ['orders', 'billing']) {
      emit(f, { type: 'shift.started' });
      emit(f, { type: 'step.started', index: 0, total: 2, percent: 50, holdSeconds: 60 });
      emit(f, polled(50, 30));
    }
    emit('billing', {
      type: 'log',
      level: 'warn',
      about: 'record',
      functionGone: true,
      message:
        'could not write the deployment record (shifting) of billing alias live: function billing no longer exists',
    });
    const deleted = 'function was deleted during the release';
    expect(states(table)).toEqual(['holding, 30s left', deleted]);
    // A poll, its rollback's start and its failed restore used to write over it.
    emit('billing', polled(50, 0));
    emit('billing', { type: 'rollback.started', reason: 'function billing was deleted' });
    emit('billing', { type: 'rollback.failed', message: 'function billing was deleted during the release' });
    emit('orders', polled(50, 0));
    expect(states(table)).toEqual(['held', deleted]);
    // No weight or health is shown for a function that no longer exists.
    const row = table.lines().find((l) => l.startsWith('billing'))!;
    expect(row).not.toContain('50%');
    expect(row).not.toContain('ok');
  });
});
