/**
 * A person keeps the version put over lshift's rollback (kept-over-rollback.ts). A pre-traffic
 * hook that moved all traffic to the new version and failed leaves MOVED OVER LSHIFT'S ROLLBACK
 * (status exit 4). Found by a hostile pass (session 66): a person keeping that version had no way
 * out — `lshift alias demo live 2` said "nothing changed", the line stayed until a new-code deploy —
 * and status's own "Finish it: `lshift alias demo live 2`" over a split landed back in it.
 */
import { describe, expect, it } from 'vitest';
import { renderStatus } from '../../src/cli/renderers/status-text.js';
import { needsOperator } from '../../src/cli/status-needs-operator.js';
import { decodeRecord, encodeRecord } from '../../src/domain/deployment-record.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { moveAlias } from '../../src/engine/move-alias.js';
import { getStatus } from '../../src/engine/status.js';
import { cmdHook } from '../helpers/fake-hooks.js';
import { ALIAS, canary, createWorld, deadRecord, FN, request, type World } from './world.js';

const failed = { ok: false, reason: 'exit code 1', durationMs: 0 };
const ANN = 'ann@laptop:41';

/** A pre-traffic hook that moves all traffic to version 2, then fails: MOVED OVER LSHIFT'S ROLLBACK. */
async function movedOverRollback(): Promise<World> {
  const w = createWorld();
  w.hooks.script('cmd:pre', () => {
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '2', additionalWeights: {} });
    return failed;
  });
  await runDeploy(w.deps, request({ ...canary(10, 60), hooks: { pre: [cmdHook('pre')] } }));
  return w;
}

function move(w: World, version: string) {
  return moveAlias(
    { lambda: w.lambda, store: w.store, clock: w.clock },
    { functionName: FN, alias: ALIAS, version, by: ANN },
  );
}

async function statusOf(w: World) {
  return getStatus(w.deps, { functionName: FN, alias: ALIAS, alarms: [] });
}

/** The warnings a deploy of version 3 says, from that state (version 2 all on the alias). */
async function warningsOfNextDeploy(w: World): Promise<string[]> {
  w.lambda.addVersion(FN);
  const result = await runDeploy(
    w.deps,
    request({ ...canary(10, 60), targetVersion: '3', deploymentId: 'd-next01' }),
  );
  expect(result.status).toBe('promoted');
  return w.sink
    .ofType('log')
    .filter((e) => e.level === 'warn')
    .map((e) => e.message);
}

describe('keeping the version put over lshift rollback', () => {
  it("status's line names the command that keeps it", async () => {
    const w = await movedOverRollback();
    const status = await statusOf(w);
    expect(needsOperator(status)).toBe(true);
    expect(renderStatus(status)).toContain(
      'to keep version 2: `lshift alias demo live 2` (the record then says who kept it, and status no longer asks)',
    );
  });

  it('`lshift alias` naming that version, the alias already there: the record says who kept it, status asks nothing', async () => {
    const w = await movedOverRollback();
    const moved = await move(w, '2');

    expect(moved.changed).toBe(false);
    expect(w.lambda.aliasWrites()).toEqual([]);
    expect(moved.keptOverRollback).toMatchObject({ id: w.store.peek(FN, ALIAS)?.id, targetVersion: '2' });
    // Still promoted and closed by hand, its cause kept: only who kept it is added.
    expect(w.store.peek(FN, ALIAS)).toMatchObject({
      phase: 'promoted',
      endReason: `moved by hand, kept by ${ANN}`,
      cause: { code: 'HOOK_FAILED', phase: 'pre' },
    });
    const status = await statusOf(w);
    expect(needsOperator(status)).toBe(false);
    const text = renderStatus(status);
    expect(text).not.toContain('MOVED OVER');
    expect(text).toContain(`promoted (moved by hand, kept by ${ANN})`);
  });

  it("status's own Finish it over a split (the version lshift decided to roll back) keeps it, not MOVED OVER again", async () => {
    const w = await movedOverRollback();
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: { '2': 0.5 } });
    const split = await statusOf(w);
    expect(needsOperator(split)).toBe(true);
    // It says which version that is, and that finishing keeps it.
    expect(renderStatus(split)).toContain(
      'Finish it: `lshift alias demo live 2` (all traffic on version 2, the version lshift had decided to roll back: the record then says you keep it)',
    );
    const moved = await move(w, '2');

    expect(moved.changed).toBe(true);
    expect(moved.keptOverRollback?.endReason).toBe(`moved by hand, kept by ${ANN}`);
    const status = await statusOf(w);
    expect(needsOperator(status)).toBe(false);
    expect(renderStatus(status)).not.toContain('MOVED OVER');
  });

  it('moving it back to the stable version keeps nothing: the record is left as it was', async () => {
    const w = await movedOverRollback();
    const before = w.store.peek(FN, ALIAS);
    const moved = await move(w, '1');
    expect(moved.keptOverRollback).toBeUndefined();
    expect(w.store.peek(FN, ALIAS)?.endReason).toBe(before?.endReason);
  });

  it('a second keep changes nothing: who kept it first stays', async () => {
    const w = await movedOverRollback();
    await move(w, '2');
    const again = await moveAlias(
      { lambda: w.lambda, store: w.store, clock: w.clock },
      { functionName: FN, alias: ALIAS, version: '2', by: 'bob@desk:7' },
    );
    expect(again.keptOverRollback).toBeUndefined();
    expect(w.store.peek(FN, ALIAS)?.endReason).toBe(`moved by hand, kept by ${ANN}`);
  });

  it('the kept end reason survives the record tag, a 40-character owner included', async () => {
    const w = await movedOverRollback();
    const long = `${'x'.repeat(30)}@host:123456789`;
    await moveAlias(
      { lambda: w.lambda, store: w.store, clock: w.clock },
      { functionName: FN, alias: ALIAS, version: '2', by: long },
    );
    const record = w.store.peek(FN, ALIAS)!;
    expect(record.endReason).toBe(`moved by hand, kept by ${long.slice(0, 40)}`);
    expect(decodeRecord(encodeRecord(record)).endReason).toBe(record.endReason);
  });

  // Found by a hostile pass (session 66): the next deploy took version 2 as stable ("stable 2 → 3")
  // without a word, though its smoke test had failed; a failure of 3 would roll back onto it.
  it('the next deploy warns before its first write that its stable version is the one lshift had decided to roll back', async () => {
    const w = await movedOverRollback();
    const deploy = w.sink.events.length;
    const warnings = (await warningsOfNextDeploy(w)).filter((m) => m.includes('decided to roll back'));
    expect(warnings).toEqual([
      expect.stringContaining(
        'version 2, the stable version this deployment starts from and would roll back to, is the one lshift had decided to roll back in deployment d-abc123 (a pre-traffic hook failed), put there by someone else (a hook, or a person) and kept by nobody since',
      ),
    ]);
    expect(warnings[0]).toContain('`lshift rollback demo --alias live`');
    expect(warnings[0]).toContain('`lshift alias demo live 2`');
    // Before the first write: said by the preflight, before any alias write of the new deployment.
    const events = w.sink.events.slice(deploy);
    const warned = events.findIndex((e) => e.type === 'log' && e.message.includes('decided to roll back'));
    const firstStep = events.findIndex((e) => e.type === 'preflight.completed');
    expect(warned).toBeGreaterThanOrEqual(0);
    expect(warned).toBeLessThan(firstStep);
  });

  it('once a person kept it, the next deploy says nothing of it', async () => {
    const w = await movedOverRollback();
    await move(w, '2');
    expect((await warningsOfNextDeploy(w)).filter((m) => m.includes('decided to roll back'))).toEqual([]);
  });

  // The other ways into MOVED OVER found in the same pass: Ctrl-C while a pre-traffic hook that moved
  // the alias ran (cause INTERRUPTED), and a release's function put on its new version by a person
  // while another function's step hook failed (the release's cause). Kept the same way.
  it.each([
    ['an interrupted run', { cause: { code: 'INTERRUPTED' as const } }],
    [
      "a release's function",
      { cause: { code: 'HOOK_FAILED' as const, phase: 'step' as const }, releaseId: 'r-abc123' },
    ],
  ])('%s: kept the same way', async (_, extra) => {
    const w = createWorld();
    w.store.seed(
      FN,
      ALIAS,
      deadRecord(w, {
        phase: 'promoted',
        percent: 100,
        endedAt: w.start - 60_000,
        endReason: 'moved by hand',
        ...extra,
      }),
    );
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '2', additionalWeights: {} });
    expect(needsOperator(await statusOf(w))).toBe(true);
    const moved = await move(w, '2');
    expect(moved.keptOverRollback?.endReason).toBe(`moved by hand, kept by ${ANN}`);
    expect(needsOperator(await statusOf(w))).toBe(false);
  });

  // In words the keep took the cause's room: a CI owner and a person's name left the kept record
  // without why lshift had decided to roll it back (measured: 254 of 256 characters, y= dropped).
  it('with long owners the kept record keeps its cause (the keep is written as a short code)', async () => {
    const w = createWorld();
    w.hooks.script('cmd:pre', () => {
      w.lambda.moveAlias(FN, ALIAS, { functionVersion: '2', additionalWeights: {} });
      return failed;
    });
    await runDeploy(
      w.deps,
      request({
        ...canary(10, 60),
        owner: 'runner@ip-10-0-12-34.ec2.internal:123456/0a1b2c3d',
        hooks: { pre: [cmdHook('pre')] },
      }),
    );
    const person = 'ann@ops-laptop-0042.corp.example:4242/9f8e7d6c';
    await moveAlias(
      { lambda: w.lambda, store: w.store, clock: w.clock },
      { functionName: FN, alias: ALIAS, version: '2', by: person },
    );
    const tag = encodeRecord(w.store.peek(FN, ALIAS)!);
    expect(tag).toContain(' r=@kb.');
    const read = decodeRecord(tag);
    expect(read.endReason).toBe(`moved by hand, kept by ${person.slice(0, 40)}`);
    expect(read.cause).toEqual({ code: 'HOOK_FAILED', phase: 'pre' });
    const text = renderStatus(await statusOf(w));
    expect(text).toContain('lshift decided to roll it back: a pre-traffic hook failed');
    expect(text).toContain(`promoted (moved by hand, kept by ${person.slice(0, 40)})`);
  });
});
