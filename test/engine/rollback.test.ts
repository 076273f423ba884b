import { describe, expect, it } from 'vitest';
import { describeReason } from '../../src/cli/describe-outcome.js';
import { exitCodeForRollback } from '../../src/cli/exit-codes.js';
import { describeEvent } from '../../src/cli/renderers/describe-event.js';
import { renderStatus } from '../../src/cli/renderers/status-text.js';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import { OperationError } from '../../src/domain/errors.js';
import { describeRollbackDone, type RollbackRequest, rollbackDeployment } from '../../src/engine/rollback.js';
import { rollbackClaimed } from '../../src/engine/rollback-claim.js';
import { getStatus } from '../../src/engine/status.js';
import { aliasWriteDenied } from '../helpers/fake-lambda.js';
import { ALIAS, createWorld, deadRecord, FN, leaveDeployment, type World, writesOf } from './world.js';

/** The engine's outcome plus the exit code `lshift rollback` chooses for it (src/cli). */
async function rollback(w: World, overrides: Partial<RollbackRequest> = {}) {
  const result = await rollbackDeployment(w.deps, {
    functionName: FN,
    alias: ALIAS,
    reason: 'manual rollback',
    ...overrides,
  });
  return { ...result, exitCode: exitCodeForRollback(result.status) };
}

function promotedRecord(w: World, history: string[]): DeploymentRecord {
  return {
    id: 'd-prev01',
    stableVersion: '1',
    targetVersion: '2',
    strategy: 'canary:10%:5m',
    stepIndex: 1,
    percent: 100,
    phase: 'promoted',
    startedAt: w.start - 600_000,
    owner: 'ci@runner:7',
    heartbeatAt: w.start - 300_000,
    endedAt: w.start - 300_000,
    history,
  };
}

describe('rollbackDeployment', () => {
  it('puts all traffic of a split alias back on its primary version with the RevisionId', async () => {
    const w = createWorld();
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: { '2': 0.2 } });
    const before = w.lambda.peekAlias(FN, ALIAS)!;
    const result = await rollback(w);

    expect(result).toMatchObject({
      status: 'rolled_back',
      exitCode: 0,
      fromVersion: '2',
      toVersion: '1',
      previousState: { functionVersion: '1', additionalWeights: { '2': 0.2 } },
      aliasState: { functionVersion: '1', additionalWeights: {} },
    });
    expect(writesOf(w.lambda)).toEqual([['1', {}, before.revisionId]]);
    expect(w.sink.ofType('rollback.started')[0]).toMatchObject({
      functionName: FN,
      alias: ALIAS,
      fromPercent: 20,
      toVersion: '1',
      fromVersion: '1',
      reason: 'manual rollback',
    });
    expect(describeReason(result)).toBe(
      'manual rollback: all traffic of alias live is on version 1 (was version 1 (80%) + version 2 (20%))',
    );
  });

  // A second signal's lines could not name the version the alias was on (found by a hostile pass).
  it('rollback.started names the version an unsplit alias was all on (fromVersion)', async () => {
    const w = createWorld();
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '2', additionalWeights: {} });
    await rollback(w, { to: '1' });
    expect(w.sink.ofType('rollback.started')[0]).toMatchObject({
      fromPercent: 100,
      toVersion: '1',
      fromVersion: '2',
    });
  });

  it('moves to --to when given (it must exist and be published)', async () => {
    const w = createWorld();
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '2', additionalWeights: {} });
    const result = await rollback(w, { to: '1' });
    expect(result.status).toBe('rolled_back');
    expect(writesOf(w.lambda).map((x) => x.slice(0, 2))).toEqual([['1', {}]]);
    await expect(rollback(w, { to: '9' })).rejects.toMatchObject({ code: 'VERSION_NOT_FOUND', exitCode: 2 });
    await expect(rollback(w, { to: '$LATEST' })).rejects.toMatchObject({ code: 'TARGET_NOT_PUBLISHED' });
  });

  // Found by a hostile pass: four alias writes that could never land, exit 1, and no word of --to.
  it('a promoted deployment whose stable version was deleted since: VERSION_NOT_FOUND (exit 2) naming --to, nothing written', async () => {
    const w = createWorld();
    w.lambda.addVersion(FN);
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '3', additionalWeights: {} });
    w.store.seed(FN, ALIAS, { ...promotedRecord(w, ['2', '1']), stableVersion: '2', targetVersion: '3' });
    w.lambda.deleteVersion(FN, '2');

    const error = await rollback(w).catch((e: unknown) => e);

    expect(error).toMatchObject({ code: 'VERSION_NOT_FOUND', exitCode: 2 });
    expect((error as Error).message).toContain(
      'Version 2 of function demo, the stable version deployment d-prev01 (version 2 → 3) went from, no longer exists',
    );
    expect((error as { hint?: string }).hint).toContain('--to <version> (earlier stable versions: 1)');
    expect(w.lambda.callsOf('updateAlias')).toEqual([]);
    expect(w.store.writes).toEqual([]);
    expect(w.lambda.peekAlias(FN, ALIAS)?.functionVersion).toBe('3');
  });

  it('rolls a promoted deployment back to its stable version once; re-running it changes nothing', async () => {
    const w = createWorld();
    w.lambda.addVersion(FN);
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '3', additionalWeights: {} });
    w.store.seed(FN, ALIAS, { ...promotedRecord(w, ['2', '1']), stableVersion: '2', targetVersion: '3' });
    const result = await rollback(w);

    expect(result).toMatchObject({
      status: 'rolled_back',
      fromVersion: '3',
      toVersion: '2',
      deploymentId: 'd-prev01',
    });
    expect(w.lambda.peekAlias(FN, ALIAS)?.functionVersion).toBe('2');
    expect(w.store.peek(FN, ALIAS)).toMatchObject({
      phase: 'rolled-back',
      percent: 0,
      history: ['2', '1'],
      endedAt: w.start,
    });

    for (let i = 0; i < 2; i++) {
      const again = await rollback(w);
      expect(again).toMatchObject({ status: 'nothing_to_deploy', exitCode: 0, toVersion: '2' });
      expect(describeReason(again)).toContain('d-prev01 (version 2 → 3) was already rolled back');
    }
    expect(w.lambda.peekAlias(FN, ALIAS)?.functionVersion).toBe('2');
    expect(w.lambda.callsOf('updateAlias')).toHaveLength(1);
  });

  it('after an automatic rollback (record rolled-back, alias on stable) is a no-op that says so', async () => {
    const w = createWorld();
    w.lambda.addVersion(FN);
    // Deployment 2 → 3 was rolled back by its own runner; version 1 is older history.
    leaveDeployment(
      w,
      deadRecord(w, {
        stableVersion: '2',
        targetVersion: '3',
        phase: 'rolled-back',
        percent: 0,
        endedAt: w.start - 1000,
        history: ['1'],
      }),
      0,
    );
    const result = await rollback(w);
    expect(result).toMatchObject({ status: 'nothing_to_deploy', exitCode: 0, toVersion: '2' });
    expect(describeReason(result)).toContain('was already rolled back');
    expect(w.lambda.callsOf('updateAlias')).toHaveLength(0);
    expect(w.lambda.peekAlias(FN, ALIAS)?.functionVersion).toBe('2');
  });

  it('refuses to guess when a finished deployment is on neither of its versions (moved since)', async () => {
    const w = createWorld();
    w.lambda.addVersion(FN);
    w.store.seed(FN, ALIAS, { ...promotedRecord(w, ['1']), stableVersion: '1', targetVersion: '2' });
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '3', additionalWeights: {} });
    await expect(rollback(w)).rejects.toMatchObject({
      code: 'NOTHING_TO_ROLL_BACK',
      message: expect.stringContaining('the alias is on neither'),
    });
    expect(w.lambda.callsOf('updateAlias')).toHaveLength(0);
  });

  it('says so when a rolled-back deployment’s target was put back on the alias by hand (it said "on neither")', async () => {
    const w = createWorld();
    w.store.seed(FN, ALIAS, {
      ...promotedRecord(w, []),
      phase: 'rolled-back',
      percent: 0,
      stableVersion: '1',
      targetVersion: '2',
    });
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '2', additionalWeights: {} });
    const error = await rollback(w).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'NOTHING_TO_ROLL_BACK', exitCode: 2 });
    expect((error as Error).message).toContain(
      'the alias is on version 2 although that deployment did not promote it (it was put there after the deployment ended), so lshift will not guess a version.',
    );
    expect((error as Error).message).not.toContain('on neither');
    expect(w.lambda.callsOf('updateAlias')).toHaveLength(0);
  });

  it('goes to the record’s stable version, not a history entry that contradicts it', async () => {
    const w = createWorld();
    w.lambda.addVersion(FN);
    leaveDeployment(
      w,
      deadRecord(w, {
        stableVersion: '2',
        targetVersion: '3',
        phase: 'promoted',
        percent: 100,
        history: ['1'],
      }),
      100,
    );
    const result = await rollback(w);
    expect(result).toMatchObject({ status: 'rolled_back', fromVersion: '3', toVersion: '2' });
  });

  it('refuses with NOTHING_TO_ROLL_BACK and a --to hint when nothing says where to go', async () => {
    const w = createWorld();
    await expect(rollback(w)).rejects.toMatchObject({
      code: 'NOTHING_TO_ROLL_BACK',
      exitCode: 2,
      hint: expect.stringContaining('--to'),
    });
    expect(w.lambda.callsOf('updateAlias')).toHaveLength(0);
  });

  it('says nothing changed when --to is where all traffic already is', async () => {
    const w = createWorld();
    const result = await rollback(w, { to: '1' });
    expect(result).toMatchObject({ status: 'nothing_to_deploy', exitCode: 0 });
    expect(w.lambda.callsOf('updateAlias')).toHaveLength(0);
  });

  // A split left is exit 4, not the conflict's 5, since session 67: nobody drives it.
  it('stops on a 412 without retrying (exit 4: the split someone made is left)', async () => {
    const w = createWorld();
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: { '2': 0.2 } });
    w.lambda.onCall = (call) => {
      if (call.op === 'updateAlias')
        w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: { '2': 0.4 } });
    };
    const result = await rollback(w);
    expect(result).toMatchObject({
      status: 'unsafe',
      exitCode: 4,
      aliasState: { functionVersion: '1', additionalWeights: { '2': 0.4 } },
    });
    expect(w.lambda.callsOf('updateAlias')).toHaveLength(1);
  });

  it('a 412 whose re-read finds the alias already at the goal (a twin rollback landed first) exits 0 and says so', async () => {
    const w = createWorld();
    w.lambda.addVersion(FN);
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '3', additionalWeights: {} });
    w.store.seed(FN, ALIAS, { ...promotedRecord(w, ['2', '1']), stableVersion: '2', targetVersion: '3' });
    // The other `lshift rollback` run writes 2 between our GetAlias and our UpdateAlias.
    w.lambda.onCall = (call) => {
      if (call.op === 'updateAlias' && w.lambda.callsOf('updateAlias').length === 1)
        w.lambda.moveAlias(FN, ALIAS, { functionVersion: '2', additionalWeights: {} });
    };
    const result = await rollback(w);

    expect(result).toMatchObject({
      status: 'nothing_to_deploy',
      exitCode: 0,
      toVersion: '2',
      aliasState: { functionVersion: '2', additionalWeights: {} },
    });
    expect(describeReason(result)).toBe(
      'alias live of function demo already routes all traffic to version 2: the rollback write was refused (412) because the alias had already been put there (an earlier write of this rollback, or another rollback); nothing was overwritten; deployment d-prev01 (promoted) is now recorded as rolled back',
    );
    expect(w.lambda.callsOf('updateAlias')).toHaveLength(1);
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '2', additionalWeights: {} });
    expect(w.store.peek(FN, ALIAS)).toMatchObject({
      id: 'd-prev01',
      phase: 'rolled-back',
      history: ['2', '1'],
    });

    // And a third run goes no further back than version 2.
    w.lambda.onCall = undefined;
    const again = await rollback(w);
    expect(again).toMatchObject({ status: 'nothing_to_deploy', exitCode: 0, toVersion: '2' });
    expect(w.lambda.peekAlias(FN, ALIAS)?.functionVersion).toBe('2');
  });

  it('after a 412 at the goal, leaves a record that is no longer this deployment’s alone', async () => {
    const w = createWorld();
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '2', additionalWeights: {} });
    w.store.seed(FN, ALIAS, promotedRecord(w, ['1']));
    const newer = { ...promotedRecord(w, ['1']), id: 'd-next02', phase: 'pre-hook' as const };
    delete newer.endedAt;
    w.lambda.onCall = (call) => {
      if (call.op !== 'updateAlias') return;
      w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: {} });
      w.store.seed(FN, ALIAS, newer);
    };
    const result = await rollback(w);
    expect(result).toMatchObject({ status: 'nothing_to_deploy', exitCode: 0 });
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ id: 'd-next02', phase: 'pre-hook' });
  });

  it('a 412 whose re-read finds the alias on another version is still a conflict (exit 5)', async () => {
    const w = createWorld();
    w.lambda.addVersion(FN);
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: { '2': 0.2 } });
    w.lambda.onCall = (call) => {
      if (call.op === 'updateAlias')
        w.lambda.moveAlias(FN, ALIAS, { functionVersion: '3', additionalWeights: {} });
    };
    const result = await rollback(w);
    expect(result).toMatchObject({ status: 'conflict', exitCode: 5, aliasState: { functionVersion: '3' } });
  });

  // Found by a hostile pass: the split's primary alone put 100% on the new version of an
  // abandoned deployment whose alias was split the other way round, and recorded a rollback.
  it.each([
    ['an abandoned deployment split the other way round', { phase: 'shifting' as const }, { '1': 0.6 }],
    [
      'a promoted deployment split since, on its new version',
      { phase: 'promoted' as const, percent: 100, endedAt: 1 },
      { '1': 0.3 },
    ],
  ])(
    'a split whose primary is the record’s new version goes back to the stable version: %s',
    async (_name, over, weights) => {
      const w = createWorld();
      w.lambda.addVersion(FN);
      w.store.seed(
        FN,
        ALIAS,
        deadRecord(w, { ...over, ...(over.phase === 'promoted' ? { endedAt: w.start - 60_000 } : {}) }),
      );
      w.lambda.moveAlias(FN, ALIAS, { functionVersion: '2', additionalWeights: weights });
      const result = await rollback(w);
      // The version it took traffic away from is the new one, not the stable one ("from version 1 to 1").
      expect(result).toMatchObject({ status: 'rolled_back', exitCode: 0, fromVersion: '2', toVersion: '1' });
      expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
    },
  );

  // Found by a hostile pass (session 62): promoted 6 → 8, split by hand 8 + 7 at 50%, and `lshift
  // rollback` put all on 6 — the person's split and the promoted release gone at once. Until then
  // this went to the stable version (a test said so); now lshift will not guess, as for an alias
  // all on a third version, and names both --to.
  it.each([
    [
      'over the new version',
      { functionVersion: '2', additionalWeights: { '3': 0.3 } },
      '2 (70%) + version 3 (30%)',
      `\`lshift alias ${FN} ${ALIAS} 2\` drops the split (all traffic on version 2; deployment d-dead01 stays promoted, and a later \`lshift rollback\` undoes it)`,
    ],
    [
      'the other way round',
      { functionVersion: '3', additionalWeights: { '2': 0.5 } },
      '3 (50%) + version 2 (50%)',
      `\`lshift rollback ${FN} --alias ${ALIAS} --to 3\` drops the split (all traffic on its primary version)`,
    ],
  ])(
    'a promoted deployment’s alias split since with a third version (%s): refused, both --to named',
    async (_n, routing, said, drop) => {
      const w = createWorld();
      w.lambda.addVersion(FN);
      w.store.seed(FN, ALIAS, deadRecord(w, { phase: 'promoted', percent: 100, endedAt: w.start - 60_000 }));
      w.lambda.moveAlias(FN, ALIAS, routing);
      const error = (await rollback(w).catch((e: unknown) => e)) as {
        code: string;
        message: string;
        hint: string;
      };
      expect(error).toMatchObject({ code: 'NOTHING_TO_ROLL_BACK', exitCode: 2 });
      expect(error.message).toContain(`routes version ${said}: version 3 is neither of the last deployment`);
      expect(error.message).toContain(
        '(1 → 2, promoted), so the split was made outside lshift after it ended',
      );
      expect(error.hint).toContain(`\`lshift rollback ${FN} --alias ${ALIAS} --to 1\` undoes deployment`);
      expect(error.hint).toContain(drop);
      expect(w.lambda.callsOf('updateAlias')).toHaveLength(0);
      expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject(routing);
    },
  );

  // Found by a hostile pass (session 62): `--to 2` onto the deployment's own new version recorded
  // deployment 1 → 2 "rolled back to version 2", and a later rollback said "Nothing to roll back".
  it('that split with --to the deployment’s own new version: it stays promoted, and a later rollback undoes it once', async () => {
    const w = createWorld();
    w.lambda.addVersion(FN);
    w.store.seed(FN, ALIAS, deadRecord(w, { phase: 'promoted', percent: 100, endedAt: w.start - 60_000 }));
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '3', additionalWeights: { '2': 0.3 } });
    await expect(rollback(w, { to: '2' })).resolves.toMatchObject({ status: 'rolled_back', toVersion: '2' });
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ id: 'd-dead01', phase: 'promoted', percent: 100 });
    await expect(rollback(w)).resolves.toMatchObject({ status: 'rolled_back', toVersion: '1' });
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
  });

  // Found by a hostile pass (session 62): `--to` its own version of a promoted deployment already all
  // there said it "is now recorded as rolled back" while the record stayed promoted.
  it('--to a promoted deployment’s own version, all traffic already there: says it stays promoted', async () => {
    const w = createWorld();
    w.store.seed(FN, ALIAS, deadRecord(w, { phase: 'promoted', percent: 100, endedAt: w.start - 60_000 }));
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '2', additionalWeights: {} });
    const result = await rollbackClaimed(
      { ...w.deps, store: w.store, owner: 'rollback:op@laptop:2' },
      { functionName: FN, alias: ALIAS, reason: 'manual rollback', to: '2' },
    );
    expect(result).toMatchObject({ status: 'nothing_to_deploy' });
    expect(describeReason(result)).toBe(
      "alias live of function demo already routes all traffic to version 2, deployment d-dead01's new version: it stays promoted (a later `lshift rollback` undoes it)",
    );
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'promoted' });
  });

  it('over its stable version, both answers are that version: all traffic there', async () => {
    const w = createWorld();
    w.lambda.addVersion(FN);
    w.store.seed(FN, ALIAS, deadRecord(w, { phase: 'promoted', percent: 100, endedAt: w.start - 60_000 }));
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: { '3': 0.1 } });
    const result = await rollback(w);
    expect(result).toMatchObject({ status: 'rolled_back', toVersion: '1' });
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
  });

  it('that split with --to the primary: all traffic there, the record closed', async () => {
    const w = createWorld();
    w.lambda.addVersion(FN);
    w.store.seed(FN, ALIAS, deadRecord(w, { phase: 'promoted', percent: 100, endedAt: w.start - 60_000 }));
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '2', additionalWeights: { '3': 0.3 } });
    const result = await rollback(w, { to: '2' });
    expect(result).toMatchObject({ status: 'rolled_back', exitCode: 0, toVersion: '2' });
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '2', additionalWeights: {} });
  });

  it('a deployment rolled back with --to whose alias is still there: already rolled back, exit 0 (was NOTHING_TO_ROLL_BACK, exit 2)', async () => {
    const w = createWorld();
    w.lambda.addVersion(FN);
    w.store.seed(
      FN,
      ALIAS,
      deadRecord(w, {
        phase: 'rolled-back',
        percent: 0,
        endedAt: w.start - 60_000,
        endReason: 'rolled back to version 3',
      }),
    );
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '3', additionalWeights: {} });
    const result = await rollback(w);
    expect(result).toMatchObject({ status: 'nothing_to_deploy', exitCode: 0, toVersion: '3' });
    expect(writesOf(w.lambda)).toEqual([]);
    expect(describeReason(result)).toContain(
      'was already rolled back (rolled back to version 3): all traffic of alias live is on version 3, where it was rolled back to',
    );
  });

  // Found by a hostile pass: status and history said "rolled-back (moved by hand)" after it.
  it('a deployment promoted by hand (`lshift alias`), rolled back by lshift rollback: the old end reason goes', async () => {
    const w = createWorld();
    w.store.seed(
      FN,
      ALIAS,
      deadRecord(w, {
        phase: 'promoted',
        percent: 100,
        endedAt: w.start - 60_000,
        endReason: 'moved by hand',
      }),
    );
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '2', additionalWeights: {} });
    const result = await rollback(w);
    expect(result).toMatchObject({ status: 'rolled_back', toVersion: '1' });
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'rolled-back' });
    // Its own end reason now: promoted first (rollback-after-promotion-words.test.ts).
    expect(w.store.peek(FN, ALIAS)?.endReason).toBe('rolled back to version 1: after it was promoted');
  });

  // Found by a hostile pass: `--to 3` then `--to <stable>` kept "rolled back to version 3", and
  // `status` said the alias was MOVED SINCE, "no lshift deployment put it there".
  it('--to another version, then --to the stable one: the record no longer names the other version', async () => {
    const w = createWorld();
    w.lambda.addVersion(FN);
    w.store.seed(FN, ALIAS, deadRecord(w, { phase: 'promoted', percent: 100, endedAt: w.start - 60_000 }));
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '2', additionalWeights: {} });
    await rollback(w, { to: '3' });
    expect(w.store.peek(FN, ALIAS)?.endReason).toBe('rolled back to version 3: after it was promoted');
    const result = await rollback(w, { to: '1' });
    expect(result).toMatchObject({ status: 'rolled_back', toVersion: '1' });
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
    const record = w.store.peek(FN, ALIAS)!;
    expect(record).toMatchObject({ phase: 'rolled-back' });
    // Still promoted first, now at its stable version.
    expect(record.endReason).toBe('rolled back to version 1: after it was promoted');
    const status = await getStatus(w.deps, { functionName: FN, alias: ALIAS, alarms: [] });
    expect(renderStatus(status)).not.toContain('MOVED SINCE');
  });

  it('reports unsafe (exit 4) with a fix command when the write keeps failing on a split alias', async () => {
    const w = createWorld();
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: { '2': 0.2 } });
    w.lambda.fail({ op: 'updateAlias', times: Number.POSITIVE_INFINITY, error: aliasWriteDenied() });
    const result = await rollback(w);
    expect(result).toMatchObject({ status: 'unsafe', exitCode: 4 });
    expect(result.fixCommand).toContain('--function-name demo --name live --function-version 1');
    expect(result.rollbackCommand).toBe('lshift rollback demo --alias live');
    expect(w.lambda.callsOf('updateAlias')).toHaveLength(4);
  });

  it('writes whose answer never came: the alias "was last seen" at its state, not "is at" it (the last write may have landed)', async () => {
    const w = createWorld();
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: { '2': 0.2 } });
    const timedOut = new OperationError('NETWORK_ERROR', 'no answer to UpdateAlias in time.', {});
    w.lambda.fail({ op: 'updateAlias', times: Number.POSITIVE_INFINITY, error: timedOut });
    const result = await rollback(w);
    expect(result).toMatchObject({ status: 'unsafe', exitCode: 4 });
    const reason = describeReason(result);
    expect(reason).toContain(
      'alias live was last seen at version 1 (80%) + version 2 (20%) before the last write',
    );
    expect(reason).toContain('which may have landed');
    expect(reason).not.toContain('alias live is at');
  });

  it('the lshift command of an unsafe --to rollback keeps --to', async () => {
    const w = createWorld();
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: { '2': 0.2 } });
    w.lambda.fail({ op: 'updateAlias', times: Number.POSITIVE_INFINITY });
    const result = await rollback(w, { to: '1' });
    expect(result).toMatchObject({
      status: 'unsafe',
      rollbackCommand: 'lshift rollback demo --alias live --to 1',
    });
  });

  it('reports failed (exit 1) when the write keeps failing on an unsplit alias (nothing changed)', async () => {
    const w = createWorld();
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '2', additionalWeights: {} });
    w.lambda.fail({ op: 'updateAlias', times: Number.POSITIVE_INFINITY });
    const result = await rollback(w, { to: '1' });
    expect(result).toMatchObject({ status: 'failed', exitCode: 1 });
  });

  it('an unsplit alias whose last write got no answer: unsafe (exit 4), the write may have moved it', async () => {
    const w = createWorld();
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '2', additionalWeights: {} });
    const timedOut = new OperationError('NETWORK_ERROR', 'no answer to UpdateAlias in time.', {});
    w.lambda.fail({ op: 'updateAlias', times: Number.POSITIVE_INFINITY, error: timedOut });
    const result = await rollback(w, { to: '1' });
    // Seen unchanged before that write, but it may have landed: the alias state is unknown,
    // which docs/exit-codes.md makes exit 4, not "failed, alias unchanged" (exit 1).
    expect(result).toMatchObject({
      status: 'unsafe',
      exitCode: 4,
      cause: { code: 'ROLLBACK_FAILED', data: { lastWriteUnanswered: true } },
      rollbackCommand: 'lshift rollback demo --alias live --to 1',
    });
    expect(describeReason(result)).toContain('which may have landed');
  });

  it('throws ALIAS_NOT_FOUND for a missing alias', async () => {
    const w = createWorld();
    await expect(rollback(w, { alias: 'prod' })).rejects.toMatchObject({ code: 'ALIAS_NOT_FOUND' });
  });

  const unfinishedOnTarget: { name: string; record: Partial<DeploymentRecord> }[] = [
    { name: 'crashed during the bake', record: { phase: 'baking', stepIndex: 9, percent: 100 } },
    { name: 'crashed in the post-traffic hooks', record: { phase: 'post-hook', stepIndex: 9, percent: 100 } },
    {
      name: 'crashed after the last write, before recording it',
      record: { phase: 'shifting', stepIndex: 8, percent: 90 },
    },
    { name: 'paused in the bake', record: { phase: 'paused', stepIndex: 9, percent: 100 } },
    { name: 'its rollback failed', record: { phase: 'failed', stepIndex: 9, percent: 100 } },
  ];

  it.each(unfinishedOnTarget)(
    'goes to the record’s stable version, not history, when an unfinished deployment left all traffic on its target: $name',
    async (row) => {
      const w = createWorld();
      w.lambda.addVersion(FN);
      // Version 3 over 2, whose own predecessor 1 is history[0].
      const record = deadRecord(w, { stableVersion: '2', targetVersion: '3', history: ['1'], ...row.record });
      leaveDeployment(w, record, 100);
      const result = await rollback(w);

      expect(result).toMatchObject({ status: 'rolled_back', exitCode: 0, fromVersion: '3', toVersion: '2' });
      expect(writesOf(w.lambda).map((x) => x.slice(0, 2))).toEqual([['2', {}]]);
      expect(w.store.peek(FN, ALIAS)).toMatchObject({ id: 'd-dead01', phase: 'rolled-back', history: ['1'] });
    },
  );

  it('goes to the stable version of a promoted deployment whose target has all traffic, keeping history', async () => {
    const w = createWorld();
    w.lambda.addVersion(FN);
    leaveDeployment(
      w,
      deadRecord(w, { stableVersion: '2', targetVersion: '3', phase: 'promoted', history: ['2', '1'] }),
      100,
    );
    const result = await rollback(w);
    expect(result.toVersion).toBe('2');
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'rolled-back', history: ['2', '1'] });
  });

  it('closes an unfinished record whose traffic is already on stable, fencing its runner off with a same-routing write', async () => {
    const w = createWorld();
    leaveDeployment(w, deadRecord(w, { phase: 'rolling-back' }), 0);
    const revision = w.lambda.peekAlias(FN, ALIAS)?.revisionId;
    const result = await rollback(w);

    expect(result).toMatchObject({ status: 'nothing_to_deploy', exitCode: 0 });
    expect(describeReason(result)).toContain(
      'deployment d-dead01 (version 1 → 2) is now recorded as rolled back',
    );
    expect(writesOf(w.lambda)).toEqual([['1', {}, revision]]);
    expect(w.lambda.peekAlias(FN, ALIAS)?.revisionId).not.toBe(revision);
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'rolled-back', endedAt: w.start });
  });

  // A runner killed after its own rollback write landed at 75%: "0%" is nothing left to move, not
  // a new version that never carried traffic (found by a hostile pass: `check` said "the new
  // version carried no traffic").
  it('says the alias was already all on stable and what the record last held, not "carried no traffic"', async () => {
    const w = createWorld();
    leaveDeployment(w, deadRecord(w, { phase: 'rolling-back', stepIndex: 2, percent: 75 }), 0);
    await rollback(w);
    const [started] = w.sink.ofType('rollback.started');
    expect(started).toMatchObject({
      fromPercent: 0,
      alreadyThere: { recorded: { percent: 75, version: '2' } },
    });
    expect(describeEvent(started!)).toBe(
      'ROLLBACK to version 1 (all traffic was already on it; version 2 had 75% when its record was last written): manual rollback',
    );
  });

  it('a record that never moved traffic (0%) says only that all traffic was already there', async () => {
    const w = createWorld();
    leaveDeployment(w, deadRecord(w, { phase: 'pre-hook', stepIndex: 0, percent: 0 }), 0);
    await rollback(w);
    const [started] = w.sink.ofType('rollback.started');
    expect(describeEvent(started!)).toBe(
      'ROLLBACK to version 1 (all traffic was already on it): manual rollback',
    );
  });
});

describe('describeRollbackDone', () => {
  it('says what the rollback did without repeating the reason it was given (lshift check states it once)', async () => {
    const w = createWorld();
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: { '2': 0.2 } });
    const reason = 'lshift check: alarm demo-errors is ALARM';
    const result = await rollback(w, { reason });
    const done = describeRollbackDone(result);
    expect(done).toBe('all traffic is on version 1 (was version 1 (80%) + version 2 (20%))');
    expect(`${reason}: ${done}`.split(reason)).toHaveLength(2);
  });
});

/**
 * `lshift rollback --to 3` killed between its alias write and its record's: the record says
 * `rolling-back` from version 1, the alias is all on 3. Found by a hostile pass: nothing cleared
 * it (`check`: "does not add up" at every run; the same `--to 3`: "nothing to roll back, the
 * record is left as it is"). The same command now closes it, rolled back to version 3.
 */
describe('rollback --to after a rollback --to killed after its alias write', () => {
  /** Its claim `rolling-back` from version 1, the alias all on 3 (the write landed, the record's did not). */
  function killedRollbackTo3(): World {
    const w = createWorld();
    w.lambda.addVersion(FN);
    leaveDeployment(w, deadRecord(w, { phase: 'rolling-back', owner: 'rollback:ann@laptop:41' }));
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '3', additionalWeights: {} });
    return w;
  }

  it('closes the record, rolled back to version 3, writing the same routing again', async () => {
    const w = killedRollbackTo3();
    const result = await rollback(w, { to: '3' });
    expect(result.status).toBe('nothing_to_deploy');
    expect(w.store.peek(FN, ALIAS)).toMatchObject({
      phase: 'rolled-back',
      endReason: 'rolled back to version 3',
    });
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '3', additionalWeights: {} });
  });

  // Left `rolling-back` from 1 with the alias on 2, a scheduled check would have finished that
  // "rollback" and moved all traffic to version 1, against the person's --to 2. The alias on a
  // version the record does not know is a hand move (record-trust.ts isMovedByHand): --to closes it.
  it('another --to (the alias on a version it does not name) closes the record where --to put traffic', async () => {
    const w = killedRollbackTo3();
    const result = await rollback(w, { to: '2' });
    expect(result.status).toBe('rolled_back');
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '2', additionalWeights: {} });
    expect(w.store.peek(FN, ALIAS)).toMatchObject({
      phase: 'rolled-back',
      endReason: 'rolled back to version 2',
    });
  });
});
