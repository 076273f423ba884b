/**
 * A rollback that failed at 30%, then a person moving all traffic onto the new version: `lshift
 * status` said "ROLLBACK FAILED: all traffic is on version 2, the version it was rolling back
 * from", as if the failed rollback had left it there, without saying someone moved it (session 67,
 * item 5). It says so now (rollback-overtaken.ts, also for a `failed` record), still exit 4, with
 * the rollback; a failed rollback that left its last step's write behind is said as before.
 */
import { describe, expect, it } from 'vitest';
import { renderStatus } from '../../src/cli/renderers/status-text.js';
import { needsOperator } from '../../src/cli/status-needs-operator.js';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import { rollbackClaimed } from '../../src/engine/rollback-claim.js';
import { getStatus } from '../../src/engine/status.js';
import { ALIAS, createWorld, deadRecord, FN, leaveDeployment, type World } from './world.js';

function failedRollback(over: Partial<DeploymentRecord>): World {
  const w = createWorld();
  const record = deadRecord(w, {
    phase: 'failed',
    endedAt: w.start - 200_000,
    cause: { code: 'GATE_FAILED', gates: ['alarms'] },
    ...over,
  });
  leaveDeployment(w, record, 100);
  return w;
}

const statusOf = (w: World) => getStatus(w.deps, { functionName: FN, alias: ALIAS, alarms: [] });

describe('a failed rollback whose alias someone then moved all onto the new version', () => {
  it('status says someone moved it, exit 4, the rollback offered', async () => {
    const w = failedRollback({ stepIndex: 2, percent: 30 });
    const status = await statusOf(w);
    const text = renderStatus(status);
    expect(text).toContain(
      '    ROLLBACK FAILED, THEN MOVED BY SOMEONE ELSE: all traffic is on version 2, the version it was rolling back from — the alias was moved since its rollback stopped: it routes version 2 (100%), further towards version 2 than its runner could have left it (it recorded 30%), so someone moved it; lshift left that move.',
    );
    expect(text).toContain('`lshift rollback demo --alias live`');
    expect(needsOperator(status)).toBe(true);
    expect(status.record?.rollbackOvertaken).toBeDefined();
    // --json says what the text says: ROLLBACK FAILED, not STALLED (it said stalled: true).
    expect(text).not.toContain('STALLED');
    expect(status.record?.stalled).toBeUndefined();
  });

  it('the rollback offered puts it back (exit 0), and status asks no more', async () => {
    const w = failedRollback({ stepIndex: 2, percent: 30 });
    const result = await rollbackClaimed(
      { ...w.deps, store: w.store, owner: 'rollback:op@laptop:2' },
      { functionName: FN, alias: ALIAS, reason: 'manual rollback by op' },
    );
    expect(result.status).toBe('rolled_back');
    const status = await statusOf(w);
    expect(needsOperator(status)).toBe(false);
    expect(renderStatus(status)).not.toContain('ROLLBACK FAILED');
  });

  it('its last step (90%) one write from 100%: said as before, not as a move', async () => {
    const w = failedRollback({ stepIndex: 8, percent: 90 });
    const text = renderStatus(await statusOf(w));
    expect(text).toContain(
      '    ROLLBACK FAILED: all traffic is on version 2, the version it was rolling back from;',
    );
  });
});
