/**
 * `lshift promote --full --release` is answered in one record of the release (its command
 * reader's), before the runner writes 100% to every function. A crash after those alias writes
 * and before their records left fb and fc at 100% over records at their last step: `deploy
 * --resume` said "someone else moved it" (ALIAS_AHEAD_OF_RECORD, exit 4) of lshift's own writes.
 * The release's command now lets each of its functions count 100% as the one write ahead.
 */
import { describe, expect, it } from 'vitest';
import { renderStatus } from '../../src/cli/renderers/status-text.js';
import type { OperatorCommand } from '../../src/domain/operator-command.js';
import { runCheck } from '../../src/engine/check.js';
import { resumeRelease } from '../../src/engine/release-resume.js';
import { getStatus } from '../../src/engine/status.js';
import { abandonedRelease, NAMES, RELEASE } from './release-world.js';
import { ALIAS, resumeRequest, type World } from './world.js';

const resumeAll = () =>
  NAMES.map((fn) => resumeRequest({ functionName: fn, alarms: [`${fn}-errors`], releaseFunctions: NAMES }));

/** Every function all on version 2; `command` in fa's record (the release's command reader). */
function promotedFullThenCrashed(command?: OperatorCommand): World {
  const w = abandonedRelease();
  w.metrics.setAlarm('fa-errors', 'OK');
  for (const fn of NAMES) w.lambda.moveAlias(fn, ALIAS, { functionVersion: '2', additionalWeights: {} });
  if (command) w.store.seed('fa', ALIAS, { ...w.store.peek('fa', ALIAS)!, command });
  return w;
}

const promoteFull = (state: OperatorCommand['state']): OperatorCommand => ({
  verb: 'promote-full',
  nonce: 'p1',
  state,
  by: 'ops@laptop:9',
});

describe('deploy --resume of a release after `promote --full` reached 100% and its records did not', () => {
  it.each(['done', 'sent'] as const)(
    'promote --full %s in the command reader’s record: every function resumes after the last step, nothing written',
    async (state) => {
      const w = promotedFullThenCrashed(promoteFull(state));
      const result = await resumeRelease(w.deps, { members: resumeAll() });
      expect(result.status).toBe('promoted');
      expect(w.lambda.callsOf('updateAlias')).toEqual([]);
      for (const fn of NAMES)
        expect(w.store.peek(fn, ALIAS)).toMatchObject({ phase: 'promoted', releaseId: RELEASE });
    },
  );

  it('no such command (or a refused one): still refused, lshift never wrote 100%', async () => {
    for (const w of [promotedFullThenCrashed(), promotedFullThenCrashed(promoteFull('refused'))]) {
      const error = await resumeRelease(w.deps, { members: resumeAll() }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'ALIAS_AHEAD_OF_RECORD', exitCode: 4 });
      expect(w.lambda.callsOf('updateAlias')).toEqual([]);
    }
  });

  // `check` read the same records and called fb and fc moved further by hand.
  it('check: every function stalled with no live owner, none moved by hand', async () => {
    const w = promotedFullThenCrashed(promoteFull('done'));
    const request = {
      functionNames: NAMES,
      alias: ALIAS,
      windowSeconds: 3600,
      alarms: ['{function}-errors'],
    };
    const report = await runCheck({ ...w.deps, store: w.store, owner: 'check:cron@h:9' }, request);
    for (const fn of NAMES) {
      const r = report.results.find((x) => x.functionName === fn);
      expect(r, JSON.stringify(report.results)).toMatchObject({ action: 'stalled' });
      expect(r?.reason).toContain('the alias routes 100% to version 2 now) has no live owner');
      expect(r?.reason).not.toContain('by hand');
    }
  });

  // status reads one function's record only: it must not say lshift never wrote that weight.
  it('status of another function: moved by hand, or the release’s promote --full it does not read', async () => {
    const w = promotedFullThenCrashed(promoteFull('done'));
    const text = renderStatus(await getStatus(w.deps, { functionName: 'fb', alias: ALIAS, alarms: [] }));
    expect(text).toContain(
      "someone moved it by hand — or a `promote --full` of release r-both01, answered in another function's record",
    );
    expect(text).not.toContain('lshift never wrote that weight');
  });

  // Given the release's other functions (`lshift status fa fb fc`), it reads their records: the
  // command in fa's says fb's 100% is lshift's own write, not a move by hand (docs/ci.md said it
  // may still call it moved by hand).
  it('status given the release’s functions: reads the command in fa’s record, not moved by hand', async () => {
    const w = promotedFullThenCrashed(promoteFull('done'));
    const releaseMates = ['fa', 'fc'].map((functionName) => ({ functionName, alias: ALIAS }));
    const before = w.store.reads;
    const status = await getStatus(w.deps, { functionName: 'fb', alias: ALIAS, alarms: [], releaseMates });
    // Its own record and one read (ListTags) per mate.
    expect(w.store.reads - before).toBe(3);
    expect(status.record).toMatchObject({ releasePromotedFull: true });
    const text = renderStatus(status);
    expect(text).not.toContain('by hand');
    expect(text).toContain(
      "ahead of this record's 20% by the `promote --full` of release r-both01 (answered in another function's record): its 100% write landed and the record write after it did not",
    );
  });

  it('status given the release’s functions, no such command: still says moved by hand (or one it did not read)', async () => {
    const w = promotedFullThenCrashed();
    const releaseMates = ['fa', 'fc'].map((functionName) => ({ functionName, alias: ALIAS }));
    const status = await getStatus(w.deps, { functionName: 'fb', alias: ALIAS, alarms: [], releaseMates });
    expect(status.record?.releasePromotedFull).toBeUndefined();
    expect(renderStatus(status)).toContain('someone moved it by hand');
  });

  it('status of a release function on its record’s step reads no other record', async () => {
    const w = abandonedRelease();
    const releaseMates = ['fa', 'fc'].map((functionName) => ({ functionName, alias: ALIAS }));
    const before = w.store.reads;
    await getStatus(w.deps, { functionName: 'fb', alias: ALIAS, alarms: [], releaseMates });
    expect(w.store.reads - before).toBe(1);
  });
});
