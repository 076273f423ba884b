/**
 * Issue 14, `deploy --warm`: temporary provisioned concurrency on the new version, READY before
 * the first weight write, removed on every ending (promote, rollback, not warm, interrupt, and a
 * crash through `lshift rollback` / `--resume`).
 */
import { describe, expect, it } from 'vitest';
import { describeReason } from '../../src/cli/describe-outcome.js';
import { UsageError } from '../../src/domain/errors.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { publishAfterChecks } from '../../src/engine/preflight-publish.js';
import { resumeDeploy } from '../../src/engine/resume.js';
import { rollbackDeployment } from '../../src/engine/rollback.js';
import type { CodeSource } from '../../src/ports/lambda.js';
import {
  ALARM,
  ALIAS,
  canary,
  createWorld,
  deadRecord,
  FN,
  leaveDeployment,
  linear,
  request,
  resumeRequest,
} from './world.js';

const ZIP: CodeSource = { kind: 'zip', zipFile: new Uint8Array([80, 75, 5, 6]), fileName: 'code.zip' };

const infos = (w: ReturnType<typeof createWorld>) =>
  w.sink
    .ofType('log')
    .filter((e) => e.level === 'info')
    .map((e) => e.message);

/** Which PC calls happened, in order, with the first alias write marked. */
function timeline(w: ReturnType<typeof createWorld>): string[] {
  return w.lambda.calls
    .filter((c) =>
      ['putProvisionedConcurrency', 'deleteProvisionedConcurrency', 'updateAlias'].includes(c.op),
    )
    .map((c) => (c.op === 'updateAlias' ? 'updateAlias' : `${c.op}(${c.args.slice(1).join(',')})`));
}

describe('deploy --warm', () => {
  it('puts stable × first weight on the new version, waits for READY, then shifts, then removes it', async () => {
    const w = createWorld();
    w.lambda.setProvisionedConcurrency(FN, '1', 40);
    w.lambda.setPcAfterPut(FN, '2', ['IN_PROGRESS', 'IN_PROGRESS']);
    const result = await runDeploy(w.deps, request({ ...canary(10, 60), warm: true }));
    expect(result.status).toBe('promoted');
    expect(timeline(w)).toEqual([
      'putProvisionedConcurrency(2,4)',
      'updateAlias',
      'updateAlias',
      'deleteProvisionedConcurrency(2)',
    ]);
    // The first weight write comes after READY: two IN_PROGRESS reads, 5 s apart.
    const put = w.lambda.callsOf('putProvisionedConcurrency')[0]!.at;
    const firstWrite = w.lambda.callsOf('updateAlias')[0]!.at;
    expect(firstWrite - put).toBe(10_000);
    expect(infos(w)).toEqual(
      expect.arrayContaining([
        'warm: put provisioned concurrency 4 on version 2 (temporary, billed until lshift removes it when the deployment ends)',
        'waiting for the provisioned concurrency of demo:2 to be READY (IN_PROGRESS, 2 of 4 allocated)',
        'provisioned concurrency of demo:2 READY (4 of 4 allocated) after 10 s',
        'warm: removed the temporary provisioned concurrency (4) of version 2',
      ]),
    );
    expect(w.store.peek(FN, ALIAS)?.warm).toBe(4);
    expect(
      w.sink
        .ofType('log')
        .filter((e) => e.level === 'warn')
        .map((e) => e.message),
    ).toContain(
      "warm: version 1's provisioned concurrency no longer serves alias live, and version 2 now runs on demand; move it yourself: `aws lambda put-provisioned-concurrency-config --function-name demo --qualifier 2 --provisioned-concurrent-executions <n>`, then `aws lambda delete-provisioned-concurrency-config --function-name demo --qualifier 1`",
    );
  });

  it('removes it after a rollback too', async () => {
    const w = createWorld();
    w.lambda.setProvisionedConcurrency(FN, '1', 5);
    w.metrics.setAlarm(ALARM, 'ALARM', { at: w.start + 30_000 });
    const result = await runDeploy(w.deps, request({ ...linear(50, 60), warm: true }));
    expect(result.status).toBe('rolled_back');
    expect(timeline(w).at(-1)).toBe('deleteProvisionedConcurrency(2)');
    expect(await w.lambda.getProvisionedConcurrency(FN, '2')).toBeUndefined();
  });

  it('stops before any traffic when the version does not get warm, and removes the config', async () => {
    const w = createWorld();
    w.lambda.setProvisionedConcurrency(FN, '1', 10);
    w.lambda.setPcAfterPut(FN, '2', Array(500).fill('IN_PROGRESS'));
    const result = await runDeploy(w.deps, request({ ...canary(10, 60), warm: true }));
    expect(result.status).toBe('rolled_back');
    expect(result.trafficMoved).toBe(false);
    expect(result.cause?.code).toBe('WARM_NOT_READY');
    expect(describeReason(result)).toBe(
      'version 2 was not warm: its provisioned concurrency was still IN_PROGRESS after 600 s (0 of 1 allocated); no traffic was moved',
    );
    expect(timeline(w)).toEqual(['putProvisionedConcurrency(2,1)', 'deleteProvisionedConcurrency(2)']);
  });

  it('removes it when interrupted during the wait', async () => {
    const w = createWorld({ auto: false });
    const controller = new AbortController();
    w.lambda.setProvisionedConcurrency(FN, '1', 10);
    w.lambda.setPcAfterPut(FN, '2', Array(500).fill('IN_PROGRESS'));
    w.clock.after(12_000, () => controller.abort(new Error('SIGINT')));
    const done = runDeploy(w.deps, request({ ...canary(10, 60), warm: true, signal: controller.signal }));
    await w.clock.advance(0);
    await w.clock.advance(20_000);
    const result = await done;
    expect(describeReason(result)).toBe('interrupted before any traffic moved; alias live unchanged');
    expect(timeline(w)).toEqual(['putProvisionedConcurrency(2,1)', 'deleteProvisionedConcurrency(2)']);
  });

  it('gives it up when the deployment pauses (--on-interrupt leave)', async () => {
    const w = createWorld({ auto: false });
    const controller = new AbortController();
    w.lambda.setProvisionedConcurrency(FN, '1', 10);
    w.clock.after(30_000, () => controller.abort(new Error('SIGINT')));
    const done = runDeploy(
      w.deps,
      request({ ...canary(10, 60), warm: true, onInterrupt: 'leave', signal: controller.signal }),
    );
    await w.clock.advance(0);
    await w.clock.advance(40_000);
    const result = await done;
    expect(result.status).toBe('paused');
    expect(timeline(w)).toEqual([
      'putProvisionedConcurrency(2,1)',
      'updateAlias',
      'deleteProvisionedConcurrency(2)',
    ]);
  });

  it('refuses (nothing written) when the alias holds the provisioned concurrency', async () => {
    const w = createWorld();
    w.lambda.setProvisionedConcurrency(FN, 'live', 10);
    const run = runDeploy(w.deps, request({ warm: true }));
    await expect(run).rejects.toBeInstanceOf(UsageError);
    await expect(run).rejects.toMatchObject({ code: 'WARM_NOT_POSSIBLE' });
    await expect(run).rejects.toThrow(
      /alias live of function demo has provisioned concurrency of its own \(10\)/,
    );
    expect(timeline(w)).toEqual([]);
    expect(w.store.peek(FN, ALIAS)).toBeUndefined();
  });

  it('refuses when nobody has provisioned concurrency', async () => {
    const w = createWorld();
    await expect(runDeploy(w.deps, request({ warm: true }))).rejects.toThrow(
      /--warm has nothing to match: neither alias live of function demo nor its version 1 has provisioned concurrency/,
    );
    expect(timeline(w)).toEqual([]);
  });

  /** The `warm` check's events: what the terminal's preflight line and NDJSON show. */
  const warmChecks = (w: ReturnType<typeof createWorld>) =>
    w.sink.ofType('preflight.check').filter((e) => e.check === 'warm');

  it('a refusal is a failed preflight check saying what it means and what to do (its line at a terminal)', async () => {
    const w = createWorld();
    w.lambda.setProvisionedConcurrency(FN, 'live', 10);
    await expect(runDeploy(w.deps, request({ warm: true }))).rejects.toMatchObject({
      code: 'WARM_NOT_POSSIBLE',
    });
    expect(warmChecks(w)).toEqual([
      expect.objectContaining({
        ok: false,
        message:
          'alias live has provisioned concurrency of its own (10), which covers the new version as its weight grows, so there is nothing to warm ahead: drop --warm',
      }),
    ]);

    const none = createWorld();
    await expect(runDeploy(none.deps, request({ warm: true }))).rejects.toMatchObject({
      code: 'WARM_NOT_POSSIBLE',
    });
    expect(warmChecks(none)).toEqual([
      expect.objectContaining({
        ok: false,
        message:
          'neither alias live nor version 1 has provisioned concurrency, so --warm has nothing to match: drop --warm, or configure provisioned concurrency first',
      }),
    ]);
  });

  it('a possible warm-up is a passed check', async () => {
    const w = createWorld();
    w.lambda.setProvisionedConcurrency(FN, '1', 10);
    await runDeploy(w.deps, request({ ...canary(10, 60), warm: true }));
    expect(warmChecks(w)[0]).toMatchObject({
      ok: true,
      message: 'version 1 has provisioned concurrency (10) for --warm to match',
    });
  });

  /** The `warm` check's pass and where the preflight completed, in the order emitted. */
  const warmPasses = (w: ReturnType<typeof createWorld>) =>
    w.sink.events.flatMap((e) =>
      e.type === 'preflight.completed'
        ? ['completed']
        : e.type === 'preflight.check' && e.check === 'warm' && e.ok
          ? ['warm']
          : [],
    );

  it('the warm check passes once, within the preflight: with a published version, after an upload, with --supersede', async () => {
    const w = createWorld();
    w.lambda.setProvisionedConcurrency(FN, '1', 10);
    await runDeploy(w.deps, request({ ...canary(10, 60), warm: true }));
    // Before: said after preflight.completed (the plain line's count and the terminal's task missed it).
    expect(warmPasses(w)).toEqual(['warm', 'completed']);

    // The checks before the upload refuse what they can, and the full preflight says it passed.
    const uploaded = createWorld();
    uploaded.lambda.setProvisionedConcurrency(FN, '1', 10);
    const { targetVersion: _, ...pending } = request({ ...canary(10, 60), warm: true });
    const version = await publishAfterChecks(uploaded.deps, pending, ZIP);
    await runDeploy(uploaded.deps, { ...pending, targetVersion: version });
    expect(warmPasses(uploaded)).toEqual(['warm', 'completed']);

    const superseding = createWorld();
    leaveDeployment(superseding, deadRecord(superseding));
    superseding.lambda.addVersion(FN);
    superseding.lambda.setProvisionedConcurrency(FN, '1', 10);
    const over = {
      ...canary(10, 60),
      targetVersion: '3',
      deploymentId: 'd-new001',
      supersede: true,
      warm: true,
    };
    expect((await runDeploy(superseding.deps, request(over))).status).toBe('promoted');
    expect(warmPasses(superseding)).toEqual(['warm', 'completed']);
  });

  it('a refusal after the upload is still said (something changed during it)', async () => {
    const w = createWorld();
    w.lambda.setProvisionedConcurrency(FN, '1', 10);
    const { targetVersion: _, ...pending } = request({ ...canary(10, 60), warm: true });
    const version = await publishAfterChecks(w.deps, pending, ZIP);
    await w.lambda.deleteProvisionedConcurrency(FN, '1');
    await expect(runDeploy(w.deps, { ...pending, targetVersion: version })).rejects.toMatchObject({
      code: 'WARM_NOT_POSSIBLE',
    });
    expect(warmChecks(w).map((c) => c.ok)).toEqual([false]);
    expect(timeline(w)).toEqual(['deleteProvisionedConcurrency(1)']); // the test's own, no more
  });

  it('adds nothing when the new version already has its own', async () => {
    const w = createWorld();
    w.lambda.setProvisionedConcurrency(FN, '1', 10);
    w.lambda.setProvisionedConcurrency(FN, '2', 3);
    const result = await runDeploy(w.deps, request({ ...canary(10, 60), warm: true }));
    expect(result.status).toBe('promoted');
    expect(timeline(w)).toEqual(['updateAlias', 'updateAlias']);
    expect(w.store.peek(FN, ALIAS)?.warm).toBeUndefined();
  });
});

describe('a crashed deploy --warm', () => {
  it('lshift rollback removes the recorded temporary config', async () => {
    const w = createWorld();
    leaveDeployment(w, deadRecord(w, { warm: 2 }));
    w.lambda.setProvisionedConcurrency(FN, '2', 2);
    const result = await rollbackDeployment(w.deps, { functionName: FN, alias: ALIAS, reason: 'manual' });
    expect(result.status).toBe('rolled_back');
    expect(timeline(w).at(-1)).toBe('deleteProvisionedConcurrency(2)');
  });

  it('lshift rollback removes it too when its write met a 412 with the alias already back (a twin rollback)', async () => {
    const w = createWorld();
    leaveDeployment(w, deadRecord(w, { warm: 2 }));
    w.lambda.setProvisionedConcurrency(FN, '2', 2);
    w.lambda.onCall = (call) => {
      if (call.op === 'updateAlias')
        w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: {} });
    };
    const result = await rollbackDeployment(w.deps, { functionName: FN, alias: ALIAS, reason: 'manual' });
    expect(result.status).toBe('nothing_to_deploy');
    expect(timeline(w).at(-1)).toBe('deleteProvisionedConcurrency(2)');
    expect(w.store.peek(FN, ALIAS)?.phase).toBe('rolled-back');
  });

  it('--resume removes it when the resumed deployment ends', async () => {
    const w = createWorld();
    leaveDeployment(w, deadRecord(w, { warm: 2 }));
    w.lambda.setProvisionedConcurrency(FN, '2', 2);
    const result = await resumeDeploy(w.deps, resumeRequest());
    expect(result.status).toBe('promoted');
    expect(timeline(w).at(-1)).toBe('deleteProvisionedConcurrency(2)');
  });
});
