/**
 * What the terminal table and the plain lines say about a pause: the engine's truth at each poll
 * (`health.polled` carries `paused`), not a guess from the verbs seen. Seen against the sandbox:
 * after `lshift pause --release` then `lshift promote --release` (a promote frees a paused hold,
 * operator-control.ts), the table said "paused, watched" at 20%, 30%, … while the release
 * walked on; and a deployment resumed paused (its pause stood when its runner died) showed
 * "holding, 9m left", since no `pause` was obeyed in this run.
 */
import { describe, expect, it } from 'vitest';
import { createPlainRenderer } from '../../src/cli/renderers/plain-renderer.js';
import { createReleaseTable } from '../../src/cli/renderers/release-table.js';
import type { EngineEvent } from '../../src/domain/events.js';

const target = (functionName: string) => ({ functionName, alias: 'live' });

function states(table: ReturnType<typeof createReleaseTable>): string[] {
  const lines = table.lines();
  const header = lines.findIndex((l) => l.startsWith('FUNCTION'));
  const column = lines[header]!.indexOf('STATE');
  return lines.slice(header + 1).map((l) => l.slice(column));
}

const polled = (percent: number, remainingSeconds: number, paused = false) => ({
  type: 'health.polled',
  index: percent / 10 - 1,
  percent,
  alarms: [],
  verdicts: [{ outcome: 'pass', gate: 'alarms', summary: 'no alarm in ALARM', at: 0 }],
  remainingSeconds,
  ...(paused ? { paused: true } : {}),
});

describe('the release table and a pause', () => {
  function table() {
    const t = createReleaseTable(['fa', 'fb'], () => {});
    const emit = (fn: string, event: Record<string, unknown>, at = 0) =>
      t.emit({ at, ...event, target: target(fn) } as unknown as EngineEvent);
    return { t, emit };
  }
  const command = (verb: string) => ({ type: 'operator.command', verb, by: 'ann@laptop:9', obeyed: true });

  it('a promote obeyed while paused: the rows hold again, not "paused, watched"', () => {
    const { t, emit } = table();
    for (const fn of ['fa', 'fb'])
      emit(fn, { type: 'step.started', index: 0, total: 10, percent: 10, holdSeconds: 600 });
    emit('fa', command('pause'));
    for (const fn of ['fa', 'fb']) emit(fn, polled(10, 300, true));
    expect(states(t)).toEqual(['paused, watched', 'paused, watched']);
    emit('fa', command('promote'));
    for (const fn of ['fa', 'fb']) {
      emit(fn, { type: 'step.started', index: 1, total: 10, percent: 20, holdSeconds: 600 });
      emit(fn, polled(20, 590));
    }
    expect(states(t)).toEqual(['holding, 9m 50s left', 'holding, 9m 50s left']);
  });

  it('paused with no pause obeyed in this run (deploy --resume of a paused deployment)', () => {
    const { t, emit } = table();
    for (const fn of ['fa', 'fb']) {
      emit(fn, { type: 'step.started', index: 1, total: 10, percent: 20, holdSeconds: 600 });
      emit(fn, polled(20, 600, true));
    }
    expect(states(t)).toEqual(['paused, watched', 'paused, watched']);
  });
});

describe('the plain lines and a pause', () => {
  function plain() {
    const out: string[] = [];
    const r = createPlainRenderer((s) => out.push(s));
    const emit = (event: Record<string, unknown>, at: number) =>
      r.emit({ at, ...event } as unknown as EngineEvent);
    return { out, emit };
  }

  it('a promote obeyed while paused: "still holding", not "paused … once resumed"', () => {
    const { out, emit } = plain();
    emit({ type: 'step.started', index: 0, total: 10, percent: 10, holdSeconds: 600 }, 0);
    emit({ type: 'operator.command', verb: 'pause', by: 'ann', obeyed: true }, 1_000);
    emit(polled(10, 300, true), 2_000);
    emit({ type: 'operator.command', verb: 'promote', by: 'ann', obeyed: true }, 3_000);
    emit({ type: 'step.started', index: 1, total: 10, percent: 20, holdSeconds: 600 }, 4_000);
    emit(polled(20, 590), 5_000);
    emit(polled(20, 400), 200_000);
    const last = out.at(-1)!;
    expect(last).toContain('step 2/10: still holding at 20%');
    expect(last).not.toContain('once resumed');
  });

  it('paused with no pause obeyed in this run: "paused … once resumed"', () => {
    const { out, emit } = plain();
    emit({ type: 'step.started', index: 1, total: 10, percent: 20, holdSeconds: 600 }, 0);
    emit(polled(20, 600, true), 1_000);
    emit(polled(20, 600, true), 200_000);
    expect(out.at(-1)).toContain('step 2/10: paused at 20%, 10m left once resumed');
  });
});
