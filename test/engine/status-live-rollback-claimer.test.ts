/**
 * A person's `lshift rollback` (or a check) whose reads hung after its claim, its process alive on
 * this machine, its `rolling-back` claim gone stale. Seen by h1 (session 70): `lshift status` said
 * "lshift rolls back a deployment whose record it cannot write for the stale limit, so it rolls
 * back by itself soon (at a health poll, once a hung call gives up)" — a deploy runner's words; a
 * rollback claimer has no health poll and is itself the rollback. The label, exit code and what a
 * check does are unchanged: only the words.
 */
import { describe, expect, it } from 'vitest';
import { renderStatus } from '../../src/cli/renderers/status-text.js';
import { describeNoLiveOwner } from '../../src/engine/check-ownerless.js';
import type { CheckDeps } from '../../src/engine/check-types.js';
import { getStatus } from '../../src/engine/status.js';
import type { LocalProcesses } from '../../src/ports/local-processes.js';
import { ALIAS, createWorld, deadRecord, FN, leaveDeployment, type World } from './world.js';

const running = (...pids: number[]): LocalProcesses => ({ isRunning: (pid) => pids.includes(pid) });
const CHECK = 'check:cron@host-a:97';
const RUNNER_WORDS = 'lshift rolls back a deployment whose record it cannot write';
const CLAIMER_WORDS =
  'that rollback (no deploy runner) moves the alias itself and closes the record as it ends, and each of its AWS calls and hooks gives up within a bounded time, so it ends by itself soon (the alias put back, or saying why not); if it does not, it is hung (or process 41 is another program now)';

/** A rollback by `owner` claimed at 20%, its claim 5 minutes old (past the stale limit + 1 minute). */
function claimedWorld(owner: string): World {
  const w = createWorld();
  leaveDeployment(w, deadRecord(w, { owner, phase: 'rolling-back', heartbeatAt: w.start - 300_000 }));
  return w;
}

describe('a stale rollback claim whose claimer still runs on this machine', () => {
  it.each(['rollback:cron@host-a:41', 'check:cron@host-a:41'])(
    '%s: status says the rollback ends by itself, not a runner rolling back at a health poll',
    async (owner) => {
      const w = claimedWorld(owner);
      const status = await getStatus(
        { ...w.deps, checkOwner: CHECK, processes: running(41, 97) },
        { functionName: FN, alias: ALIAS, alarms: [] },
      );
      expect(status.record).toMatchObject({ stale: true, livePid: 41 });
      const text = renderStatus(status);
      expect(text).toContain(
        `STALE: the rollback ${owner} started writes no record (its process 41 still runs on this machine, but its record has not been written for 5m: ${CLAIMER_WORDS})`,
      );
      expect(text).not.toContain(RUNNER_WORDS);
    },
  );

  it('a deploy runner mid-shift keeps its own words', async () => {
    const w = createWorld();
    leaveDeployment(w, deadRecord(w, { owner: 'cron@host-a:41', heartbeatAt: w.start - 300_000 }));
    const status = await getStatus(
      { ...w.deps, checkOwner: CHECK, processes: running(41, 97) },
      { functionName: FN, alias: ALIAS, alarms: [] },
    );
    expect(renderStatus(status)).toContain(RUNNER_WORDS);
  });

  // Its own `rolling-back` record: it said "so it rolls back by itself soon (at a health poll …)" of
  // a runner already rolling back (h4, session 70).
  it('a deploy runner already rolling back is said to be rolling back, not about to', async () => {
    const w = claimedWorld('cron@host-a:41');
    const status = await getStatus(
      { ...w.deps, checkOwner: CHECK, processes: running(41, 97) },
      { functionName: FN, alias: ALIAS, alarms: [] },
    );
    const text = renderStatus(status);
    expect(text).toContain(
      'its record has not been written for 5m: that deploy runner is already rolling back; it moves the alias back itself and closes the record as it ends',
    );
    expect(text).not.toContain(RUNNER_WORDS);
    expect(text).not.toContain('health poll');
  });

  it('lshift check says the same of it', () => {
    const w = createWorld();
    const record = deadRecord(w, { owner: 'cron@host-a:41', phase: 'rolling-back' });
    const deps = { owner: CHECK, processes: running(41, 97) } as CheckDeps;
    const words = describeNoLiveOwner(deps, record, w.start);
    expect(words).toContain('that deploy runner is already rolling back');
    expect(words).not.toContain(RUNNER_WORDS);
  });
});

// A killed `lshift rollback --to 2` (claim `rt=2`): a check finishes it on the stable version
// (check-classify.ts rollbackTarget), not on 2; status said only "finishes it" (h4, session 70).
describe('a stale claim of `lshift rollback --to` a version other than the stable one', () => {
  it('status says the check finishes it on the stable version, not where it was sending it', async () => {
    const w = createWorld();
    const claim = { owner: 'rollback:ops@desk:41', phase: 'rolling-back' as const, rollbackTo: '2' };
    leaveDeployment(w, deadRecord(w, { ...claim, heartbeatAt: w.start - 300_000 }));
    const text = renderStatus(await getStatus(w.deps, { functionName: FN, alias: ALIAS, alarms: [] }));
    expect(text).toContain(
      `) finishes it on its stable version 1, not on version 2, where \`lshift rollback --to 2\` was sending it`,
    );
  });

  it('a claim sent to its stable version says nothing more', async () => {
    const w = createWorld();
    const claim = { owner: 'rollback:ops@desk:41', phase: 'rolling-back' as const, rollbackTo: '1' };
    leaveDeployment(w, deadRecord(w, { ...claim, heartbeatAt: w.start - 300_000 }));
    const text = renderStatus(await getStatus(w.deps, { functionName: FN, alias: ALIAS, alarms: [] }));
    expect(text).toContain(') finishes it');
    expect(text).not.toContain('was sending it');
  });
});
