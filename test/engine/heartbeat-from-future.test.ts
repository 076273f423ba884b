/**
 * A deployment record whose heartbeat is far ahead of this machine's clock (an edited tag, or a
 * claimer whose clock ran 100 hours ahead): no sign of a live writer (src/domain/heartbeat-age.ts).
 * `lshift rollback` waited a minute for such a claim and then gave up (exit 4), and would have
 * for as long as its clock was ahead. Now no command waits for it: each refuses the record
 * (RECORD_INVALID, exit 1) at once, naming how far ahead it is; `rollback --to` rolls back
 * without it; a runner following such a claim stops at once (exit 4) with the fix. A heartbeat
 * ahead by less than the 5-minute limit is still a live claimer, waited for as before.
 */
import { describe, expect, it } from 'vitest';
import { describeReason } from '../../src/cli/describe-outcome.js';
import { exitCodeForCheck, exitCodeForStatus } from '../../src/cli/exit-codes.js';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import { runCheck } from '../../src/engine/check.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { rollbackReleaseClaimed } from '../../src/engine/release-rollback-claim.js';
import { resumeDeploy } from '../../src/engine/resume.js';
import { rollbackClaimed } from '../../src/engine/rollback-claim.js';
import { FOLLOW_ROLLBACK_MS } from '../../src/engine/settle-result.js';
import { abandonedRelease, NAMES, RELEASE } from './release-world.js';
import {
  ALARM,
  ALIAS,
  allAtOnce,
  canary,
  createWorld,
  deadRecord,
  FN,
  leaveDeployment,
  request,
  resumeRequest,
  type World,
} from './world.js';

const HOURS_100 = 100 * 3600_000;
const AHEAD_TEXT =
  "heartbeat 2026-01-05T04:00:00.000Z is in the future (4d 4h ahead of this machine's clock, more than the 5 minutes AWS lets two clocks differ by), so it is no sign of a live writer and lshift does not wait for it";
const FAR = 'rollback:bob@far:9';

/** Version 3 exists; the alias is split 20% to version 2 under a record whose heartbeat is `aheadMs` ahead. */
function worldAhead(aheadMs: number, overrides: Partial<DeploymentRecord> = {}): World {
  const w = createWorld();
  w.lambda.addVersion(FN);
  const record = deadRecord(w, {
    phase: 'rolling-back',
    owner: FAR,
    heartbeatAt: w.start + aheadMs,
    ...overrides,
  });
  leaveDeployment(w, record);
  return w;
}

const split = { functionVersion: '1', additionalWeights: { '2': 0.2 } };

function personRollback(w: World, to?: string) {
  return rollbackClaimed(
    { ...w.deps, store: w.store, owner: 'rollback:ann@laptop:41' },
    { functionName: FN, alias: ALIAS, reason: 'manual rollback', ...(to ? { to } : {}) },
  );
}

describe('lshift rollback: a claim whose heartbeat is 100 hours ahead', () => {
  it('is not waited for: RECORD_INVALID (exit 1) at once, saying how far ahead, with the --to command', async () => {
    const w = worldAhead(HOURS_100);
    const before = w.store.peek(FN, ALIAS);
    await expect(personRollback(w)).rejects.toMatchObject({
      code: 'RECORD_INVALID',
      exitCode: 1,
      message: expect.stringContaining(AHEAD_TEXT),
      hint: expect.stringContaining('lshift rollback demo --alias live --to 1'),
    });
    expect(w.clock.now()).toBe(w.start);
    expect(w.store.peek(FN, ALIAS)).toEqual(before);
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject(split);
  });

  it('with --to: rolled back there at once, the record neither claimed nor rewritten', async () => {
    const w = worldAhead(HOURS_100);
    const before = w.store.peek(FN, ALIAS);
    const result = await personRollback(w, '1');
    expect(result.status).toBe('rolled_back');
    expect(result.byOther).toBeUndefined();
    expect(w.clock.now() - w.start).toBeLessThan(10_000);
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
    expect(w.store.peek(FN, ALIAS)).toEqual(before);
    const warned = w.sink.ofType('log').map((e) => e.message);
    expect(warned).toContainEqual(expect.stringContaining(AHEAD_TEXT));
  });

  it('a claim 3 minutes ahead (within the skew limit) is still a live claimer: waited for', async () => {
    const w = worldAhead(3 * 60_000);
    const result = await personRollback(w);
    expect(result.byOther).toMatchObject({ owner: FAR, done: false });
    expect(w.clock.now() - w.start).toBeGreaterThanOrEqual(60_000);
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject(split);
  });
});

describe('lshift check: a record whose heartbeat is 100 hours ahead', () => {
  it.each([
    ['a rollback claim', 'rolling-back', FAR],
    ['a shifting deployment', 'shifting', 'ci@runner:7'],
  ] as const)(
    // Its alias split (worldAhead): exit 4 with the --to rollback, a split nothing will finish.
    '%s: an error for that function (exit 4, its alias split) at once, nothing touched',
    async (_what, phase, owner) => {
      const w = worldAhead(HOURS_100, { phase, owner });
      w.metrics.setAlarm(ALARM, 'ALARM');
      const report = await runCheck(
        { ...w.deps, store: w.store, owner: 'check:cron@host-b:2' },
        { functionNames: [FN], alias: ALIAS, windowSeconds: 3600, alarms: [ALARM] },
      );
      expect(report.results[0]).toMatchObject({
        action: 'error',
        reason: expect.stringContaining(AHEAD_TEXT),
        stalled: true,
      });
      expect(report.results[0]!.reason).toContain(`lshift rollback ${FN} --alias ${ALIAS} --to`);
      expect(exitCodeForCheck(report)).toBe(4);
      expect(w.clock.now()).toBe(w.start);
      expect(w.lambda.callsOf('updateAlias')).toHaveLength(0);
    },
  );
});

describe('deploy --supersede and --resume: a record whose heartbeat is 100 hours ahead', () => {
  it.each([
    ['--supersede', true],
    ['a new deploy', false],
  ])('%s refuses it (RECORD_INVALID, exit 1) at once and writes nothing', async (_what, supersede) => {
    const w = worldAhead(HOURS_100);
    const deploy = runDeploy(
      w.deps,
      request({ ...allAtOnce(), targetVersion: '3', deploymentId: 'd-new001', supersede }),
    );
    await expect(deploy).rejects.toMatchObject({
      code: 'RECORD_INVALID',
      message: expect.stringContaining(AHEAD_TEXT),
    });
    expect(w.clock.now()).toBe(w.start);
    expect(w.lambda.callsOf('updateAlias')).toHaveLength(0);
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject(split);
  });

  it('--resume refuses it (RECORD_INVALID, exit 1) at once: it is no live runner to wait for, nor one to take over', async () => {
    const w = worldAhead(HOURS_100, { phase: 'shifting', owner: 'ci@runner:7' });
    await expect(resumeDeploy(w.deps, resumeRequest())).rejects.toMatchObject({
      code: 'RECORD_INVALID',
      message: expect.stringContaining(AHEAD_TEXT),
    });
    expect(w.clock.now()).toBe(w.start);
    expect(w.lambda.callsOf('updateAlias')).toHaveLength(0);
  });
});

describe('a deploy runner whose deployment a claim from 100 hours ahead took', () => {
  it('does not follow it for the whole bound: unsafe (exit 4) at once, saying how far ahead and the fix', async () => {
    const w = createWorld({ auto: false });
    w.clock.after(100_000, () => {
      w.store.seed(FN, ALIAS, {
        ...w.store.peek(FN, ALIAS)!,
        phase: 'rolling-back',
        owner: FAR,
        heartbeatAt: w.clock.now() + HOURS_100,
      });
    });
    const done = runDeploy(w.deps, request(canary(10, 3600)));
    await w.clock.advance(0);
    await w.clock.advance(130_000 + FOLLOW_ROLLBACK_MS + 60_000);
    const result = await done;
    expect(result.status).toBe('unsafe');
    expect(exitCodeForStatus(result.status)).toBe(4);
    expect(result.cause).toMatchObject({ code: 'ROLLBACK_ABANDONED', data: { owner: FAR } });
    // Stopped at the heartbeat that found the claim, not after following it for FOLLOW_ROLLBACK_MS.
    expect(result.endedAt! - w.start).toBeLessThan(100_000 + FOLLOW_ROLLBACK_MS);
    expect(result.fixCommand).toContain('--function-version 1');
    expect(describeReason(result)).toContain(
      "its claim's heartbeat 2026-01-05T04:01:40Z is 4d 4h ahead of this machine's clock, no sign of a live claimer, so this runner did not wait for it",
    );
  });
});

describe("a deploy runner following a sandbox's clock whose deployment a claim from 100 hours ahead took", () => {
  // The claim's heartbeat was compared with the sandbox's clock: the reason said "ahead of this
  // machine's clock" (found by a docs audit).
  it("says the claim's heartbeat is ahead of the sandbox's clock", async () => {
    const w = createWorld({ auto: false });
    (w.clock as { followsSandbox?: true }).followsSandbox = true;
    w.clock.after(100_000, () => {
      w.store.seed(FN, ALIAS, {
        ...w.store.peek(FN, ALIAS)!,
        phase: 'rolling-back',
        owner: FAR,
        heartbeatAt: w.clock.now() + HOURS_100,
      });
    });
    const done = runDeploy(w.deps, request(canary(10, 3600)));
    await w.clock.advance(0);
    await w.clock.advance(130_000 + FOLLOW_ROLLBACK_MS + 60_000);
    const result = await done;
    expect(result.cause).toMatchObject({
      code: 'ROLLBACK_ABANDONED',
      data: { owner: FAR, sandboxClock: true },
    });
    const reason = describeReason(result);
    expect(reason).toContain(
      "its claim's heartbeat 2026-01-05T04:01:40Z is 4d 4h ahead of the sandbox's clock, no sign of a live claimer",
    );
    expect(reason).not.toContain("this machine's clock");
  });
});

describe('lshift rollback --release: one function’s record a claim 100 hours ahead', () => {
  it('that function is neither waited for nor claimed (an error naming how far ahead); the others are rolled back', async () => {
    const w = abandonedRelease();
    const fbBefore = {
      ...w.store.peek('fb', ALIAS)!,
      phase: 'rolling-back' as const,
      owner: FAR,
      heartbeatAt: w.start + HOURS_100,
    };
    w.store.seed('fb', ALIAS, fbBefore);
    const result = await rollbackReleaseClaimed(
      { ...w.deps, store: w.store, owner: 'rollback:ann@laptop:41' },
      {
        releaseId: RELEASE,
        targets: NAMES.map((functionName) => ({ functionName, alias: ALIAS })),
        reason: 'manual rollback',
      },
    );
    expect(result.errors).toEqual([
      {
        functionName: 'fb',
        alias: ALIAS,
        // The way out `lshift rollback fb` names for such a record: the --to that needs no record.
        message: `its deployment record does not add up: ${AHEAD_TEXT}; pass --to to roll back without it (all traffic to the primary version: \`lshift rollback fb --alias live --to 1\`)`,
        // Not rolled back and left split: a human must look (exit 4, release-errors-split.ts).
        aliasState: { functionVersion: '1', additionalWeights: { '2': 0.25 } },
        fixCommand: `aws lambda update-alias --function-name fb --name live --function-version 1 --routing-config '{"AdditionalVersionWeights":{}}'`,
        leftSplit: true,
      },
    ]);
    expect(result.status).toBe('unsafe');
    expect(result.functions.map((f) => [f.functionName, f.status])).toEqual([
      ['fa', 'rolled_back'],
      ['fc', 'rolled_back'],
    ]);
    expect(w.clock.now() - w.start).toBeLessThan(60_000);
    expect(w.store.peek('fb', ALIAS)).toEqual(fbBefore);
    expect(w.lambda.peekAlias('fb', ALIAS)).toMatchObject({
      functionVersion: '1',
      additionalWeights: { '2': 0.25 },
    });
    for (const fn of ['fa', 'fc'])
      expect(w.lambda.peekAlias(fn, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
  });

  // Following a sandbox's clock (LSHIFT_SANDBOX), the heartbeat was compared with the sandbox's
  // clock, not this machine's: the error said "this machine's clock" (found by a docs audit).
  it("following a sandbox's clock, the error says the sandbox's clock", async () => {
    const w = abandonedRelease();
    (w.clock as { followsSandbox?: true }).followsSandbox = true;
    w.store.seed('fb', ALIAS, {
      ...w.store.peek('fb', ALIAS)!,
      phase: 'rolling-back' as const,
      owner: FAR,
      heartbeatAt: w.start + HOURS_100,
    });
    const result = await rollbackReleaseClaimed(
      { ...w.deps, store: w.store, owner: 'rollback:ann@laptop:41' },
      {
        releaseId: RELEASE,
        targets: NAMES.map((functionName) => ({ functionName, alias: ALIAS })),
        reason: 'manual rollback',
      },
    );
    expect(result.errors.map((e) => e.message)).toEqual([
      `its deployment record does not add up: ${AHEAD_TEXT.replace("this machine's", "the sandbox's")}; pass --to to roll back without it (all traffic to the primary version: \`lshift rollback fb --alias live --to 1\`)`,
    ]);
  });
});
