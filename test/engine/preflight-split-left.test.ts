/**
 * Preflight over a split a closed deployment left (preflight-split.ts): it said "a shift is in
 * progress or was left unfinished", offered a plain `lshift rollback` (refused over a split of
 * other versions: it needs `--to`) and `--supersede` to a release, which refuses it.
 */
import { describe, expect, it } from 'vitest';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import { type PreflightRequest, runPreflight } from '../../src/engine/preflight.js';
import { ALARM, ALIAS, createWorld, FN, type World } from './world.js';

function closed(w: World, overrides: Partial<DeploymentRecord>): DeploymentRecord {
  return {
    id: 'd-left01',
    stableVersion: '1',
    targetVersion: '2',
    strategy: 'linear:10%:1m',
    stepIndex: 0,
    percent: 0,
    phase: 'rolled-back',
    startedAt: w.start - 600_000,
    endedAt: w.start - 60_000,
    owner: 'ci@runner:7',
    heartbeatAt: w.start - 60_000,
    history: [],
    ...overrides,
  };
}

async function refusal(w: World, overrides: Partial<PreflightRequest> = {}) {
  const run = runPreflight(w.deps, {
    functionName: FN,
    alias: ALIAS,
    targetVersion: '2',
    alarms: [ALARM],
    ...overrides,
  });
  const error = await run.then(
    () => undefined,
    (e: unknown) => e as { code: string; exitCode: number; message: string; hint?: string },
  );
  expect(error).toBeDefined();
  return error as { code: string; exitCode: number; message: string; hint?: string };
}

describe('preflight over a split its last deployment left', () => {
  it('a split of versions it does not place: names the deployment, nobody drives it, rollback --to its stable', async () => {
    const w = createWorld();
    const three = w.lambda.addVersion(FN);
    w.store.seed(FN, ALIAS, closed(w, { endReason: `moved by hand to a split: 70% on ${three}, 30% on 1` }));
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: three, additionalWeights: { '1': 0.3 } });
    const error = await refusal(w);
    expect(error).toMatchObject({ code: 'SHIFT_IN_PROGRESS', exitCode: 5 });
    expect(error.message).toBe(
      `Alias live of function demo is already split (version ${three} plus version 1 at 30%): deployment d-left01 met it split by someone else and left it (closed rolled-back: moved by hand to a split: 70% on ${three}, 30% on 1); no lshift deployment drives that split.`,
    );
    expect(error.hint).toBe(
      `See it with \`lshift status demo --alias live\`; put all traffic back on version 1 with \`lshift rollback demo --alias live --to 1\`, or put all traffic on version ${three} and deploy from it in one go with \`--supersede\`.`,
    );
  });

  it('a CodeDeploy kept split of its own versions, met by a release: its rollback, no --supersede', async () => {
    const w = createWorld();
    w.store.seed(FN, ALIAS, closed(w, { engine: 'codedeploy', endReason: 'weights changed by hand' }));
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: { '2': 0.3 } });
    const error = await refusal(w, {
      draftRecord: { releaseId: 'r-abc123' } as PreflightRequest['draftRecord'],
    });
    expect(error.message).toMatch(
      /deployment d-left01 met it split by someone else and left it \(closed rolled-back: weights changed by hand\); no lshift deployment drives that split\.$/,
    );
    expect(error.hint).toBe(
      'See it with `lshift status demo --alias live`; put all traffic back on version 1 with `lshift rollback demo --alias live`.',
    );
  });

  it('no record: the old words, but a release is not offered --supersede', async () => {
    const w = createWorld();
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: { '2': 0.3 } });
    const error = await refusal(w, {
      draftRecord: { releaseId: 'r-abc123' } as PreflightRequest['draftRecord'],
    });
    expect(error.message).toMatch(/a shift is in progress or was left unfinished\.$/);
    expect(error.hint).not.toMatch(/--supersede/);
  });
});
