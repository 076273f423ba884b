/**
 * A release rolled back before it moved any alias, one of whose functions (fa) meets another
 * deployment's open record stored over its own while neither had moved fa's alias — two runs
 * started together (recorder-ownership.ts judge: `rival`). The release's one `rolling-back` mark
 * (release-restore.ts markRollingBack) is tried on fa first and comes back `unwritten`: the rival
 * rule leaves the rival's record where it is, and the mark is not written over it. The release
 * then marks each function's own record as a single deploy does (settleEach, the path of a mark
 * that could not be stored): fb and fc are marked and closed rolled back, fa's alias is never
 * written and the rival's record is kept, the release ends rolled back (exit 3). Pinned (h3's s71
 * brief asked what the release says then): nothing is lost by not trying fb's mark instead, as
 * each function's own mark lands before its alias is touched.
 */
import { describe, expect, it } from 'vitest';
import { exitCodeForStatus } from '../../src/cli/exit-codes.js';
import { cmdHook } from '../helpers/fake-hooks.js';
import { fleetWorld, fn, release, runUntil } from './release-takeover-world.js';
import { ALIAS } from './world.js';

describe('a release’s rolling-back mark meeting a rival’s open record (neither moved the alias)', () => {
  it('is left unwritten: each function marks its own, the rival’s record kept, no alias written, exit 3', async () => {
    const w = fleetWorld();
    // The release's pre-traffic hook fails 30 s in; meanwhile another run stored its record on fa.
    let rival: ReturnType<typeof w.store.peek>;
    w.hooks.script(
      'cmd:gate',
      () =>
        new Promise((resolve) => {
          w.clock.after(30_000, () => {
            rival = {
              ...w.store.peek('fa', ALIAS)!,
              id: 'd-rival',
              owner: 'ci@other:5',
              heartbeatAt: w.clock.now(),
              phase: 'started',
            };
            delete rival.releaseId;
            w.store.seed('fa', ALIAS, rival);
            resolve({ ok: false, reason: 'gate says no', durationMs: 30_000 });
          });
        }),
    );
    const { settled, running } = await runUntil(w, release({ pre: [cmdHook('gate')] }), 300_000);
    expect(settled).toBe(true);
    const result = await running;

    expect(result.status).toBe('rolled_back');
    expect(exitCodeForStatus(result.status)).toBe(3);
    for (const name of ['fa', 'fb', 'fc'])
      expect(fn(result, name)).toMatchObject({ status: 'rolled_back', cause: { code: 'HOOK_FAILED' } });
    // The rival's record stands on fa, as stored: no mark, no close of ours went over it.
    expect(w.store.peek('fa', ALIAS)).toEqual(rival);
    for (const name of ['fb', 'fc'])
      expect(w.store.peek(name, ALIAS)).toMatchObject({
        phase: 'rolled-back',
        cause: { code: 'HOOK_FAILED' },
      });
    // Nothing had moved: no alias was written, fa's least of all.
    expect(w.lambda.aliasWrites()).toEqual([]);
    const rivalLines = w.sink.logs('warn').filter((l) => l.includes('d-rival'));
    expect(rivalLines).toEqual([
      'deployment d-rival (ci@other:5) also stored its record on fa alias live, and neither has moved the alias yet: this deployment leaves that record there until its own first weight write lands (whichever lands first holds the alias; the other stops)',
    ]);
  });
});
