/**
 * `lshift status`'s guards line names the canary analysis, on or off, and what it last said when
 * the record keeps it: only a rollback's cause names gates, so a verdict is said only when the
 * analysis's gate decided the rollback. Found by a hostile pass (session 61, h3 F11): the line
 * named the analysis only when it was off.
 */
import { describe, expect, it } from 'vitest';
import { renderStatus } from '../../src/cli/renderers/status-text.js';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import { fingerprintGuards } from '../../src/domain/guard-fingerprint.js';
import { getStatus } from '../../src/engine/status.js';
import { ALIAS, createWorld, deadRecord, FN, leaveDeployment } from '../engine/world.js';

async function guardsLine(analysis: boolean, overrides: Partial<DeploymentRecord> = {}): Promise<string> {
  const w = createWorld();
  const guards = fingerprintGuards({ alarms: ['demo-errors'], hooks: [], bakeSeconds: 0, analysis });
  const record = deadRecord(w, { guards, ...overrides });
  leaveDeployment(w, record, record.phase === 'rolled-back' ? 0 : record.percent);
  const text = renderStatus(await getStatus(w.deps, { functionName: FN, alias: ALIAS, alarms: [] }));
  return text.split('\n').find((l) => l.startsWith('    guards: ')) ?? '';
}

const rolledBack = (cause: DeploymentRecord['cause']): Partial<DeploymentRecord> => ({
  phase: 'rolled-back',
  endedAt: Date.UTC(2026, 0, 1),
  cause,
});

describe('status: the guards line and the canary analysis', () => {
  it('on, in progress: said on, no verdict invented (the record keeps none)', async () => {
    expect(await guardsLine(true)).toBe(
      '    guards: it watches 1 alarm, runs no hook, does not bake and has the canary analysis on',
    );
  });

  it('off: said off, as before', async () => {
    expect(await guardsLine(false)).toBe(
      '    guards: it watches 1 alarm, runs no hook, does not bake and has the canary analysis off',
    );
  });

  it('rolled back by its gate: what the analysis found', async () => {
    const line = await guardsLine(
      true,
      rolledBack({ code: 'GATE_FAILED', gates: ['alarms', 'error-rate-increase'] }),
    );
    expect(line).toBe(
      '    guards: it watched 1 alarm, ran no hook, did not bake and had the canary analysis on, which found version 2 worse than version 1 (error-rate-increase)',
    );
  });

  it('rolled back undecided (--on-inconclusive fail): that it could not judge', async () => {
    const line = await guardsLine(true, rolledBack({ code: 'INCONCLUSIVE', gates: ['latency-increase'] }));
    expect(line).toContain('had the canary analysis on, which could not judge version 2 (latency-increase)');
  });

  it.each([
    ['by its alarms alone', { code: 'GATE_FAILED' as const, gates: ['alarms'] }],
    ['by an absolute gate', { code: 'GATE_FAILED' as const, gates: ['max-p99'] }],
    ['for a hook', { code: 'HOOK_FAILED' as const, phase: 'pre' as const }],
  ])('rolled back %s: nothing said of the analysis but that it was on', async (_, cause) => {
    expect(await guardsLine(true, rolledBack(cause))).toMatch(/had the canary analysis on$/);
  });

  // Seen by hand (session 62): the healthy function of a release rolled back for its mate's
  // analysis read "which found version 2 worse than version 1" — each record keeps the release's cause.
  it('a function of a release: no verdict (the cause may be another function’s)', async () => {
    const line = await guardsLine(true, {
      ...rolledBack({ code: 'GATE_FAILED', gates: ['error-rate-increase'] }),
      releaseId: 'r-abc123',
    });
    expect(line).toMatch(/had the canary analysis on$/);
  });
});

// h3's notes (session 62): "had the canary analysis on" of an AllAtOnce deploy without --bake,
// which the analysis never judges (deploy warns so before its shift: plan-check.ts).
describe('status: the canary analysis on, of a deployment it could never judge', () => {
  it('all at once, no bake: says the analysis never judged it', async () => {
    const line = await guardsLine(true, {
      ...rolledBack(undefined),
      strategy: 'all-at-once',
      stepIndex: 0,
      percent: 0,
    });
    expect(line).toBe(
      '    guards: it watched 1 alarm, ran no hook, did not bake and had the canary analysis on (it never judged: an all-at-once shift without a bake holds no weight below 100% and nothing after it)',
    );
  });

  it('CodeDeploy name, in progress: present tense', async () => {
    const line = await guardsLine(true, {
      strategy: 'CodeDeployDefault.LambdaAllAtOnce',
      phase: 'pre-hook',
      stepIndex: 0,
      percent: 0,
    });
    expect(line).toContain('has the canary analysis on (it never judges: ');
  });

  it.each([
    ['a canary', { strategy: 'canary:10%:5m' }],
    ['all at once with a bake', { strategy: 'all-at-once', bake: true }],
    ['all at once, analysis off', { strategy: 'all-at-once', off: true }],
  ])('%s: nothing added', async (_, c) => {
    const w = createWorld();
    const guards = fingerprintGuards({
      alarms: ['demo-errors'],
      hooks: [],
      bakeSeconds: 'bake' in c ? 600 : 0,
      analysis: !('off' in c),
    });
    const record = deadRecord(w, { guards, strategy: c.strategy });
    leaveDeployment(w, record, record.percent);
    const text = renderStatus(await getStatus(w.deps, { functionName: FN, alias: ALIAS, alarms: [] }));
    expect(text).not.toContain('never judge');
  });
});
