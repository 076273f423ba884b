/**
 * A release of 3 rolls back (fc's alarm) while record writes hang in TagResource; the run ends
 * by its close wait (settle-rollback.ts writeClose: 5 s at most per close), and its process then
 * dies — the writes still queued never land. What is left must be finished by `lshift check`,
 * `deploy --resume` and `lshift rollback --release`: no traffic moves forward, every record ends
 * closed, none is said moved by hand when lshift's own rollback put it back.
 *
 * The release's mark (fc's `rolling-back`) is closed last: the others' closes given up on after
 * 5 s, the mark's close landed before theirs, leaving fc `rolled-back` and fa, fb `shifting` at
 * 10% over aliases on version 1 — a check called them moved back by hand and left them STALLED
 * for good, status offered to resume them. The mark now stays `rolling-back` while another close
 * has not landed: a rollback whose runner died, which all three commands finish.
 */
import { describe, expect, it } from 'vitest';
import { renderReleaseStatus } from '../../src/cli/renderers/status-release-text.js';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import { FOUND_BACK_ON_STABLE } from '../../src/engine/check-rollback.js';
import { runCheckWithReleases } from '../../src/engine/check-with-releases.js';
import { runRelease } from '../../src/engine/release.js';
import { resumeRelease } from '../../src/engine/release-resume.js';
import { rollbackRelease } from '../../src/engine/release-rollback.js';
import { getStatus } from '../../src/engine/status.js';
import { driveUntil } from './race.js';
import { ALIAS, canary, createFleetWorld, request, resumeRequest, type World } from './world.js';

const FNS = ['fa', 'fb', 'fc'];
const RELEASE = 'r-hang02';
/** fc's alarm fires at 85 s; the release rolls back from its 91 s poll. */
const ROLLBACK_FROM_MS = 87_000;
type Hangs = (fn: string, record: DeploymentRecord, atMs: number) => boolean;

/** The release run with `hangs` writes never answered, then 10 minutes of a dead process. */
async function leftBehind(hangs: Hangs): Promise<World> {
  const w = createFleetWorld(FNS, { auto: false });
  w.metrics.setAlarm('fc-errors', 'ALARM', { at: w.start + 85_000, reason: 'errors over 3' });
  const write = w.store.write.bind(w.store);
  w.store.write = async (fn, alias, record, opts) =>
    hangs(fn, record, w.clock.now() - w.start)
      ? new Promise(() => undefined)
      : write(fn, alias, record, opts);
  const members = FNS.map((fn, i) =>
    request({ functionName: fn, alarms: [`${fn}-errors`], deploymentId: `d-${i}`, ...canary(10, 600) }),
  );
  const result = await driveUntil(w, runRelease(w.deps, { releaseId: RELEASE, members }));
  expect(result.functions.map((r) => r.status)).toEqual(['rolled_back', 'rolled_back', 'rolled_back']);
  expectAllStable(w);
  // The process is gone: what hangs never lands, and nothing of it runs again.
  w.store.write = write;
  await w.clock.advance(10 * 60_000);
  return w;
}

function expectAllStable(w: World): void {
  for (const fn of FNS)
    expect(w.lambda.peekAlias(fn, ALIAS), fn).toMatchObject({ functionVersion: '1', additionalWeights: {} });
}

function expectAllClosed(w: World): void {
  expectAllStable(w);
  for (const fn of FNS) expect(w.store.peek(fn, ALIAS)?.phase, fn).toBe('rolled-back');
}

const phases = (w: World) => FNS.map((fn) => w.store.peek(fn, ALIAS)?.phase);

/** Drives a command that waits on the fake clock (a check watches, a resume polls). */
async function drive<T>(w: World, work: Promise<T>): Promise<T> {
  let done = false;
  work
    .finally(() => {
      done = true;
    })
    .catch(() => undefined);
  for (let s = 0; !done && s < 3600; s++) await w.clock.advance(1000);
  return work;
}

const aliasWritesFrom = (w: World, atMs: number) =>
  w.lambda.callsOf('updateAlias').filter((c) => c.at - w.start >= atMs);

const VARIANTS: [string, Hangs, (string | undefined)[]][] = [
  [
    'every write after the mark',
    (fn, r, t) => t >= ROLLBACK_FROM_MS && !(fn === 'fc' && r.phase === 'rolling-back'),
    ['shifting', 'shifting', 'rolling-back'],
  ],
  [
    "fa's and fb's writes from the rollback on, fc's landing",
    (fn, _r, t) => t >= ROLLBACK_FROM_MS && fn !== 'fc',
    ['shifting', 'shifting', 'rolling-back'],
  ],
  [
    "fa's and fb's closes",
    (fn, r) => fn !== 'fc' && (r.phase === 'rolled-back' || r.phase === 'failed'),
    ['rolling-back', 'rolling-back', 'rolling-back'],
  ],
];

describe.each(VARIANTS)(
  'a release rolled back, then dead, its record writes hanging: %s',
  (_, hangs, left) => {
    it('the mark stays rolling-back while another record is open, and status reads it so', async () => {
      const w = await leftBehind(hangs);
      expect(phases(w)).toEqual(left);
      const statuses = await Promise.all(
        FNS.map((functionName) => getStatus(w.deps, { functionName, alias: ALIAS, alarms: [] })),
      );
      expect(statuses[2]!.record).toMatchObject({ phase: 'rolling-back', releaseId: RELEASE, stale: true });
      // Not STALLED with `deploy --resume` first: the release is being rolled back.
      const list = FNS.map((fn, i) => `${fn} ${left[i]}`).join(', ');
      const mark = left.includes('shifting') ? 'fc' : 'fa';
      expect(renderReleaseStatus(statuses).split('\n')[0]).toBe(
        `release ${RELEASE}: ROLLBACK STOPPED (${list}): its runner died while rolling the release back (${mark} says rolling-back); \`lshift rollback --release ${RELEASE} fa fb fc\` finishes the rollback and closes every record now (no alarm needed), as the next \`lshift check\` run with its alarms does`,
      );
    });

    it('`lshift check` finishes the rollback: every record closed, none moved by hand', async () => {
      const w = await leftBehind(hangs);
      const report = await drive(
        w,
        runCheckWithReleases(
          { ...w.deps, store: w.store, owner: 'check:cron@ops:12' },
          { functionNames: FNS, alias: ALIAS, windowSeconds: 3600, alarms: ['{function}-errors'] },
        ),
      );
      for (const r of report.results) {
        expect(r.action, JSON.stringify(r)).toBe('rolled_back');
        expect(r.movedByHand).toBeUndefined();
        expect(r.reason).toMatch(
          /its runner died while rolling the release back \(f[abc] says rolling-back\)/,
        );
        expect(r.reason).not.toContain('by hand');
      }
      expectAllClosed(w);
    });

    it('`deploy --resume` of the release finishes its rollback, no alias moved forward', async () => {
      const w = await leftBehind(hangs);
      // The alarm has cleared meanwhile: nothing holds a resume back but the records.
      w.metrics.setAlarm('fc-errors', 'OK', { reason: 'fine' });
      const resumedAt = w.clock.now() - w.start;
      const members = FNS.map((fn) => resumeRequest({ functionName: fn, alarms: [`${fn}-errors`] }));
      const result = await drive(w, resumeRelease(w.deps, { members }));
      expect(result.functions.map((r) => r.status)).toEqual(['rolled_back', 'rolled_back', 'rolled_back']);
      expect(aliasWritesFrom(w, resumedAt)).toEqual([]);
      expectAllClosed(w);
    });

    it('`lshift rollback --release` closes every record', async () => {
      const w = await leftBehind(hangs);
      const result = await drive(
        w,
        rollbackRelease(
          { ...w.deps, store: w.store },
          {
            releaseId: RELEASE,
            targets: FNS.map((functionName) => ({ functionName, alias: ALIAS })),
            reason: 'dead',
          },
        ),
      );
      expect(result.errors).toEqual([]);
      expectAllClosed(w);
    });
  },
);

/**
 * Every write hangs from the rollback on, the release's mark too: not landed within 5 s, each
 * function marks its own (release-settle.ts markRollingBack), and none of that lands either. What
 * is left — three records `shifting` at 10% over aliases on version 1 — is what a person moving
 * them back by hand would leave: the words must allow both. `lshift check` closes them as found
 * back on their stable versions with no live owner, as it closes a single deployment's (it left
 * them STALLED at every run), and `lshift rollback --release` does at once.
 */
describe('a release rolled back, then dead, every record write hanging from the rollback on', () => {
  const everyWrite: Hangs = (_fn, _r, t) => t >= ROLLBACK_FROM_MS;

  it('the run says what closes the records it leaves open', async () => {
    const w = await leftBehind(everyWrite);
    expect(phases(w)).toEqual(['shifting', 'shifting', 'shifting']);
    expect(w.sink.logs('warn')).toContain(
      'the deployment record (rolled-back) of fa alias live is not written after 5s (a write of the record hangs): lshift ends without waiting for it. Until it lands the record says what it said last (`lshift status` shows the alias on its stable version); once that is stale, `lshift check` closes it, or `lshift rollback --release r-hang02` does at once',
    );
  });

  it('`lshift check` closes them as found back on their stable versions, moving no traffic', async () => {
    const w = await leftBehind(everyWrite);
    const report = await drive(
      w,
      runCheckWithReleases(
        { ...w.deps, store: w.store, owner: 'check:cron@ops:12' },
        { functionNames: FNS, alias: ALIAS, windowSeconds: 3600, alarms: ['{function}-errors'] },
      ),
    );
    for (const r of report.results) {
      expect(r.action, r.functionName).toBe('skipped');
      expect(r.stalled, r.functionName).toBeUndefined();
      expect(r.reason, r.functionName).not.toContain('--resume');
    }
    expectAllClosed(w);
    for (const fn of FNS) expect(w.store.peek(fn, ALIAS)?.endReason, fn).toBe(FOUND_BACK_ON_STABLE);
  });

  it('`deploy --resume` of the release refuses, no alias moved forward', async () => {
    const w = await leftBehind(everyWrite);
    w.metrics.setAlarm('fc-errors', 'OK', { reason: 'fine' });
    const resumedAt = w.clock.now() - w.start;
    const members = FNS.map((fn) => resumeRequest({ functionName: fn, alarms: [`${fn}-errors`] }));
    await expect(drive(w, resumeRelease(w.deps, { members }))).rejects.toMatchObject({
      code: 'ALIAS_MISMATCH',
    });
    expect(aliasWritesFrom(w, resumedAt)).toEqual([]);
    expect(phases(w)).toEqual(['shifting', 'shifting', 'shifting']);
  });

  it('`lshift rollback --release` closes every record', async () => {
    const w = await leftBehind(everyWrite);
    const result = await drive(
      w,
      rollbackRelease(
        { ...w.deps, store: w.store },
        {
          releaseId: RELEASE,
          targets: FNS.map((functionName) => ({ functionName, alias: ALIAS })),
          reason: 'dead',
        },
      ),
    );
    expect(result.errors).toEqual([]);
    expectAllClosed(w);
  });
});
