/**
 * A deploy lshift decided to roll back whose alias someone split, closed `rolled-back (weights
 * changed by hand)` with its `y=`: the record keeps both, not which came first. Its words said
 * "lshift decided to roll it back, and its alias was then split" (deploy-result.ts describeWaysOut,
 * the resume's refusal, `lshift check`) — of a split made during a hold that a Ctrl-C's rollback
 * then met at its first write, the other way round (session 68's LOW; a release member's words
 * were fixed in session 68). They now say what the record knows.
 */
import { describe, expect, it } from 'vitest';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import { runCheck } from '../../src/engine/check.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { describeWaysOut } from '../../src/engine/deploy-result.js';
import { resumeDeploy } from '../../src/engine/resume.js';
import { ALARM, ALIAS, createWorld, deadRecord, FN, linear, request, resumeRequest } from './world.js';

const SPLIT = { functionVersion: '1', additionalWeights: { '2': 0.37 } };
const UNKNOWN_ORDER = 'before or after that decision: its record does not say which';

/** Split during the hold, then a Ctrl-C: its rollback's first write meets the split (split first). */
async function splitThenInterrupted() {
  const w = createWorld();
  const controller = new AbortController();
  w.clock.at(w.start + 95_000, () => {
    w.lambda.moveAlias(FN, ALIAS, SPLIT);
    controller.abort();
  });
  const result = await runDeploy(w.deps, request({ ...linear(10, 600), signal: controller.signal }));
  expect(result.status).toBe('unsafe');
  expect(w.store.peek(FN, ALIAS)).toMatchObject({
    phase: 'rolled-back',
    endReason: 'weights changed by hand',
    cause: { code: 'INTERRUPTED' },
  });
  await w.clock.advance(600_000);
  return w;
}

describe('a decided rollback and a split by someone else, order unknown: no "then split"', () => {
  it("the resume's refusal", async () => {
    const w = await splitThenInterrupted();
    const refused = await resumeDeploy(w.deps, resumeRequest()).then(
      () => undefined,
      (error: { code?: string; message: string }) => error,
    );
    expect(refused?.code).toBe('NOTHING_TO_RESUME');
    expect(refused?.message).not.toContain('then split');
    expect(refused?.message).toContain(
      `lshift decided to roll it back, and its alias was split by someone else (a hook, or a person), ${UNKNOWN_ORDER}`,
    );
  });

  it('lshift check (STALLED)', async () => {
    const w = await splitThenInterrupted();
    const report = await runCheck(
      { ...w.deps, store: w.store, owner: 'check:cron@host:1' },
      { functionNames: [FN], alias: ALIAS, windowSeconds: 3600, alarms: [ALARM] },
    );
    const [entry] = report.results;
    expect(entry).toMatchObject({ action: 'stalled' });
    expect(entry?.reason).not.toContain('then split');
    expect(entry?.reason).toContain(
      `and the alias was split by someone else (a hook, or a person), ${UNKNOWN_ORDER}`,
    );
  });

  it("an older lshift's `paused (weights changed by hand)` with its y=: the ways out", () => {
    const w = createWorld();
    const record: DeploymentRecord = deadRecord(w, {
      phase: 'paused',
      endReason: 'weights changed by hand',
      cause: { code: 'HOOK_FAILED', phase: 'pre' },
    });
    const words = describeWaysOut(FN, ALIAS, record);
    expect(words).not.toContain('then split');
    expect(words).toBe(
      `lshift had decided to roll it back, and its alias was split by someone else (a hook, or a person), ${UNKNOWN_ORDER} (\`deploy --resume\` refuses it): put all traffic back on version 1 with \`lshift rollback demo --alias live\``,
    );
  });
});
