/**
 * The reason of a function that had moved no traffic and found its alias moved by someone else
 * when the deployment stopped: "stopped interrupted before any traffic moved" (h3's pass,
 * session 66, F8: a SIGTERM mid stagger release with fc split by hand) is said "interrupted
 * before any traffic moved"; an alarm's stays "stopped before any traffic moved: …".
 */
import { describe, expect, it } from 'vitest';
import { withReason } from '../../src/cli/describe-outcome.js';
import type { DeployResult } from '../../src/domain/events.js';
import { causeOf, type OutcomeCause } from '../../src/domain/outcome.js';

function unmoved(after: OutcomeCause): DeployResult {
  return {
    status: 'conflict',
    functionName: 'fc',
    alias: 'live',
    fromVersion: '1',
    toVersion: '2',
    steps: [],
    verdicts: [],
    cause: causeOf('ROLLBACK_CONFLICT', {
      error: 'alias live was moved by someone else (version 1 (50%) + version 2 (50%))',
      after,
    }),
    position: { kind: 'before-traffic' },
    trafficMoved: false,
  };
}

describe('the reason of an unmoved function whose alias someone else moved', () => {
  it('interrupted: "interrupted before any traffic moved", not "stopped interrupted"', () => {
    const reason = withReason(unmoved(causeOf('INTERRUPTED', { left: false }))).reason ?? '';
    expect(reason).not.toContain('stopped interrupted');
    expect(reason).toMatch(/^interrupted before any traffic moved; alias live was moved by someone else/);
  });

  it('an alarm: "stopped before any traffic moved: …"', () => {
    const alarm = {
      ...causeOf('INTERRUPTED', { left: false }),
      code: 'ALARM',
      detail: 'alarm fa-errors is ALARM',
    };
    const reason = withReason(unmoved(alarm as OutcomeCause)).reason ?? '';
    expect(reason).toMatch(
      /^stopped before any traffic moved: alarm fa-errors is ALARM; alias live was moved/,
    );
  });
});
