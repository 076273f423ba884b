/**
 * An `abort` sent during the waits for provisioned concurrency that follow no weight write: the
 * `--warm` wait before any traffic moves (up to 10 minutes) and a resumed deployment's wait with
 * all traffic on its new version (up to 5). Each is obeyed within a poll interval, as during the
 * wait after a weight write (operator-abort-pc-wait.test.ts): the wait ends, the command is
 * answered `done`, and the deployment ends with OPERATOR_ABORTED — `--warm` with nothing moved and
 * its temporary provisioned concurrency removed, the resumed one rolled back to its stable version.
 */
import { describe, expect, it } from 'vitest';
import { describeReason } from '../../src/cli/describe-outcome.js';
import type { OperatorCommand, OperatorVerb } from '../../src/domain/operator-command.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { resumeDeploy } from '../../src/engine/resume.js';
import {
  ALIAS,
  canary,
  createWorld,
  deadRecord,
  driven,
  FN,
  leaveDeployment,
  request,
  resumeRequest,
  type World,
  writesOf,
} from './world.js';

const POLL_MS = 10_000;
/** Lambda allocates for 8 minutes (96 reads 5 s apart). */
const EIGHT_MINUTES_IN_PROGRESS = Array<'IN_PROGRESS'>(96).fill('IN_PROGRESS');

function sendAt(w: World, atMs: number, verb: OperatorVerb, nonce: string): void {
  w.clock.at(w.start + atMs, () => {
    const command: OperatorCommand = { verb, nonce, state: 'sent', by: 'ann@laptop:9', reason: 'pager' };
    w.store.seed(FN, ALIAS, { ...w.store.peek(FN, ALIAS)!, command });
  });
}

const obeyed = (w: World) =>
  w.sink.events.flatMap((e) =>
    e.type === 'operator.command' ? [{ verb: e.verb, obeyed: e.obeyed, at: e.at - w.start }] : [],
  );

/** The provisioned-concurrency calls and alias writes, in order. */
function timeline(w: World): string[] {
  return w.lambda.calls
    .filter((c) =>
      ['putProvisionedConcurrency', 'deleteProvisionedConcurrency', 'updateAlias'].includes(c.op),
    )
    .map((c) => (c.op === 'updateAlias' ? 'updateAlias' : `${c.op}(${c.args.slice(1).join(',')})`));
}

describe('an abort sent during the --warm wait, before any traffic moves', () => {
  it('is obeyed within a poll: the wait ends, the temporary config removed, nothing moved, OPERATOR_ABORTED', async () => {
    const w = createWorld({ auto: false });
    w.lambda.setProvisionedConcurrency(FN, '1', 10);
    w.lambda.setPcAfterPut(FN, '2', EIGHT_MINUTES_IN_PROGRESS);
    sendAt(w, 33_000, 'abort', 'a1');
    const result = await driven(w, runDeploy(w.deps, request({ ...canary(10, 60), warm: true })));

    expect(result.status).toBe('rolled_back');
    expect(result.trafficMoved).toBe(false);
    expect(result.cause).toMatchObject({ code: 'OPERATOR_ABORTED', data: { by: 'ann@laptop:9' } });
    expect(describeReason(result)).toBe('aborted by ann@laptop:9: pager; no traffic was moved');
    const [abort, ...more] = obeyed(w);
    expect(more).toEqual([]);
    expect(abort).toMatchObject({ verb: 'abort', obeyed: true });
    expect(abort!.at).toBeLessThanOrEqual(33_000 + POLL_MS);
    expect(w.store.peek(FN, ALIAS)?.command).toMatchObject({ nonce: 'a1', state: 'done' });
    // No weight written; the temporary config removed once, when the wait ended.
    expect(timeline(w)).toEqual(['putProvisionedConcurrency(2,1)', 'deleteProvisionedConcurrency(2)']);
    const removed = w.lambda.callsOf('deleteProvisionedConcurrency')[0]!.at;
    expect(removed - (w.start + 33_000)).toBeLessThanOrEqual(POLL_MS + 1_000);
    expect(w.lambda.callsOf('getProvisionedConcurrency').filter((c) => c.at > removed)).toEqual([]);
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'rolled-back' });
  });

  it("reads the record about once a poll interval, not at each of the wait's 5 s reads", async () => {
    const w = createWorld({ auto: false });
    w.lambda.setProvisionedConcurrency(FN, '1', 10);
    w.lambda.setPcAfterPut(FN, '2', Array<'IN_PROGRESS'>(48).fill('IN_PROGRESS'));
    const reads: number[] = [];
    const read = w.store.read.bind(w.store);
    w.store.read = async (f, a) => {
      reads.push(w.clock.now() - w.start);
      return read(f, a);
    };
    const result = await driven(w, runDeploy(w.deps, request({ ...canary(10, 60), warm: true })));
    expect(result.status).toBe('promoted');
    const firstWrite = w.lambda.callsOf('updateAlias')[0]!.at - w.start;
    const during = reads.filter((at) => at > 0 && at < firstWrite);
    // 4 minutes of warm-up: about one read each 10 s poll (24), never one per 5 s read of the allocation.
    expect(during.length).toBeGreaterThanOrEqual(20);
    expect(during.length).toBeLessThanOrEqual(25);
  });

  it('a pause sent during the wait is left for the first poll of the hold', async () => {
    const w = createWorld({ auto: false });
    w.lambda.setProvisionedConcurrency(FN, '1', 10);
    w.lambda.setPcAfterPut(FN, '2', Array<'IN_PROGRESS'>(12).fill('IN_PROGRESS'));
    sendAt(w, 20_000, 'pause', 'q1');
    sendAt(w, 200_000, 'resume', 'q2');
    const result = await driven(w, runDeploy(w.deps, request({ ...canary(10, 60), warm: true })));
    expect(result.status).toBe('promoted');
    const [pause] = obeyed(w);
    expect(pause).toMatchObject({ verb: 'pause', obeyed: true });
    expect(pause!.at).toBeGreaterThanOrEqual(60_000);
  });
});

describe("an abort sent during a resumed deployment's wait with all traffic on its new version", () => {
  it('is obeyed within a poll: the wait ends, the alias put back on the stable version, OPERATOR_ABORTED', async () => {
    const w = createWorld({ auto: false });
    leaveDeployment(w, deadRecord(w, { stepIndex: 1, percent: 100, strategy: 'canary:10%:1m' }), 100);
    // The dead runner's write to 100% left the alias's allocation IN_PROGRESS.
    w.lambda.setPcAfterPut(FN, ALIAS, EIGHT_MINUTES_IN_PROGRESS);
    await w.lambda.putProvisionedConcurrency(FN, ALIAS, 10);
    // The resume takes the record over once it has not changed for 2 minutes: the abort after it.
    sendAt(w, 160_000, 'abort', 'r1');
    const result = await driven(w, resumeDeploy(w.deps, resumeRequest({ bakeSeconds: 60 })));

    expect(result.status).toBe('rolled_back');
    expect(result.cause).toMatchObject({ code: 'OPERATOR_ABORTED', data: { by: 'ann@laptop:9' } });
    const [abort, ...more] = obeyed(w);
    expect(more).toEqual([]);
    expect(abort!.at).toBeLessThanOrEqual(160_000 + POLL_MS);
    expect(w.store.peek(FN, ALIAS)?.command).toMatchObject({ nonce: 'r1', state: 'done' });
    expect(writesOf(w.lambda).map((x) => x.slice(0, 2))).toEqual([['1', {}]]);
    const rolledBack = w.sink.ofType('rollback.started')[0]!;
    expect(rolledBack.at - (w.start + 160_000)).toBeLessThanOrEqual(POLL_MS + 1_000);
  });
});
