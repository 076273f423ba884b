/**
 * A rollback whose first weight's record never landed: the record still says `started`, 0%, while
 * the alias carried the new version and was put back (the rollback's `rolling-back` mark hung past
 * mark-wait.ts's bound, and the runner died before it landed). Before, `status` said the runner
 * died "before moving any traffic", `check` closed it as "abandoned before any traffic moved", and
 * `deploy --resume` started the plan again from its first step — a version that had been rolled
 * back sent traffic again (found by a hostile pass). The record keeps the start of the alias's
 * RevisionId as the deployment found it (`ar=`, record-revision.ts): a new one means the alias
 * was written since.
 */
import { describe, expect, it } from 'vitest';
import { renderStatus } from '../../src/cli/renderers/status-text.js';
import { OperationError } from '../../src/domain/errors.js';
import { runCheck } from '../../src/engine/check.js';
import { FOUND_BACK_ON_STABLE } from '../../src/engine/check-rollback.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { resumeDeploy } from '../../src/engine/resume.js';
import { getStatus } from '../../src/engine/status.js';
import {
  ALARM,
  ALIAS,
  canary,
  createWorld,
  deadRecord,
  FN,
  leaveDeployment,
  request,
  resumeRequest,
  type World,
} from './world.js';

/** Every record write after the claim fails: the store went away once the record was claimed. */
function failWritesAfterClaim(w: World): void {
  const write = w.store.write.bind(w.store);
  let claimed = false;
  w.store.write = async (fn, alias, record, opts) => {
    if (claimed) throw new OperationError('NETWORK_ERROR', 'no answer to lambda:TagResource');
    claimed = true;
    return write(fn, alias, record, opts);
  };
}

const weightWrites = (w: World) => w.lambda.callsOf('updateAlias').length;
const checkRequest = { functionNames: [FN], alias: ALIAS, windowSeconds: 3600, alarms: [ALARM] };

/** A deployment left `started` at 0% over an alias back on version 1 under `revision` or not. */
function leftAtZero(w: World, writtenSince: boolean) {
  const record = deadRecord(w, { phase: 'started', stepIndex: 0, percent: 0 });
  leaveDeployment(w, record, 0);
  const now = w.lambda.peekAlias(FN, ALIAS)!.revisionId;
  // What the deployment found: the alias's RevisionId then (a write since gives another).
  const found = writtenSince ? 'rev-gone' : now.slice(0, 8);
  w.store.seed(FN, ALIAS, { ...record, aliasRevision: found });
}

describe('a record at 0% over an alias written since the deployment started', () => {
  it('the deploy records the alias RevisionId it found; its rollback leaves the record at 0% when no record write lands', async () => {
    const w = createWorld();
    const before = w.lambda.peekAlias(FN, ALIAS)!.revisionId;
    failWritesAfterClaim(w);
    w.metrics.setAlarm(ALARM, 'ALARM', { at: w.start + 65_000, reason: 'errors over 3' });
    await runDeploy(w.deps, request(canary(10, 300))).catch(() => undefined);
    const record = w.store.peek(FN, ALIAS)!;
    expect(record).toMatchObject({ phase: 'started', percent: 0, aliasRevision: before.slice(0, 8) });
    // Traffic moved and was put back: 10%, then all on version 1.
    expect(w.lambda.aliasWrites().map((a) => a.additionalWeights)).toEqual([{ '2': 0.1 }, {}]);
    expect(w.lambda.peekAlias(FN, ALIAS)!.revisionId).not.toBe(before);

    // The runner is gone (resume watches its record for the stale limit first).
    const writes = weightWrites(w);
    const error = await resumeDeploy(w.deps, resumeRequest()).catch((e: unknown) => e);
    expect(error, String(error)).toMatchObject({ code: 'ALIAS_MISMATCH', exitCode: 5 });
    expect((error as Error).message).toContain(
      'recorded no weight, but the alias was written since the deployment started (its RevisionId changed)',
    );
    expect(weightWrites(w)).toBe(writes);
  });

  it('deploy --resume refuses to start the plan again (nothing written)', async () => {
    const w = createWorld();
    leftAtZero(w, true);
    const error = await resumeDeploy(w.deps, resumeRequest()).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'ALIAS_MISMATCH',
      exitCode: 5,
      message:
        'Alias live of function demo routes all traffic to its stable version 1, and deployment d-dead01 recorded no weight, but the alias was written since the deployment started (its RevisionId changed): version 2 may have had traffic that was put back — by a rollback whose record writes did not land, or by hand — so lshift will not resume it from the first step; a human must look.',
      hint: 'To close the deployment where it is: `lshift rollback demo --alias live` (it moves nothing), then deploy again.',
    });
    expect(w.lambda.aliasWrites()).toEqual([]);
  });

  it('deploy --resume still starts from the first step when nothing wrote the alias since', async () => {
    const w = createWorld();
    leftAtZero(w, false);
    const result = await resumeDeploy(w.deps, resumeRequest());
    expect(result.status).toBe('promoted');
    expect(w.lambda.aliasWrites()[0]?.additionalWeights).toEqual({ '2': 0.1 });
  });

  it('status says it may have moved traffic, not "before moving any traffic"', async () => {
    const w = createWorld();
    leftAtZero(w, true);
    const status = await getStatus(w.deps, { functionName: FN, alias: ALIAS, alarms: [ALARM] });
    expect(status.record?.movedAway).toBe('back-on-stable');
    const text = renderStatus(status);
    expect(text).not.toContain('before moving any traffic');
    expect(text).toContain(
      'the alias was written since this deployment started (its RevisionId changed) and is all on the stable version 1: its first weight put back by a rollback stopped before it could record it, or moved by hand',
    );
    // A record at 0% says "all on version 1" too: not "again, which its record does not say".
    expect(text).not.toContain('which its record does not say');
  });

  it('status still says "before moving any traffic" when nothing wrote the alias since', async () => {
    const w = createWorld();
    leftAtZero(w, false);
    const status = await getStatus(w.deps, { functionName: FN, alias: ALIAS, alarms: [ALARM] });
    expect(status.record?.movedAway).toBeUndefined();
    expect(renderStatus(status)).toContain('before moving any traffic');
  });

  it('check closes it as found back on stable, not "abandoned before any traffic moved"', async () => {
    const w = createWorld();
    leftAtZero(w, true);
    const report = await runCheck({ ...w.deps, store: w.store, owner: 'check:cron@h:9' }, checkRequest);
    const [r] = report.results;
    expect(r, JSON.stringify(r)).toMatchObject({ action: 'skipped' });
    expect(r?.reason).toContain('but it was written since the deployment started (its RevisionId changed)');
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'rolled-back', endReason: FOUND_BACK_ON_STABLE });
  });
});
