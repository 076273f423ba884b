/**
 * A release's row for a function stopped before its first weight (a staggered function whose turn
 * never came, the release interrupted before it): unchanged, not "↩ rolled_back" (found by a
 * hostile pass).
 */
import { describe, expect, it } from 'vitest';
import type { ReasonedResult } from '../../src/cli/describe-outcome.js';
import { renderReleaseResult } from '../../src/cli/renderers/release-result-text.js';

const T = Date.UTC(2026, 0, 1);

function fn(name: string, trafficMoved: boolean): ReasonedResult {
  return {
    status: 'rolled_back',
    functionName: name,
    alias: 'live',
    fromVersion: '2',
    toVersion: '3',
    steps: [],
    verdicts: [],
    trafficMoved,
    aliasState: { functionVersion: '2', additionalWeights: {} },
    reason: 'interrupted',
  };
}

describe('the release table', () => {
  it('a function whose traffic never moved reads unchanged; one rolled back reads rolled_back', () => {
    const text = renderReleaseResult({
      releaseId: 'r-abc123',
      status: 'rolled_back',
      mode: 'staggered',
      functions: [fn('fa', true), fn('fc', false)],
      startedAt: T,
      endedAt: T + 60_000,
      reason: 'interrupted',
    } as never);
    const rows = text.split('\n').filter((l) => /^ {2}\S+ f[ac]:live/.test(l));
    expect(rows).toEqual([
      '  ↩ fa:live   rolled_back       2 → 3  alias: version 2 (100%)',
      '  - fc:live   unchanged         2 → 3  alias: version 2 (100%)',
    ]);
  });
});
