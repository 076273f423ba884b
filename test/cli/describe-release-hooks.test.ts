/**
 * A release's reason named only the rollback hook of the function it failed for (its own reason),
 * when several functions' rollback hooks failed: the others' were said nowhere above their own
 * lines. It now names every function whose rollback hooks failed.
 */
import { describe, expect, it } from 'vitest';
import { withReleaseReason } from '../../src/cli/describe-release.js';
import type { DeployResult } from '../../src/domain/events.js';
import { causeOf, type RollbackHooksNote } from '../../src/domain/outcome.js';
import type { ReleaseResult } from '../../src/domain/release-result.js';

const failedHook = (fn: string): RollbackHooksNote => ({
  kind: 'failed',
  hooks: [`cmd:notify-${fn}`],
  detail: `rollback hook cmd:notify-${fn} failed: exit 1`,
});

function member(functionName: string, hooks?: RollbackHooksNote): DeployResult {
  const why =
    functionName === 'fc' ? 'alarm fc-errors is ALARM' : 'function fc failed: alarm fc-errors is ALARM';
  return {
    status: 'rolled_back',
    functionName,
    alias: 'live',
    fromVersion: '1',
    toVersion: '2',
    steps: [],
    verdicts: [],
    cause: causeOf('GATE_FAILED', { gates: ['alarms'] }, why),
    position: { kind: 'step', index: 0, percent: 10 },
    trafficMoved: true,
    ...(hooks ? { rollbackHooks: hooks } : {}),
  };
}

function release(functions: DeployResult[]): ReleaseResult {
  return {
    releaseId: 'r-hooks1',
    status: 'rolled_back',
    mode: 'lockstep',
    failed: { functionName: 'fc', alias: 'live' },
    functions,
    startedAt: 0,
    endedAt: 1,
  } as ReleaseResult;
}

describe("a release's reason and its functions' failed rollback hooks", () => {
  it('names every function whose rollback hooks failed, not only the one it failed for', () => {
    const { reason } = withReleaseReason(
      release([member('fa', failedHook('fa')), member('fb'), member('fc', failedHook('fc'))]),
    );
    expect(reason).toContain('rollback hook cmd:notify-fc failed: exit 1 (the outcome is unchanged)');
    expect(reason).toMatch(
      /; 2 functions' rollback hooks failed: fa, fc \(the outcome is unchanged; each function's line says which hook\)$/,
    );
  });

  it("one other function's: named too", () => {
    const { reason } = withReleaseReason(
      release([member('fa', failedHook('fa')), member('fb'), member('fc')]),
    );
    expect(reason).toMatch(
      /; fa's rollback hooks failed \(the outcome is unchanged; its line says which hook\)$/,
    );
  });

  it("only the failing function's: said once, in its own reason, as before", () => {
    const { reason } = withReleaseReason(
      release([member('fa'), member('fb'), member('fc', failedHook('fc'))]),
    );
    expect(reason).toContain('rollback hook cmd:notify-fc failed: exit 1 (the outcome is unchanged)');
    expect(reason).not.toContain('rollback hooks failed');
  });
});
