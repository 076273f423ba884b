import { describe, expect, it } from 'vitest';
import { dryRunWarningEvents } from '../../src/cli/run-dry-run.js';
import type { EngineEvent } from '../../src/domain/events.js';

/** A dry run's warnings are in its summary; as progress only where no summary is printed. */
describe('dry run: where its warnings go as progress', () => {
  const warning = { type: 'log', at: 0, level: 'warn', message: 'w' } as EngineEvent;

  it.each([
    ['auto', false, 0],
    ['plain', false, 0],
    ['auto', true, 0],
    ['ndjson', true, 0],
    ['ndjson', false, 1],
  ] as const)('progress %s, --json %s: %i progress events', (output, json, count) => {
    const seen: EngineEvent[] = [];
    dryRunWarningEvents({ emit: (e) => seen.push(e) }, output, json).emit(warning);
    expect(seen).toHaveLength(count);
  });
});
