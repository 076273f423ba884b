/**
 * `deploy fa fb fc --resume` of a release whose runner died while it recorded its functions
 * promoted: fa's `promoted` landed, fb's and fc's did not. A fresh release reads every function
 * back before it says promoted (release-promotion-settle.ts); a resume read back only the
 * functions it promoted itself. fa — done before the crash, and perhaps written over a rollback's
 * claim the claimer writes again a moment later (check-claim.ts) — was reported promoted (exit 0)
 * while `lshift rollback fa` put it back on version 1 beside fb and fc on version 2. Now the
 * functions promoted before the crash are read back with the others: a claim found is followed
 * and every other function rolled back for it (exit 3); an alias found moved is a conflict
 * (exit 5).
 */
import { describe, expect, it } from 'vitest';
import { exitCodeForStatus } from '../../src/cli/exit-codes.js';
import { type ReleaseRequest, runRelease } from '../../src/engine/release.js';
import { resumeRelease } from '../../src/engine/release-resume.js';
import { rollbackClaimed } from '../../src/engine/rollback-claim.js';
import { keepClaimBeating } from './claim-beat.js';
import { crashingDeps, recordWritten } from './crash.js';
import { gate } from './promote-race.js';
import { runTogether } from './race.js';
import { fn } from './release-takeover-world.js';
import { ALIAS, createFleetWorld, linear, request, resumeRequest, type World } from './world.js';

const NAMES = ['fa', 'fb', 'fc'];
const TAKER = 'rollback:ops@desk:3';
const RESUMER = resumeRequest().owner;

function release(): ReleaseRequest {
  return {
    releaseId: 'r-last01',
    members: NAMES.map((name, i) =>
      request({ functionName: name, alarms: [`${name}-errors`], deploymentId: `d-${i}`, ...linear(25, 60) }),
    ),
    concurrency: 1,
  };
}

const resumeMembers = () =>
  NAMES.map((name) => resumeRequest({ functionName: name, alarms: [`${name}-errors`] }));

/**
 * The release's runner died right after the first `promoted` landed; its heartbeats went stale
 * since. `manual`: on a clock only runTogether moves (for a race).
 */
async function crashedAfterFirstPromoted(manual = false): Promise<{ w: World; done: string }> {
  const w = createFleetWorld(NAMES, { auto: !manual });
  const { deps, crash } = crashingDeps(w, recordWritten('promoted'));
  await runTogether(w, runRelease(deps, release()));
  expect(crash.crashed).toBe(true);
  if (manual) await w.clock.advance(600_000);
  else await w.clock.sleep(600_000);
  const done = NAMES.filter((name) => w.store.peek(name, ALIAS)?.phase === 'promoted');
  expect(done).toHaveLength(1);
  return { w, done: done[0]! };
}

/** Runs `then` once, `afterMs` after the resume's first record write (its checks all passed). */
function afterResumeWrites(w: World, afterMs: number, then: () => void): void {
  const write = w.store.write.bind(w.store);
  let armed = true;
  w.store.write = async (fn, alias, record) => {
    await write(fn, alias, record);
    if (armed && record.owner === RESUMER) {
      armed = false;
      w.clock.after(afterMs, then);
    }
  };
}

/** `lshift rollback <name>` claims it now, keeps its claim fresh, and has put it back `endMs` later. */
function rollbackOf(w: World, name: string, endMs: number): void {
  w.store.seed(name, ALIAS, {
    ...w.store.peek(name, ALIAS)!,
    phase: 'rolling-back',
    owner: TAKER,
    heartbeatAt: w.clock.now(),
  });
  keepClaimBeating(w, name, ALIAS, TAKER);
  w.clock.after(endMs, () => {
    w.lambda.moveAlias(name, ALIAS, { functionVersion: '1', additionalWeights: {} });
    const now = w.clock.now();
    w.store.seed(name, ALIAS, {
      ...w.store.peek(name, ALIAS)!,
      phase: 'rolled-back',
      endedAt: now,
      heartbeatAt: now,
    });
  });
}

describe('deploy --resume of a release, one function promoted before the crash', () => {
  it('a rollback claims that function during the resume: followed, the others rolled back for it (exit 3), not promoted', async () => {
    const { w, done } = await crashedAfterFirstPromoted();
    afterResumeWrites(w, 1_000, () => rollbackOf(w, done, 20_000));

    const result = await resumeRelease(w.deps, { members: resumeMembers() });

    expect(result.status).toBe('rolled_back');
    expect(exitCodeForStatus(result.status)).toBe(3);
    expect(result.failed).toEqual({ functionName: done, alias: ALIAS });
    expect(fn(result, done)).toMatchObject({
      status: 'rolled_back',
      cause: { code: 'ROLLED_BACK_BY_OTHER', data: { owner: TAKER } },
      finishedBy: { owner: TAKER },
    });
    for (const other of NAMES.filter((name) => name !== done)) {
      expect(fn(result, other)).toMatchObject({
        status: 'rolled_back',
        stoppedFor: { functionName: done, alias: ALIAS, rolledBackBy: TAKER },
      });
      expect(w.store.peek(other, ALIAS)).toMatchObject({ phase: 'rolled-back' });
    }
    for (const name of NAMES)
      expect(w.lambda.peekAlias(name, ALIAS), name).toMatchObject({
        functionVersion: '1',
        additionalWeights: {},
      });
  });

  it('`lshift rollback` claiming it just before the resume takes it over (written over): claimed again, followed (exit 3)', async () => {
    const { w, done } = await crashedAfterFirstPromoted(true);
    const start = gate();
    const claimed = gate();
    const write = w.store.write.bind(w.store);
    let held = false;
    w.store.write = async (name, alias, record) => {
      // The resume's takeover of the function promoted before the crash waits for the claim.
      if (!held && name === done && record.owner === RESUMER) {
        held = true;
        start.open();
        await claimed.passed;
      }
      await write(name, alias, record);
      if (name === done && record.owner === TAKER && record.phase === 'rolling-back') claimed.open();
    };
    const rollback = start.passed.then(() =>
      rollbackClaimed(
        { ...w.deps, store: w.store, owner: TAKER },
        { functionName: done, alias: ALIAS, reason: 'ops asked for it' },
      ),
    );
    const [result, rolled] = await runTogether(
      w,
      resumeRelease(w.deps, { members: resumeMembers() }),
      rollback,
    );

    expect(rolled.status).toBe('rolled_back');
    expect(result.status).toBe('rolled_back');
    expect(exitCodeForStatus(result.status)).toBe(3);
    expect(fn(result, done)).toMatchObject({ status: 'rolled_back', finishedBy: { owner: TAKER } });
    for (const name of NAMES)
      expect(w.lambda.peekAlias(name, ALIAS), name).toMatchObject({
        functionVersion: '1',
        additionalWeights: {},
      });
  });

  it('its alias moved by hand during the resume: a conflict naming it (exit 5), the others rolled back', async () => {
    const { w, done } = await crashedAfterFirstPromoted();
    afterResumeWrites(w, 1_000, () =>
      w.lambda.moveAlias(done, ALIAS, { functionVersion: '1', additionalWeights: {} }),
    );

    const result = await resumeRelease(w.deps, { members: resumeMembers() });

    expect(result.status).toBe('conflict');
    expect(exitCodeForStatus(result.status)).toBe(5);
    expect(result.failed).toEqual({ functionName: done, alias: ALIAS });
    expect(fn(result, done)).toMatchObject({ status: 'conflict', cause: { code: 'ALIAS_CHANGED' } });
    for (const other of NAMES.filter((name) => name !== done)) {
      expect(fn(result, other)).toMatchObject({ status: 'rolled_back' });
      expect(w.lambda.peekAlias(other, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
    }
  });

  it('another function’s alarm firing when resumed: the release rolls back, that one with it (none left on version 2)', async () => {
    const { w, done } = await crashedAfterFirstPromoted();
    const other = NAMES.find((name) => name !== done)!;
    w.metrics.setAlarm(`${other}-errors`, 'ALARM', { at: w.clock.now(), reason: 'errors' });

    const result = await resumeRelease(w.deps, { members: resumeMembers() });

    expect(result.status).toBe('rolled_back');
    expect(fn(result, done)).toMatchObject({ status: 'rolled_back' });
    for (const name of NAMES) {
      expect(w.lambda.peekAlias(name, ALIAS), name).toMatchObject({
        functionVersion: '1',
        additionalWeights: {},
      });
      expect(w.store.peek(name, ALIAS)?.phase, name).toBe('rolled-back');
    }
  });

  it('nothing found: every function promoted (exit 0), the one done before the crash read back too', async () => {
    const { w, done } = await crashedAfterFirstPromoted();
    const result = await resumeRelease(w.deps, { members: resumeMembers() });

    expect(result.status).toBe('promoted');
    expect(result.functions.map((f) => f.status)).toEqual(['promoted', 'promoted', 'promoted']);
    expect(fn(result, done)).toMatchObject({ status: 'promoted' });
    for (const name of NAMES) expect(w.store.peek(name, ALIAS)?.phase, name).toBe('promoted');
  });
});
