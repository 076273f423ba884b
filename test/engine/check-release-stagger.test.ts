/**
 * `lshift check` of a release whose runner died: what it tells the operator to run must be a
 * command lshift then accepts. A `--stagger` release is not resumed as a release
 * (STAGGER_NOT_RESUMABLE, release-resume.ts): each function is resumed alone, or the release rolled
 * back. A check that read every record of the release names its functions, not a placeholder.
 */
import { describe, expect, it } from 'vitest';
import { type DeploymentRecord, encodeRecord } from '../../src/domain/deployment-record.js';
import { runCheck } from '../../src/engine/check.js';
import { checkReleases } from '../../src/engine/check-release.js';
import { TagStateStore } from '../../src/engine/tag-state-store.js';
import { ALIAS, createWorld, deadRecord, type World } from './world.js';

const NAMES = ['fa', 'fb', 'fc'];

/** fa, fb, fc of release r-stg001, its runner gone: fa promoted-to 100%, fb at 50%, fc not started. */
async function stalledRelease(stagger: boolean, alias = ALIAS): Promise<World> {
  const w = createWorld();
  const at: Record<string, [number, DeploymentRecord['phase']]> = {
    fa: [100, 'shifting'],
    fb: [50, 'shifting'],
    fc: [0, 'started'],
  };
  for (const fn of NAMES) {
    const [percent, phase] = at[fn]!;
    w.lambda.addFunction(fn);
    w.lambda.addVersion(fn);
    w.lambda.addVersion(fn);
    w.lambda.addAlias(
      fn,
      alias,
      percent >= 100 ? '2' : '1',
      percent > 0 && percent < 100 ? { '2': 0.5 } : {},
    );
    w.metrics.setAlarm(`${fn}-errors`, 'OK');
    const record = deadRecord(w, {
      id: `d-${fn}`,
      phase,
      percent,
      releaseId: 'r-stg001',
      ...(stagger ? { stagger: true as const } : {}),
    });
    // In its tag, as lshift keeps it: a check without names lists the tags.
    const { functionArn } = await w.lambda.getFunction(fn);
    await w.lambda.tagResource(functionArn, { [`lshift:${alias}`]: encodeRecord(record) });
  }
  return w;
}

async function check(w: World, functionNames: string[], alias = ALIAS) {
  const deps = { ...w.deps, store: new TagStateStore(w.lambda) };
  const request = { functionNames, alias, windowSeconds: 3600, alarms: ['{function}-errors'] };
  return checkReleases(deps, await runCheck(deps, request), { named: functionNames.length > 0 });
}

describe('lshift check of a stalled --stagger release', () => {
  it.each([
    ['without names', []],
    ['naming every function', NAMES],
  ])('%s: never advises resuming it as a release, which is refused', async (_, names) => {
    const w = await stalledRelease(true);
    const report = await check(w, names);
    expect(report.results.map((r) => [r.functionName, r.stalled])).toEqual([
      ['fa', true],
      ['fb', true],
      ['fc', true],
    ]);
    for (const r of report.results) {
      expect(r.reason).not.toContain('lshift deploy fa fb fc');
      expect(r.reason).not.toContain(`lshift deploy ${r.functionName} <the other functions`);
      // What works: each function resumed alone, or the release rolled back.
      expect(r.reason).toContain('`lshift rollback --release r-stg001 fa fb fc`');
      expect(r.reason).toContain('--stagger');
    }
  });

  // It named each line's own function's resume alone, as `lshift status` did until F14 of
  // session 61: the operator learnt of the next only after running one. Now status's chain: the
  // one mid-walk (fb, 50%) first, then the one not started (fc), the one at 100% (fa) last.
  it('every line gives the one command line resuming each open function in turn, as status does', async () => {
    const w = await stalledRelease(true);
    const report = await check(w, NAMES);
    for (const r of report.results) {
      expect(r.reason).toContain(
        'resume each function in turn with `lshift deploy fb --alias live --resume && lshift deploy fc --alias live --resume && lshift deploy fa --alias live --resume`',
      );
      expect(r.reason).toContain(
        '(fb first, its turn under way; fa last, already all on the new version: its resume only closes its record); or undo it with `lshift rollback --release r-stg001 fa fb fc`',
      );
      expect(r.reason).not.toContain('in the order you want');
    }
  });
});

describe('lshift check of a stalled release (lockstep)', () => {
  it('without names: names the release’s functions it read, not a placeholder', async () => {
    const w = await stalledRelease(false);
    const report = await check(w, []);
    expect(report.results).toHaveLength(3);
    for (const r of report.results) {
      expect(r.reason).not.toContain('<the other functions');
      expect(r.reason).toContain('`lshift deploy fa fb fc --alias live --resume`');
    }
  });
});

// The release's notes printed `lshift deploy fa fb fc --resume` for a release on alias blue: run as
// printed, it would act on alias live.
describe('lshift check of a stalled release on another alias', () => {
  it.each([
    ['lockstep', false, '`lshift deploy fa fb fc --alias blue --resume`'],
    // A --stagger release's functions are resumed one by one, in turn.
    [
      '--stagger',
      true,
      '`lshift deploy fb --alias blue --resume && lshift deploy fc --alias blue --resume && lshift deploy fa --alias blue --resume`',
    ],
  ])('%s: its commands name the alias', async (_, stagger, resume) => {
    const w = await stalledRelease(stagger, 'blue');
    const report = await check(w, NAMES, 'blue');
    for (const r of report.results) {
      expect(r.reason).toContain(resume);
      expect(r.reason).toContain('`lshift rollback --release r-stg001 fa fb fc --alias blue`');
    }
  });
});
