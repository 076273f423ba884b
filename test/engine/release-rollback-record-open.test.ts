/**
 * `lshift rollback --release` whose close of one function's record failed (a ListTags denied at
 * random, found by a hostile pass, session 63, M3): every alias is back on its stable version, but
 * that record stays `rolling-back` (status STALE). Its result says so, as the single rollback's
 * warning does; it printed `✔ Rolled back` for all three, and nothing else.
 */
import { describe, expect, it } from 'vitest';
import { describeReleaseRollbackLines } from '../../src/cli/rollback-release.js';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import { OperationError } from '../../src/domain/errors.js';
import { runCheckWithReleases } from '../../src/engine/check-with-releases.js';
import { rollbackRelease } from '../../src/engine/release-rollback.js';
import type { StateStore } from '../../src/ports/state-store.js';
import { ALIAS, createWorld, type World } from './world.js';

const RELEASE = 'r-open01';
const NAMES = ['g7', 'g8', 'g9'];

function splitRelease(): World {
  const w = createWorld();
  for (const fn of NAMES) {
    w.lambda.addFunction(fn);
    w.lambda.addVersion(fn);
    w.lambda.addVersion(fn);
    w.lambda.addAlias(fn, ALIAS, '1');
    w.lambda.moveAlias(fn, ALIAS, { functionVersion: '1', additionalWeights: { '2': 0.3 } });
    const record: DeploymentRecord = {
      id: `d-${fn}`,
      releaseId: RELEASE,
      stableVersion: '1',
      targetVersion: '2',
      strategy: 'linear:10%:10m',
      stepIndex: 2,
      percent: 30,
      phase: 'shifting',
      startedAt: w.start - 900_000,
      owner: 'ci@runner:7',
      heartbeatAt: w.start - 600_000,
      history: ['1'],
    };
    w.store.seed(fn, ALIAS, record);
  }
  return w;
}

/** The store, but every write that would close g9's record fails as a denied ListTags does. */
function closeOfG9Denied(w: World): StateStore {
  const store = Object.create(w.store) as StateStore;
  store.write = (functionName, alias, record, opts) =>
    functionName === 'g9' && record.phase === 'rolled-back'
      ? Promise.reject(
          new OperationError(
            'ACCESS_DENIED',
            'AWS denied lambda:ListTags on function g9 (AccessDeniedException)',
          ),
        )
      : w.store.write(functionName, alias, record, opts);
  return store;
}

/** The store, but g9's record cannot be read once the release's rollback has read it (ListTags denied). */
function secondReadOfG9Denied(w: World): StateStore {
  const store = Object.create(w.store) as StateStore;
  let reads = 0;
  store.read = (functionName, alias) =>
    functionName === 'g9' && ++reads > 1
      ? Promise.reject(
          new OperationError(
            'ACCESS_DENIED',
            'AWS denied lambda:ListTags on function g9 (AccessDeniedException)',
          ),
        )
      : w.store.read(functionName, alias);
  return store;
}

describe('rollback --release whose close of one record failed', () => {
  // The sandbox's case: the split alias is rolled back to its primary without the record it
  // could not read again, and that record, claimed `rolling-back`, stays so.
  it('its record unreadable at its rollback: the result says it was not closed', async () => {
    const w = splitRelease();
    const result = await rollbackRelease(
      { ...w.deps, store: secondReadOfG9Denied(w) },
      {
        releaseId: RELEASE,
        targets: NAMES.map((functionName) => ({ functionName, alias: ALIAS })),
        reason: 'test',
      },
    );
    const g9 = result.functions.find((f) => f.functionName === 'g9')!;
    expect(g9.status).toBe('rolled_back');
    expect(w.lambda.peekAlias('g9', ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
    expect(g9.recordNotClosed).toContain('could not read it: ACCESS_DENIED');
    expect(w.store.peek('g9', ALIAS)?.phase).toBe('shifting');
  });

  it('every alias is back; the result of that function says its record could not be closed', async () => {
    const w = splitRelease();
    const result = await rollbackRelease(
      { ...w.deps, store: closeOfG9Denied(w) },
      {
        releaseId: RELEASE,
        targets: NAMES.map((functionName) => ({ functionName, alias: ALIAS })),
        reason: 'test',
      },
    );
    for (const fn of NAMES) expect(w.lambda.peekAlias(fn, ALIAS)).toMatchObject({ functionVersion: '1' });
    const g9 = result.functions.find((f) => f.functionName === 'g9')!;
    expect(g9.status).toBe('rolled_back');
    expect(g9.recordNotClosed).toContain('AWS denied lambda:ListTags');
    expect(w.store.peek('g9', ALIAS)?.phase).not.toBe('rolled-back');
    for (const fn of ['g7', 'g8'])
      expect(result.functions.find((f) => f.functionName === fn)?.recordNotClosed).toBeUndefined();
    // The lines `lshift rollback --release` prints: the one row says it, under its ✔.
    const lines = describeReleaseRollbackLines(
      RELEASE,
      { ...result, byOthers: [], unnamed: { kind: 'looked', open: [] } },
      true,
    );
    const row = lines.findIndex((l) => l.includes('Rolled back g9:live'));
    expect(lines[row + 1]).toContain(
      '! but its deployment record could not be closed (ACCESS_DENIED: AWS denied lambda:ListTags on function g9 (AccessDeniedException))',
    );
    expect(lines[row + 1]).toContain('the same command run again closes it');
    expect(lines.filter((l) => l.includes('could not be closed'))).toHaveLength(1);
  });

  it('lshift check that rolls the release back says it of the mate too', async () => {
    const w = splitRelease();
    for (const fn of NAMES) w.metrics.setAlarm(`${fn}-errors`, fn === 'g7' ? 'ALARM' : 'OK');
    const deps = { ...w.deps, store: closeOfG9Denied(w) };
    const request = {
      functionNames: NAMES,
      alias: ALIAS,
      windowSeconds: 3600,
      alarms: ['{function}-errors'],
    };
    const report = await runCheckWithReleases(deps, request);
    const g9 = report.results.find((r) => r.functionName === 'g9')!;
    expect(g9.action).toBe('rolled_back');
    expect(g9.reason).toContain('but its deployment record could not be closed (ACCESS_DENIED');
  });
});
