/**
 * A runner whose own rollback met a person's `lshift rollback --to <its new version>` (its alarm
 * had fired; its alias write was refused with a 412, the alias all on the new version) found the
 * record closed promoted with `rt=` under that person's owner. Seen on the sandbox (h1, session
 * 70): keepOursDespite took its cursor (which had taken the moved alias in) as "not moved since",
 * warned that the rollback "stored its record over ours … but never moved the alias; restoring
 * ours", put its own record back over the close (its rt= mark lost) and said "changed by someone
 * else". A record of this very deployment closed by `--to` (rollbackTo) is a rollback's end too.
 */
import { describe, expect, it } from 'vitest';
import { keepOursDespite } from '../../src/engine/recorder-loss.js';
import { ALIAS, createWorld, deadRecord, FN } from './world.js';

describe('keepOursDespite: a rollback --to of this very deployment', () => {
  it('is never put back over (rt=), whatever the alias read says', async () => {
    const w = createWorld();
    const ours = deadRecord(w, { phase: 'rolling-back', percent: 10 });
    const closed = { ...ours, phase: 'promoted' as const, owner: 'rollback:ops@desk:3', rollbackTo: '2' };
    const target = { functionName: FN, alias: ALIAS, ours };
    expect(await keepOursDespite(w.deps, target, closed, async () => true)).toBe(false);
    expect(w.sink.warnings()).toEqual([]);
  });

  it('another deployment that never moved the alias is still put back', async () => {
    const w = createWorld();
    const ours = deadRecord(w, { phase: 'shifting' });
    const other = { ...deadRecord(w), id: 'd-other1', owner: 'ci@runner:9' };
    const target = { functionName: FN, alias: ALIAS, ours };
    expect(await keepOursDespite(w.deps, target, other, async () => true)).toBe(true);
  });
});
