/**
 * The alias of an unfinished deployment is deleted (by hand, by a stack teardown) while its
 * record stays on the function. Nothing is split any more and nothing can be rolled back, but
 * every later check reported it as stalled (exit 4, "a human must put traffic back"): `ERROR … but
 * alias live no longer exists` with an alarm in ALARM, `STALLED … undo it with lshift rollback`
 * (which then fails: no alias) with alarms OK — at every cron run, for good. Now it is an error
 * (exit 1) that says nothing is split and names the command that deletes the leftover record,
 * as a rollback that finds the alias deleted under it does (exit 1, ROLLBACK_TARGET_DELETED).
 */
import { describe, expect, it } from 'vitest';
import { exitCodeForCheck } from '../../src/cli/exit-codes.js';
import { ExitCode } from '../../src/domain/errors.js';
import { runCheck } from '../../src/engine/check.js';
import { throttled } from '../helpers/fake-lambda.js';
import { ALARM, ALIAS, createWorld, deadRecord, FN, leaveDeployment, type World } from './world.js';

const request = { functionNames: [FN], alias: ALIAS, windowSeconds: 3600, alarms: [ALARM] };

describe('a check of a deployment whose alias was deleted', () => {
  it.each([
    ['its alarm in ALARM', 'ALARM' as const],
    ['its alarm OK', 'OK' as const],
  ])('%s: error (exit 1), nothing split, the command that deletes the record', async (_what, state) => {
    const w = createWorld();
    leaveDeployment(w, deadRecord(w));
    w.lambda.deleteAlias(FN, ALIAS);
    w.metrics.setAlarm(ALARM, state, { reason: 'errors over 3' });
    const report = await runCheck({ ...w.deps, store: w.store, owner: 'check:cron@host-a:1' }, request);

    const [r] = report.results;
    expect(r, JSON.stringify(r)).toMatchObject({ action: 'error' });
    expect(r?.stalled).toBeUndefined();
    expect(r?.reason).toContain(
      'alias live of function demo no longer exists: nothing is split and there is nothing to roll back',
    );
    expect(r?.reason).toContain('aws lambda untag-resource');
    expect(r?.reason).toContain('--tag-keys lshift:live');
    expect(r?.reason).not.toContain('lshift rollback');
    expect(w.lambda.aliasWrites()).toHaveLength(0);
    expect(exitCodeForCheck(report)).toBe(ExitCode.Failed);
  });
});

/**
 * A deployment promoted within --window whose alias was deleted since: the check said `HEALTHY …
 * 1 alarm OK` (exit 0) at every run of the window, while `lshift status` said the alias does not
 * exist and the same record with its alarm in ALARM was an error (found by a hostile pass:
 * judgeRecent took "no such alias" for "could not read it").
 */
describe('a check of a promoted deployment whose alias was deleted', () => {
  const promoted = (w: World) =>
    deadRecord(w, {
      phase: 'promoted',
      stepIndex: 9,
      percent: 100,
      endedAt: w.start - 60_000,
      history: ['1'],
    });

  it.each([
    ['its alarm OK', 'OK' as const],
    ['its alarm without data', 'INSUFFICIENT_DATA' as const],
  ])('%s: error (exit 1), not healthy, the command that deletes the record', async (_what, state) => {
    const w = createWorld();
    leaveDeployment(w, promoted(w));
    w.lambda.deleteAlias(FN, ALIAS);
    w.metrics.setAlarm(ALARM, state, { reason: 'fine' });
    const report = await runCheck({ ...w.deps, store: w.store, owner: 'check:cron@host-a:1' }, request);

    const [r] = report.results;
    expect(r, JSON.stringify(r)).toMatchObject({ action: 'error', phase: 'promoted' });
    expect(r?.reason).toContain(
      'alias live of function demo no longer exists: nothing is split and there is nothing to roll back',
    );
    expect(r?.reason).toContain('--tag-keys lshift:live');
    expect(w.lambda.aliasWrites()).toHaveLength(0);
    expect(exitCodeForCheck(report)).toBe(ExitCode.Failed);
  });

  it('an alias that cannot be read is still judged by its alarms (healthy), as before', async () => {
    const w = createWorld();
    leaveDeployment(w, promoted(w));
    w.metrics.setAlarm(ALARM, 'OK', { reason: 'fine' });
    w.lambda.fail({ op: 'getAlias', times: Number.POSITIVE_INFINITY, error: throttled('lambda:GetAlias') });
    const report = await runCheck({ ...w.deps, store: w.store, owner: 'check:cron@host-a:1' }, request);

    expect(report.results[0], JSON.stringify(report.results[0])).toMatchObject({ action: 'healthy' });
    expect(exitCodeForCheck(report)).toBe(ExitCode.Success);
  });
});

/**
 * A rolled-back deployment (or one promoted before --window) whose alias was deleted since: the
 * check said `rolled back 3h ago; nothing to watch` (exit 0) at every run, for good, while `lshift
 * status` said ALIAS_NOT_FOUND. A finished record never ages out and nothing but a person deletes
 * it, so the check says it as the other phases do: error (exit 1), nothing split, the untag
 * command — until that command runs, after which nothing is reported.
 */
describe('a check of an ended deployment whose alias was deleted', () => {
  it.each([
    [
      'rolled back 3 hours ago',
      { phase: 'rolled-back' as const, stepIndex: 0, percent: 0 },
      'rolled back 3h ago',
    ],
    [
      'rolled back a minute ago',
      { phase: 'rolled-back' as const, stepIndex: 0, percent: 0 },
      'rolled back 1m ago',
    ],
    [
      'promoted before the window',
      { phase: 'promoted' as const, stepIndex: 9, percent: 100 },
      'promoted 3h ago',
    ],
  ])('%s: error (exit 1), nothing split, the command that deletes the record', async (what, phase, said) => {
    const w = createWorld();
    const endedAt = w.start - (what.includes('minute') ? 60_000 : 3 * 3600_000);
    leaveDeployment(
      w,
      deadRecord(w, { ...phase, startedAt: endedAt - 600_000, endedAt, heartbeatAt: endedAt }),
    );
    w.lambda.deleteAlias(FN, ALIAS);
    w.metrics.setAlarm(ALARM, 'OK', { reason: 'fine' });
    const report = await runCheck({ ...w.deps, store: w.store, owner: 'check:cron@host-a:1' }, request);

    const [r] = report.results;
    expect(r, JSON.stringify(r)).toMatchObject({ action: 'error', phase: phase.phase });
    expect(r?.reason).toContain(said);
    expect(r?.reason).toContain(
      'alias live of function demo no longer exists: nothing is split and there is nothing to roll back',
    );
    expect(r?.reason).toContain('aws lambda untag-resource');
    expect(r?.reason).toContain('--tag-keys lshift:live');
    expect(w.lambda.aliasWrites()).toHaveLength(0);
    expect(exitCodeForCheck(report)).toBe(ExitCode.Failed);
  });

  it('a rolled-back record whose alias cannot be read is still skipped (exit 0), as before', async () => {
    const w = createWorld();
    leaveDeployment(
      w,
      deadRecord(w, { phase: 'rolled-back', stepIndex: 0, percent: 0, endedAt: w.start - 60_000 }),
    );
    w.lambda.fail({ op: 'getAlias', times: Number.POSITIVE_INFINITY, error: throttled('lambda:GetAlias') });
    const report = await runCheck({ ...w.deps, store: w.store, owner: 'check:cron@host-a:1' }, request);

    expect(report.results[0], JSON.stringify(report.results[0])).toMatchObject({ action: 'skipped' });
    expect(exitCodeForCheck(report)).toBe(ExitCode.Success);
  });
});
