/**
 * `lshift status` of a deployment whose runner decided to roll back but whose `rolling-back` mark
 * never landed (or landed before the first weight it put back): the words agree with each other
 * and with the routing line. Found by a hostile pass (session 61, h3 F-c, F-b): "the next `lshift
 * check` records it rolled back" beside "… and nobody will finish it", the same explanation said
 * twice, and `rolling-back, … step 1 at 0%` under a 90/10 routing line.
 */
import { describe, expect, it } from 'vitest';
import { renderStatus } from '../../src/cli/renderers/status-text.js';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import { getStatus } from '../../src/engine/status.js';
import { ALIAS, createWorld, deadRecord, FN, leaveDeployment } from '../engine/world.js';

async function statusText(overrides: Partial<DeploymentRecord>, percent: number, writtenSince = false) {
  const w = createWorld();
  const record = deadRecord(w, overrides);
  leaveDeployment(w, record, percent);
  const now = w.lambda.peekAlias(FN, ALIAS)!.revisionId;
  // The alias's RevisionId the deployment found: another one means it was written since.
  w.store.seed(FN, ALIAS, { ...record, aliasRevision: writtenSince ? 'rev-gone' : now.slice(0, 8) });
  return renderStatus(await getStatus(w.deps, { functionName: FN, alias: ALIAS, alarms: [] }));
}

describe('status of a rollback whose mark never landed', () => {
  it('its first weight put back, the record still `started` at 0%: the next check closes it, said once', async () => {
    const text = await statusText({ phase: 'started', stepIndex: 0, percent: 0 }, 0, true);
    expect(text).toContain('the next `lshift check` records it rolled back');
    expect(text).not.toContain('nobody will finish it');
    expect(text.match(/first weight put back/g)).toHaveLength(1);
    expect(text).toContain(
      'record that with `lshift rollback demo --alias live` (it moves nothing and closes the record)',
    );
  });

  it('back on stable from a recorded step: the next check closes it, not "nobody will finish it"', async () => {
    const text = await statusText({ phase: 'shifting', stepIndex: 1, percent: 20 }, 0);
    expect(text).toContain('the next `lshift check` records it rolled back');
    expect(text).not.toContain('nobody will finish it');
  });

  it('a release function back on stable: the check does not close it alone, so nobody will', async () => {
    const text = await statusText({ phase: 'shifting', stepIndex: 1, percent: 20, releaseId: 'r-one' }, 0);
    expect(text).not.toContain('records it rolled back');
  });

  it.each([
    ['its first weight landed after the mark (record 0%, alias 10%)', 0, 10],
    ['its rollback write landed, its close did not (record 10%, alias on 1)', 10, 0],
  ])(
    '`rolling-back`, %s: the step it stopped at, not a percent the routing line contradicts',
    async (_, recorded, aliasAt) => {
      const text = await statusText({ phase: 'rolling-back', stepIndex: 0, percent: recorded }, aliasAt);
      expect(text).toContain(
        'deployment d-dead01: rolling-back, version 1 → 2, stopped at step 1 (linear:10%:1m)',
      );
      expect(text).not.toMatch(/step 1 at \d+%/);
    },
  );
});

// Seen by hand (session 62): a release over two aliases whose runner died rolling it back. Its
// STALE line offered `lshift rollback --release r-… ` naming no function, the line under it
// `lshift rollback --release r-… <its functions…>`.
describe('status of a function of a release whose rollback stopped', () => {
  it('one rollback command, named once, without functions', async () => {
    const text = await statusText(
      { phase: 'rolling-back', stepIndex: 0, percent: 10, releaseId: 'r-two' },
      10,
    );
    expect(text).toContain('`lshift rollback --release r-two`, naming no function');
    expect(text).not.toContain('<its functions…>');
    expect(text).toContain(
      "part of release r-two: the release's rollback finishes it with its other functions, as its STALE line says",
    );
  });
});
