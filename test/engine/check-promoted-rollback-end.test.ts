/**
 * `lshift check`'s own rollback of a promoted deployment (an alarm in ALARM after its promotion)
 * closed it with no end reason: `status` read `rolled-back, … stopped at step 10`, a shift stopped
 * at its last step, while `lshift rollback` of the same record closes it `rolled back to version
 * 1: after it was promoted` (session 70). Now the check closes it so too. The release check
 * recognised "rolled back by a check" by that missing end reason (check-release-verdict.ts
 * rolledBackByCheck, check-release-close.ts isQuietMate): it recognises the new one as well, or a
 * release whose check was killed after its first function would never be finished
 * (check-release-finish.test.ts, the promoted cases).
 */
import { describe, expect, it } from 'vitest';
import { renderStatus } from '../../src/cli/renderers/status-text.js';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import { runCheck } from '../../src/engine/check.js';
import { isReleaseQuiet } from '../../src/engine/check-release-close.js';
import { rolledBackByCheck } from '../../src/engine/check-release-verdict.js';
import { FOUND_BACK_ON_STABLE } from '../../src/engine/check-rollback.js';
import { getStatus } from '../../src/engine/status.js';
import { ALIAS, createWorld, deadRecord, FN } from './world.js';

describe('lshift check rolling back a promoted deployment', () => {
  it('closes it rolled back after its promotion, as lshift rollback does', async () => {
    const w = createWorld();
    const at = w.clock.now() - 60_000;
    const promoted = { phase: 'promoted', percent: 100, stepIndex: 9, endedAt: at, heartbeatAt: at } as const;
    w.store.seed(FN, ALIAS, deadRecord(w, promoted));
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '2', additionalWeights: {} });
    w.metrics.setAlarm('errors', 'ALARM', { reason: 'errors over 3' });
    const deps = { ...w.deps, store: w.store, owner: 'check:cron@host-a:1' };
    const report = await runCheck(deps, {
      functionNames: [FN],
      alias: ALIAS,
      windowSeconds: 3600,
      alarms: ['errors'],
    });
    expect(report.results[0]).toMatchObject({ action: 'rolled_back', toVersion: '1' });
    const closed = w.store.peek(FN, ALIAS)!;
    expect(closed).toMatchObject({
      phase: 'rolled-back',
      owner: 'check:cron@host-a:1',
      endReason: 'rolled back to version 1: after it was promoted',
      cause: { code: 'GATE_FAILED' },
    });
    const text = renderStatus(await getStatus(w.deps, { functionName: FN, alias: ALIAS, alarms: [] }));
    expect(text).toContain(
      'rolled-back (rolled back to version 1: after it was promoted, by check:cron@host-a:1)',
    );
    expect(text).not.toContain('stopped at step');
    // Still "rolled back by a check" to the release rules.
    expect(rolledBackByCheck(closed)).toBe(true);
  });

  it('the release rules read such a mate as a decided rollback, not a quiet one', () => {
    const w = createWorld();
    const mate: DeploymentRecord = deadRecord(w, {
      phase: 'rolled-back',
      owner: 'check:cron@host-a:1',
      endReason: 'rolled back to version 1: after it was promoted',
      endedAt: w.start,
    });
    expect(rolledBackByCheck(mate)).toBe(true);
    expect(isReleaseQuiet([mate], w.clock.now(), 120_000)).toBe(false);
    // A person's rollback of it keeps the deployment's owner: not a check's.
    expect(rolledBackByCheck({ ...mate, owner: 'ci@runner:7' })).toBe(false);
    // Closed where it was found (check-close-on-stable.ts): no rollback decision.
    const found = { ...mate, endReason: FOUND_BACK_ON_STABLE };
    expect(rolledBackByCheck(found)).toBe(false);
    expect(isReleaseQuiet([found], w.clock.now(), 120_000)).toBe(true);
  });
});
