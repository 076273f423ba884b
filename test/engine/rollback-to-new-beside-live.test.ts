/**
 * `lshift rollback fa --to 2` (2: the deployment's own new version) beside a LIVE deploy of fa
 * holding at 10%: the rollback claims the record, puts all traffic on version 2 and closes it
 * `promoted (moved by hand)` under its own owner — as a claimer that met a move made outside lshift
 * closes it. The deploy, stopped by that claim, said "the alias was moved by someone else (`aws
 * lambda update-alias`, the console, another tool)" (seen on the sandbox, session 69): the operator
 * was sent looking for a person who does not exist. The close now says who sent it there (`rt=`,
 * engine/rollback-to-taker.ts), and the deploy names that rollback — still a conflict, exit 5:
 * its remaining steps never judged version 2 (docs/exit-codes.md).
 */
import { describe, expect, it } from 'vitest';
import { describeReason, withReason } from '../../src/cli/describe-outcome.js';
import { describeClaimedRollback } from '../../src/cli/describe-rollback.js';
import { exitCodeForRollback, exitCodeForStatus } from '../../src/cli/exit-codes.js';
import { renderDeployResult } from '../../src/cli/render-result.js';
import { describeShiftEnd } from '../../src/cli/renderers/shift-end.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { rollbackClaimed } from '../../src/engine/rollback-claim.js';
import { expectValidResultOf } from '../helpers/contract.js';
import { ALIAS, canary, createWorld, driven, FN, request, type World } from './world.js';

const OPERATOR = 'rollback:ops@desk:3';

function rollbackAt(w: World, atMs: number, to?: string) {
  return new Promise<Awaited<ReturnType<typeof rollbackClaimed>>>((resolve, reject) => {
    w.clock.after(atMs, () => {
      rollbackClaimed(
        { ...w.deps, store: w.store, owner: OPERATOR },
        { functionName: FN, alias: ALIAS, reason: 'manual rollback', ...(to ? { to } : {}) },
      ).then(resolve, reject);
    });
  });
}

async function deployUntilEnd(w: World) {
  const done = runDeploy(w.deps, request(canary(10, 3600)));
  await w.clock.advance(0);
  await w.clock.advance(400_000);
  return done;
}

/** At 100 s, the record closed as `promoted (moved by hand)` under the operator, the alias all on 2, at once. */
function closedAt100s(w: World, extra: { rollbackTo?: string }) {
  w.clock.after(100_000, () => {
    const record = w.store.peek(FN, ALIAS)!;
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '2', additionalWeights: {} });
    const now = w.clock.now();
    w.store.seed(FN, ALIAS, {
      ...record,
      phase: 'promoted',
      percent: 100,
      owner: OPERATOR,
      heartbeatAt: now,
      endedAt: now,
      endReason: 'moved by hand',
      ...extra,
    });
  });
}

describe('`lshift rollback --to <its new version>` beside a live deploy', () => {
  it('the deploy names that rollback (exit 5), not a move by someone else; the close records it', async () => {
    const w = createWorld({ auto: false });
    const rollback = rollbackAt(w, 100_000, '2');
    const result = await deployUntilEnd(w);
    const own = await rollback;
    expect(exitCodeForRollback(own.status)).toBe(0);
    // The rollback's own words: a promotion of that deployment, not a rollback of it.
    expect(own.cause).toMatchObject({ code: 'ROLLBACK_REQUESTED', data: { promoted: 'd-abc123' } });
    expect(describeClaimedRollback(withReason(own))).not.toContain('\uFFFD');
    expect(describeClaimedRollback(withReason(own))).toContain(
      "  Version 2 is deployment d-abc123's own new version: its record is closed promoted (moved by hand), not rolled back; its deploy, if still running, stopped and says so (exit 5)",
    );
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '2', additionalWeights: {} });
    // Through the tag codec (the world's store round-trips): `rt=2` beside the close.
    expect(w.store.peek(FN, ALIAS)).toMatchObject({
      phase: 'promoted',
      endReason: 'moved by hand',
      owner: OPERATOR,
      rollbackTo: '2',
    });

    expect(result.status).toBe('conflict');
    expect(exitCodeForStatus(result.status)).toBe(5);
    expect(result.cause).toMatchObject({ code: 'TAKEN_OVER', data: { promotedBy: OPERATOR, to: '2' } });
    expectValidResultOf('deploy', { schemaVersion: 4, ...withReason(result) });
    const reason = describeReason(result);
    expect(reason).toContain(
      `deployment d-abc123 was promoted at step 1 (10%) by \`lshift rollback demo --alias live --to 2\` of ${OPERATOR}, which put all traffic on version 2; this deploy's remaining steps, alarms and hooks did not run`,
    );
    expect(reason).not.toContain('moved by someone else');
    const text = renderDeployResult(withReason(result));
    expect(text).toContain(
      `✖ Stopped: demo:live was promoted to version 2 by \`lshift rollback --to 2\` of ${OPERATOR} before this deploy finished its steps; nothing was overwritten.`,
    );
    expect(describeShiftEnd(result)).toBe(
      `promoted by \`lshift rollback --to 2\` of ${OPERATOR}: this lshift stopped`,
    );
    for (const { message } of w.sink.warnings()) expect(message).not.toContain('moved by someone else');
    // While it followed: where that rollback sends the traffic (`rt=2` on its claim), not version 1.
    const followed = w.sink.logs('info').filter((m) => m.includes('following it until'));
    expect(followed).toEqual([
      `${OPERATOR} is rolling deployment d-abc123 back; following it until alias live is all on version 2 (at most 3m; up to 3m more if its heartbeat stops)`,
    ]);
  });

  it('beside a plain `lshift rollback`, the deploy follows it until the alias is all on the stable version', async () => {
    const w = createWorld({ auto: false });
    const rollback = rollbackAt(w, 100_000);
    const result = await deployUntilEnd(w);
    expect((await rollback).status).toBe('rolled_back');
    expect(result.status).toBe('rolled_back');
    expect(w.sink.logs('info').filter((m) => m.includes('following it until'))).toEqual([
      `${OPERATOR} is rolling deployment d-abc123 back; following it until alias live is all on version 1 (at most 3m; up to 3m more if its heartbeat stops)`,
    ]);
  });

  it('the close seen at once, with the alias (no claim seen first): the same words, exit 5', async () => {
    const w = createWorld({ auto: false });
    closedAt100s(w, { rollbackTo: '2' });
    const result = await deployUntilEnd(w);
    expect(result.status).toBe('conflict');
    expect(result.cause).toMatchObject({ code: 'TAKEN_OVER', data: { promotedBy: OPERATOR, to: '2' } });
    const warned = w.sink.warnings().map((x) => x.message);
    expect(warned.join('\n')).toContain(
      `deployment d-abc123 was promoted by \`lshift rollback --to 2\` of ${OPERATOR}, which put all traffic on version 2`,
    );
    expect(warned.join('\n')).not.toContain('moved by someone else');
    // Nothing written over it.
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'promoted', owner: OPERATOR, rollbackTo: '2' });
  });

  it('the same close without `rt=` (a claimer that met a move made outside lshift): still a move by someone else', async () => {
    const w = createWorld({ auto: false });
    closedAt100s(w, {});
    const result = await deployUntilEnd(w);
    expect(result.status).toBe('conflict');
    expect(result.cause?.code === 'TAKEN_OVER' && result.cause.data.promotedBy).toBeFalsy();
    expect(
      w.sink
        .warnings()
        .map((x) => x.message)
        .join('\n'),
    ).toContain('the alias was moved by someone else');
  });

  it('a later plain rollback undoes it, once, and its close drops the mark', async () => {
    const w = createWorld({ auto: false });
    const rollback = rollbackAt(w, 100_000, '2');
    await deployUntilEnd(w);
    await rollback;
    const undo = driven(
      w,
      rollbackClaimed(
        { ...w.deps, store: w.store, owner: OPERATOR },
        { functionName: FN, alias: ALIAS, reason: 'manual rollback' },
      ),
    );
    const undone = await undo;
    expect(undone).toMatchObject({ status: 'rolled_back', toVersion: '1' });
    expect(undone.cause?.code === 'ROLLBACK_REQUESTED' && undone.cause.data.promoted).toBeFalsy();
    expect(describeClaimedRollback(withReason(undone))).not.toContain('own new version');
    const closed = w.store.peek(FN, ALIAS)!;
    expect(closed).toMatchObject({ phase: 'rolled-back' });
    expect(closed.rollbackTo).toBeUndefined();
  });
});
