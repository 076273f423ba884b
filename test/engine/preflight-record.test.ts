/**
 * Preflight and the deployment record: another deployment that still holds the alias is refused
 * with what to do (resume, rollback, supersede), and a record too large for a tag is refused
 * before any write.
 */
import { describe, expect, it } from 'vitest';
import {
  assertCommandRoom,
  type DeploymentRecord,
  encodeRecord,
} from '../../src/domain/deployment-record.js';
import { formatStrategy } from '../../src/domain/strategy.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { draftRecord } from '../../src/engine/deploy-record.js';
import { runPreflight } from '../../src/engine/preflight.js';
import { KEEP_MOVE_UNCONFIRMED_REASON } from '../../src/engine/record-view.js';
import { ALARM, ALIAS, buildPlan, createWorld, deadRecord, FN, request, type World } from './world.js';

function preflight(w: World) {
  return runPreflight(w.deps, { functionName: FN, alias: ALIAS, targetVersion: '2', alarms: [ALARM] });
}

describe('runPreflight: the deployment record', () => {
  const unfinished: {
    name: string;
    record: (w: World) => DeploymentRecord;
    alias?: { functionVersion: string; additionalWeights: Record<string, number> };
    code: string;
    message: RegExp;
    /** 4 over a split nobody drives (as `lshift status` says STALLED), else 5. */
    exit: 4 | 5;
  }[] = [
    {
      name: 'stale heartbeat (runner died mid-shift)',
      record: (w) => deadRecord(w, { heartbeatAt: w.start - 121_000 }),
      alias: { functionVersion: '1', additionalWeights: { '2': 0.1 } },
      code: 'DEPLOYMENT_STALE',
      message:
        /Deployment d-dead01 by ci@runner:7 of demo alias live was left unfinished: no heartbeat for 2m 1s \(shifting at 20%, version 1 → 2; the alias routes 10% to version 2 now\); its runner probably died\. Nobody drives that split; it needs a human\.$/,
      exit: 4,
    },
    {
      name: 'stale during the bake (alias all on the target, not split)',
      record: (w) => deadRecord(w, { phase: 'baking', percent: 100, heartbeatAt: w.start - 600_000 }),
      alias: { functionVersion: '2', additionalWeights: {} },
      code: 'DEPLOYMENT_STALE',
      message: /baking at 100%/,
      exit: 5,
    },
    {
      name: 'stale before any traffic moved',
      record: (w) => deadRecord(w, { phase: 'pre-hook', percent: 0, heartbeatAt: w.start - 600_000 }),
      code: 'DEPLOYMENT_STALE',
      message: /pre-hook at 0%/,
      exit: 5,
    },
    {
      name: 'paused (fresh heartbeat does not matter)',
      record: (w) => deadRecord(w, { phase: 'paused', heartbeatAt: w.start - 1_000 }),
      alias: { functionVersion: '1', additionalWeights: { '2': 0.1 } },
      code: 'DEPLOYMENT_PAUSED',
      message: /was paused with the weights left as they were.*Nobody drives that split; it needs a human\.$/,
      exit: 4,
    },
    {
      name: 'failed rollback, alias still on the target',
      record: (w) => deadRecord(w, { phase: 'failed', percent: 100, heartbeatAt: w.start - 1_000 }),
      alias: { functionVersion: '2', additionalWeights: {} },
      code: 'ROLLBACK_UNFINISHED',
      message:
        /could not roll back, and the alias still routes traffic to version 2 \(failed at 100%, version 1 → 2\)\. Nobody drives its rollback; it needs a human\.$/,
      // As `lshift status` of it (isFailedOnTarget): traffic on the version lshift decided to roll back.
      exit: 4,
    },
    {
      name: 'failed rollback, alias still split',
      record: (w) => deadRecord(w, { phase: 'failed', percent: 10, heartbeatAt: w.start - 1_000 }),
      alias: { functionVersion: '1', additionalWeights: { '2': 0.1 } },
      code: 'ROLLBACK_UNFINISHED',
      message:
        /could not roll back, and the alias still routes traffic to version 2 .*Nobody drives that split/,
      exit: 4,
    },
  ];

  it.each(unfinished)('refuses an unfinished deployment: $name → $code (exit $exit)', async (row) => {
    const w = createWorld();
    w.store.seed(FN, ALIAS, row.record(w));
    if (row.alias) w.lambda.moveAlias(FN, ALIAS, row.alias);
    const error = await preflight(w).then(
      () => undefined,
      (e: unknown) => e as { code: string; exitCode: number; message: string; hint: string },
    );
    expect(error).toMatchObject({ code: row.code, exitCode: row.exit });
    expect(error?.message).toMatch(row.message);
    expect(error?.hint).toContain('lshift deploy demo --alias live --resume');
    // Finishing a rollback needs no guards again; continuing a shift does (the record is older: none).
    const flags = /--resume` plus the first run's --alarm, hook and --bake flags, if it had any/;
    if (row.code === 'ROLLBACK_UNFINISHED') expect(error?.hint).not.toMatch(flags);
    else expect(error?.hint).toMatch(flags);
    expect(error?.hint).toContain('lshift rollback demo --alias live');
    expect(error?.hint).toContain('--supersede');
    expect(w.sink.ofType('preflight.check').filter((c) => !c.ok)).toEqual([
      expect.objectContaining({ check: 'deployment-record', message: error?.message }),
    ]);
  });

  // "Continue it with `lshift wait d-…` (which finishes its rollback)": the wait only follows
  // CodeDeploy, which had not taken the stop and promoted the version lshift was rolling back.
  it('a CodeDeploy deployment lshift was rolling back: finish it with lshift rollback, not lshift wait', async () => {
    const w = createWorld();
    const record = deadRecord(w, {
      phase: 'rolling-back',
      engine: 'codedeploy',
      codeDeployId: 'd-963AFC967',
      heartbeatAt: w.start - 600_000,
    });
    w.store.seed(FN, ALIAS, record);
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: { '2': 0.1 } });
    const error = await preflight(w).then(
      () => undefined,
      (e: unknown) => e as { hint: string },
    );
    expect(error?.hint).toBe(
      'lshift was rolling it back: finish that with `lshift rollback demo --alias live` (it stops its CodeDeploy deployment and puts all traffic back on version 1); `lshift wait d-963AFC967` only follows CodeDeploy, which may still take it to version 2.',
    );
  });

  // h2's pass (session 65): "Continue it with `lshift wait d-…`", which ends UNSAFE (exit 4) once
  // CodeDeploy Succeeded over the move; only DEPLOYMENT_IN_PROGRESS said what works.
  it('a CodeDeploy deployment whose run kept a move by hand, stop not seen to end: the stop or the rollback, not lshift wait', async () => {
    const w = createWorld();
    const record = deadRecord(w, {
      engine: 'codedeploy',
      codeDeployId: 'd-FA76CD60A',
      endReason: KEEP_MOVE_UNCONFIRMED_REASON,
      heartbeatAt: w.start - 600_000,
    });
    w.store.seed(FN, ALIAS, record);
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: { '2': 0.5 } });
    const error = await preflight(w).then(
      () => undefined,
      (e: unknown) => e as { code: string; hint: string },
    );
    expect(error?.code).toBe('DEPLOYMENT_STALE');
    expect(error?.hint).toContain(
      'If nobody does (alias live routes version 1 (50%) + version 2 (50%) now): while CodeDeploy still runs it, `aws deploy stop-deployment --deployment-id d-FA76CD60A --no-auto-rollback-enabled` keeps the alias where the person put it, or `lshift rollback demo --alias live` stops it with its rollback and puts all traffic back on version 1.',
    );
    expect(error?.hint).not.toContain('lshift wait');
    expect(error?.hint).not.toContain('--resume');
    expect(error?.hint).not.toContain('--supersede');
  });

  // h3's pass (session 65, F4): CodeDeploy had Succeeded over the move (all on version 2), and the
  // hint still offered the stop without rollback, which AWS refuses (DeploymentAlreadyCompleted).
  it('a kept move CodeDeploy already moved over (alias all on the new version): only the rollback', async () => {
    for (const live of [true, false]) {
      const w = createWorld();
      const record = deadRecord(w, {
        engine: 'codedeploy',
        codeDeployId: 'd-FA76CD60A',
        endReason: KEEP_MOVE_UNCONFIRMED_REASON,
        heartbeatAt: live ? w.start - 1_000 : w.start - 600_000,
      });
      w.store.seed(FN, ALIAS, record);
      w.lambda.moveAlias(FN, ALIAS, { functionVersion: '2', additionalWeights: {} });
      const error = await preflight(w).then(
        () => undefined,
        (e: unknown) => e as { code: string; hint: string },
      );
      expect(error?.code).toBe(live ? 'DEPLOYMENT_IN_PROGRESS' : 'DEPLOYMENT_STALE');
      expect(error?.hint).toContain(
        'If nobody does: `lshift rollback demo --alias live` puts all traffic back on version 1 (alias live routes all traffic to version 2 now: no move is left to keep, and CodeDeploy refuses a stop once it ended).',
      );
      expect(error?.hint).not.toContain('stop-deployment');
    }
  });

  // Found by a hostile pass: "was paused with the weights left as they were" of a deployment
  // handed to CodeDeploy (`--detach`), which was shifting them on.
  it('a deployment handed to CodeDeploy is said to be shifted by CodeDeploy, not left as it was', async () => {
    const w = createWorld();
    const record = deadRecord(w, {
      phase: 'paused',
      percent: 10,
      engine: 'codedeploy',
      codeDeployId: 'd-ABCDEF123',
      heartbeatAt: w.start - 1_000,
    });
    w.store.seed(FN, ALIAS, record);
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: { '2': 0.3 } });
    const error = await preflight(w).then(
      () => undefined,
      (e: unknown) => e as { code: string; exitCode: number; message: string; hint: string },
    );
    // CodeDeploy drives its split: exit 5, not 4 (stale-over-split.ts).
    expect(error).toMatchObject({ code: 'DEPLOYMENT_PAUSED', exitCode: 5 });
    expect(error?.message).toContain(
      'was handed to AWS CodeDeploy (deployment d-ABCDEF123), which keeps shifting the weights on its own schedule (as last recorded: paused at 10%, version 1 → 2; the alias routes 30% to version 2 now).',
    );
    expect(error?.message).not.toContain('left as they were');
    expect(error?.hint).toContain('`lshift wait d-ABCDEF123`');
  });

  it('refuses a strategy whose record cannot fit in a tag before any write (RECORD_TOO_LARGE)', async () => {
    const w = createWorld();
    const many = Array.from({ length: 40 }, (_, i) => ({ percent: i + 1.25, holdSeconds: 61 }));
    const strategy = {
      kind: 'steps' as const,
      name: 'long',
      steps: [...many, { percent: 100, holdSeconds: 0 }],
    };
    const plan = buildPlan(strategy, strategy.steps);
    await expect(runDeploy(w.deps, request({ strategy, plan }))).rejects.toMatchObject({
      code: 'RECORD_TOO_LARGE',
      exitCode: 2,
    });
    expect(w.lambda.callsOf('updateAlias')).toHaveLength(0);
    expect(w.store.writes).toHaveLength(0);
    expect(w.sink.ofType('preflight.check').at(-1)).toMatchObject({ check: 'record-size', ok: false });
  });

  it('checks the largest record the deployment will write, not only the first', async () => {
    // Grow a step list until the `started` record still fits but the `rolling-back` one does not.
    const fits = (r: DeploymentRecord) => {
      try {
        return encodeRecord(r).length > 0;
      } catch {
        return false;
      }
    };
    const template = deadRecord(createWorld(), { id: 'd-abc123', owner: 'tester@host:1' });
    for (let n = 1; n < 60; n++) {
      const growing = Array.from({ length: n }, (_, i) => ({ percent: i + 1.5, holdSeconds: 60 }));
      const steps = [...growing, { percent: 100, holdSeconds: 0 }];
      const strategy = { kind: 'steps' as const, name: 'custom', steps };
      const base: DeploymentRecord = {
        ...template,
        strategy: formatStrategy(strategy),
        phase: 'started',
        stepIndex: 0,
        percent: 0,
        history: [],
      };
      const worst = {
        ...base,
        phase: 'rolling-back' as const,
        stepIndex: n,
        percent: 10.5,
        endedAt: base.startedAt,
      };
      if (!fits(base) || fits(worst)) continue;
      const w = createWorld();
      await expect(
        runDeploy(w.deps, request({ strategy, plan: buildPlan(strategy, steps) })),
      ).rejects.toMatchObject({
        code: 'RECORD_TOO_LARGE',
      });
      expect(w.store.writes).toHaveLength(0);
      return;
    }
    throw new Error('no strategy on the boundary was found');
  });

  it("counts the promotion's aj= (when --alarm is given) in the largest record", async () => {
    // A step list whose largest record fits without --alarm, and not with it: the promotion of
    // a deployment with alarms writes aj= (up to 5 digits), one without none.
    const fits = (req: ReturnType<typeof request>) => {
      try {
        const draft = draftRecord(req, Date.UTC(2026, 11, 2), {});
        const record = { ...draft, stableVersion: '1', history: ['1'] };
        assertCommandRoom(record);
        return encodeRecord(record).length > 0;
      } catch {
        return false;
      }
    };
    for (let n = 1; n < 60; n++) {
      const growing = Array.from({ length: n }, (_, i) => ({ percent: i + 1.5, holdSeconds: 60 }));
      const steps = [...growing, { percent: 100, holdSeconds: 0 }];
      const strategy = { kind: 'steps' as const, name: 'custom', steps };
      const plan = buildPlan(strategy, steps);
      if (!fits(request({ strategy, plan, alarms: [] })) || fits(request({ strategy, plan }))) continue;
      const w = createWorld();
      await expect(runDeploy(w.deps, request({ strategy, plan }))).rejects.toMatchObject({
        code: 'RECORD_TOO_LARGE',
      });
      expect(w.store.writes).toHaveLength(0);
      const without = createWorld();
      const result = await runDeploy(without.deps, request({ strategy, plan, alarms: [] }));
      expect(result.status).toBe('promoted');
      return;
    }
    throw new Error('no strategy on the boundary was found');
  });
});
