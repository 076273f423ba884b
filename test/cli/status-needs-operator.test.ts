/**
 * `lshift status` exits 4 when the alias is split and nobody drives it, as `lshift check` says
 * (STALLED, exit 4). Found by a hostile pass: a deployment whose rollback failed (its record
 * `failed`, the alias left split) and one whose runner was killed (STALE) both exited 0, and
 * `status --watch` ended 0 once the runner died — a script gating on it took the split for done.
 * The failed rollback's status now gives the fix, which it did not.
 */
import { describe, expect, it } from 'vitest';
import { renderStatus } from '../../src/cli/renderers/status-text.js';
import { needsOperator } from '../../src/cli/status-needs-operator.js';
import { targetCommandsIn } from '../../src/cli/targeted-result.js';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import { getStatus } from '../../src/engine/status.js';
import { ALIAS, createWorld, deadRecord, FN, leaveDeployment } from '../engine/world.js';

async function statusOf(record: Partial<DeploymentRecord>, percent: number) {
  const w = createWorld();
  leaveDeployment(w, deadRecord(w, record), percent);
  return getStatus(w.deps, { functionName: FN, alias: ALIAS, alarms: [] });
}

describe('lshift status: a split nobody drives needs an operator (exit 4)', () => {
  it.each([
    ['its rollback failed, the alias split', { phase: 'failed' as const }, 20, true],
    ['its runner gone (stale), the alias split', { phase: 'shifting' as const }, 20, true],
    [
      'a dead runner’s rollback (stale rolling-back), the alias split',
      { phase: 'rolling-back' as const },
      20,
      true,
    ],
    [
      'its runner alive, the alias split',
      { phase: 'shifting' as const, heartbeatAt: Date.UTC(2026, 0, 1) },
      20,
      false,
    ],
    ['its rollback failed, the alias back on one version', { phase: 'failed' as const }, 0, false],
    // Its own lost write had taken it to 100%: found by a hostile pass, exit 0 with no warning.
    [
      'its rollback failed, all traffic on the version it rolled back from',
      { phase: 'failed' as const },
      100,
      true,
    ],
    ['its runner gone, no traffic moved', { phase: 'shifting' as const, percent: 0 }, 0, false],
    ['rolled back', { phase: 'rolled-back' as const, percent: 0 }, 0, false],
    [
      'a CodeDeploy deployment whose rollback failed, the alias split',
      { phase: 'failed' as const, engine: 'codedeploy' as const, codeDeployId: 'd-CD1' },
      20,
      true,
    ],
  ])('%s: %s', async (_, record, percent, expected) => {
    const status = await statusOf(record, percent);
    expect(needsOperator(status)).toBe(expected);
  });

  it('a failed rollback that left all traffic on the new version says so and gives the fix', async () => {
    // From its last step (90%): 100% is one write ahead, its own. From 20%, someone moved it
    // (status-failed-then-moved.test.ts).
    const text = renderStatus(await statusOf({ phase: 'failed', stepIndex: 8, percent: 90 }, 100));
    expect(text).toContain(
      'ROLLBACK FAILED: all traffic is on version 2, the version it was rolling back from; put it back on version 1 with `lshift rollback demo --alias live`',
    );
  });

  it('a failed rollback says so and gives the fix', async () => {
    const status = await statusOf({ phase: 'failed' }, 20);
    const text = renderStatus(status);
    expect(text).toContain(
      'ROLLBACK FAILED: the alias is still split and nothing will put it back; put all traffic on version 1 with `lshift rollback demo --alias live`',
    );
    expect(text).toContain(
      `or by hand: \`aws lambda update-alias --function-name demo --name live --function-version 1 --routing-config '{"AdditionalVersionWeights":{}}'\``,
    );
    // Quoted, so it acts where the run acted (it was printed bare: h4's pass, session 67).
    expect(targetCommandsIn(text, { region: 'eu-west-1' })).toContain(
      `or by hand: \`aws lambda update-alias --function-name demo --name live --function-version 1 --routing-config '{"AdditionalVersionWeights":{}}' --region eu-west-1\``,
    );
  });

  it('a dead runner’s rollback says what finishes it once, not a resume beside it', async () => {
    const status = await statusOf({ phase: 'rolling-back' }, 20);
    const text = renderStatus(status);
    expect(text).toContain('STALE: the rollback ci@runner:7 started has stopped');
    expect(text).not.toContain('--resume');
  });
});
