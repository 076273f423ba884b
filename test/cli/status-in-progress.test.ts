/**
 * `lshift status --watch` refreshes while the deployment is in progress. Found by a hostile pass:
 * a `deploy --engine codedeploy --detach` (its record `paused`) and a CodeDeploy follower killed -9
 * (its record stale) printed one frame and exited 0 at 10%, while CodeDeploy moved the alias on.
 */
import { describe, expect, it } from 'vitest';
import { isInProgress } from '../../src/cli/status-in-progress.js';
import type { AliasStatus, StatusRecord } from '../../src/engine/status.js';

function statusWith(record: Partial<StatusRecord> | undefined, split = true): AliasStatus {
  return {
    functionName: 'demo',
    alias: 'live',
    functionVersion: '7',
    additionalWeights: split ? { '8': 0.1 } : {},
    split,
    revisionId: 'r1',
    alarms: [],
    record:
      record &&
      ({
        phase: 'shifting',
        stableVersion: '7',
        targetVersion: '8',
        heartbeatAgeSeconds: 1,
        stale: false,
        ...record,
      } as StatusRecord),
  };
}

const codeDeploy = { engine: 'codedeploy' as const, codeDeployId: 'd-CD1' };

describe('status --watch goes on while the deployment is in progress', () => {
  it.each([
    [
      'CodeDeploy runs a --detach run (record paused)',
      { ...codeDeploy, phase: 'paused' as const, codeDeployStatus: 'InProgress' },
      true,
    ],
    [
      'CodeDeploy runs it, its follower dead (stale)',
      { ...codeDeploy, stale: true, codeDeployStatus: 'InProgress' },
      true,
    ],
    // `lshift pause` leaves the phase as it was; the runner holds the split and watches its gates.
    [
      'a live native runner paused by an operator',
      { command: { verb: 'pause' as const, state: 'done' as const, by: 'ann@laptop:9', at: 0, nonce: 'n1' } },
      true,
    ],
    // Its runner wrote `paused` and exited (`--on-interrupt leave`): nobody moves it (hostile pass, s64).
    ['a native record its runner left paused (exit 4 when split)', { phase: 'paused' as const }, false],
    ['a live native runner shifting', {}, true],
    [
      'CodeDeploy ended it Succeeded, its record still paused',
      { ...codeDeploy, phase: 'paused' as const, codeDeployEnded: 'Succeeded' },
      false,
    ],
    ['a dead native runner (stale, split: exit 4)', { stale: true }, false],
    ['a dead native runner paused (stale)', { phase: 'paused' as const, stale: true }, false],
    [
      'CodeDeploy runs it against lshift’s rollback (exit 4)',
      {
        ...codeDeploy,
        phase: 'rolling-back' as const,
        stale: true,
        codeDeployStatus: 'InProgress',
        againstRollback: 'InProgress',
      },
      false,
    ],
    ['promoted', { phase: 'promoted' as const }, false],
  ])('%s: %s', (_, record, expected) => {
    const split = (record as Partial<StatusRecord>).phase !== 'promoted';
    expect(isInProgress(statusWith(record, split))).toBe(expected);
  });
});
