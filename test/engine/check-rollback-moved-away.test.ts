/**
 * A stopped rollback (`rolling-back`, its runner gone) whose alias someone then moved onto a
 * version the deployment never wrote, an alarm in ALARM. `lshift check` called the record one
 * that "does not add up" and advised deleting it with `aws lambda untag-resource`; `lshift status`
 * said "the next `lshift check` … finishes it", which it did not (session 70). Both now say it was
 * moved, STALLED (exit 4), nothing written, with `lshift rollback`'s own ways out (`--to` its
 * stable version, or `lshift alias`).
 */
import { describe, expect, it } from 'vitest';
import { renderReleaseStatus } from '../../src/cli/renderers/status-release-text.js';
import { renderStatus } from '../../src/cli/renderers/status-text.js';
import { needsOperator } from '../../src/cli/status-needs-operator.js';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import { runCheck } from '../../src/engine/check.js';
import { getStatus } from '../../src/engine/status.js';
import { abandonedRelease, NAMES } from './release-world.js';
import { ALIAS, createWorld, deadRecord, FN } from './world.js';

const SPLIT = { functionVersion: '3', additionalWeights: { '1': 0.3 } };
const WHOLE = { functionVersion: '3', additionalWeights: {} };
const SPLIT_ON_STABLE = { functionVersion: '1', additionalWeights: { '3': 0.55 } };
const TO = '`lshift rollback demo --alias live --to 1`';

describe('a stopped rollback moved since onto a version it never wrote, an alarm in ALARM', () => {
  it.each([
    ['split', SPLIT, 'version 3 (70%) + version 1 (30%)', 'put all traffic on version 3 and close it'],
    ['all on it', WHOLE, 'all traffic to version 3', 'keep version 3 and close it'],
  ] as const)(
    '%s: check and status give the rollback’s ways out, never a record deletion',
    async (_, to, routes, keep) => {
      const w = createWorld();
      w.lambda.addVersion(FN);
      const record: DeploymentRecord = deadRecord(w, { phase: 'rolling-back', percent: 20 });
      w.store.seed(FN, ALIAS, record);
      w.lambda.moveAlias(FN, ALIAS, to);
      w.metrics.setAlarm('errors', 'ALARM', { reason: 'errors over 3' });
      const ways = `put all traffic back on its stable version 1 and close the deployment with ${TO}, or ${keep} with \`lshift alias demo live 3\``;
      const moved = `the alias was moved since its rollback stopped: it routes ${routes}, and this deployment (version 1 → 2) never wrote version 3, so someone moved it`;

      const status = await getStatus(w.deps, { functionName: FN, alias: ALIAS, alarms: ['errors'] });
      const text = renderStatus(status);
      expect(text).toContain(`STALLED: the rollback ci@runner:7 started has stopped, and ${moved}`);
      expect(text).toContain(ways);
      expect(text).not.toContain('finishes it');
      expect(needsOperator(status)).toBe(true);
      expect(status.record?.stalled).toBe(true);

      const deps = { ...w.deps, store: w.store };
      const report = await runCheck(deps, {
        functionNames: [FN],
        alias: ALIAS,
        windowSeconds: 3600,
        alarms: ['errors'],
      });
      const r = report.results[0]!;
      expect(r).toMatchObject({ action: 'stalled', stalled: true, movedByHand: true });
      expect(r.reason).toContain(`, but ${moved}; the check does not write over that move: ${ways}`);
      expect(r.reason).not.toContain('untag-resource');
      expect(r.reason).not.toContain('does not add up');
      expect(w.lambda.callsOf('updateAlias')).toHaveLength(0);
      expect(w.store.peek(FN, ALIAS)).toEqual(record);
    },
  );

  // The release's mark (fa `rolling-back`, its runner gone) so moved: status's release line said
  // the next check "closes every record", fa's own line that the release's rollback finishes it.
  it('a release whose mark was so moved: its line and the release line say the rollback leaves it', async () => {
    const w = abandonedRelease();
    w.lambda.addVersion('fa');
    w.store.seed('fa', ALIAS, { ...w.store.peek('fa', ALIAS)!, phase: 'rolling-back' });
    w.lambda.moveAlias('fa', ALIAS, SPLIT_ON_STABLE);
    const text = renderReleaseStatus(
      await Promise.all(
        NAMES.map((functionName) =>
          getStatus(w.deps, {
            functionName,
            alias: ALIAS,
            alarms: [],
            releaseMates: NAMES.filter((f) => f !== functionName).map((f) => ({
              functionName: f,
              alias: ALIAS,
            })),
          }),
        ),
      ),
    );
    expect(text.split('\n')[0]).toContain(
      "`lshift rollback --release r-both01 fa fb fc` finishes the rollback and closes every record but fa's now (no alarm needed), as the next `lshift check` run with its alarms does; fa, moved by hand onto versions its deployment does not know, is left as moved by both (its line says how to close it)",
    );
    expect(text).toContain(
      "part of release r-both01: the release's rollback leaves it as moved; its STALLED line says how to close it",
    );
    // Split with its stable version first: the one way out, not "or put all traffic on version 1" again.
    expect(text).toContain(`close the deployment with \`lshift rollback fa --alias live --to 1\`\n`);
    expect(text).not.toContain('`lshift alias fa live 1`');
  });
});
