/**
 * The step line's few words of a deployment that ended with no rollback of its own
 * (src/cli/renderers/shift-end.ts): a function of a release found deleted — the function itself,
 * or another one of its release stopped for it — says so, in the words its reason uses
 * (deletion-words.ts), not the bare status.
 */
import { describe, expect, it } from 'vitest';
import { describeShiftEnd } from '../../src/cli/renderers/shift-end.js';
import type { DeployResult } from '../../src/domain/events.js';
import { causeOf } from '../../src/domain/outcome.js';

function result(functionName: string, status: DeployResult['status']): DeployResult {
  return {
    status,
    functionName,
    alias: 'live',
    fromVersion: '1',
    toVersion: '2',
    steps: [],
    verdicts: [],
    cause: causeOf('FUNCTION_DELETED', { foundBy: 'write', functionName: 'fb' }, 'function fb failed: …'),
  };
}

describe('describeShiftEnd: FUNCTION_DELETED', () => {
  it('the deleted function itself: stopped, the function was deleted', () => {
    expect(describeShiftEnd(result('fb', 'rolled_back'))).toBe('stopped: the function was deleted');
  });

  it('another function of the release: its own ending, and which function was deleted', () => {
    expect(describeShiftEnd(result('fa', 'rolled_back'))).toBe(
      'rolled back: function fb was deleted during the release',
    );
    expect(describeShiftEnd(result('fc', 'failed'))).toBe(
      'failed: function fb was deleted during the release',
    );
  });
});

describe('describeShiftEnd: a deploy --detach handed to CodeDeploy', () => {
  it('says it was handed over, not interrupted (no signal came)', () => {
    const detached = { ...result('demo', 'paused'), cause: causeOf('DETACHED', {}) };
    expect(describeShiftEnd(detached)).toBe('handed to AWS CodeDeploy (--detach)');
    const left = { ...result('demo', 'paused'), cause: causeOf('INTERRUPTED', { left: true }) };
    expect(describeShiftEnd(left)).toBe('interrupted: weights left as they are');
  });
});
