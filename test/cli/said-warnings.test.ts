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
