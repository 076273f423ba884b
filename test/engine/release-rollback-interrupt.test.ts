/**
 * Ctrl-C during a person's `lshift rollback --release`: each function not yet at its alias write
 * stops there (INTERRUPTED) with its claim put back as the record was, so another person or a
 * check claims it at once; a function rolled back meanwhile stays rolled back, and a wait on
 * another actor's claim ends at once. Exit 1 (`failed`): the interrupted ones were not written.
 */
import { describe, expect, it } from 'vitest';
import { exitCodeForRollback } from '../../src/cli/exit-codes.js';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import { rollbackReleaseClaimed } from '../../src/engine/release-rollback-claim.js';
import { runTogether } from './race.js';
import { abandonedRelease, NAMES, RELEASE } from './release-world.js';
import { ALIAS, type World } from './world.js';

const ANN = 'rollback:ann@laptop:41';
const BOB = 'rollback:bob@desk:77';
const CHECK = 'check:cron@host-b:2';

/** The release on a manual clock, and each function's record before anyone touched it. */
function abandoned(): { w: World; before: Map<string, DeploymentRecord> } {
  const w = abandonedRelease({ auto: false });
  return { w, before: new Map(NAMES.map((fn) => [fn, w.store.peek(fn, ALIAS)!])) };
}

function rollback(w: World, owner: string, signal?: AbortSignal) {
  return rollbackReleaseClaimed(
    { ...w.deps, store: w.store, owner },
    {
      releaseId: RELEASE,
      targets: NAMES.map((functionName) => ({ functionName, alias: ALIAS })),
      reason: 'manual rollback',
      ...(signal ? { signal } : {}),
    },
  );
}

function interruptAt(w: World, ms: number): AbortSignal {
  const ctrlC = new AbortController();
  w.clock.after(ms, () => ctrlC.abort(new Error('interrupted by SIGINT')));
  return ctrlC.signal;
}

const aliasWritesOf = (w: World, fn: string) =>
  w.lambda.callsOf('updateAlias').filter((c) => c.args[0] === fn);

describe('rollback --release interrupted', () => {
  it('during its claims’ read-back: every function INTERRUPTED and its record as it was; Bob then rolls back at once', async () => {
    const { w, before } = abandoned();

    const [ann] = await runTogether(w, rollback(w, ANN, interruptAt(w, 1000)));

    const story = JSON.stringify(ann, null, 1);
    expect(ann.functions, story).toEqual([]);
    expect(
      ann.errors.map((e) => [e.functionName, e.code]),
      story,
    ).toEqual(NAMES.map((fn) => [fn, 'INTERRUPTED']));
    expect(ann.status, story).toBe('failed');
    expect(exitCodeForRollback(ann.status)).toBe(1);
    for (const fn of NAMES) {
      expect(w.store.peek(fn, ALIAS), fn).toEqual(before.get(fn));
      expect(aliasWritesOf(w, fn), fn).toEqual([]);
    }

    const startedAt = w.clock.now();
    const [bob] = await runTogether(w, rollback(w, BOB));
    expect(bob.status).toBe('rolled_back');
    expect(bob.byOthers).toEqual([]);
    expect(w.clock.now() - startedAt).toBeLessThan(10_000);
  });

  it('while it waits on a check’s claim on fb: fa and fc stay rolled back, fb INTERRUPTED at once and left to the check', async () => {
    const { w, before } = abandoned();
    const held = {
      ...before.get('fb')!,
      phase: 'rolling-back' as const,
      owner: CHECK,
      heartbeatAt: w.clock.now(),
    };
    w.store.seed('fb', ALIAS, held);
    const startedAt = w.clock.now();

    const [ann] = await runTogether(w, rollback(w, ANN, interruptAt(w, 10_000)));

    const story = JSON.stringify(ann, null, 1);
    expect(w.clock.now() - startedAt, story).toBeLessThan(15_000);
    expect(
      ann.functions.map((f) => [f.functionName, f.status]),
      story,
    ).toEqual([
      ['fa', 'rolled_back'],
      ['fc', 'rolled_back'],
    ]);
    expect(ann.errors, story).toMatchObject([{ functionName: 'fb', code: 'INTERRUPTED' }]);
    expect(ann.byOthers, story).toEqual([]);
    expect(exitCodeForRollback(ann.status), story).toBe(1);
    expect(w.store.peek('fb', ALIAS)).toEqual(held);
    expect(aliasWritesOf(w, 'fb')).toEqual([]);
  });
});
