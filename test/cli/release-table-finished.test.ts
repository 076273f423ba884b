/**
 * The WEIGHT column once a function's deployment has ended. A function rolled back by another
 * lshift (`lshift rollback fb` from a second terminal) sends no `rollback.completed` of this
 * process: its row kept the last weight this process wrote, "20%  rolled back", while its alias
 * was all on its stable version.
 */
import { describe, expect, it } from 'vitest';
import { createReleaseTable } from '../../src/cli/renderers/release-table.js';
import type { EngineEvent } from '../../src/domain/events.js';

const at = 0;

/** The WEIGHT column of each row. */
function weights(table: ReturnType<typeof createReleaseTable>): string[] {
  const lines = table.lines();
  const header = lines.findIndex((l) => l.startsWith('FUNCTION'));
  return lines
    .slice(header + 1)
    .map((l) => l.slice(0, lines[header]!.indexOf('HEALTH')).trim().split(/\s+/)[1]!);
}

function finished(functionName: string, status: string, aliasState?: object): EngineEvent {
  const result = {
    status,
    functionName,
    alias: 'live',
    fromVersion: '1',
    toVersion: '2',
    steps: [],
    verdicts: [],
    ...(aliasState ? { aliasState } : {}),
  };
  return {
    at,
    type: 'deploy.finished',
    result,
    target: { functionName, alias: 'live' },
  } as unknown as EngineEvent;
}

function atTwentyPercent(functions: string[]) {
  const table = createReleaseTable(functions, () => {});
  for (const functionName of functions) {
    table.emit({
      at,
      type: 'step.started',
      index: 0,
      total: 5,
      percent: 20,
      holdSeconds: 1800,
      target: { functionName, alias: 'live' },
    } as unknown as EngineEvent);
    // The write landed: a poll at its step (until then the column says `→ 20%`).
    table.emit({
      at,
      type: 'health.polled',
      index: 0,
      percent: 20,
      alarms: [],
      verdicts: [],
      remainingSeconds: 1700,
      target: { functionName, alias: 'live' },
    } as unknown as EngineEvent);
  }
  return table;
}

describe('the release table: the weight a finished function ends at', () => {
  it('rolled back by someone else: 0%, as its alias is', () => {
    const table = atTwentyPercent(['fa', 'fb']);
    table.emit(finished('fb', 'rolled_back'));
    expect(weights(table)).toEqual(['20%', '0%']);
  });

  it('promoted: 100%', () => {
    const table = atTwentyPercent(['fa']);
    table.emit(finished('fa', 'promoted'));
    expect(weights(table)).toEqual(['100%']);
  });

  it('ended with its alias state known (taken over, unsafe): the new version’s weight there', () => {
    const table = atTwentyPercent(['fa', 'fb', 'fc']);
    table.emit(finished('fa', 'conflict', { functionVersion: '1', additionalWeights: { '2': 0.5 } }));
    table.emit(finished('fb', 'unsafe', { functionVersion: '2', additionalWeights: {} }));
    table.emit(finished('fc', 'unsafe', { functionVersion: '1', additionalWeights: {} }));
    expect(weights(table)).toEqual(['50%', '100%', '0%']);
  });

  it('ended with its alias state unknown: the last weight written stays', () => {
    const table = atTwentyPercent(['fa']);
    table.emit(finished('fa', 'unsafe'));
    expect(weights(table)).toEqual(['20%']);
  });
});

/**
 * `step.started` is said as a weight write is sent (docs/events.md): the column showed the new
 * weight at once, for a write that may then fail (found by a hostile pass). It says `→ 50%` until
 * a poll at that step, or the step's end, says the write landed.
 */
describe('the release table: a weight while it is written', () => {
  /** The WEIGHT column of each row, whole (`→ 50%` has a space). */
  function weightColumn(table: ReturnType<typeof createReleaseTable>): string[] {
    const lines = table.lines();
    const header = lines.findIndex((l) => l.startsWith('FUNCTION'));
    const from = lines[header]!.indexOf('WEIGHT') - 2;
    const to = lines[header]!.indexOf('HEALTH');
    return lines.slice(header + 1).map((l) => l.slice(from, to).trim());
  }
  const emitTo = (table: ReturnType<typeof createReleaseTable>, functionName: string) => (event: object) =>
    table.emit({ at, ...event, target: { functionName, alias: 'live' } } as unknown as EngineEvent);
  const step = (index: number, percent: number) => ({
    type: 'step.started',
    index,
    total: 3,
    percent,
    holdSeconds: percent < 100 ? 1800 : 0,
  });
  const poll = (index: number, percent: number) => ({
    type: 'health.polled',
    index,
    percent,
    alarms: [],
    verdicts: [],
    remainingSeconds: 1700,
  });

  it('says the weight being written with an arrow, the weight itself once a poll at it says it landed', () => {
    const table = atTwentyPercent(['fa', 'fb']);
    emitTo(table, 'fa')(step(1, 50));
    expect(weightColumn(table)).toEqual(['→ 50%', '20%']);
    emitTo(table, 'fa')(poll(1, 50));
    expect(weightColumn(table)).toEqual(['50%', '20%']);
  });

  it('a 100% step with no hold: its end says it landed', () => {
    const table = atTwentyPercent(['fa']);
    emitTo(table, 'fa')(step(2, 100));
    expect(weightColumn(table)).toEqual(['→ 100%']);
    emitTo(table, 'fa')({ type: 'step.completed', index: 2, percent: 100 });
    expect(weightColumn(table)).toEqual(['100%']);
  });

  it('a write that failed: the rollback starts from the weight that landed, not the one sent', () => {
    const table = atTwentyPercent(['fa']);
    const emit = emitTo(table, 'fa');
    emit(step(1, 50));
    emit({ type: 'rollback.started', reason: 'the weight write failed', fromPercent: 20, toVersion: '1' });
    expect(weightColumn(table)).toEqual(['20%']);
    emit({ type: 'rollback.completed', toVersion: '1' });
    expect(weightColumn(table)).toEqual(['0%']);
  });

  it('ended with the write not seen landing and the alias state unknown: still `→ 50%`', () => {
    const table = atTwentyPercent(['fa']);
    emitTo(table, 'fa')(step(1, 50));
    table.emit(finished('fa', 'unsafe'));
    expect(weightColumn(table)).toEqual(['→ 50%']);
  });
});
