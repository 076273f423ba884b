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
