import { describe, expect, it } from 'vitest';
import { describeReason } from '../../src/cli/describe-outcome.js';
import { runDeploy } from '../../src/engine/deploy.js';
import {
  ALIAS,
  allAtOnce,
  buildPlan,
  canary,
  createWorld,
  deadRecord,
  FN,
  leaveDeployment,
  request,
  type World,
  writesOf,
} from './world.js';

/** Deploys version 3 over whatever holds the alias. */
function supersede(w: World, overrides: Parameters<typeof request>[0] = {}) {
  return runDeploy(
    w.deps,
    request({ ...allAtOnce(), targetVersion: '3', deploymentId: 'd-new001', supersede: true, ...overrides }),
  );
}

/** 20 s into the old deployment, a `--supersede` deploying version 2 again, run to its end on the manual clock. */
async function supersedeWithVersion2(w: World): ReturnType<typeof runDeploy> {
  await w.clock.advance(20_000);
  const superseding = supersede(w, { targetVersion: '2' });
  let settled = false;
  const settle = () => {
    settled = true;
  };
  superseding.then(settle, settle);
  while (!settled) await w.clock.advance(1_000);
  return superseding;
}

function createWorldWith3(): World {
  const w = createWorld();
  w.lambda.addVersion(FN);
  return w;
}

describe('runDeploy --supersede', () => {
  const holders: {
    name: string;
    setup: (w: World) => void;
    /** The old deployment's rollback write (primary, weights). */
    rollback: [string, Record<string, number>];
    closed?: string;
    /** The exit without --supersede when not 5: 4 over a split nobody drives. */
    refusedExit?: 4;
  }[] = [
    {
      name: 'a stale deployment mid-shift',
      setup: (w) => leaveDeployment(w, deadRecord(w)),
      refusedExit: 4,
      rollback: ['1', {}],
      closed: 'd-dead01',
    },
    {
      name: 'a stale deployment that died in its bake (alias all on its target)',
      setup: (w) => leaveDeployment(w, deadRecord(w, { phase: 'baking', stepIndex: 9, percent: 100 })),
      rollback: ['1', {}],
      closed: 'd-dead01',
    },
    {
      name: 'a live deployment',
      setup: (w) => leaveDeployment(w, deadRecord(w, { heartbeatAt: w.start - 5_000 })),
      rollback: ['1', {}],
      closed: 'd-dead01',
    },
    {
      name: 'a paused deployment',
      setup: (w) => leaveDeployment(w, deadRecord(w, { phase: 'paused' })),
      refusedExit: 4,
      rollback: ['1', {}],
      closed: 'd-dead01',
    },
    {
      name: 'a stale deployment before any traffic moved (the write only fences its runner off)',
      setup: (w) => leaveDeployment(w, deadRecord(w, { phase: 'pre-hook', stepIndex: 0, percent: 0 })),
      rollback: ['1', {}],
      closed: 'd-dead01',
    },
    {
      name: 'a split alias with no record',
      setup: (w) => w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: { '2': 0.4 } }),
      rollback: ['1', {}],
    },
  ];

  it.each(holders)('rolls back $name first, then deploys clean', async (row) => {
    const w = createWorldWith3();
    row.setup(w);
    const result = await supersede(w);

    expect(result).toMatchObject({
      status: 'promoted',
      deploymentId: 'd-new001',
      fromVersion: '1',
      toVersion: '3',
    });
    expect(writesOf(w.lambda).map(([v, weights]) => [v, weights])).toEqual([row.rollback, ['3', {}]]);
    if (row.closed) {
      // Claimed first, as `lshift rollback` does (supersede-claim.test.ts), then closed.
      expect(w.store.writes[0]?.record).toMatchObject({
        id: row.closed,
        phase: 'rolling-back',
        owner: 'rollback:tester@host:1',
      });
      expect(w.store.writes[1]?.record).toMatchObject({ id: row.closed, phase: 'rolled-back', percent: 0 });
    }
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ id: 'd-new001', phase: 'promoted', stableVersion: '1' });
    expect(w.sink.ofType('preflight.check').find((c) => c.check === 'supersede')).toMatchObject({
      ok: true,
      message: expect.stringContaining('all traffic is on version 1'),
    });
  });

  // Exit 5, or 4 over a split nobody drives (a dead runner's, as `lshift status` says STALLED: session 71).
  it('without --supersede, refuses the same situations (exit 5, or 4 over a split nobody drives) and changes nothing', async () => {
    for (const row of holders) {
      const w = createWorldWith3();
      row.setup(w);
      const before = w.lambda.peekAlias(FN, ALIAS);
      await expect(supersede(w, { supersede: false }), row.name).rejects.toMatchObject({
        exitCode: row.refusedExit ?? 5,
      });
      expect(w.lambda.peekAlias(FN, ALIAS)).toEqual(before);
      expect(w.store.writes).toHaveLength(0);
    }
  });

  // `deploy a4 --supersede` of one function of a running release said nothing of the release,
  // whose runner then rolled its other functions back (found by a hostile pass, session 61).
  it('a holder that is one function of a release: says so, and what becomes of the others', async () => {
    const w = createWorldWith3();
    leaveDeployment(w, deadRecord(w, { releaseId: 'r-z5e4hr' }));
    const result = await supersede(w);
    expect(result.status).toBe('promoted');
    expect(w.sink.ofType('preflight.check').find((c) => c.check === 'supersede')?.message).toBe(
      'deployment d-dead01 by ci@runner:7 (shifting, version 1 → 2) was rolled back (superseded by deployment d-new001 (tester@host:1)); all traffic is on version 1. ' +
        'Deployment d-dead01 was one function of release r-z5e4hr: its other functions were left as they are (a release runner still running rolls them back itself when it meets this rollback; otherwise `lshift rollback --release r-z5e4hr` does, and `lshift check` finds them)',
    );
  });

  // A person's rollback (12 → 17 back to 12) whose alias was moved by hand to 15 meanwhile: it
  // said "was rolled back …; all traffic is on version 15", as if 15 were its stable version
  // (found by a hostile pass).
  it('a holder whose alias was moved outside it to another version: closed, nothing rolled back, said so', async () => {
    const w = createWorldWith3();
    w.lambda.addVersion(FN);
    w.store.seed(
      FN,
      ALIAS,
      deadRecord(w, { phase: 'rolling-back', owner: 'rollback:ann@desk:5', heartbeatAt: w.start - 1_000 }),
    );
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '3', additionalWeights: {} });
    const result = await supersede(w, { targetVersion: '4' });
    expect(result.status).toBe('promoted');
    const said = w.sink.ofType('preflight.check').find((c) => c.check === 'supersede')?.message;
    expect(said).toBe(
      'deployment d-dead01 by rollback:ann@desk:5 (rolling-back, version 1 → 2) was closed (superseded by deployment d-new001 (tester@host:1)), nothing rolled back: all traffic was already on version 3, moved there outside it (not its stable version 1)',
    );
    expect(said).not.toContain('was rolled back');
  });

  it('does nothing extra when nothing holds the alias', async () => {
    const w = createWorldWith3();
    w.store.seed(FN, ALIAS, deadRecord(w, { phase: 'promoted', percent: 100 }));
    const result = await supersede(w);
    expect(result.status).toBe('promoted');
    expect(w.lambda.callsOf('updateAlias')).toHaveLength(1);
    expect(w.sink.ofType('preflight.check').some((c) => c.check === 'supersede')).toBe(false);
  });

  it('checks the new target before touching the old deployment', async () => {
    const w = createWorld();
    leaveDeployment(w, deadRecord(w));
    await expect(supersede(w, { targetVersion: '9' })).rejects.toMatchObject({ code: 'VERSION_NOT_FOUND' });
    expect(w.lambda.callsOf('updateAlias')).toHaveLength(0);
    expect(w.store.peek(FN, ALIAS)?.phase).toBe('shifting');
  });

  it('stops with SUPERSEDE_CONFLICT (exit 5) when the alias moves during the rollback', async () => {
    const w = createWorldWith3();
    leaveDeployment(w, deadRecord(w));
    // Someone moves it to a version the old deployment does not know, just before the rollback's
    // write. (A move between the old deployment's own versions is its runner's late step write,
    // which the rollback re-reads and finishes: rollback-late-step-write.test.ts.)
    w.lambda.onCall = (call) => {
      if (call.op === 'updateAlias' && w.lambda.callsOf('updateAlias').length === 1)
        w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: { '3': 0.2 } });
    };
    await expect(supersede(w)).rejects.toMatchObject({ code: 'SUPERSEDE_CONFLICT', exitCode: 5 });
    expect(w.lambda.callsOf('updateAlias')).toHaveLength(1);
  });

  it('stops a live runner it superseded: at its next heartbeat it finds the record replaced and writes nothing more', async () => {
    const w = createWorld({ auto: false });
    w.lambda.addVersion(FN);
    const old = runDeploy(
      w.deps,
      request({ ...canary(10, 600), deploymentId: 'd-old001', owner: 'old@host:1' }),
    );
    await w.clock.advance(20_000);
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ id: 'd-old001', phase: 'shifting', percent: 10 });

    const superseding = supersede(w);
    let settled = false;
    const settle = () => {
      settled = true;
    };
    superseding.then(settle, settle);
    // Its claim on the old record settles (3 s) before it acts (check-claim.ts).
    while (!settled) await w.clock.advance(1_000);
    const replaced = await superseding;
    expect(replaced.status).toBe('promoted');
    await w.clock.advance(30_000);
    const result = await old;

    // Rolled back (exit 3), as when it looks before the new deployment starts — not a conflict
    // (exit 5) that its pipeline would retry, deploying the version just rolled back again.
    expect(result.status).toBe('rolled_back');
    expect(result.cause).toMatchObject({
      code: 'ROLLED_BACK_BY_OTHER',
      data: { owner: 'tester@host:1', successor: 'd-new001' },
    });
    expect(describeReason(result)).toContain(
      'rolled back and replaced by deployment d-new001 of tester@host:1 at step 1 (10%), while this lshift still ran it (d-new001 started at 2026-01-01T00:00:20Z)',
    );
    expect(describeReason(result)).toContain(
      "version 2 carries no traffic; alias live is that deployment's now, from version 1",
    );
    expect(result.aliasState).toEqual({ functionVersion: '3', additionalWeights: {} });
    expect(writesOf(w.lambda).map(([v, weights]) => [v, weights])).toEqual([
      ['1', { '2': 0.1 }],
      ['1', {}],
      ['3', {}],
    ]);
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ id: 'd-new001', phase: 'promoted' });
    expect(w.store.writes.at(-1)?.record.id).toBe('d-new001');
  });
});

describe('runDeploy --supersede checks the new deployment before it rolls the old one back', () => {
  const refusals: {
    name: string;
    code: string;
    setup?: (w: World) => void;
    overrides?: Parameters<typeof request>[0];
  }[] = [
    { name: 'a mistyped --alarm', code: 'ALARM_NOT_FOUND', overrides: { alarms: ['demo-erors'] } },
    {
      name: 'an alarm already firing (it would still fire right after the rollback)',
      code: 'ALARM_ALREADY_FIRING',
      setup: (w) => w.metrics.setAlarm('demo-errors', 'ALARM'),
    },
    {
      name: 'a target with another execution role than the stable version it would be split with',
      code: 'ROLE_MISMATCH',
      setup: (w) => w.lambda.addVersion(FN, { role: 'arn:aws:iam::123456789012:role/other' }),
    },
    {
      name: '--warm with no provisioned concurrency to match',
      code: 'WARM_NOT_POSSIBLE',
      overrides: { warm: true },
    },
    {
      name: 'a strategy whose record cannot fit in a tag',
      code: 'RECORD_TOO_LARGE',
      overrides: (() => {
        const many = Array.from({ length: 40 }, (_, i) => ({ percent: i + 1.25, holdSeconds: 61 }));
        const strategy = {
          kind: 'steps' as const,
          name: 'long',
          steps: [...many, { percent: 100, holdSeconds: 0 }],
        };
        return { strategy, plan: buildPlan(strategy, strategy.steps) };
      })(),
    },
  ];

  it.each(refusals)('$name: $code, and the old deployment is as it was', async (row) => {
    const w = createWorld();
    leaveDeployment(w, deadRecord(w));
    if (row.code !== 'ROLE_MISMATCH') w.lambda.addVersion(FN);
    row.setup?.(w);
    const before = w.lambda.peekAlias(FN, ALIAS);

    await expect(supersede(w, row.overrides)).rejects.toMatchObject({ code: row.code });

    expect(w.lambda.callsOf('updateAlias')).toEqual([]);
    expect(w.lambda.peekAlias(FN, ALIAS)).toEqual(before);
    expect(w.store.writes).toEqual([]);
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ id: 'd-dead01', phase: 'shifting' });
  });

  // Found by a hostile pass: "Fix the stable version first" when the deployment it was asked to
  // supersede (its new version at 20%) was what fired the alarm.
  it('an alarm already firing: the hint names the deployment it would roll back as a possible cause', async () => {
    const w = createWorld();
    leaveDeployment(w, deadRecord(w));
    w.lambda.addVersion(FN);
    w.metrics.setAlarm('demo-errors', 'ALARM');

    const error = await supersede(w).catch((e: unknown) => e);

    expect(error).toMatchObject({ code: 'ALARM_ALREADY_FIRING' });
    const { hint } = error as { hint?: string };
    expect(hint).toContain(
      'Deployment d-dead01 (version 2 at 20%), which --supersede would roll back, may be what fires it',
    );
    expect(hint).toContain('`lshift rollback demo --alias live`');
    expect(hint).toContain('--ignore-initial-alarms');
    expect(hint).not.toContain('Fix the stable version first');
  });

  it('a runner it superseded with the same version: a conflict (exit 5), its version still carries traffic', async () => {
    const w = createWorld({ auto: false });
    const old = runDeploy(
      w.deps,
      request({ ...canary(10, 600), deploymentId: 'd-old001', owner: 'old@host:1' }),
    );
    expect((await supersedeWithVersion2(w)).status).toBe('promoted');
    await w.clock.advance(30_000);
    const result = await old;

    expect(result.status).toBe('conflict');
    expect(describeReason(result)).toContain(
      'deployment d-new001 by tester@host:1 replaced deployment d-old001',
    );
    // The alias as it is when the runner ends, not as it was before it followed the rollback.
    expect(result.aliasState).toEqual({ functionVersion: '2', additionalWeights: {} });
  });

  // Found by a hostile pass: the superseded runner followed the claim, the newer deployment then
  // put all traffic on version 2, and the conflict result still showed the split it had read
  // before following.
  it('a runner that followed the superseding claim: its result shows the alias as it is at the end', async () => {
    const w = createWorld({ auto: false });
    const old = runDeploy(
      w.deps,
      request({ ...canary(10, 600), deploymentId: 'd-old001', owner: 'old@host:1', pollIntervalSeconds: 1 }),
    );
    await supersedeWithVersion2(w);
    await w.clock.advance(30_000);
    const result = await old;
    const followed = w.sink
      .ofType('log')
      .some((e) => e.message.includes('is rolling deployment d-old001 back; following it'));
    expect(followed, 'the old runner followed the claim').toBe(true);
    expect(result.status).toBe('conflict');
    expect(result.aliasState).toEqual({ functionVersion: '2', additionalWeights: {} });
  });

  it('compares the target with the version the rollback leaves, not the one the alias is on now', async () => {
    // The old deployment died in its bake: all traffic on its target 2; its rollback goes to 1.
    const w = createWorldWith3();
    leaveDeployment(w, deadRecord(w, { phase: 'baking', stepIndex: 9, percent: 100 }));
    w.lambda.setProvisionedConcurrency(FN, '1', 10);
    const result = await supersede(w, { warm: true });
    expect(result).toMatchObject({ status: 'promoted', fromVersion: '1', toVersion: '3' });
  });

  it('deploying the version the rollback goes back to: only the rollback, with nothing about the shift asked', async () => {
    const w = createWorld();
    leaveDeployment(w, deadRecord(w));
    w.metrics.setAlarm('demo-errors', 'ALARM');
    const result = await supersede(w, { targetVersion: '1' });
    expect(result.status).toBe('nothing_to_deploy');
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
  });
});
