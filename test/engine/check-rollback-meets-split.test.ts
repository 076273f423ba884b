/**
 * `lshift check` rolling back an abandoned deployment whose rollback meets a split someone made
 * and leaves it (its record closed moved by hand): the row read `ROLLBACK_FAILED` "it changed under
 * the rollback … then `lshift rollback demo --alias live` if it is still split" — no rollback
 * failed, and a plain rollback refuses a split of a version the deployment does not place — while
 * `lshift status` called the same alias STALLED (the lead's brief, session 68). Now STALLED (exit 4)
 * with the rollback status offers (`--to` the stable version when needed); the split left.
 */
import { describe, expect, it } from 'vitest';
import { describeCheckAction, exitCodeForCheck } from '../../src/cli/exit-codes.js';
import { renderStatus } from '../../src/cli/renderers/status-text.js';
import { runCheck } from '../../src/engine/check.js';
import { getStatus } from '../../src/engine/status.js';
import type { LambdaPort } from '../../src/ports/lambda.js';
import type { RoutingState } from '../../src/ports/traffic-driver.js';
import { ALIAS, createWorld, deadRecord, FN } from './world.js';

async function checkMeeting(split: RoutingState) {
  const w = createWorld();
  w.lambda.addFunction(FN);
  for (let i = 0; i < 3; i++) w.lambda.addVersion(FN);
  w.lambda.addAlias(FN, ALIAS, '1');
  w.store.seed(FN, ALIAS, deadRecord(w, { id: 'd-1', strategy: 'linear:25%:1m' }));
  w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: { '2': 0.25 } });
  w.metrics.setAlarm(`${FN}-errors`, 'ALARM', { reason: 'errors over 3' });
  // Someone's split lands just before the check's rollback write.
  const lambda: LambdaPort = Object.create(w.lambda);
  let moved = false;
  lambda.updateAlias = (...args) => {
    if (!moved) w.lambda.moveAlias(FN, ALIAS, split);
    moved = true;
    return w.lambda.updateAlias(...args);
  };
  const report = await runCheck(
    { ...w.deps, lambda, store: w.store, owner: 'check:cron@host-b:2' },
    { functionNames: [FN], alias: ALIAS, windowSeconds: 3600, alarms: ['{function}-errors'] },
  );
  return { w, report };
}

describe("a check's rollback that meets someone's split", () => {
  it('of another version: STALLED (exit 4) with `lshift rollback … --to 1`, not ROLLBACK_FAILED', async () => {
    const split = { functionVersion: '3', additionalWeights: { '2': 0.35 } };
    const { w, report } = await checkMeeting(split);
    const [row] = report.results;
    expect(row?.action).toBe('stalled');
    expect(describeCheckAction(row!)).toBe('STALLED');
    expect(row?.stalled).toBe(true);
    expect(exitCodeForCheck(report)).toBe(4);
    expect(row?.reason).toContain(
      "split by someone else under the check's rollback, which left it: nobody drives that split; to put all traffic back on version 1: `lshift rollback demo --alias live --to 1`",
    );
    expect(row?.reason).not.toContain('if it is still split');
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject(split);
    // `lshift status` says the same way out.
    const status = await getStatus(w.deps, { functionName: FN, alias: ALIAS, alarms: [] });
    expect(renderStatus(status)).toContain('`lshift rollback demo --alias live --to 1`');
  });

  it("of another version: its close keeps why the check rolled back (y=), as the runner's does", async () => {
    const split = { functionVersion: '3', additionalWeights: { '2': 0.35 } };
    const { w } = await checkMeeting(split);
    const record = await w.store.read(FN, ALIAS);
    expect(record?.endReason).toMatch(/^moved by hand to a split/);
    expect(record?.cause?.code).toBe('GATE_FAILED');
    const text = renderStatus(await getStatus(w.deps, { functionName: FN, alias: ALIAS, alarms: [] }));
    expect(text).toContain('lshift had decided to roll it back');
    expect(text).not.toContain('lshift ran no rollback');
  });
});
