/**
 * A finished deployment whose alias someone moved since (`lshift alias`, the console, `aws lambda
 * update-alias`): status said "promoted, version 1 → 2" beside "all traffic on version 1" with no
 * word of the move. It now says so (`record.movedSince`), and what `lshift rollback` would do with
 * such an alias — checked here against the rollback itself.
 */
import { describe, expect, it } from 'vitest';
import { renderStatus } from '../../src/cli/renderers/status-text.js';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import { rollbackClaimed } from '../../src/engine/rollback-claim.js';
import { getStatus } from '../../src/engine/status.js';
import { ALIAS, createWorld, FN, type World } from './world.js';

function finished(w: World, overrides: Partial<DeploymentRecord>): DeploymentRecord {
  return {
    id: 'd-done01',
    stableVersion: '1',
    targetVersion: '2',
    strategy: 'all-at-once',
    stepIndex: 0,
    percent: 100,
    phase: 'promoted',
    startedAt: w.start - 600_000,
    owner: 'ci@runner:7',
    heartbeatAt: w.start - 300_000,
    endedAt: w.start - 300_000,
    history: ['1'],
    ...overrides,
  };
}

const rolledBack = { phase: 'rolled-back', percent: 0 } as const;
type Routing = { functionVersion: string; additionalWeights: Record<string, number> };
const on = (v: string, weights: Record<string, number> = {}): Routing => ({
  functionVersion: v,
  additionalWeights: weights,
});

describe('status of a finished deployment whose alias was moved since', () => {
  it.each([
    [
      'promoted, moved back to stable',
      {},
      on('1'),
      '2',
      'moves nothing and records this deployment as rolled back',
      { status: 'nothing_to_deploy', to: '1' },
    ],
    [
      'promoted, moved to a third version',
      {},
      on('3'),
      '2',
      'will not guess a version: add `--to <version>`',
      'NOTHING_TO_ROLL_BACK',
    ],
    [
      'rolled back, moved to its target',
      rolledBack,
      on('2'),
      '1',
      'will not guess a version: add `--to <version>`',
      'NOTHING_TO_ROLL_BACK',
    ],
    [
      'rolled back, split by hand',
      rolledBack,
      on('1', { '3': 0.1 }),
      '1',
      "puts all traffic on version 1, the split's primary",
      { status: 'rolled_back', to: '1' },
    ],
    [
      'rolled back, split by hand with its new version as primary',
      rolledBack,
      on('2', { '3': 0.1 }),
      '1',
      "will not guess a version (the split is over a version that is neither of this deployment's): add `--to 2` to drop the split or `--to 1` to undo this deployment too",
      'NOTHING_TO_ROLL_BACK',
    ],
    [
      'rolled back --to 3, moved to stable',
      { ...rolledBack, endReason: 'rolled back to version 3' },
      on('1'),
      '3',
      'moves nothing: this deployment is already rolled back',
      { status: 'nothing_to_deploy', to: '1' },
    ],
  ] as const)(
    '%s: says so, and what rollback does',
    async (_what, record, routing, leftOn, rollbackWords, rollback) => {
      const w = createWorld();
      w.lambda.addVersion(FN);
      w.lambda.moveAlias(FN, ALIAS, routing);
      w.store.seed(FN, ALIAS, finished(w, record));
      const status = await getStatus(w.deps, { functionName: FN, alias: ALIAS, alarms: [] });
      expect(status.record?.movedSince).toEqual({ leftOnVersion: leftOn });
      const text = renderStatus(status);
      expect(text).toContain(
        `MOVED SINCE: this deployment left all traffic on version ${leftOn}, but the alias now routes `,
      );
      expect(text).toContain('no lshift deployment put it there');
      expect(text).toContain('`lshift check` leaves it alone');
      expect(text).toContain(`\`lshift rollback ${FN} --alias ${ALIAS}\` ${rollbackWords}`);

      // What `lshift rollback` runs: the claim first, then the rollback.
      const run = rollbackClaimed(
        { ...w.deps, store: w.store, owner: 'rollback:me@laptop:9' },
        { functionName: FN, alias: ALIAS, reason: 'manual rollback' },
      );
      if (typeof rollback === 'string') {
        await expect(run).rejects.toMatchObject({ code: rollback });
        return;
      }
      await expect(run).resolves.toMatchObject({ status: rollback.status });
      expect((await w.lambda.getAlias(FN, ALIAS))?.functionVersion).toBe(rollback.to);
      expect((await w.store.read(FN, ALIAS))?.phase).toBe('rolled-back');
    },
  );

  it.each([
    ['promoted, alias on its target', {}, on('2')],
    ['rolled back, alias on its stable version', rolledBack, on('1')],
    ['rolled back --to 3, alias on 3', { ...rolledBack, endReason: 'rolled back to version 3' }, on('3')],
    [
      'closed by hand on a third version',
      { ...rolledBack, endReason: 'moved by hand to version 3' },
      on('3'),
    ],
    [
      'unfinished (its own words: movedAway)',
      { phase: 'shifting', percent: 10, endedAt: undefined },
      on('3'),
    ],
  ] as const)('%s: nothing said', async (_what, record, routing) => {
    const w = createWorld();
    w.lambda.addVersion(FN);
    w.lambda.moveAlias(FN, ALIAS, routing);
    w.store.seed(FN, ALIAS, finished(w, record));
    const status = await getStatus(w.deps, { functionName: FN, alias: ALIAS, alarms: [] });
    expect(status.record?.movedSince).toBeUndefined();
    expect(renderStatus(status)).not.toContain('MOVED SINCE');
  });

  it('a promoted record over a split alias stays STALLED (its runner stopped), not moved', async () => {
    const w = createWorld();
    w.lambda.moveAlias(FN, ALIAS, on('1', { '2': 0.5 }));
    w.store.seed(FN, ALIAS, finished(w, {}));
    const status = await getStatus(w.deps, { functionName: FN, alias: ALIAS, alarms: [] });
    expect(status.record).toMatchObject({ promotedButSplit: true });
    expect(status.record?.movedSince).toBeUndefined();
  });

  // Found by a hostile pass: the advice said "all traffic on version 2" (the record's stable) and
  // the rollback put it on version 1, two releases back, unsaid.
  it.each([['split over its stable version', on('2', { '3': 0.2 }), '2']])(
    'a promoted record over an alias %s: the advice names where rollback puts it',
    async (_, routing, to) => {
      const w = createWorld();
      w.lambda.addVersion(FN);
      w.lambda.moveAlias(FN, ALIAS, routing);
      w.store.seed(FN, ALIAS, finished(w, { stableVersion: '2', targetVersion: '3', history: ['2', '1'] }));
      const status = await getStatus(w.deps, { functionName: FN, alias: ALIAS, alarms: [] });
      expect(renderStatus(status)).toContain(
        `or undo it: \`lshift rollback ${FN} --alias ${ALIAS}\` (all traffic on version ${to}`,
      );
      const run = rollbackClaimed(
        { ...w.deps, store: w.store, owner: 'rollback:me@laptop:9' },
        { functionName: FN, alias: ALIAS, reason: 'manual rollback' },
      );
      await expect(run).resolves.toMatchObject({ status: 'rolled_back' });
      expect((await w.lambda.getAlias(FN, ALIAS))?.functionVersion).toBe(to);
    },
  );

  // Then (session 62) the rollback went there without --to: two releases back, and the person's
  // split gone. Now refused without --to, and status offers the rollback with --to its stable version.
  it('a promoted record over an alias split by hand over an older version: the advice names --to, the bare rollback is refused', async () => {
    const w = createWorld();
    w.lambda.addVersion(FN);
    w.lambda.moveAlias(FN, ALIAS, on('1', { '3': 0.2 }));
    w.store.seed(FN, ALIAS, finished(w, { stableVersion: '2', targetVersion: '3', history: ['2', '1'] }));
    const status = await getStatus(w.deps, { functionName: FN, alias: ALIAS, alarms: [] });
    expect(renderStatus(status)).toContain(
      `or undo it: \`lshift rollback ${FN} --alias ${ALIAS} --to 2\` (all traffic on version 2, its stable version)`,
    );
    const run = rollbackClaimed(
      { ...w.deps, store: w.store, owner: 'rollback:me@laptop:9' },
      { functionName: FN, alias: ALIAS, reason: 'manual rollback' },
    );
    await expect(run).rejects.toMatchObject({ code: 'NOTHING_TO_ROLL_BACK' });
    expect(await w.lambda.getAlias(FN, ALIAS)).toMatchObject({
      functionVersion: '1',
      additionalWeights: { '3': 0.2 },
    });
  });

  // Found by a hostile pass: status said "no longer routes between this deployment's versions".
  it('an abandoned deployment split the other way round by hand: says so, and that rollback puts traffic back on its stable version', async () => {
    const w = createWorld();
    w.lambda.moveAlias(FN, ALIAS, on('2', { '1': 0.6 }));
    w.store.seed(FN, ALIAS, finished(w, { phase: 'shifting', percent: 10, endedAt: undefined }));
    const status = await getStatus(w.deps, { functionName: FN, alias: ALIAS, alarms: [] });
    const text = renderStatus(status);
    expect(text).toContain("the alias routes between this deployment's versions the other way round");
    expect(text).toContain(`\`lshift rollback ${FN} --alias ${ALIAS}\` puts all traffic back on version 1`);
    expect(text).not.toContain('no longer routes between');
  });
});
