/**
 * A hook that put all traffic on the new version and then failed leaves the record promoted by
 * hand (MOVED OVER LSHIFT'S ROLLBACK); a person then runs `lshift rollback`. Found by a hostile
 * pass (session 66): the record closed "rolled back to version 1: after it was promoted", status
 * said "all its steps run before it" and history "promoted, then rolled back" of a deployment
 * never promoted by its steps (one step of two run), and the longer reason's room cut its cause
 * to "a hook failed" (of a pre-traffic hook's). It closes as a rollback from the step it stopped
 * at, with its cause whole.
 */
import { describe, expect, it } from 'vitest';
import { describeReason } from '../../src/cli/describe-outcome.js';
import { buildHistory, renderHistory } from '../../src/cli/history.js';
import { describeEvent } from '../../src/cli/renderers/describe-event.js';
import { renderStatus } from '../../src/cli/renderers/status-text.js';
import { decodeRecord, encodeRecord } from '../../src/domain/deployment-record.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { rollbackClaimed } from '../../src/engine/rollback-claim.js';
import { getStatus } from '../../src/engine/status.js';
import { cmdHook } from '../helpers/fake-hooks.js';
import { ALIAS, canary, createWorld, FN, linear, request, type World } from './world.js';

const failed = { ok: false, reason: 'exit code 1', durationMs: 0 };
// As long as real owners are (a CI runner's host, its pid and machine token).
const OWNER = 'runner@ip-10-0-12-34.ec2.internal:123456/0a1b2c3d';
const PERSON = 'ann@ops-laptop-0042.corp.example:4242/9f8e7d6c';

async function hookMovedThenFailed(phase: 'pre' | 'step'): Promise<World> {
  const w = createWorld();
  w.hooks.script(`cmd:${phase}`, () => {
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '2', additionalWeights: {} });
    return failed;
  });
  const shape = phase === 'step' ? linear(50, 60) : canary(10, 60);
  await runDeploy(w.deps, request({ ...shape, owner: OWNER, hooks: { [phase]: [cmdHook(phase)] } }));
  expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'promoted', endReason: 'moved by hand' });
  const rolled = await rollbackClaimed(
    { ...w.deps, store: w.store, owner: PERSON },
    { functionName: FN, alias: ALIAS, reason: 'manual rollback' },
  );
  expect(rolled.status).toBe('rolled_back');
  return w;
}

// The deploy's own words (session 66): "ROLLBACK FAILED: … it routes version 2 (100%), which this
// deployment never wrote" — it had written version 2 (at 50%), and nothing failed: lshift left the move.
it('the deploy whose step hook moved all traffic and failed: its rollback line says lshift left the move, not ROLLBACK FAILED', async () => {
  const w = createWorld();
  w.hooks.script('cmd:step', () => {
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '2', additionalWeights: {} });
    return failed;
  });
  const result = await runDeploy(w.deps, request({ ...linear(50, 60), hooks: { step: [cmdHook('step')] } }));
  expect(result.status).toBe('conflict');
  const lines = w.sink.ofType('rollback.failed').map((e) => describeEvent(e) ?? '');
  expect(lines).toEqual([expect.stringMatching(/^rollback stopped, someone else's move left: /)]);
  expect(lines[0]).toContain('it routes version 2 (100%), a routing this deployment never wrote');
  expect(describeReason(result)).not.toContain('which this deployment never wrote');
});

describe('lshift rollback of a deployment a failed hook promoted by hand', () => {
  it('a step hook: stopped at step 1, not "all its steps run before it"; its cause said', async () => {
    const w = await hookMovedThenFailed('step');
    const record = w.store.peek(FN, ALIAS)!;
    expect(record.phase).toBe('rolled-back');
    expect(record.endReason ?? '').not.toContain('after it was promoted');
    expect(record.cause).toEqual({ code: 'HOOK_FAILED', phase: 'step' });
    const text = renderStatus(await getStatus(w.deps, { functionName: FN, alias: ALIAS, alarms: [] }));
    expect(text).toContain('stopped at step 1 (linear:50%:1m)');
    expect(text).not.toContain('all its steps run before it');
    expect(text).toContain('a step hook failed');
  });

  it('history: not "promoted, then rolled back", and why', async () => {
    const w = await hookMovedThenFailed('step');
    const record = w.store.peek(FN, ALIAS)!;
    const alias = w.lambda.peekAlias(FN, ALIAS)!;
    const text = renderHistory(buildHistory(FN, ALIAS, alias, record, w.clock.now()));
    expect(text).not.toContain('promoted, then rolled back');
    expect(text).toContain('a step hook failed');
  });

  it('a pre-traffic hook: the cause keeps its phase with long owners (the record tag has room for it)', async () => {
    const w = await hookMovedThenFailed('pre');
    const record = decodeRecord(encodeRecord(w.store.peek(FN, ALIAS)!));
    expect(record.cause).toEqual({ code: 'HOOK_FAILED', phase: 'pre' });
    const text = renderStatus(await getStatus(w.deps, { functionName: FN, alias: ALIAS, alarms: [] }));
    expect(text).toContain('a pre-traffic hook failed');
  });
});
