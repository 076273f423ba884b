/**
 * A paused deployment whose record lags (health-monitor-types.ts, RecordLagWatch; record-lag-notice.ts):
 * the pause has no time limit of its own — the operator holds the split on purpose and ends it
 * with `lshift resume` or `abort` — but a runner that cannot read its record cannot see either, and
 * one that cannot write it is refused them as stale. It stayed paused for good; it now stays
 * paused while the record catches up within the stale limit, and rolls back past it, saying it was
 * paused (`cause.data.paused`).
 */
import { describe, expect, it } from 'vitest';
import { describeReason } from '../../src/cli/describe-outcome.js';
import { exitCodeForStatus } from '../../src/cli/exit-codes.js';
import { OperationError } from '../../src/domain/errors.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { ALIAS, createWorld, FN, linear, request, sendCommandAt, type World } from './world.js';

const denied = () => new OperationError('ACCESS_DENIED', 'not authorized to perform lambda:ListTags');
const throttled = () => new OperationError('THROTTLED', 'tag write throttled');

/** Runs the deploy on a manual clock for up to an hour: it must have ended by then. */
async function run(w: World, req: ReturnType<typeof request>) {
  let ended = false;
  const running = runDeploy(w.deps, req).finally(() => {
    ended = true;
  });
  running.catch(() => undefined);
  await w.clock.advance(0);
  await w.clock.advance(3_600_000);
  expect(ended, 'the deployment ended within an hour').toBe(true);
  return running;
}

/** `lshift pause` at 20 s, in the 50% hold of linear 50% / 60 s. */
function pausedWorld(): World {
  const w = createWorld({ auto: false });
  sendCommandAt(w, 20_000, { verb: 'pause', nonce: 'p1' });
  return w;
}

describe('a paused deployment whose record cannot be read', () => {
  it('rolls back at the stale limit (RECORD_UNREAD, paused), saying it was paused: it stayed paused for good', async () => {
    const w = pausedWorld();
    w.clock.at(w.start + 45_000, () => w.store.failReads(denied()));
    const result = await run(w, request(linear(50, 60)));

    expect(result.status).toBe('rolled_back');
    expect(exitCodeForStatus(result.status)).toBe(3);
    expect(result.cause).toMatchObject({ code: 'RECORD_UNREAD', data: { paused: true } });
    const seconds = (result.cause as { data: { seconds: number } }).data.seconds;
    expect(seconds).toBeGreaterThanOrEqual(120);
    expect(seconds).toBeLessThan(140);
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
    expect(w.lambda.aliasWrites().filter((x) => x.functionVersion === '2')).toEqual([]);
    expect(describeReason(result)).toMatch(
      /^rolled back at step 1 \(50%\): the deployment record of demo alias live could not be read for 2m( \d+s)? \(.*ACCESS_DENIED.*\) while the deployment was paused at 50%: lshift could not see an operator's `lshift resume` or `abort`, or another lshift taking this deployment over, so it rolled back rather than stay paused without seeing them$/,
    );
    const warned = w.sink.logs('warn').filter((m) => m.includes('while paused at 50%'));
    expect(warned).toEqual([
      expect.stringMatching(
        /^could not read the deployment record of demo alias live while paused at 50% \(.*ACCESS_DENIED.*\): it stays paused at 50%, but lshift cannot see an operator's resume or abort, or another lshift taking this deployment over; lshift rolls back if nothing is read 2m after the last read that landed$/,
      ),
    ]);
    const still = w.sink
      .logs('info')
      .filter((m) => m.startsWith('still paused at 50%: the deployment record is unread'));
    expect(still.length).toBeGreaterThanOrEqual(1);
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'rolled-back', cause: { code: 'RECORD_UNREAD' } });
  });

  it('stays paused while a read lands within the limit, and obeys the resume that follows', async () => {
    const w = pausedWorld();
    w.clock.at(w.start + 45_000, () => w.store.failReads(denied()));
    w.clock.at(w.start + 110_000, () => w.store.healReads());
    sendCommandAt(w, 300_000, { verb: 'resume', nonce: 'r1' });
    const result = await run(w, request(linear(50, 60)));

    expect(result.status).toBe('promoted');
    const obeyed = w.sink.ofType('operator.command').map((e) => [e.verb, e.obeyed]);
    expect(obeyed).toEqual([
      ['pause', true],
      ['resume', true],
    ]);
    // 100% only after the resume.
    expect(w.lambda.callsOf('updateAlias')[1]!.at - w.start).toBeGreaterThan(300_000);
    expect(w.sink.logs('info')).toContain('the deployment record is read again: still paused at 50%');
  });
});

describe('a paused deployment whose record cannot be written', () => {
  it('rolls back at the stale limit (RECORD_UNWRITTEN, paused): resume and abort refuse a record that stops changing', async () => {
    const w = pausedWorld();
    w.clock.at(w.start + 45_000, () => w.store.failWrites(throttled()));
    const result = await run(w, request(linear(50, 60)));

    expect(result.status).toBe('rolled_back');
    expect(result.cause).toMatchObject({ code: 'RECORD_UNWRITTEN', data: { paused: true } });
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
    expect(describeReason(result)).toMatch(
      /^rolled back at step 1 \(50%\): the deployment record of demo alias live could not be written for 2m( \d+s)? \(.*THROTTLED.*\) while the deployment was paused at 50%: `lshift status`, `check` and another deploy could not see this deployment, and `lshift resume` or `abort` refuse a record that stops changing, so lshift rolled back rather than stay paused unseen$/,
    );
    expect(
      w.sink
        .logs('warn')
        .some((m) =>
          m.startsWith('could not write the deployment record of demo alias live while paused at 50%'),
        ),
    ).toBe(true);
  });
});
