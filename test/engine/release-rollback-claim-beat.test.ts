/**
 * `lshift rollback --release` (and a check's rollback of a release) claims each function's record,
 * then rolls each back. The claims were not beaten while the rollbacks ran: one function whose
 * UpdateAlias hangs and is retried for minutes left its claim unchanged past the stale limit and
 * the claim allowance, and another check or person took it for abandoned and finished the same
 * rollback beside this one. Each function's rollback now keeps its own claim fresh, beside its
 * calls and between its retries (keepClaimFresh), as `lshift rollback <function>` does.
 */
import { describe, expect, it } from 'vitest';
import { BEAT_BESIDE_CALL_MS } from '../../src/engine/beating-driver.js';
import { HEARTBEAT_INTERVAL_MS } from '../../src/engine/deploy-types.js';
import { rollbackReleaseClaimed } from '../../src/engine/release-rollback-claim.js';
import { driveUntil } from './race.js';
import { abandonedRelease, NAMES, RELEASE } from './release-world.js';
import { stuckRollbackWrites } from './stuck-rollback.js';
import { ALIAS } from './world.js';

const PERSON = 'rollback:ann@laptop:41';

describe('lshift rollback --release keeps the claim of a function whose rollback is held up fresh', () => {
  it('fb’s writes hang 110 s each and are throttled: its claim is beaten all through, never older than a beat interval and a tick', async () => {
    const w = abandonedRelease({ auto: false });
    const run = rollbackReleaseClaimed(
      { ...w.deps, lambda: stuckRollbackWrites(w, 110_000, { only: 'fb' }), store: w.store, owner: PERSON },
      {
        releaseId: RELEASE,
        targets: NAMES.map((functionName) => ({ functionName, alias: ALIAS })),
        reason: 'manual rollback',
      },
    );
    const result = await driveUntil(w, run);

    const beats = w.store.writes
      .filter(
        (x) => x.functionName === 'fb' && x.record.owner === PERSON && x.record.phase === 'rolling-back',
      )
      .map((x) => x.record.heartbeatAt - w.start);
    expect(beats.at(-1)).toBeGreaterThan(250_000);
    const gaps = beats.slice(1).map((t, i) => t - beats[i]!);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(HEARTBEAT_INTERVAL_MS + BEAT_BESIDE_CALL_MS);
    // The others went back at once; fb's rollback failed, its claim put back as it was.
    expect(result.functions.map((f) => [f.functionName, f.status])).toEqual([
      ['fa', 'rolled_back'],
      ['fb', 'unsafe'],
      ['fc', 'rolled_back'],
    ]);
  });
});
