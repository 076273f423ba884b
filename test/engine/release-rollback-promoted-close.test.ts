/**
 * `lshift rollback --release` of a release that was promoted: each record is closed as rolled back
 * after its promotion (`rolled back to version 1: after it was promoted`), as `lshift rollback fb`
 * closes one function. It read its own claim (`rolling-back`) and closed each record as a shift
 * stopped at its step: `status fa` said `rolled-back, version 1 → 2, stopped at step 1` of a
 * release that had run all its steps (h4's hostile pass, session 69, on the sandbox).
 */
import { describe, expect, it } from 'vitest';
import { renderStatus } from '../../src/cli/renderers/status-text.js';
import { rollbackReleaseClaimed } from '../../src/engine/release-rollback-claim.js';
import { getStatus } from '../../src/engine/status.js';
import { NAMES, RELEASE, seedAbandonedMember } from './release-world.js';
import { ALIAS, createWorld, type World } from './world.js';

const PERSON = 'rollback:ann@laptop:41';

/** fa, fb, fc of RELEASE promoted 1 → 2 by ci@runner:7, all traffic on 2. */
function promotedRelease(): World {
  const w = createWorld();
  for (const [i, fn] of NAMES.entries()) {
    seedAbandonedMember(w, fn, {
      id: `d-${i}`,
      releaseId: RELEASE,
      phase: 'promoted',
      stepIndex: 3,
      percent: 100,
      endedAt: w.start - 60_000,
    });
    w.lambda.moveAlias(fn, ALIAS, { functionVersion: '2', additionalWeights: {} });
  }
  return w;
}

describe('lshift rollback --release of a promoted release', () => {
  it('closes each record rolled back after its promotion, by the person, as `rollback <fn>` does', async () => {
    const w = promotedRelease();
    const result = await rollbackReleaseClaimed(
      { ...w.deps, store: w.store, owner: PERSON },
      {
        releaseId: RELEASE,
        targets: NAMES.map((functionName) => ({ functionName, alias: ALIAS })),
        reason: 'manual rollback',
      },
    );

    expect(result.status).toBe('rolled_back');
    for (const fn of NAMES) {
      expect(w.lambda.peekAlias(fn, ALIAS), fn).toMatchObject({
        functionVersion: '1',
        additionalWeights: {},
      });
      expect(w.store.peek(fn, ALIAS), fn).toMatchObject({
        phase: 'rolled-back',
        endReason: 'rolled back to version 1: after it was promoted',
        owner: PERSON,
      });
    }
    const status = renderStatus(
      await getStatus({ ...w.deps, store: w.store }, { functionName: 'fa', alias: ALIAS, alarms: [] }),
    );
    expect(status).toContain('rolled back to version 1: after it was promoted');
    expect(status).not.toContain('stopped at step');
  });

  it('over a killed earlier run’s stale claims (its alias writes landed): rolled back after its promotion, not stopped at step 1', async () => {
    // h4's task, session 70: the single `lshift rollback` says so since session 69 (F2,
    // rollback-stale-claim-promoted.test.ts); the release's read only a `promoted` record.
    const w = promotedRelease();
    for (const fn of NAMES) {
      const promoted = w.store.peek(fn, ALIAS)!;
      w.store.seed(fn, ALIAS, {
        ...promoted,
        phase: 'rolling-back',
        owner: 'rollback:ann@laptop:40',
        heartbeatAt: w.start - 300_000,
      });
      w.lambda.moveAlias(fn, ALIAS, { functionVersion: '1', additionalWeights: {} });
    }
    const result = await rollbackReleaseClaimed(
      { ...w.deps, store: w.store, owner: PERSON },
      {
        releaseId: RELEASE,
        targets: NAMES.map((functionName) => ({ functionName, alias: ALIAS })),
        reason: 'manual rollback',
      },
    );
    expect(['rolled_back', 'nothing_to_deploy']).toContain(result.status);
    for (const fn of NAMES)
      expect(w.store.peek(fn, ALIAS), fn).toMatchObject({
        phase: 'rolled-back',
        endReason: 'rolled back to version 1: after it was promoted',
      });
    const status = renderStatus(
      await getStatus({ ...w.deps, store: w.store }, { functionName: 'fa', alias: ALIAS, alarms: [] }),
    );
    expect(status).not.toContain('stopped at step');
    // Never further back.
    for (const fn of NAMES) expect(w.lambda.peekAlias(fn, ALIAS), fn).toMatchObject({ functionVersion: '1' });
  });
});
