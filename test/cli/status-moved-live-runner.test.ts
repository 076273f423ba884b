/**
 * `lshift status` of a deployment whose alias was moved by hand while its runner still beats: it
 * said "…and nobody will finish it" and offered `lshift alias fa live 1` then `lshift deploy fc
 * --resume` for a release whose runner was alive — commands that race it (h4's pass, session 67).
 * A live runner meets the move at its next read and stops; status says so and offers nothing to run.
 */
import { describe, expect, it } from 'vitest';
import { renderStatus } from '../../src/cli/renderers/status-text.js';
import { needsOperator } from '../../src/cli/status-needs-operator.js';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import { getStatus } from '../../src/engine/status.js';
import { ALIAS, createWorld, FN } from '../engine/world.js';

type World = ReturnType<typeof createWorld>;

const running = (w: World, heartbeatAgo: number): DeploymentRecord => ({
  id: 'd-run002',
  stableVersion: '1',
  targetVersion: '2',
  strategy: 'linear:10%:1m',
  stepIndex: 2,
  percent: 30,
  phase: 'shifting',
  startedAt: w.start - 900_000,
  owner: 'ci@runner:1',
  heartbeatAt: w.start - heartbeatAgo,
  history: [],
});

const MOVES = [
  [
    'back on the stable version',
    { functionVersion: '1', additionalWeights: {} },
    'is all on the stable version 1 again',
  ],
  [
    'on a version it does not know',
    { functionVersion: '3', additionalWeights: {} },
    'no longer routes between',
  ],
] as const;

async function statusOf(w: World, record: DeploymentRecord, alias: (typeof MOVES)[number][1]) {
  w.lambda.addVersion(FN);
  w.lambda.moveAlias(FN, ALIAS, alias);
  w.store.seed(FN, ALIAS, record);
  return getStatus(w.deps, { functionName: FN, alias: ALIAS, alarms: [] });
}

describe('status: an alias moved by hand under a runner that still beats', () => {
  it.each(MOVES)(
    'a release function %s: still running, meets the move, nothing offered',
    async (_, alias, where) => {
      const w = createWorld();
      const status = await statusOf(w, { ...running(w, 5_000), releaseId: 'r-rel001' }, alias);
      const text = renderStatus(status);
      expect(text).toContain(where);
      // What a heartbeat shows, not a promise (session 68: "its heartbeat is fresh, so it is not
      // abandoned" was said of a SIGSTOPped runner until the stale limit: h3's F4).
      expect(text).toContain(
        'someone moved it by hand while release r-rel001 may still run (its runner beat 5s ago; one stopped or killed since looks the same until its heartbeat passes the stale limit (2m by default), when status says STALLED)',
      );
      expect(text).toContain(
        "its runner meets the move at its next read of the alias (before the release's next weight writes; while it bakes, at its paced reads (one alias every 3 s)) and stops the release: it leaves demo where it was put and closes its record as moved by hand, rolls the release's other functions back to their stable versions, and exits 5;",
      );
      expect(text).not.toContain('nobody will finish it');
      expect(text).not.toContain('--resume');
      expect(text).not.toContain('`lshift alias');
      expect(text).not.toContain('`lshift rollback');
      expect(needsOperator(status)).toBe(false);
    },
  );

  it.each(MOVES)(
    'a single deploy %s: says it stops at its next read, within 30 s in a hold',
    async (_, alias) => {
      const w = createWorld();
      const text = renderStatus(await statusOf(w, running(w, 5_000), alias));
      expect(text).toContain('someone moved it by hand while this deployment may still run');
      expect(text).toContain('within 30 s while it holds a step');
      expect(text).not.toContain('nobody will finish it');
      expect(text).not.toContain('`lshift alias');
      expect(text).not.toContain('rolled back by hand, or by a rollback stopped');
    },
  );

  it('its heartbeat stale: abandoned, the ways out as before', async () => {
    const w = createWorld();
    const status = await statusOf(w, { ...running(w, 600_000), releaseId: 'r-rel001' }, MOVES[1][1]);
    const text = renderStatus(status);
    expect(text).toContain('nobody will finish it');
    expect(text).toContain('`lshift alias demo live 3`');
  });
});
