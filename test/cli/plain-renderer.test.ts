import { describe, expect, it } from 'vitest';
import { createPlainRenderer } from '../../src/cli/renderers/plain-renderer.js';
import type { EngineEvent } from '../../src/domain/events.js';
import type { Verdict } from '../../src/domain/verdict.js';

const T0 = Date.parse('2026-11-30T10:00:00Z');

function render(events: EngineEvent[]): string[] {
  const lines: string[] = [];
  const sink = createPlainRenderer((t) => lines.push(t.trimEnd()));
  for (const e of events) sink.emit(e);
  return lines.map((l) => l.slice('2026-11-30T10:00:00.000Z '.length));
}

const verdict = (outcome: Verdict['outcome'], summary: string): Verdict => ({
  outcome,
  gate: 'error-rate-increase',
  summary,
  at: T0,
});

function poll(atS: number, remainingSeconds: number, v: Verdict, index = 0, percent = 10): EngineEvent {
  return {
    type: 'health.polled',
    at: T0 + atS * 1000,
    index,
    percent,
    alarms: [{ name: 'demo-errors', state: 'OK' }],
    verdicts: [v],
    remainingSeconds,
  };
}

describe('plain (CI) lines', () => {
  it('a reason from outside (an alarm, an AWS error) cannot put a workflow command on a line', () => {
    const lines: string[] = [];
    const sink = createPlainRenderer((t) => lines.push(t));
    sink.emit({
      type: 'rollback.started',
      at: T0,
      fromPercent: 10,
      toVersion: '1',
      reason: 'alarm x: Threshold Crossed\n::error::forged\n::add-mask::v\u001b[8m',
    } as EngineEvent);
    const printed = lines.join('');
    expect(printed).toContain('forged');
    for (const line of printed.split('\n')) expect(line).not.toMatch(/^\s*::/);
    expect(printed).not.toContain('\u001b');
  });

  // Found by a hostile pass: `step 2/4: 50% on the new version, hold 5m` was printed as the
  // weight write was sent (step.started comes before it: docs/events.md), and the write then failed.
  it('a step is said as shifting to its weight, not as on it, until the write is followed by its health', () => {
    const lines = render([
      { type: 'step.started', at: T0, index: 1, total: 4, percent: 50, holdSeconds: 300 },
      {
        type: 'rollback.started',
        at: T0 + 1000,
        functionName: 'q1',
        alias: 'live',
        fromPercent: 25,
        toVersion: '1',
        trafficMoved: true,
        reason: 'at step 2 (50%): could not write the weight: ThrottlingException',
      },
    ]);
    expect(lines[0]).toBe('step 2/4: shifting to 50% on the new version, then hold 5m');
    expect(lines.join('\n')).not.toMatch(/50% on the new version, hold/);
  });

  it('a rollback from 0% says no traffic had moved and where all of it stays, not "ROLLBACK from 0%"', () => {
    const rollback = (fromPercent: number, trafficMoved = fromPercent > 0): EngineEvent => ({
      type: 'rollback.started',
      at: T0,
      functionName: 'demo',
      alias: 'live',
      fromPercent,
      toVersion: '1',
      trafficMoved,
      reason: 'interrupted before any traffic moved, during the pre-traffic hook',
    });
    expect(render([rollback(0)])).toEqual([
      'ROLLBACK: no traffic had moved to the new version; all of it stays on version 1: interrupted before any traffic moved, during the pre-traffic hook',
    ]);
    expect(render([rollback(10)])[0]).toMatch(/^ROLLBACK from 10% to version 1: /);
  });

  it('a rollback at 0% after a weight write was sent (its answer never came) says so only as last seen', () => {
    const event: EngineEvent = {
      type: 'rollback.started',
      at: T0,
      functionName: 'demo',
      alias: 'live',
      fromPercent: 0,
      toVersion: '1',
      trafficMoved: true,
      reason: 'interrupted at step 1 (10%)',
    };
    expect(render([event])).toEqual([
      'ROLLBACK to version 1 (as last seen, the new version carried no traffic): interrupted at step 1 (10%)',
    ]);
  });

  it('a rollback after an interrupt that abandoned a weight write in flight says that write may have landed', () => {
    const event: EngineEvent = {
      type: 'rollback.started',
      at: T0,
      functionName: 'demo',
      alias: 'live',
      fromPercent: 0,
      toVersion: '1',
      trafficMoved: true,
      writeInFlight: 25,
      reason: 'interrupted at step 1 (25%)',
    };
    expect(render([event])).toEqual([
      'ROLLBACK to version 1 (as last seen, the new version carried no traffic; its weight write to 25% was in flight and may have landed): interrupted at step 1 (25%)',
    ]);
  });

  // Session 61 (F6): said only when the alias was last seen at 0%.
  it('a write in flight above a weight last seen above 0% is said too', () => {
    const event: EngineEvent = {
      type: 'rollback.started',
      at: T0,
      functionName: 'demo',
      alias: 'live',
      fromPercent: 10,
      toVersion: '1',
      trafficMoved: true,
      writeInFlight: 20,
      reason: 'interrupted at step 2 (20%)',
    };
    expect(render([event])).toEqual([
      'ROLLBACK to version 1 (from 10% as last seen; its weight write to 20% was in flight and may have landed): interrupted at step 2 (20%)',
    ]);
  });

  it('preflight: failed checks only, then one line with the count of passed checks', () => {
    const lines = render([
      { type: 'preflight.started', at: T0, functionName: 'demo', alias: 'live' },
      { type: 'preflight.check', at: T0, check: 'function', ok: true, message: 'function demo exists' },
      { type: 'preflight.check', at: T0, check: 'alias', ok: true, message: 'alias live exists' },
      { type: 'preflight.check', at: T0, check: 'same-role', ok: false, message: 'roles differ' },
      {
        type: 'preflight.completed',
        at: T0,
        functionName: 'demo',
        alias: 'live',
        stableVersion: '1',
        targetVersion: '2',
      },
    ]);
    expect(lines).toEqual([
      'preflight: checking demo:live',
      'preflight: FAILED same-role: roles differ',
      'preflight: passed 2 checks (stable 1 → target 2)',
    ]);
  });

  it('a dry run stopped before the upload: the passed checks are counted, and what did not run is said', () => {
    const lines = render([
      { type: 'preflight.started', at: T0, functionName: 'demo', alias: 'live' },
      { type: 'preflight.check', at: T0, check: 'function', ok: true, message: 'function demo exists' },
      { type: 'preflight.check', at: T0, check: 'alias', ok: true, message: 'alias live exists' },
      { type: 'preflight.stopped', at: T0, functionName: 'demo', alias: 'live', stableVersion: '1' },
    ]);
    expect(lines).toEqual([
      'preflight: checking demo:live',
      'preflight: passed 2 checks before the upload (stable 1; the checks that need the new version did not run)',
    ]);
  });

  it('a 5-minute hold polled every 10 s: one health line, then "still holding" at most once a minute', () => {
    const events: EngineEvent[] = [
      { type: 'step.started', at: T0, index: 0, total: 2, percent: 10, holdSeconds: 300 },
    ];
    // The reason's wording changes every poll (its minute range moves); the outcome does not.
    for (let s = 10; s <= 300; s += 10) {
      events.push(
        poll(s, 300 - s, verdict('inconclusive', `no invocations reported for minute ${Math.floor(s / 60)}`)),
      );
    }
    const lines = render(events);
    expect(lines[0]).toBe('step 1/2: shifting to 10% on the new version, then hold 5m');
    expect(lines[1]).toMatch(
      /^health at 10%: 1 alarm|^health at 10%: .*inconclusive: no invocations reported for minute 0/,
    );
    const holding = lines.filter((l) => l.includes('still holding'));
    expect(holding).toEqual([
      'step 1/2: still holding at 10%, 3m 50s left (error-rate-increase inconclusive)',
      'step 1/2: still holding at 10%, 2m 50s left (error-rate-increase inconclusive)',
      'step 1/2: still holding at 10%, 1m 50s left (error-rate-increase inconclusive)',
      'step 1/2: still holding at 10%, 50s left (error-rate-increase inconclusive)',
    ]);
    expect(lines).toHaveLength(6);
  });

  it('while an operator paused the hold, the minute line says paused, and holding again after resume', () => {
    const ok = verdict('pass', 'fine');
    const command = (atS: number, verb: 'pause' | 'resume'): EngineEvent => ({
      type: 'operator.command',
      at: T0 + atS * 1000,
      verb,
      by: 'ann@laptop:41',
      obeyed: true,
    });
    const lines = render([
      { type: 'step.started', at: T0, index: 0, total: 2, percent: 10, holdSeconds: 300 },
      poll(10, 290, ok),
      command(20, 'pause'),
      // The engine's polls say so while paused (health-monitor.ts).
      { ...poll(90, 280, ok), paused: true } as EngineEvent,
      command(100, 'resume'),
      poll(160, 220, ok),
    ]).filter((l) => l.startsWith('step 1/2: ') && l.includes(' left'));
    expect(lines).toEqual([
      'step 1/2: paused at 10%, 4m 40s left once resumed (error-rate-increase ok)',
      'step 1/2: still holding at 10%, 3m 40s left (error-rate-increase ok)',
    ]);
  });

  it('a changed outcome is printed at once, whatever the minute', () => {
    const lines = render([
      { type: 'step.started', at: T0, index: 0, total: 2, percent: 10, holdSeconds: 300 },
      poll(10, 290, verdict('inconclusive', 'too few invocations')),
      poll(20, 280, verdict('fail', 'version 2 error rate 30% vs stable 1%')),
    ]);
    expect(lines.at(-1)).toContain('error-rate-increase fail: version 2 error rate 30% vs stable 1%');
  });

  it('the bake says "still watching"; only the last step prints its end, 100% "reached" (nothing holds there)', () => {
    const lines = render([
      { type: 'step.started', at: T0, index: 0, total: 2, percent: 50, holdSeconds: 60 },
      { type: 'step.completed', at: T0 + 60_000, index: 0, percent: 50 },
      { type: 'step.started', at: T0 + 60_000, index: 1, total: 2, percent: 100, holdSeconds: 0 },
      { type: 'step.completed', at: T0 + 60_000, index: 1, percent: 100 },
      { type: 'bake.started', at: T0 + 60_000, seconds: 180 },
      poll(70, 170, verdict('pass', 'ok'), 1, 100),
      poll(130, 110, verdict('pass', 'ok'), 1, 100),
    ]);
    expect(lines).toEqual([
      'step 1/2: shifting to 50% on the new version, then hold 1m',
      'step 2/2: shifting to 100% on the new version',
      'step 2: 100% reached',
      'bake: watching at 100% for 3m',
      'health at 100%: error-rate-increase ok, 2m 50s left',
      'bake: still watching at 100%, 1m 50s left (error-rate-increase ok)',
    ]);
  });

  it("the settle before 100% counts down its bound as the settle, not as the last step's hold", () => {
    const lines = render([
      { type: 'step.started', at: T0, index: 0, total: 2, percent: 50, holdSeconds: 60 },
      { type: 'step.completed', at: T0 + 60_000, index: 0, percent: 50 },
      { type: 'settle.started', at: T0 + 60_000, phase: 'shift', percent: 50, maxSeconds: 360 },
      poll(70, 350, verdict('pass', 'ok'), 0, 50),
      poll(140, 280, verdict('pass', 'ok'), 0, 50),
      { type: 'step.started', at: T0 + 150_000, index: 1, total: 2, percent: 100, holdSeconds: 0 },
    ]);
    expect(lines).toEqual([
      'step 1/2: shifting to 50% on the new version, then hold 1m',
      'settle: holding 50% while waiting for metrics to arrive, at most 6m',
      'health at 50%: error-rate-increase ok, 5m 50s left',
      // Before: "step 1/2: still holding at 50%, 4m 40s left".
      'settle: still waiting for metrics at 50%, at most 4m 40s left (error-rate-increase ok)',
      'step 2/2: shifting to 100% on the new version',
    ]);
  });
});
