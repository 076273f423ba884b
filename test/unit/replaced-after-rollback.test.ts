/**
 * judgeReplacedAfterRollback (src/engine/rollback-finished-by.ts): a runner that finds its record
 * replaced by a later deployment ends rolled back only when that deployment started from this
 * one's stable version and this one's target carries no traffic (the alias is the truth).
 */
import { describe, expect, it } from 'vitest';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import { judgeReplacedAfterRollback } from '../../src/engine/rollback-finished-by.js';

const ours: DeploymentRecord = {
  id: 'd-old001',
  stableVersion: '1',
  targetVersion: '2',
  strategy: 'canary:10%:10m',
  stepIndex: 1,
  percent: 10,
  phase: 'shifting',
  startedAt: 1_000_000,
  owner: 'old@host:1',
  heartbeatAt: 1_010_000,
  history: [],
};
const later: DeploymentRecord = {
  ...ours,
  id: 'd-new001',
  targetVersion: '3',
  startedAt: 1_020_000,
  owner: 'next@host:2',
  percent: 0,
};
const onStable = { functionVersion: '1', additionalWeights: {} };

describe('judgeReplacedAfterRollback', () => {
  const rows: {
    name: string;
    stored: DeploymentRecord | undefined;
    alias: { functionVersion: string; additionalWeights: Record<string, number> } | undefined;
    replaced: boolean;
  }[] = [
    {
      name: 'a later deployment from our stable, alias on stable',
      stored: later,
      alias: onStable,
      replaced: true,
    },
    {
      name: 'a later deployment shifting to its own target',
      stored: later,
      alias: { functionVersion: '1', additionalWeights: { '3': 0.1 } },
      replaced: true,
    },
    {
      name: 'a later deployment promoted',
      stored: { ...later, phase: 'promoted' },
      alias: { functionVersion: '3', additionalWeights: {} },
      replaced: true,
    },
    { name: 'our own record', stored: ours, alias: onStable, replaced: false },
    { name: 'no record', stored: undefined, alias: onStable, replaced: false },
    { name: 'the alias unknown', stored: later, alias: undefined, replaced: false },
    {
      name: 'our target still routed as the primary',
      stored: later,
      alias: { functionVersion: '2', additionalWeights: {} },
      replaced: false,
    },
    {
      name: 'our target still routed as the additional version',
      stored: later,
      alias: { functionVersion: '1', additionalWeights: { '2': 0.1 } },
      replaced: false,
    },
    {
      name: 'the later deployment ships our version again',
      stored: { ...later, targetVersion: '2' },
      alias: onStable,
      replaced: false,
    },
    {
      name: 'the later deployment started from another version (ours may have gone live)',
      stored: { ...later, stableVersion: '2' },
      alias: { functionVersion: '2', additionalWeights: { '3': 0.1 } },
      replaced: false,
    },
    {
      name: 'a record that started before ours',
      stored: { ...later, startedAt: ours.startedAt - 1 },
      alias: onStable,
      replaced: false,
    },
  ];

  it.each(rows)('$name: replaced = $replaced', ({ stored, alias, replaced }) => {
    const judged = judgeReplacedAfterRollback(ours, stored, alias);
    if (!replaced) expect(judged).toBeUndefined();
    else
      expect(judged).toEqual({
        finishedBy: { owner: 'next@host:2', phase: 'rolled-back', at: later.startedAt },
        successor: 'd-new001',
      });
  });

  it('a later deployment with no owner recorded: said as unknown, never blank', () => {
    expect(judgeReplacedAfterRollback(ours, { ...later, owner: '' }, onStable)?.finishedBy.owner).toBe(
      'an unknown owner',
    );
  });
});
