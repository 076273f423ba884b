import { describe, expect, it } from 'vitest';
import { holdUntilShift } from '../../src/cli/shift-warnings.js';
import type { DeployResult, EngineEvent } from '../../src/domain/events.js';

const warning = {
  message: 'no --alarm and no analysis gate: nothing watches health',
  about: 'health',
} as const;
const shiftStarted: EngineEvent = {
  type: 'shift.started',
  at: 50,
  deploymentId: 'd-1',
  functionName: 'demo',
  alias: 'live',
  stableVersion: '1',
  targetVersion: '2',
  plan: { steps: [], settleSeconds: 0 } as never,
};
const nothing: DeployResult = {
  status: 'nothing_to_deploy',
  functionName: 'demo',
  alias: 'live',
  steps: [],
  verdicts: [],
};

function capture() {
  const seen: EngineEvent[] = [];
  const held = holdUntilShift({ emit: (e) => seen.push(e) });
  held.hold([warning]);
  held.sink.emit({ type: 'preflight.started', at: 10, functionName: 'demo', alias: 'live' });
  return { seen, held };
}

/** The CLI's warnings about a shift are said only once there is one (not over nothing to deploy). */
describe('holdUntilShift', () => {
  it('says the held warnings just before shift.started, once', () => {
    const { seen, held } = capture();
    held.sink.emit(shiftStarted);
    held.sink.emit(shiftStarted);
    expect(seen.map((e) => e.type)).toEqual(['preflight.started', 'log', 'shift.started', 'shift.started']);
    expect(seen[1]).toMatchObject({ level: 'warn', message: warning.message, about: 'health', at: 50 });
  });

  it('says them before a check that refuses the deploy, and before the checks’ own warnings', () => {
    for (const first of [
      { type: 'preflight.check', at: 20, check: 'alarms-exist', ok: false, message: 'not found' },
      { type: 'log', at: 20, level: 'warn', message: 'an event source mapping bypasses the alias' },
    ] as EngineEvent[]) {
      const { seen, held } = capture();
      held.sink.emit(first);
      held.sink.emit(shiftStarted);
      expect(seen.map((e) => e.type)).toEqual(['preflight.started', 'log', first.type, 'shift.started']);
      expect(seen[1]).toMatchObject({ message: warning.message });
    }
  });

  it('a passed check is not due', () => {
    const { seen, held } = capture();
    held.sink.emit({ type: 'preflight.check', at: 20, check: 'alias', ok: true, message: 'ok' });
    held.sink.emit({ type: 'deploy.finished', at: 60, result: nothing });
    expect(seen.map((e) => e.type)).toEqual(['preflight.started', 'preflight.check', 'deploy.finished']);
  });

  it('drops them when the run ends without a shift (nothing to deploy)', () => {
    const { seen, held } = capture();
    held.sink.emit({ type: 'deploy.finished', at: 60, result: nothing });
    expect(seen.map((e) => e.type)).toEqual(['preflight.started', 'deploy.finished']);
  });

  it('release: says what is still held, once, to its own sink when given one (a dry run that would shift)', () => {
    const events: EngineEvent[] = [];
    const said: EngineEvent[] = [];
    const held = holdUntilShift({ emit: (e) => events.push(e) }, { emit: (e) => said.push(e) });
    held.hold([warning]);
    held.sink.emit({ type: 'preflight.started', at: 10, functionName: 'demo', alias: 'live' });
    held.release(30);
    held.release(40);
    expect(events.map((e) => e.type)).toEqual(['preflight.started']);
    expect(said).toEqual([{ type: 'log', at: 30, level: 'warn', message: warning.message, about: 'health' }]);
  });
});

describe('holdUntilShift said()', () => {
  it('is false until a held warning is said (a release’s results carry them only then)', () => {
    const { held } = capture();
    expect(held.said()).toBe(false);
    held.sink.emit({ type: 'deploy.finished', at: 60, result: nothing });
    expect(held.said()).toBe(false);
    const again = capture().held;
    again.sink.emit(shiftStarted);
    expect(again.said()).toBe(true);
  });
});
