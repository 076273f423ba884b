/**
 * A release's rollback whose runner died: its functions' records say `rolling-back`, stale. One
 * of them, fb, someone then moved all onto its new version by hand — further towards it than the
 * crashed rollback could have left it (rollback-overtaken.ts). A check of fb alone leaves it
 * STALLED (session 66, F2); a check through the release path (`lshift check fa fb`, its mates
 * rolled back with the release) must not roll fb over that move either.
 */
import { describe, expect, it } from 'vitest';
import { exitCodeForCheck } from '../../src/cli/exit-codes.js';
import { encodeRecord } from '../../src/domain/deployment-record.js';
import { recordTagKey } from '../../src/domain/record-tag.js';
import { runCheckWithReleases } from '../../src/engine/check-with-releases.js';
import { abandonedRelease, NAMES } from './release-world.js';
import { ALIAS, type World } from './world.js';

const ON_NEW = { functionVersion: '2', additionalWeights: {} };

function stoppedReleaseRollback() {
  const w = abandonedRelease();
  for (const fn of NAMES) {
    w.metrics.setAlarm(`${fn}-errors`, 'OK', { reason: 'fine' });
    w.store.seed(fn, ALIAS, { ...w.store.peek(fn, ALIAS)!, phase: 'rolling-back' });
  }
  w.lambda.moveAlias('fb', ALIAS, ON_NEW);
  return w;
}

/** The records as Lambda holds them (tags), so a listing finds them as it would on AWS. */
async function tagRecords(w: World): Promise<void> {
  for (const fn of NAMES) {
    const { functionArn } = await w.lambda.getFunction(fn);
    await w.lambda.tagResource(functionArn, {
      [recordTagKey(ALIAS)]: encodeRecord(w.store.peek(fn, ALIAS)!),
    });
  }
}

describe("a release's unfinished rollback that a person moved past on one function", () => {
  it('fb not named, found by its record: left where the person put it too', async () => {
    const w = stoppedReleaseRollback();
    await tagRecords(w);
    const deps = { ...w.deps, store: w.store, owner: 'check:cron@host-b:2' };
    const report = await runCheckWithReleases(deps, {
      functionNames: ['fa', 'fc'],
      alias: ALIAS,
      windowSeconds: 3600,
      alarms: ['{function}-errors'],
    });
    const fb = report.results.find((r) => r.functionName === 'fb');
    expect(w.lambda.peekAlias('fb', ALIAS), JSON.stringify(report.results, null, 1)).toMatchObject(ON_NEW);
    expect(fb).toMatchObject({ action: 'stalled', stalled: true });
    expect(fb?.reason).toContain('the alias was moved since its rollback stopped');
    expect(fb?.reason).toContain('`lshift rollback fb --alias live`');
    expect(w.lambda.peekAlias('fc', ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
    expect(exitCodeForCheck(report)).toBe(4);
  });

  it('check of the release finishes the others and leaves fb where the person put it (STALLED, exit 4)', async () => {
    const w = stoppedReleaseRollback();
    const deps = { ...w.deps, store: w.store, owner: 'check:cron@host-b:2' };
    const report = await runCheckWithReleases(deps, {
      functionNames: NAMES,
      alias: ALIAS,
      windowSeconds: 3600,
      alarms: ['{function}-errors'],
    });
    const fb = report.results.find((r) => r.functionName === 'fb')!;
    expect(w.lambda.peekAlias('fb', ALIAS), JSON.stringify(report.results, null, 1)).toMatchObject(ON_NEW);
    expect(fb).toMatchObject({ action: 'stalled', stalled: true });
    expect(fb.reason).toContain('`lshift rollback fb --alias live`');
    expect(w.store.peek('fb', ALIAS)?.phase).toBe('rolling-back');
    expect(w.lambda.peekAlias('fa', ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
    expect(exitCodeForCheck(report)).toBe(4);
  });
});
