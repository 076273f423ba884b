/**
 * `lshift check fa` (named) of a release of fa, fb and fc whose runner died, fa's alarm in ALARM:
 * fa was rolled back and fb and fc left split with nobody driving them, exit 3, and every later
 * named check exited 0 (found by a hostile pass). One verdict holds for the release: the check
 * lists the records in reach and rolls the release's other functions back with fa.
 */
import { describe, expect, it } from 'vitest';
import { exitCodeForCheck } from '../../src/cli/exit-codes.js';
import { encodeRecord } from '../../src/domain/deployment-record.js';
import { recordTagKey } from '../../src/domain/record-tag.js';
import { runCheck } from '../../src/engine/check.js';
import { checkReleases } from '../../src/engine/check-release.js';
import { abandonedRelease, NAMES } from './release-world.js';
import { ALIAS, type World } from './world.js';

/** The records as Lambda holds them (tags), so a listing finds them as it would on AWS. */
async function tagRecords(w: World): Promise<void> {
  for (const fn of NAMES) {
    const { functionArn } = await w.lambda.getFunction(fn);
    await w.lambda.tagResource(functionArn, {
      [recordTagKey(ALIAS)]: encodeRecord(w.store.peek(fn, ALIAS)!),
    });
  }
}

async function checkNamed(w: World, names: string[]) {
  const deps = { ...w.deps, store: w.store };
  const request = { functionNames: names, alias: ALIAS, windowSeconds: 3600, alarms: ['{function}-errors'] };
  return checkReleases(deps, await runCheck(deps, request), { named: true });
}

const onStable = (w: World, fn: string) => w.lambda.peekAlias(fn, ALIAS);

describe('lshift check <one function of a release> that rolls it back', () => {
  it('finds the release’s other functions by their records and rolls them back too', async () => {
    const w = abandonedRelease();
    await tagRecords(w);
    const report = await checkNamed(w, ['fa']);
    expect(report.results.map((r) => [r.functionName, r.action])).toEqual([
      ['fa', 'rolled_back'],
      ['fb', 'rolled_back'],
      ['fc', 'rolled_back'],
    ]);
    for (const fn of NAMES)
      expect(onStable(w, fn)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
    expect(report.results[1]!.reason).toContain('found by its record, not named to the check');
    // Every function of it was found: no note that others were not checked.
    expect(report.results[0]!.reason).not.toContain('was not checked nor rolled back');
    expect(exitCodeForCheck(report)).toBe(3);
  });

  it('a check that rolls nothing back lists nothing', async () => {
    const w = abandonedRelease();
    w.metrics.setAlarm('fa-errors', 'OK');
    await tagRecords(w);
    await checkNamed(w, ['fa']);
    expect(w.lambda.callsOf('listFunctions')).toEqual([]);
  });

  it('when the functions in reach cannot be listed, it says the others were not rolled back, as before', async () => {
    const w = abandonedRelease();
    await tagRecords(w);
    w.lambda.fail({ op: 'listFunctions', times: Number.POSITIVE_INFINITY });
    const report = await checkNamed(w, ['fa']);
    expect(report.results.map((r) => r.functionName)).toEqual(['fa']);
    expect(report.results[0]!.reason).toContain(
      'any other function of it was not checked nor rolled back with it',
    );
    expect(report.results[0]!.reason).toContain(
      "the release's other functions could not be looked for: the functions in reach could not be listed",
    );
    expect(onStable(w, 'fb')).toMatchObject({ additionalWeights: { '2': 0.25 } });
    // Rolled back, but the release's others may still be split: a human must look.
    expect(report.results[0]).toMatchObject({ action: 'rolled_back', releaseMatesUnknown: true });
    expect(exitCodeForCheck(report)).toBe(4);
  });
});
