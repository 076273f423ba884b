import { describe, expect, it } from 'vitest';
import { describeReason } from '../../src/cli/describe-outcome.js';
import { exitCodeForStatus } from '../../src/cli/exit-codes.js';
import { parseHookSpec } from '../../src/domain/hook-spec.js';
import { planShift } from '../../src/domain/plan.js';
import { PROMOTION_SETTLE_MS } from '../../src/engine/promotion-settle.js';
import { KEEP_MOVE_UNCONFIRMED_REASON } from '../../src/engine/record-view.js';
import { hooksAhead, prepareResume, resumeDeploy } from '../../src/engine/resume.js';
import { cmdHook, functionPayloadOf } from '../helpers/fake-hooks.js';
import {
  ALARM,
  ALIAS,
  createWorld,
  deadRecord,
  FN,
  leaveDeployment,
  resumeRequest,
  type World,
  writesOf,
} from './world.js';

/** A resume takes a record over once it saw it unchanged this long (resume-runner-gone.ts). */
const RUNNER_GONE_MS = 120_000;

function weightsWritten(w: World): [string, Record<string, number>][] {
  return writesOf(w.lambda).map(([v, weights]) => [v, weights]);
}

/** The writes of linear:10%:1m from step index `from` (0-based) to the end. */
function stepsFrom(from: number): [string, Record<string, number>][] {
  const out: [string, Record<string, number>][] = [];
  for (let k = from + 1; k < 10; k++) out.push(['1', { '2': k / 10 }]);
  out.push(['2', {}]);
  return out;
}

describe('resumeDeploy: refusals (nothing written)', () => {
  const refusals: {
    name: string;
    setup: (w: World) => void;
    code: string;
    exitCode: number;
    message: RegExp;
    hint: RegExp;
    alarms?: string[];
  }[] = [
    {
      name: 'no record',
      setup: () => {},
      code: 'NOTHING_TO_RESUME',
      exitCode: 2,
      message: /No deployment is recorded on demo alias live/,
      hint: /lshift status demo --alias live/,
    },
    {
      name: 'a promoted deployment',
      setup: (w) => leaveDeployment(w, deadRecord(w, { phase: 'promoted', percent: 100 })),
      code: 'NOTHING_TO_RESUME',
      exitCode: 2,
      message: /Deployment d-dead01 of demo alias live is promoted: there is nothing to resume/,
      hint: /without --resume/,
    },
    {
      name: 'a deployment AWS CodeDeploy runs (its runner gone)',
      setup: (w) => leaveDeployment(w, deadRecord(w, { engine: 'codedeploy', codeDeployId: 'd-CD0000001' })),
      code: 'CODEDEPLOY_NOT_RESUMABLE',
      exitCode: 2,
      message: /Deployment d-dead01 of demo alias live is run by AWS CodeDeploy \(deployment d-CD0000001\)/,
      hint: /lshift wait d-CD0000001/,
    },
    {
      // Session 65: it offered `lshift wait`, which ends UNSAFE on a kept move.
      name: 'a deployment AWS CodeDeploy runs, its stop without rollback (keeping a move by hand) not seen to end',
      setup: (w) =>
        leaveDeployment(
          w,
          deadRecord(w, {
            engine: 'codedeploy',
            codeDeployId: 'd-CD0000001',
            endReason: KEEP_MOVE_UNCONFIRMED_REASON,
          }),
        ),
      code: 'CODEDEPLOY_NOT_RESUMABLE',
      exitCode: 2,
      message: /Deployment d-dead01 of demo alias live is run by AWS CodeDeploy \(deployment d-CD0000001\)/,
      hint: /stop-deployment --deployment-id d-CD0000001 --no-auto-rollback-enabled` keeps the alias where the person put it, or `lshift rollback demo --alias live` stops it with its rollback/,
    },
    {
      name: 'a live runner',
      setup: (w) => {
        const live = deadRecord(w, { heartbeatAt: w.start - 20_000 });
        leaveDeployment(w, live);
        // Its next heartbeat: the resume sees the record change while it watches it.
        w.clock.after(10_000, () => w.store.seed(FN, ALIAS, { ...live, heartbeatAt: w.start + 10_000 }));
      },
      code: 'DEPLOYMENT_IN_PROGRESS',
      exitCode: 5,
      message:
        /Deployment d-dead01 by ci@runner:7 .* is still running \(shifting\): its record changed while this resume watched it/,
      hint: /once its record has not changed for 2m/,
    },
    {
      // A check rolled it back while the resume watched: not "still running (shifting) … (now rolled-back)".
      name: 'a dead runner whose deployment a check rolls back while the resume watches',
      setup: (w) => {
        const dead = deadRecord(w);
        leaveDeployment(w, dead);
        w.clock.after(10_000, () =>
          w.store.seed(FN, ALIAS, {
            ...dead,
            phase: 'rolled-back',
            owner: 'check:cron@host-a:1',
            heartbeatAt: w.start + 10_000,
          }),
        );
      },
      code: 'DEPLOYMENT_IN_PROGRESS',
      exitCode: 5,
      message:
        /^The record of deployment d-dead01 on demo alias live changed while this resume made sure its runner had stopped \(now rolled-back, deployment d-dead01 by check:cron@host-a:1\): someone else acted on it, and this resume wrote nothing\.$/,
      hint: /lshift status demo --alias live/,
    },
    {
      name: 'a split that is not this deployment’s',
      setup: (w) => {
        w.lambda.addVersion(FN);
        w.store.seed(FN, ALIAS, deadRecord(w));
        w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: { '3': 0.2 } });
      },
      code: 'ALIAS_MISMATCH',
      exitCode: 4,
      message:
        /routes version 1 \(80%\) \+ version 3 \(20%\), which does not match deployment d-dead01 .*a human must look/,
      hint: /lshift rollback demo --alias live --to 1.*aws lambda update-alias --function-name demo --name live --function-version 1/,
    },
    {
      name: 'all traffic moved to another version',
      setup: (w) => {
        w.lambda.addVersion(FN);
        w.store.seed(FN, ALIAS, deadRecord(w));
        w.lambda.moveAlias(FN, ALIAS, { functionVersion: '3', additionalWeights: {} });
      },
      code: 'ALIAS_MISMATCH',
      exitCode: 5,
      message: /routes version 3 \(100%\)/,
      hint: /--to 1/,
    },
    {
      name: 'the alias more than one step past the record',
      setup: (w) => leaveDeployment(w, deadRecord(w), 50),
      code: 'ALIAS_AHEAD_OF_RECORD',
      exitCode: 4,
      message:
        /Alias live of function demo routes 50% to version 2, but deployment d-dead01 recorded 20% \(step 2\); the next step it could have written is 30%/,
      hint: /lshift rollback demo --alias live --to 1.*aws lambda update-alias --function-name demo --name live --function-version 1/,
    },
    {
      name: 'all traffic on the target while the record is early in the plan',
      setup: (w) => leaveDeployment(w, deadRecord(w), 100),
      code: 'ALIAS_AHEAD_OF_RECORD',
      exitCode: 4,
      message: /routes 100% to version 2, but deployment d-dead01 recorded 20%/,
      hint: /lshift rollback demo --alias live --to 1/,
    },
    {
      name: 'all traffic on the target after a promote --full the runner refused',
      setup: (w) =>
        leaveDeployment(
          w,
          deadRecord(w, {
            command: { verb: 'promote-full', nonce: 'p1', state: 'refused', by: 'ops@laptop:9' },
          }),
          100,
        ),
      code: 'ALIAS_AHEAD_OF_RECORD',
      exitCode: 4,
      message: /routes 100% to version 2, but deployment d-dead01 recorded 20%/,
      hint: /lshift rollback demo --alias live --to 1/,
    },
    {
      name: 'the target is no longer Active',
      setup: (w) => {
        w.lambda.addVersion(FN, { state: 'Failed' });
        leaveDeployment(w, deadRecord(w, { targetVersion: '3' }));
      },
      code: 'VERSION_NOT_ACTIVE',
      exitCode: 2,
      message: /Version 3 of function demo is Failed/,
      hint: /Publish a working version/,
    },
    {
      name: 'an alarm that no longer exists',
      setup: (w) => leaveDeployment(w, deadRecord(w)),
      alarms: ['ghost'],
      code: 'ALARM_NOT_FOUND',
      exitCode: 2,
      message: /ghost/,
      hint: /--alarm/,
    },
    {
      name: 'an alarm already firing while nothing had moved (the stable version is unhealthy)',
      setup: (w) => {
        leaveDeployment(w, deadRecord(w, { phase: 'started', stepIndex: 0, percent: 0 }));
        w.metrics.setAlarm(ALARM, 'ALARM');
      },
      code: 'ALARM_ALREADY_FIRING',
      exitCode: 2,
      message: /before any traffic moved: demo-errors/,
      hint: /--ignore-initial-alarms/,
    },
  ];

  it.each(refusals)('$name → $code (exit $exitCode)', async (row) => {
    const w = createWorld();
    row.setup(w);
    const writesBefore = w.store.writes.length;
    const error = await resumeDeploy(w.deps, resumeRequest({ alarms: row.alarms ?? [ALARM] })).then(
      () => undefined,
      (e: unknown) => e as { code: string; exitCode: number; message: string; hint: string },
    );
    expect(error).toMatchObject({ code: row.code, exitCode: row.exitCode });
    expect(error?.message).toMatch(row.message);
    expect(error?.hint).toMatch(row.hint);
    expect(w.lambda.callsOf('updateAlias')).toHaveLength(0);
    expect(w.store.writes).toHaveLength(writesBefore);
  });

  it('refuses when the record cannot be taken over (STATE_UNWRITABLE), before any alias write', async () => {
    const w = createWorld();
    leaveDeployment(w, deadRecord(w));
    w.store.failWrites(new Error('AccessDenied: lambda:TagResource'));
    await expect(resumeDeploy(w.deps, resumeRequest())).rejects.toMatchObject({
      code: 'STATE_UNWRITABLE',
      exitCode: 1,
      // Not "nothing was changed": a deploy has published its version by then.
      hint: expect.stringContaining('the alias and its traffic were not changed'),
    });
    expect(w.lambda.callsOf('updateAlias')).toHaveLength(0);
  });

  it('backs off when another runner took the record over at the same time', async () => {
    const w = createWorld();
    leaveDeployment(w, deadRecord(w));
    const write = w.store.write.bind(w.store);
    w.store.write = async (fn, alias, record) => {
      await write(fn, alias, record);
      // The other runner's claim lands right after ours.
      w.store.seed(fn, alias, { ...record, owner: 'other@host:9', heartbeatAt: record.heartbeatAt + 1 });
    };
    await expect(resumeDeploy(w.deps, resumeRequest())).rejects.toMatchObject({
      code: 'DEPLOYMENT_IN_PROGRESS',
      message: expect.stringContaining('taken over by other@host:9'),
    });
    expect(w.lambda.callsOf('updateAlias')).toHaveLength(0);
  });
});

describe('resumeDeploy: continuing', () => {
  it('takes the record over and re-writes the recorded step with the current RevisionId, holding it fully', async () => {
    const w = createWorld();
    leaveDeployment(w, deadRecord(w));
    const revision = w.lambda.peekAlias(FN, ALIAS)?.revisionId;
    const result = await resumeDeploy(w.deps, resumeRequest());

    expect(result).toMatchObject({
      status: 'promoted',
      deploymentId: 'd-dead01',
      fromVersion: '1',
      toVersion: '2',
      strategy: 'linear:10%:1m',
      startedAt: w.start - 600_000,
    });
    expect(writesOf(w.lambda)[0]).toEqual(['1', { '2': 0.2 }, revision]);
    expect(weightsWritten(w)).toEqual(stepsFrom(1));
    // Step 2 again for its full 60 s, then steps 3…9 and 100%.
    expect(result.steps.map((s) => s.percent)).toEqual([20, 30, 40, 50, 60, 70, 80, 90, 100]);
    expect(w.clock.now() - w.start).toBe(RUNNER_GONE_MS + 8 * 60_000 + PROMOTION_SETTLE_MS);
    const claim = w.store.writes[0]?.record;
    expect(claim).toMatchObject({
      id: 'd-dead01',
      owner: 'resumer@host:2',
      phase: 'shifting',
      heartbeatAt: w.start + RUNNER_GONE_MS,
    });
    expect(w.store.peek(FN, ALIAS)).toMatchObject({
      id: 'd-dead01',
      owner: 'resumer@host:2',
      phase: 'promoted',
      history: ['1'],
    });
    expect(w.sink.logs('info').join('\n')).toContain('held for its full time');
  });

  it('rebuilds the plan with this run’s --settle (not the default): 0 and 30 m are kept', async () => {
    for (const settleSeconds of [0, 1800]) {
      const w = createWorld();
      leaveDeployment(w, deadRecord(w));
      const prepared = await prepareResume(w.deps, resumeRequest({ settleSeconds }));
      expect(prepared.ctx.req.plan.settleSeconds).toBe(settleSeconds);
    }
    const w = createWorld();
    leaveDeployment(w, deadRecord(w));
    const prepared = await prepareResume(w.deps, resumeRequest());
    expect(prepared.ctx.req.plan.settleSeconds).toBe(planShift(prepared.ctx.req.strategy).settleSeconds);
  });

  it('continues from the step the alias is on when the record lagged one write behind', async () => {
    const w = createWorld();
    leaveDeployment(w, deadRecord(w), 30);
    await resumeDeploy(w.deps, resumeRequest());
    expect(weightsWritten(w)[0]).toEqual(['1', { '2': 0.3 }]);
    expect(weightsWritten(w)).toEqual(stepsFrom(2));
  });

  it('says truthfully that the alias was one step ahead of the record, and resumes from the alias', async () => {
    const w = createWorld();
    leaveDeployment(w, deadRecord(w), 30);
    const prepared = await prepareResume(w.deps, resumeRequest());
    expect(prepared.decision.summary).toBe('at step 3 (30%)');
    expect(w.sink.logs('warn')).toContain(
      'the alias was at 30%, the record said 20%; resuming at 30% (the weight write landed, the record write did not)',
    );
  });

  it('resumes after the last step when the final write landed and its record did not', async () => {
    const w = createWorld();
    leaveDeployment(w, deadRecord(w, { stepIndex: 8, percent: 90 }), 100);
    const result = await resumeDeploy(w.deps, resumeRequest());
    expect(result.status).toBe('promoted');
    expect(w.lambda.callsOf('updateAlias')).toHaveLength(0);
    expect(w.sink.logs('warn')).toContain(
      'the alias was at 100%, the record said 90%; resuming after the last step (the weight write landed, the record write did not)',
    );
  });

  // Its runner obeyed `lshift promote --full` (the answer is written before the 100% write) and died
  // before the record of its 100% write: before, ALIAS_AHEAD_OF_RECORD "someone else moved it"
  // (exit 4), and check and status said moved by hand.
  it.each(['done', 'sent'] as const)(
    'resumes after the last step when a promote --full (%s) was written to 100% and its record was not',
    async (state) => {
      const w = createWorld();
      const command = { verb: 'promote-full' as const, nonce: 'p1', state, by: 'ops@laptop:9' };
      leaveDeployment(w, deadRecord(w, { command }), 100);
      const result = await resumeDeploy(w.deps, resumeRequest());
      expect(result.status).toBe('promoted');
      expect(w.lambda.callsOf('updateAlias')).toHaveLength(0);
      expect(w.sink.logs('warn')).toContain(
        'the alias was at 100%, the record said 20%; resuming after the last step (the weight write landed, the record write did not)',
      );
    },
  );

  // Found by a hostile pass: with no bake ahead nothing polled, and an alarm firing since the crash
  // was promoted over (exit 0, no verdict).
  it.each([
    ['after the last step (its record one write behind)', { stepIndex: 8, percent: 90 }],
    ['at the post-traffic hooks', { phase: 'post-hook' as const, stepIndex: 9, percent: 100 }],
  ])('resumed %s with its alarm in ALARM and no bake ahead: rolled back, not promoted', async (_, at) => {
    const w = createWorld();
    leaveDeployment(w, deadRecord(w, at), 100);
    w.metrics.setAlarm(ALARM, 'ALARM', { at: w.start, reason: 'errors' });
    const result = await resumeDeploy(w.deps, resumeRequest({ hooks: { post: [cmdHook('post')] } }));
    expect(result.status).toBe('rolled_back');
    expect(describeReason(result)).toContain(
      'not promoted: when the deployment was resumed with all traffic on the new version, alarm demo-errors is ALARM',
    );
    expect(weightsWritten(w)).toEqual([['1', {}]]);
    expect(w.hooks.callsOf('cmd:post')).toHaveLength(0);
  });

  it('resumed after the last step with its alarm unreadable: rolled back (unknown is never quiet)', async () => {
    const w = createWorld();
    leaveDeployment(w, deadRecord(w, { stepIndex: 8, percent: 90 }), 100);
    // The resume's preflight reads them first (1st call); the read at 100% fails from then on.
    w.metrics.fail({ op: 'describeAlarms', nth: 2, times: Number.POSITIVE_INFINITY });
    const result = await resumeDeploy(w.deps, resumeRequest());
    expect(result.status).toBe('rolled_back');
    expect(describeReason(result)).toContain('not promoted: could not read the alarms');
  });

  it('resumes at the first step when it landed before the record left the pre-traffic hooks', async () => {
    const w = createWorld();
    leaveDeployment(w, deadRecord(w, { phase: 'pre-hook', stepIndex: 0, percent: 0 }), 10);
    await resumeDeploy(w.deps, resumeRequest({ hooks: { pre: [cmdHook('pre')] } }));
    expect(w.hooks.callsOf('cmd:pre')).toHaveLength(0);
    expect(weightsWritten(w)).toEqual(stepsFrom(0));
    expect(w.sink.logs('warn').join('\n')).toContain(
      'the alias was at 10%, the record said 0%; resuming at 10%',
    );
  });

  it('resumes a paused deployment even with a fresh heartbeat, running step hooks only after the resumed step', async () => {
    const w = createWorld();
    leaveDeployment(w, deadRecord(w, { phase: 'paused', heartbeatAt: w.start - 1000 }));
    const hooks = { pre: [cmdHook('pre')], step: [cmdHook('step')] };
    const result = await resumeDeploy(w.deps, resumeRequest({ hooks }));
    expect(result.status).toBe('promoted');
    expect(w.hooks.callsOf('cmd:pre')).toHaveLength(0);
    expect(w.hooks.callsOf('cmd:step').map((c) => functionPayloadOf(c).weight)).toEqual([
      20, 30, 40, 50, 60, 70, 80, 90,
    ]);
  });

  it('bakes again and runs the post-traffic hooks when all traffic was already on the target', async () => {
    const w = createWorld();
    leaveDeployment(w, deadRecord(w, { phase: 'baking', stepIndex: 9, percent: 100 }));
    const hooks = { post: [cmdHook('post')] };
    const result = await resumeDeploy(w.deps, resumeRequest({ hooks, bakeSeconds: 120 }));
    expect(result.status).toBe('promoted');
    expect(w.lambda.callsOf('updateAlias')).toHaveLength(0);
    expect(w.clock.now() - w.start).toBe(RUNNER_GONE_MS + 120_000 + PROMOTION_SETTLE_MS);
    expect(w.hooks.callsOf('cmd:post')[0]?.payload).toMatchObject({ weight: 100, deploymentId: 'd-dead01' });
    expect(w.store.phases()).toEqual(['baking', 'post-hook', 'promoted']);
  });

  it('finishes a deployment that died in its post-traffic hooks without baking again', async () => {
    const w = createWorld();
    leaveDeployment(w, deadRecord(w, { phase: 'post-hook', stepIndex: 9, percent: 100 }));
    const hooks = { post: [cmdHook('post')] };
    const result = await resumeDeploy(w.deps, resumeRequest({ hooks, bakeSeconds: 120 }));
    expect(result.status).toBe('promoted');
    // Promoted at once, then read back (promotion-settle.ts).
    expect(w.clock.now()).toBe(w.start + RUNNER_GONE_MS + PROMOTION_SETTLE_MS);
    expect(w.hooks.callsOf('cmd:post')).toHaveLength(1);
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'promoted', endedAt: w.start + RUNNER_GONE_MS });
  });

  it('at the post-traffic hooks with the alias still allocating provisioned concurrency: READY first, then the hooks', async () => {
    const w = createWorld();
    w.lambda.setProvisionedConcurrency(FN, ALIAS, 10, Array(6).fill('IN_PROGRESS'));
    leaveDeployment(w, deadRecord(w, { phase: 'post-hook', stepIndex: 9, percent: 100 }));
    // A routing change just before the runner died: Lambda re-allocates (6 reads IN_PROGRESS).
    const { revisionId } = w.lambda.peekAlias(FN, ALIAS)!;
    await w.lambda.updateAlias(FN, ALIAS, { functionVersion: '2', additionalWeights: {}, revisionId });
    let postAt: number | undefined;
    w.hooks.script('cmd:post', async () => {
      postAt = w.clock.now();
      return { ok: true, durationMs: 0 };
    });
    const result = await resumeDeploy(w.deps, resumeRequest({ hooks: { post: [cmdHook('post')] } }));
    expect(result.status).toBe('promoted');
    const reads = w.lambda.callsOf('getProvisionedConcurrency');
    expect(reads).toHaveLength(7);
    expect(postAt).toBeGreaterThanOrEqual(reads.at(-1)!.at);
    expect(w.lambda.callsOf('updateAlias')).toHaveLength(1);
  });

  it('starts from the pre-traffic hooks when nothing had moved', async () => {
    const w = createWorld();
    leaveDeployment(w, deadRecord(w, { phase: 'pre-hook', stepIndex: 0, percent: 0 }));
    const result = await resumeDeploy(w.deps, resumeRequest({ hooks: { pre: [cmdHook('pre')] } }));
    expect(result.status).toBe('promoted');
    expect(w.hooks.callsOf('cmd:pre')).toHaveLength(1);
    expect(weightsWritten(w)).toEqual(stepsFrom(0));
  });

  // Someone put all traffic back (by hand, or a rollback whose record writes failed): it walked
  // the plan again from 10%, undoing a person's rollback; a release did so from its highest
  // level, 30% at once (found by a hostile pass). Refused now, nothing written.
  it('refuses when traffic is all back on stable mid-plan: someone moved it back (exit 5, nothing written)', async () => {
    const w = createWorld();
    leaveDeployment(w, deadRecord(w, { stepIndex: 6, percent: 70 }), 0);
    const error = await resumeDeploy(w.deps, resumeRequest({ hooks: { pre: [cmdHook('pre')] } })).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({
      code: 'ALIAS_MISMATCH',
      exitCode: 5,
      message:
        'Alias live of function demo routes all traffic to its stable version 1, but deployment d-dead01 recorded 70% (step 7): someone moved it back, so lshift will not resume and undo that; a human must look.',
      hint: 'To close the deployment where it is: `lshift rollback demo --alias live` (it moves nothing), then deploy again.',
    });
    expect(weightsWritten(w)).toEqual([]);
    expect(w.hooks.callsOf('cmd:pre')).toHaveLength(0);
  });

  it('rolls back to the record’s stable version when health fails after resuming', async () => {
    const w = createWorld();
    leaveDeployment(w, deadRecord(w, { phase: 'baking', stepIndex: 9, percent: 100 }));
    w.metrics.setAlarm(ALARM, 'ALARM', { at: w.start + 20_000, reason: 'errors' });
    const result = await resumeDeploy(
      w.deps,
      resumeRequest({ bakeSeconds: 300, hooks: { rollback: [cmdHook('notify')] } }),
    );
    expect(result.status).toBe('rolled_back');
    expect(exitCodeForStatus(result.status)).toBe(3);
    expect(describeReason(result)).toContain('during the bake (100%)');
    expect(weightsWritten(w)).toEqual([['1', {}]]);
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'rolled-back', owner: 'resumer@host:2' });
    expect(w.hooks.callsOf('cmd:notify')).toHaveLength(1);
  });

  it('lets the health gate judge an alarm already firing once traffic has moved: rolls back at the first poll', async () => {
    const w = createWorld();
    leaveDeployment(w, deadRecord(w));
    w.metrics.setAlarm(ALARM, 'ALARM', { reason: 'errors' });
    const result = await resumeDeploy(w.deps, resumeRequest());
    expect(result.status).toBe('rolled_back');
    expect(weightsWritten(w)).toEqual([
      ['1', { '2': 0.2 }],
      ['1', {}],
    ]);
    expect(w.clock.now() - w.start).toBe(RUNNER_GONE_MS + 10_000);
  });

  it.each([
    { phase: 'rolling-back' as const, percent: 20 },
    { phase: 'rolling-back' as const, percent: 0 },
    { phase: 'failed' as const, percent: 100 },
  ])(
    'finishes a $phase deployment (alias at $percent%): all traffic on stable, record rolled-back',
    async (row) => {
      const w = createWorld();
      leaveDeployment(w, deadRecord(w, { phase: row.phase, percent: row.percent }));
      const result = await resumeDeploy(w.deps, resumeRequest());
      expect(result.status).toBe('rolled_back');
      expect(weightsWritten(w)).toEqual(row.percent === 0 ? [] : [['1', {}]]);
      expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
      expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'rolled-back', percent: 0 });
      expect(w.store.phases()).toEqual(['rolling-back', 'rolled-back']);
    },
  );

  it('stops when the dead runner comes back and splits the alias: unsafe, the split left', async () => {
    const w = createWorld();
    leaveDeployment(w, deadRecord(w));
    w.lambda.moveAliasAt(w.start + RUNNER_GONE_MS + 30_000, FN, ALIAS, {
      functionVersion: '1',
      additionalWeights: { '2': 0.3 },
    });
    const result = await resumeDeploy(w.deps, resumeRequest());
    // A split left with nobody driving it: unsafe, exit 4 (DESIGN.md §6; split-mid-shift.test.ts), was a conflict.
    expect(result.status).toBe('unsafe');
    expect(result.cause).toMatchObject({ code: 'ALIAS_CHANGED' });
    // Seen by the hold's alias read (health-monitor.ts aliasMoved), not by a next weight write.
    expect(w.lambda.callsOf('updateAlias')).toHaveLength(1);
  });
});

describe('resumeDeploy rechecks the lambda: hooks it can still call', () => {
  const lambdaHook = (spec: string) => parseHookSpec(spec, '--post-hook');

  it('a post-traffic hook function that no longer exists: HOOK_FUNCTION_NOT_FOUND (exit 1), nothing written', async () => {
    const w = createWorld();
    leaveDeployment(w, deadRecord(w, { phase: 'paused', heartbeatAt: w.start - 1000 }));
    const before = w.lambda.peekAlias(FN, ALIAS);
    const refused = resumeDeploy(w.deps, resumeRequest({ hooks: { post: [lambdaHook('lambda:gone')] } }));
    await expect(refused).rejects.toMatchObject({
      code: 'HOOK_FUNCTION_NOT_FOUND',
      exitCode: 1,
      message: expect.stringContaining('The post-traffic hook lambda:gone cannot run'),
    });
    expect(w.lambda.callsOf('updateAlias')).toEqual([]);
    expect(w.lambda.peekAlias(FN, ALIAS)).toEqual(before);
    expect(w.store.writes).toEqual([]);
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'paused', owner: 'ci@runner:7' });
  });

  it('not the pre-traffic hooks it will not run again, nor any hook when it only finishes a rollback', async () => {
    const mid = createWorld();
    leaveDeployment(mid, deadRecord(mid));
    const pre = { pre: [lambdaHook('lambda:gone')] };
    await expect(resumeDeploy(mid.deps, resumeRequest({ hooks: pre }))).resolves.toMatchObject({
      status: 'promoted',
    });
    expect(mid.lambda.callsOf('checkInvoke')).toEqual([]);

    const rolling = createWorld();
    leaveDeployment(rolling, deadRecord(rolling, { phase: 'rolling-back' }));
    const all = { post: [lambdaHook('lambda:gone')], rollback: [lambdaHook('lambda:gone2')] };
    const result = await resumeDeploy(rolling.deps, resumeRequest({ hooks: all }));
    expect(result.status).toBe('rolled_back');
    expect(rolling.lambda.callsOf('checkInvoke')).toEqual([]);
  });

  it('the hooks ahead of each resume point', () => {
    const [pre, step, post, rollback] = ['pre', 'step', 'post', 'rollback'].map((p) => [cmdHook(p)]);
    const hooks = { pre, step, post, rollback };
    expect(hooksAhead(hooks, { kind: 'shift', fromStep: 0, preHooks: true })).toEqual(hooks);
    expect(hooksAhead(hooks, { kind: 'shift', fromStep: 2, preHooks: false })).toEqual({
      step,
      post,
      rollback,
    });
    expect(hooksAhead(hooks, { kind: 'bake' })).toEqual({ post, rollback });
    expect(hooksAhead(hooks, { kind: 'post' })).toEqual({ post, rollback });
    expect(hooksAhead(hooks, { kind: 'rollback' })).toEqual({});
  });
});
