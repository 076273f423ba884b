/**
 * A deployment record that does not add up (issue 9 case 7) is never acted on: rollback, status
 * and deploy's preflight refuse it with RECORD_INVALID naming the tag and the command that
 * clears it, and nothing is written.
 */
import { describe, expect, it } from 'vitest';
import { decodeRecord } from '../../src/domain/deployment-record.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { runPreflight } from '../../src/engine/preflight.js';
import { rollbackDeployment } from '../../src/engine/rollback.js';
import { getStatus } from '../../src/engine/status.js';
import { ALARM, ALIAS, createWorld, deadRecord, FN, leaveDeployment, request, type World } from './world.js';

const CLEAR = `aws lambda untag-resource --resource $(aws lambda get-function --function-name ${FN} --query Configuration.FunctionArn --output text) --tag-keys lshift:${ALIAS}`;

function rollback(w: World, to?: string) {
  return rollbackDeployment(w.deps, { functionName: FN, alias: ALIAS, reason: 'manual rollback', to });
}

function noWrites(w: World): void {
  expect(w.lambda.callsOf('updateAlias')).toHaveLength(0);
  expect(w.store.writes).toHaveLength(0);
}

describe('a record that does not add up', () => {
  it('rollback refuses a 999999% weight with RECORD_INVALID naming the tag and how to clear it', async () => {
    const w = createWorld();
    leaveDeployment(w, deadRecord(w, { percent: 999999 }), 20);
    const error = await rollback(w).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'RECORD_INVALID', exitCode: 1 });
    const { message, hint } = error as { message: string; hint: string };
    expect(message).toContain('`lshift:live` on function demo does not add up');
    expect(message).toContain('weight 999999% is outside 0–100%');
    expect(hint).toContain(CLEAR);
    expect(hint).toContain('--to 1');
    noWrites(w);
  });

  // Found by a hostile pass: a reader 3 h behind the record's writer was told first to delete it.
  it('a record from the future: the hint asks first whether this machine’s clock is behind', async () => {
    const w = createWorld();
    leaveDeployment(
      w,
      deadRecord(w, { startedAt: w.start + 3 * 3600_000, heartbeatAt: w.start + 3 * 3600_000 }),
      20,
    );
    const error = await rollback(w).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'RECORD_INVALID' });
    const { message, hint } = error as { message: string; hint: string };
    expect(message).toContain("ahead of this machine's clock");
    expect(hint).toMatch(
      /^First check this machine's clock \(`date`, NTP\): if it is behind, the record may be right/,
    );
    expect(hint.indexOf('NTP')).toBeLessThan(hint.indexOf(CLEAR));
    noWrites(w);
  });

  // Found by a hostile pass: with LSHIFT_SANDBOX set (lshift following the sandbox's clock), the
  // hint still said "set LSHIFT_SANDBOX so lshift follows its clock".
  it('a record from the future, lshift following a sandbox’s clock: no advice to set LSHIFT_SANDBOX', async () => {
    const w = createWorld();
    (w.clock as { followsSandbox?: true }).followsSandbox = true;
    const ahead = w.start + 3 * 3600_000;
    leaveDeployment(w, deadRecord(w, { startedAt: ahead, heartbeatAt: ahead }), 20);
    const error = (await rollback(w).catch((e: unknown) => e)) as {
      code: string;
      message: string;
      hint: string;
    };
    expect(error.code).toBe('RECORD_INVALID');
    // The message says the clock it was compared with (it said "this machine's clock"; found by a docs audit).
    expect(error.message).toContain("(3h ahead of the sandbox's clock,");
    expect(error.message).not.toContain("ahead of this machine's clock");
    expect(error.hint).not.toContain('set LSHIFT_SANDBOX');
    expect(error.hint).toMatch(
      /^lshift follows the sandbox's clock here \(LSHIFT_SANDBOX or --sandbox\), so the record was written on a clock ahead of it/,
    );
    expect(error.hint).toContain(CLEAR);
    const status = await getStatus(w.deps, { functionName: FN, alias: ALIAS, alarms: [] });
    expect(status.recordError).toContain("lshift follows the sandbox's clock here");
    expect(status.recordError).toContain("ahead of the sandbox's clock,");
    expect(status.recordError).not.toContain("ahead of this machine's clock");
    expect(status.recordError).not.toContain('set LSHIFT_SANDBOX');
    noWrites(w);
  });

  it('a record wrong in another way: no word of the clock', async () => {
    const w = createWorld();
    leaveDeployment(w, deadRecord(w, { percent: 999999 }), 20);
    const error = (await rollback(w).catch((e: unknown) => e)) as { hint: string };
    expect(error.hint).not.toContain('NTP');
  });

  // Moved by hand (update-alias to a version of its own), the record itself sound: RECORD_INVALID
  // told the person to delete the tag by hand. Now the refusal names both ways out, and --to
  // closes the deployment where the person put traffic (found by a hostile pass over releases).
  it('rollback refuses to guess for a shifting record whose alias was moved by hand, and --to closes it', async () => {
    const w = createWorld();
    w.lambda.addVersion(FN);
    w.store.seed(FN, ALIAS, deadRecord(w, { stableVersion: '1', targetVersion: '2', percent: 20 }));
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '3', additionalWeights: {} });
    await expect(rollback(w)).rejects.toMatchObject({
      code: 'NOTHING_TO_ROLL_BACK',
      exitCode: 2,
      message:
        'Alias live of function demo routes all traffic to version 3, which deployment d-dead01 (version 1 → 2, 20% when last recorded) never wrote: someone moved it (by hand, or with `lshift rollback --to`), so lshift will not guess where its traffic should go.',
      hint: 'Put all traffic on its stable version 1 and close the deployment: `lshift rollback demo --alias live --to 1`; or keep version 3 and close it: `lshift alias demo live 3`.',
    });
    noWrites(w);
    const forced = await rollback(w, '1');
    expect(forced).toMatchObject({ status: 'rolled_back', fromVersion: '3', toVersion: '1' });
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'rolled-back', percent: 0, stableVersion: '1' });
  });

  // Split with its stable version as the main one: `lshift alias demo live 1` ("keep version 1")
  // is that same rollback, offered beside it as a second way (session 70). One way out; split
  // the other way round, the alias command moves traffic too: not called "keep".
  it.each([
    [
      'main version the stable one: the --to rollback alone',
      { functionVersion: '1', additionalWeights: { '3': 0.55 } },
      'Put all traffic on its stable version 1 and close the deployment: `lshift rollback demo --alias live --to 1`.',
    ],
    [
      'main version a foreign one: both, not "keep"',
      { functionVersion: '3', additionalWeights: { '1': 0.3 } },
      'Put all traffic on its stable version 1 and close the deployment: `lshift rollback demo --alias live --to 1`; or put all traffic on version 3, its main version now, and close it: `lshift alias demo live 3`.',
    ],
  ])('a split moved by hand, %s', async (_name, routing, hint) => {
    const w = createWorld();
    w.lambda.addVersion(FN);
    w.store.seed(FN, ALIAS, deadRecord(w, { stableVersion: '1', targetVersion: '2', percent: 20 }));
    w.lambda.moveAlias(FN, ALIAS, routing);
    await expect(rollback(w)).rejects.toMatchObject({ code: 'NOTHING_TO_ROLL_BACK', exitCode: 2, hint });
    noWrites(w);
  });

  it('rollback --to the version someone moved the alias to closes the deployment there (a fence write)', async () => {
    const w = createWorld();
    w.lambda.addVersion(FN);
    w.store.seed(FN, ALIAS, deadRecord(w, { stableVersion: '1', targetVersion: '2', percent: 20 }));
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '3', additionalWeights: {} });
    const kept = await rollback(w, '3');
    expect(kept).toMatchObject({ status: 'nothing_to_deploy', toVersion: '3' });
    expect(w.lambda.callsOf('updateAlias')).toHaveLength(1);
    expect(w.store.peek(FN, ALIAS)).toMatchObject({
      phase: 'rolled-back',
      endReason: 'rolled back to version 3',
    });
  });

  it('a record that is wrong in itself stays RECORD_INVALID however the alias routes', async () => {
    const w = createWorld();
    w.lambda.addVersion(FN);
    w.store.seed(FN, ALIAS, deadRecord(w, { stableVersion: '1', targetVersion: '2', percent: 999999 }));
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '3', additionalWeights: {} });
    await expect(rollback(w)).rejects.toMatchObject({ code: 'RECORD_INVALID' });
    noWrites(w);
  });

  it('status does not show a record whose heartbeat is in the future (it would look alive forever)', async () => {
    const w = createWorld();
    leaveDeployment(w, deadRecord(w, { heartbeatAt: w.start + 365 * 24 * 3600_000 }), 20);
    const status = await getStatus(w.deps, { functionName: FN, alias: ALIAS, alarms: [] });
    expect(status.record).toBeUndefined();
    expect(status.recordError).toContain('heartbeat 2027-01-01T00:00:00.000Z is in the future');
    expect(status.recordError).toContain(CLEAR);
    // Said by `lshift status` itself: no advice to run `lshift status`.
    expect(status.recordError).not.toContain('lshift status');
    expect(status.recordError).toContain(
      'If no deployment is in progress (this status shows where the alias routes traffic), delete the record with',
    );
  });

  it('deploy preflight refuses it before any write', async () => {
    const w = createWorld();
    leaveDeployment(
      w,
      deadRecord(w, { phase: 'promoted', stableVersion: '$LATEST', targetVersion: '1' }),
      100,
    );
    await expect(
      runPreflight(w.deps, { functionName: FN, alias: ALIAS, targetVersion: '2', alarms: [ALARM] }),
    ).rejects.toMatchObject({ code: 'RECORD_INVALID', hint: expect.stringContaining(CLEAR) });
  });

  it('deploy preflight says a corrupt tag is unreadable and how to clear it (not a lambda:ListTags hint)', async () => {
    const w = createWorld();
    const corrupt = (() => {
      try {
        return decodeRecord('v1 id=d-x garbage', { functionName: FN, alias: ALIAS });
      } catch (error) {
        return error as Error;
      }
    })() as Error;
    w.store.failReads(corrupt);
    const error = await runPreflight(w.deps, {
      functionName: FN,
      alias: ALIAS,
      targetVersion: '2',
      alarms: [ALARM],
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'RECORD_CORRUPT', exitCode: 1 });
    expect((error as Error).message).toContain('Tag `lshift:live` on function demo is unreadable');
    expect((error as { hint: string }).hint).toContain(CLEAR);
    expect((error as { hint: string }).hint).not.toContain('ListTags');
  });
});

/** A tag lshift cannot decode at all (RECORD_CORRUPT), as the store throws it. */
function corruptTag(): Error {
  try {
    decodeRecord('v1 id=d-x garbage', { functionName: FN, alias: ALIAS });
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the tag to be refused');
}

// On a split alias a corrupt tag was skipped with a warning and the alias drained to its primary
// version (a guess), while one that does not add up (RECORD_INVALID) refused: both refuse now.
describe('rollback and a corrupt record on a split alias', () => {
  it('refuses without --to, naming the --to that works, and writes nothing', async () => {
    const w = createWorld();
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: { '2': 0.3 } });
    w.store.failReads(corruptTag());
    const error = await rollback(w).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'RECORD_CORRUPT', exitCode: 1 });
    expect((error as { hint: string }).hint).toContain(CLEAR);
    expect((error as { hint: string }).hint).toContain('`lshift rollback demo --alias live --to 1`');
    expect(w.lambda.callsOf('updateAlias')).toEqual([]);
  });

  it('rolls back with --to, the record left as it is', async () => {
    const w = createWorld();
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: { '2': 0.3 } });
    w.store.failReads(corruptTag());
    const result = await rollback(w, '1');
    expect(result.status).toBe('rolled_back');
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
  });
});

describe('deploy --supersede and a record that does not add up', () => {
  it('refuses before rolling anything back', async () => {
    const w = createWorld();
    w.lambda.addVersion(FN);
    leaveDeployment(w, deadRecord(w, { percent: 999999, heartbeatAt: w.start - 600_000 }), 20);
    await expect(runDeploy(w.deps, request({ targetVersion: '3', supersede: true }))).rejects.toMatchObject({
      code: 'RECORD_INVALID',
    });
    noWrites(w);
  });
});
