/**
 * `rollback --release r-X fa fb` after fb, promoted with release r-X, was deployed again on its own
 * (its record now that later deployment's): fb is rightly left alone (rolling it back to the
 * release's stable version would undo the later deployment too), but it was said `left alone: no
 * record of release r-X at this alias (not part of it, or never started)`, under `Release r-X:
 * rolled back` (exit 0) — false of a function the release's own records name (`rf=`), and an
 * operator reading it takes the release as wholly undone (found by h1's hostile pass, session 71).
 * It now says fb was in the release and which deployment took its alias since.
 */
import { describe, expect, it } from 'vitest';
import { describeSkippedMember } from '../../src/cli/describe-release-rollback.js';
import { rollbackReleaseClaimed } from '../../src/engine/release-rollback-claim.js';
import { TagStateStore } from '../../src/engine/tag-state-store.js';
import { ALIAS, createFleetWorld, deadRecord } from './world.js';

const PROMOTED = { phase: 'promoted' as const, percent: 100, stepIndex: 1 };

async function rollBack(named: { releaseFunctions?: string[] }) {
  const w = createFleetWorld(['fa', 'fb']);
  const store = new TagStateStore(w.lambda);
  const ended = { endedAt: w.start - 120_000, heartbeatAt: w.start - 120_000 };
  await store.write(
    'fa',
    ALIAS,
    deadRecord(w, { id: 'd-fa', releaseId: 'r-this01', ...PROMOTED, ...ended, ...named }),
  );
  w.lambda.moveAlias('fa', ALIAS, { functionVersion: '2', additionalWeights: {} });
  // fb: deployed alone since, 2 → 3 (release r-this01 had taken it 1 → 2).
  await store.write(
    'fb',
    ALIAS,
    deadRecord(w, { id: 'd-later', stableVersion: '2', targetVersion: '3', ...PROMOTED, ...ended }),
  );
  w.lambda.addVersion('fb');
  w.lambda.moveAlias('fb', ALIAS, { functionVersion: '3', additionalWeights: {} });
  const result = await rollbackReleaseClaimed(
    { ...w.deps, store, owner: 'rollback:ann@laptop:41' },
    {
      releaseId: 'r-this01',
      targets: [
        { functionName: 'fa', alias: ALIAS },
        { functionName: 'fb', alias: ALIAS },
      ],
      reason: 'manual rollback',
    },
  );
  return { w, result };
}

describe('rollback --release naming a function a later deployment took since', () => {
  it('says it was in the release and which deployment holds it now, and leaves it where it is', async () => {
    const { w, result } = await rollBack({ releaseFunctions: ['fa', 'fb'] });
    expect(result.functions.map((f) => [f.functionName, f.status])).toEqual([['fa', 'rolled_back']]);
    expect(result.skipped).toEqual([
      {
        functionName: 'fb',
        alias: ALIAS,
        takenBy: { id: 'd-later', phase: 'promoted', stableVersion: '2', targetVersion: '3' },
      },
    ]);
    const line = describeSkippedMember('r-this01', result.skipped[0]!);
    expect(line).toBe(
      "– fb:live left alone: it was in release r-this01, but its record is now deployment d-later's (promoted, version 2 → 3), which took the alias since: a release's rollback does not undo a later deployment (`lshift status fb --alias live` shows it)",
    );
    expect(line).not.toContain('not part of it');
    expect(await w.lambda.getAlias('fb', ALIAS)).toMatchObject({ functionVersion: '3' });
  });

  it("says as before what it cannot know: no `rf=` in the release's records", async () => {
    const { result } = await rollBack({});
    expect(result.skipped).toEqual([{ functionName: 'fb', alias: ALIAS }]);
    expect(describeSkippedMember('r-this01', result.skipped[0]!)).toContain(
      'not part of it, or never started',
    );
  });
});
