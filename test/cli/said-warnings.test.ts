import { describe, expect, it } from 'vitest';
import { collectMemberWarnings, collectSaidWarnings, uniqueWarnings } from '../../src/cli/said-warnings.js';
import type { EngineEvent } from '../../src/domain/events.js';

const warn = (message: string, at = 0): EngineEvent => ({ type: 'log', at, level: 'warn', message });

describe('collectSaidWarnings', () => {
  it('keeps every warning said before the shift starts, each once, in the order said', () => {
    const said = collectSaidWarnings();
    said.sink.emit(warn('no --alarm given'));
    said.sink.emit({ type: 'log', at: 0, level: 'info', message: 'an info line' });
    said.sink.emit(warn('event source bypasses alias live'));
    said.sink.emit(warn('no --alarm given'));
    expect(said.list()).toEqual(['no --alarm given', 'event source bypasses alias live']);
  });

  it('stops at the first weight write: a warning during the shift is not a preflight one', () => {
    const said = collectSaidWarnings();
    said.sink.emit(warn('before'));
    said.sink.emit({ type: 'shift.started' } as EngineEvent);
    said.sink.emit(warn('during the shift'));
    expect(said.list()).toEqual(['before']);
  });
});

describe('what the analysis could not judge, said during the shift', () => {
  const late = (message: string): EngineEvent => ({ ...warn(message), about: 'analysis' }) as EngineEvent;

  // A settle that gave up with the last step's minutes missing was a log line only (session 61).
  it('is kept after the first weight write, by a single deploy and by a release function', () => {
    const said = collectSaidWarnings();
    said.sink.emit({ type: 'shift.started' } as EngineEvent);
    said.sink.emit(warn('health: unreadable'));
    said.sink.emit(
      late("settle: held 50% for 360 s (the longest settle); the last step's minutes had not all arrived"),
    );
    expect(said.list()).toEqual([
      "settle: held 50% for 360 s (the longest settle); the last step's minutes had not all arrived",
    ]);
    const members = collectMemberWarnings();
    const target = { functionName: 'orders', alias: 'live' };
    members.sink.emit({ type: 'shift.started', target } as unknown as EngineEvent);
    members.sink.emit({ ...late('settle: gave up'), target } as EngineEvent);
    members.sink.emit({ ...warn('during its shift'), target } as EngineEvent);
    expect(members.of('orders')).toEqual(['settle: gave up']);
  });
});

describe('uniqueWarnings', () => {
  it('merges lists, first place kept', () => {
    expect(uniqueWarnings(['a', 'b'], ['b', 'c'], [])).toEqual(['a', 'b', 'c']);
  });
});

describe('collectMemberWarnings', () => {
  const target = (functionName: string) => ({ functionName, alias: 'live' });
  const named = (message: string, functionName: string) =>
    ({ ...warn(message), target: target(functionName) }) as EngineEvent;

  it("keeps each function's engine warnings until its own shift starts, each once", () => {
    const said = collectMemberWarnings();
    said.sink.emit(named('orders: event source bypasses alias live', 'orders'));
    said.sink.emit(named('orders: event source bypasses alias live', 'orders'));
    said.sink.emit(warn('said by the CLI, already in every result'));
    said.sink.emit({ type: 'shift.started', target: target('orders') } as unknown as EngineEvent);
    said.sink.emit(named('orders: during its shift', 'orders'));
    said.sink.emit(named('billing: hook not checked', 'billing'));
    expect(said.of('orders')).toEqual(['orders: event source bypasses alias live']);
    expect(said.of('billing')).toEqual(['billing: hook not checked']);
    expect(said.of('other')).toEqual([]);
  });
});
