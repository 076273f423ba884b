import { describe, expect, it } from 'vitest';
import { describeReason } from '../../src/cli/describe-outcome.js';
import { exitCodeForStatus } from '../../src/cli/exit-codes.js';
import { renderStatus } from '../../src/cli/renderers/status-text.js';
import { ConflictError, OperationError } from '../../src/domain/errors.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { getStatus } from '../../src/engine/status.js';
import type { AliasWrite } from '../../src/ports/lambda.js';
import { aliasWriteDenied } from '../helpers/fake-lambda.js';
import { ALARM, ALIAS, canary, createWorld, FN, linear, request, writesOf } from './world.js';

const isRollbackWrite = (args: unknown[]) => {
  const write = args[2] as AliasWrite;
  return write.functionVersion === '1' && Object.keys(write.additionalWeights).length === 0;
};

describe('runDeploy: AWS failures', () => {
  it('reports unsafe (exit 4) with the alias as last seen and a fix command when the rollback write keeps failing', async () => {
    const w = createWorld();
    w.metrics.setAlarm(ALARM, 'ALARM', { at: w.start + 85_000 });
    w.lambda.fail({
      op: 'updateAlias',
      match: isRollbackWrite,
      times: Number.POSITIVE_INFINITY,
      error: aliasWriteDenied(),
    });
    const result = await runDeploy(w.deps, request(linear(10, 60)));

    expect(result.status).toBe('unsafe');
    expect(exitCodeForStatus(result.status)).toBe(4);
    expect(result.aliasState).toEqual({ functionVersion: '1', additionalWeights: { '2': 0.2 } });
    expect(result.fixCommand).toBe(
      `aws lambda update-alias --function-name demo --name live --function-version 1 --routing-config '{"AdditionalVersionWeights":{}}'`,
    );
    expect(result.rollbackCommand).toBe('lshift rollback demo --alias live');
    expect(describeReason(result)).toMatch(
      /^could not roll back \(at step 2 \(20%\): alarm demo-errors is ALARM: .*\): the alias write failed 4 times \(ACCESS_DENIED: not authorized/,
    );
    expect(describeReason(result)).toContain('alias live is at version 1 (80%) + version 2 (20%)');
    // The code of the last refusal, so the CLI can tell "retry later" from "new credentials".
    expect(result.cause).toMatchObject({ code: 'ROLLBACK_FAILED', data: { errorCode: 'ACCESS_DENIED' } });
    // A refusal no retry passes: 4 attempts, clock sleeps between them, re-reading the alias each time.
    expect(w.lambda.callsOf('updateAlias').filter((c) => isRollbackWrite(c.args))).toHaveLength(4);
    // Three re-reads between the attempts (before them, the holds read it every 30 s too).
    const firstRollbackWrite = w.lambda.callsOf('updateAlias').find((c) => isRollbackWrite(c.args))!.at;
    expect(w.lambda.callsOf('getAlias').filter((c) => c.at > firstRollbackWrite)).toHaveLength(3);
    expect(w.clock.sleeps.slice(-3)).toEqual([500, 1000, 2000]);
    expect(w.sink.ofType('rollback.failed')).toHaveLength(1);
    expect(w.store.peek(FN, ALIAS)?.phase).toBe('failed');
  });

  it('rollback writes whose answer never came (timed out): the alias "was last seen" there, and the last write may have landed', async () => {
    const w = createWorld();
    w.metrics.setAlarm(ALARM, 'ALARM', { at: w.start + 85_000 });
    const timedOut = new OperationError(
      'NETWORK_ERROR',
      'the AWS endpoint did not answer UpdateAlias on demo:live in time (timed out).',
      {},
    );
    w.lambda.fail({
      op: 'updateAlias',
      match: isRollbackWrite,
      times: Number.POSITIVE_INFINITY,
      error: timedOut,
    });
    const result = await runDeploy(w.deps, request(linear(10, 60)));

    expect(result.status).toBe('unsafe');
    const reason = describeReason(result);
    expect(reason).not.toContain('alias live is at');
    expect(reason).toContain(
      'alias live was last seen at version 1 (80%) + version 2 (20%) before the last write, which may have landed (no answer came, or AWS failed inside it)',
    );
    expect(result.cause).toMatchObject({ code: 'ROLLBACK_FAILED', data: { lastWriteUnanswered: true } });
  });

  // Found by a hostile pass: lshift's own 100% write landed unanswered, every rollback write met
  // a 412 and no re-read came back; it said the alias "is at" the split it had left.
  it('rollback writes meeting a 412 with the alias unreadable since: "was last seen", it has changed since', async () => {
    const w = createWorld();
    w.metrics.setAlarm(ALARM, 'ALARM', { at: w.start + 85_000 });
    w.clock.at(w.start + 85_000, () => {
      w.lambda.moveAlias(FN, ALIAS, { functionVersion: '2', additionalWeights: {} });
      w.lambda.fail({ op: 'getAlias', times: Number.POSITIVE_INFINITY });
    });
    const result = await runDeploy(w.deps, request(linear(10, 60)));

    expect(result.status).toBe('unsafe');
    const reason = describeReason(result);
    expect(reason).not.toContain('alias live is at');
    expect(reason).toContain(
      'alias live was last seen at version 1 (80%) + version 2 (20%); it has changed since (its RevisionId moved) and could not be read again',
    );
    expect(result.cause).toMatchObject({ code: 'ROLLBACK_FAILED', data: { aliasStateStale: true } });
  });

  it('retries a failed rollback write with the re-read RevisionId and succeeds', async () => {
    const w = createWorld();
    w.metrics.setAlarm(ALARM, 'ALARM', { at: w.start + 5_000 });
    w.lambda.fail({ op: 'updateAlias', match: isRollbackWrite, times: 2 });
    const result = await runDeploy(w.deps, request(canary(10, 60)));
    expect(result.status).toBe('rolled_back');
    expect(writesOf(w.lambda)).toEqual([
      ['1', { '2': 0.1 }, 'rev-4'],
      ['1', {}, 'rev-5'],
      ['1', {}, 'rev-5'],
      ['1', {}, 'rev-5'],
    ]);
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
  });

  it('accepts a rollback that someone else already did (412, alias fully on stable)', async () => {
    const w = createWorld();
    w.metrics.setAlarm(ALARM, 'ALARM', { at: w.start + 25_000 });
    w.lambda.moveAliasAt(w.start + 25_000, FN, ALIAS, { functionVersion: '1', additionalWeights: {} });
    const result = await runDeploy(w.deps, request(canary(10, 60)));
    expect(result.status).toBe('rolled_back');
    expect(w.lambda.callsOf('updateAlias').map((c) => c.error)).toEqual([undefined, 'ALIAS_CHANGED']);
  });

  it('a 412 mid-shift after an operator’s lshift rollback of this deployment: rolled back by them (exit 3), not a conflict', async () => {
    const w = createWorld();
    const lambda = w.deps.lambda;
    const write = lambda.updateAlias.bind(lambda);
    let writes = 0;
    // The operator's rollback lands just before the second step's weight write: their record
    // says rolled back, the alias is all on version 1, and this write meets the 412.
    lambda.updateAlias = async (...args: Parameters<typeof write>) => {
      writes += 1;
      if (writes === 2) {
        const current = w.store.peek(FN, ALIAS)!;
        w.store.seed(FN, ALIAS, {
          ...current,
          phase: 'rolled-back',
          percent: 0,
          owner: 'rollback:ops@desk:3',
          endedAt: w.clock.now(),
        });
        w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: {} });
      }
      return write(...args);
    };
    const result = await runDeploy(w.deps, request(linear(10, 60)));
    expect(w.lambda.callsOf('updateAlias').map((c) => c.error)).toEqual([undefined, 'ALIAS_CHANGED']);
    expect(result.status).toBe('rolled_back');
    expect(exitCodeForStatus(result.status)).toBe(3);
    expect(result.cause).toMatchObject({
      code: 'ROLLED_BACK_BY_OTHER',
      data: { owner: 'rollback:ops@desk:3' },
    });
    expect(describeReason(result)).toMatch(
      // At step 1's weight, which the alias last had from this run: step 2's write was refused
      // (until session 64 it said "at step 2 (20%)", which never landed; status: step 1).
      /^rolled back by rollback:ops@desk:3 at step 1 \(10%\), while this lshift still ran it \(recorded rolled back at [^)]+\): all traffic is on version 1$/,
    );
    // Their record is left as they wrote it.
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'rolled-back', owner: 'rollback:ops@desk:3' });
  });

  it('stops at once on a 412 mid-shift: a split left, unsafe (exit 4), no further alias write, record closed as changed by hand', async () => {
    const w = createWorld();
    w.lambda.moveAliasAt(w.start + 100_000, FN, ALIAS, {
      functionVersion: '1',
      additionalWeights: { '2': 0.5 },
    });
    const result = await runDeploy(w.deps, request(linear(10, 60)));

    // A split left with nobody driving it: unsafe, exit 4 (DESIGN.md §6; split-mid-shift.test.ts), was a conflict.
    expect(result.status).toBe('unsafe');
    expect(exitCodeForStatus(result.status)).toBe(4);
    expect(describeReason(result)).toContain(
      'alias live of function demo changed underneath at step 3 (30%)',
    );
    expect(describeReason(result)).toContain('moved no more traffic');
    expect(result.aliasState).toEqual({ functionVersion: '1', additionalWeights: { '2': 0.5 } });
    expect(writesOf(w.lambda)).toEqual([
      ['1', { '2': 0.1 }, 'rev-4'],
      ['1', { '2': 0.2 }, 'rev-5'],
      ['1', { '2': 0.3 }, 'rev-6'],
    ]);
    expect(w.lambda.callsOf('updateAlias').at(-1)?.error).toBe('ALIAS_CHANGED');
    expect(w.sink.types()).not.toContain('rollback.started');
    expect(w.sink.warnings()).toContainEqual({
      message: expect.stringContaining('changed underneath at step 3 (30%): someone else moved it'),
      about: 'alias',
    });
    // Only the weights were changed (still between versions 1 and 2): the record is closed as
    // paused, so `lshift deploy --resume` can pick it up; nobody is left driving it.
    expect(w.store.phases()).toEqual(['started', 'shifting', 'paused']);
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ percent: 50, endReason: 'weights changed by hand' });
    // Someone else's write ended the step, not its own health: `stopped`, not `failed`.
    expect(result.steps.at(-1)).toMatchObject({ percent: 30, result: 'stopped' });
  });

  it('a 412 on a step write over an alias moved back to stable says the step that landed, as status does', async () => {
    // h1's pass, session 64: "changed underneath at step 3 (30%)" while status said "stopped at
    // step 2" — step 3's write was refused: the alias last had step 2's weight from this run.
    const w = createWorld();
    w.lambda.moveAliasAt(w.start + 100_000, FN, ALIAS, { functionVersion: '1', additionalWeights: {} });
    const result = await runDeploy(w.deps, request(linear(10, 60)));
    expect(result.status).toBe('conflict');
    expect(describeReason(result)).toContain(
      'alias live of function demo changed underneath at step 2 (20%)',
    );
    expect(describeReason(result)).not.toContain('step 3');
    expect(w.sink.warnings()).toContainEqual({
      message: expect.stringContaining('changed underneath at step 2 (20%): someone else moved it'),
      about: 'alias',
    });
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'rolled-back', stepIndex: 1 });
    const status = renderStatus(await getStatus(w.deps, { functionName: FN, alias: ALIAS, alarms: [] }));
    expect(status).toContain('stopped at step 2');
  });

  it('rolls back when a forward write fails for another reason', async () => {
    const w = createWorld();
    w.lambda.fail({ op: 'updateAlias', nth: 3 });
    const result = await runDeploy(w.deps, request(linear(10, 60)));
    expect(result.status).toBe('rolled_back');
    expect(describeReason(result)).toMatch(
      /^rolled back at step 3 \(30%\): could not write the weight: THROTTLED/,
    );
    expect(writesOf(w.lambda).map((x) => x.slice(0, 2))).toEqual([
      ['1', { '2': 0.1 }],
      ['1', { '2': 0.2 }],
      ['1', { '2': 0.3 }],
      ['1', {}],
    ]);
  });

  it('rolls nothing back when the credentials expire at the first weight write (refused: not applied)', async () => {
    const w = createWorld();
    const expired = new OperationError(
      'CREDENTIALS_INVALID',
      'AWS rejected the credentials for lambda:UpdateAlias on function demo alias live (ExpiredTokenException)',
      { context: { functionName: FN, alias: ALIAS, action: 'lambda:UpdateAlias', notApplied: true } },
    );
    w.lambda.fail({ op: 'updateAlias', times: Number.POSITIVE_INFINITY, error: expired });
    const result = await runDeploy(w.deps, request(linear(10, 60)));
    expect(result.status).toBe('rolled_back');
    expect(result.trafficMoved).toBe(false);
    expect(describeReason(result)).toMatch(
      /could not write the weight: CREDENTIALS_INVALID.*; no traffic was moved$/,
    );
    // The refused 10% write only: no rollback write that would be refused too.
    expect(w.lambda.callsOf('updateAlias')).toHaveLength(1);
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
  });

  it('still rolls back after a refused write when traffic had already moved', async () => {
    const w = createWorld();
    const denied = new OperationError('ACCESS_DENIED', 'no lambda:UpdateAlias', {
      context: { functionName: FN, alias: ALIAS, action: 'lambda:UpdateAlias', notApplied: true },
    });
    w.lambda.fail({ op: 'updateAlias', nth: 2, error: denied });
    const result = await runDeploy(w.deps, request(linear(10, 60)));
    expect(result.status).toBe('rolled_back');
    expect(result.trafficMoved).toBe(true);
    expect(writesOf(w.lambda).map((x) => x.slice(0, 2))).toEqual([
      ['1', { '2': 0.1 }],
      ['1', { '2': 0.2 }],
      ['1', {}],
    ]);
  });

  it('reports a conflict when someone else deploys during our rollback', async () => {
    const w = createWorld();
    w.lambda.addVersion(FN);
    w.metrics.setAlarm(ALARM, 'ALARM', { at: w.start + 25_000 });
    w.lambda.moveAliasAt(w.start + 25_000, FN, ALIAS, { functionVersion: '3', additionalWeights: {} });
    const result = await runDeploy(w.deps, request(canary(10, 60)));
    expect(result.status).toBe('conflict');
    expect(describeReason(result)).toContain('no longer routes to version 2');
    expect(w.lambda.peekAlias(FN, ALIAS)?.functionVersion).toBe('3');
  });

  it('refuses to move traffic when the first record cannot be written (exit 1, alias untouched)', async () => {
    const w = createWorld();
    w.store.failWrites(new OperationError('ACCESS_DENIED', 'no lambda:TagResource'));
    await expect(runDeploy(w.deps, request(canary(10, 60)))).rejects.toMatchObject({ exitCode: 1 });
    expect(w.lambda.callsOf('updateAlias')).toHaveLength(0);
  });

  // A later record write that fails holds the next weight until one lands, and rolls back after
  // the stale limit: test/engine/record-lag-hold.test.ts.

  it('does not say "the shift continues" for a record write that fails while it ends', async () => {
    const w = createWorld();
    w.metrics.setAlarm(ALARM, 'ALARM', { at: w.start + 85_000 });
    w.store.failWritesAfter(1, new OperationError('CREDENTIALS_INVALID', 'expired'));
    w.lambda.fail({ op: 'updateAlias', match: isRollbackWrite, times: Number.POSITIVE_INFINITY });
    const result = await runDeploy(w.deps, request(linear(10, 60)));
    expect(result.status).toBe('unsafe');
    const warnings = w.sink.logs('warn').filter((m) => m.startsWith('could not write the deployment record'));
    expect(warnings.find((m) => m.includes('(rolling-back)'))).toMatch(/; the rollback continues$/);
    expect(warnings.find((m) => m.includes('(failed)'))).toMatch(
      /`lshift status` shows the phase last written/,
    );
    expect(
      warnings.filter((m) =>
        m.endsWith(
          'the shift continues, but moves no more traffic until a write lands, and rolls back once none has landed for 2m',
        ),
      ),
    ).toEqual(warnings.filter((m) => m.includes('(shifting)')));
  });

  it('fails before any write when the record cannot be read in preflight', async () => {
    const w = createWorld();
    w.store.failReads(new OperationError('ACCESS_DENIED', 'no lambda:ListTags'));
    await expect(runDeploy(w.deps, request())).rejects.toMatchObject({
      code: 'STATE_UNREADABLE',
      exitCode: 1,
    });
    expect(w.lambda.callsOf('updateAlias')).toHaveLength(0);
  });

  it('rejects a plan that does not end at 100% before touching AWS', async () => {
    const w = createWorld();
    const bad = linear(10, 60);
    bad.plan.steps.pop();
    await expect(runDeploy(w.deps, request(bad))).rejects.toMatchObject({
      code: 'PLAN_INVALID',
      exitCode: 2,
    });
    expect(w.lambda.calls).toHaveLength(0);
  });

  it('maps a 412 on the very first write to conflict with nothing written', async () => {
    const w = createWorld();
    w.lambda.fail({
      op: 'updateAlias',
      error: new ConflictError('ALIAS_CHANGED', 'Someone else changed function demo alias live'),
    });
    const result = await runDeploy(w.deps, request(canary(10, 60)));
    expect(result.status).toBe('conflict');
    expect(w.lambda.callsOf('updateAlias')).toHaveLength(1);
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
  });
});
