/**
 * `rollback --release r-X --config <file listing gb>`, gb never in release r-X, its record a
 * finished one of another release that a check rolled back: the claim read that check's closed
 * record as a rival's rollback of this release and said "✔ gb:live was rolled back by check:…
 * (it held the function's claim), not by this command" — false (found by a hostile pass,
 * session 59, F5). A record of another release is no claim on this one: gb is left alone and
 * reported as a function with no record of the release.
 */
import { describe, expect, it } from 'vitest';
import { rollbackReleaseClaimed } from '../../src/engine/release-rollback-claim.js';
import { TagStateStore } from '../../src/engine/tag-state-store.js';
import { ALIAS, createFleetWorld, deadRecord } from './world.js';

describe('rollback --release naming a function whose record is a check-closed one of another release', () => {
  it('gb is left alone as not of the release, not reported rolled back by that check', async () => {
    const w = createFleetWorld(['fa', 'gb']);
    const store = new TagStateStore(w.lambda);
    await store.write('fa', ALIAS, deadRecord(w, { id: 'd-fa', releaseId: 'r-this01', percent: 10 }));
    w.lambda.moveAlias('fa', ALIAS, { functionVersion: '1', additionalWeights: { '2': 0.1 } });
    await store.write(
      'gb',
      ALIAS,
      deadRecord(w, {
        id: 'd-gb',
        releaseId: 'r-other1',
        phase: 'rolled-back',
        owner: 'check:root@vm:21547/f69bed9a',
        heartbeatAt: w.start - 60_000,
        endedAt: w.start - 60_000,
      }),
    );
    const result = await rollbackReleaseClaimed(
      { ...w.deps, store, owner: 'rollback:ann@laptop:41' },
      {
        releaseId: 'r-this01',
        targets: [
          { functionName: 'fa', alias: ALIAS },
          { functionName: 'gb', alias: ALIAS },
        ],
        reason: 'manual rollback',
      },
    );
    expect(result.byOthers).toEqual([]);
    expect(result.skipped).toEqual([{ functionName: 'gb', alias: ALIAS, recordedRelease: 'r-other1' }]);
    expect(result.functions.map((f) => [f.functionName, f.status])).toEqual([['fa', 'rolled_back']]);
    expect(result.status).toBe('rolled_back');
    // gb's record untouched: still the other release's, closed by that check.
    expect(await store.read('gb', ALIAS)).toMatchObject({
      releaseId: 'r-other1',
      owner: 'check:root@vm:21547/f69bed9a',
    });
  });
});
