import { describe, expect, it } from 'vitest';
import {
  findReleasesOfferingWaysOut,
  renderReleaseStatus,
} from '../../src/cli/renderers/status-release-text.js';
import { renderStatus } from '../../src/cli/renderers/status-text.js';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import { fingerprintGuards } from '../../src/domain/guard-fingerprint.js';
import { runCheck } from '../../src/engine/check.js';
import { getStatus } from '../../src/engine/status.js';
import { ALARM, ALIAS, createWorld, deadRecord, FN } from './world.js';

describe('getStatus', () => {
  it('shows a split alias, the alarms and a live record with its heartbeat age', async () => {
    const w = createWorld();
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: { '2': 0.1 } });
    w.store.seed(FN, ALIAS, {
      id: 'd-run001',
      stableVersion: '1',
      targetVersion: '2',
      strategy: 'canary:10%:5m',
      stepIndex: 0,
      percent: 10,
      phase: 'shifting',
      startedAt: w.start - 60_000,
      owner: 'ci@runner:1',
      heartbeatAt: w.start - 20_000,
      history: [],
    });
    const status = await getStatus(w.deps, { functionName: FN, alias: ALIAS, alarms: [ALARM] });
    expect(status).toMatchObject({
      functionName: FN,
      alias: ALIAS,
      functionVersion: '1',
      additionalWeights: { '2': 0.1 },
      split: true,
      alarms: [{ name: ALARM, state: 'OK' }],
      record: { id: 'd-run001', phase: 'shifting', heartbeatAgeSeconds: 20, stale: false },
    });

    await w.clock.sleep(10 * 60_000);
    const later = await getStatus(w.deps, { functionName: FN, alias: ALIAS, alarms: [] });
    expect(later.record).toMatchObject({ heartbeatAgeSeconds: 620, stale: true });
    expect(later.alarms).toEqual([]);
  });

  it('reports unreadable or missing alarms as UNKNOWN, never OK', async () => {
    const w = createWorld();
    w.metrics.fail({ op: 'describeAlarms' });
    const failed = await getStatus(w.deps, { functionName: FN, alias: ALIAS, alarms: [ALARM, 'other'] });
    expect(failed.alarms.map((a) => [a.name, a.state])).toEqual([
      [ALARM, 'UNKNOWN'],
      ['other', 'UNKNOWN'],
    ]);
    expect(failed.alarms[0]?.reason).toContain('could not read alarms: THROTTLED');
    const missing = await getStatus(w.deps, { functionName: FN, alias: ALIAS, alarms: ['ghost'] });
    expect(missing.alarms).toEqual([{ name: 'ghost', state: 'UNKNOWN', reason: 'alarm not found' }]);
  });

  it('reports an unreadable record instead of failing, and an unsplit alias without record', async () => {
    const w = createWorld();
    const plain = await getStatus(w.deps, { functionName: FN, alias: ALIAS, alarms: [] });
    expect(plain).toMatchObject({ split: false, functionVersion: '1' });
    expect(plain.record).toBeUndefined();
    w.store.failReads(new Error('AccessDenied: lambda:ListTags'));
    const status = await getStatus(w.deps, { functionName: FN, alias: ALIAS, alarms: [] });
    expect(status.recordError).toContain('AccessDenied');
  });

  it('never calls a finished deployment stale', async () => {
    const w = createWorld();
    w.store.seed(FN, ALIAS, {
      id: 'd-old',
      stableVersion: '1',
      targetVersion: '2',
      strategy: 'all-at-once',
      stepIndex: 0,
      percent: 0,
      phase: 'rolled-back',
      startedAt: w.start - 3_600_000,
      owner: '',
      heartbeatAt: w.start - 3_600_000,
      endedAt: w.start - 3_600_000,
      history: [],
    });
    const status = await getStatus(w.deps, { functionName: FN, alias: ALIAS, alarms: [] });
    expect(status.record?.stale).toBe(false);
    // The record keeps the step it stopped at with 0%: not "step 1 at 0%", a step that never was.
    expect(renderStatus(status)).toContain(
      'deployment d-old: rolled-back, version 1 → 2, stopped at step 1 (all-at-once)',
    );
  });

  describe('an unfinished deployment whose alias was moved by hand (issue 15)', () => {
    const dead = (w: ReturnType<typeof createWorld>): DeploymentRecord => ({
      id: 'd-run002',
      stableVersion: '1',
      targetVersion: '2',
      strategy: 'linear:10%:1m',
      stepIndex: 2,
      percent: 30,
      phase: 'shifting',
      startedAt: w.start - 900_000,
      owner: 'ci@runner:1',
      heartbeatAt: w.start - 600_000,
      history: [],
    });

    it.each([
      [
        'back on the stable version',
        { functionVersion: '1', additionalWeights: {} },
        'back-on-stable',
        /lshift rollback demo --alias live/,
      ],
      [
        'on a version it does not know',
        { functionVersion: '3', additionalWeights: {} },
        'elsewhere',
        /lshift alias demo live 3/,
      ],
      [
        'split with a version it does not know',
        { functionVersion: '1', additionalWeights: { '3': 0.2 } },
        'elsewhere',
        /lshift alias demo live <version>/,
      ],
    ])('%s: says so, and does not offer --resume', async (_name, alias, movedAway, fix) => {
      const w = createWorld();
      w.lambda.addVersion(FN);
      w.lambda.moveAlias(FN, ALIAS, alias);
      w.store.seed(FN, ALIAS, dead(w));
      const status = await getStatus(w.deps, { functionName: FN, alias: ALIAS, alarms: [] });
      expect(status.record).toMatchObject({ stale: true, movedAway });
      const text = renderStatus(status);
      expect(text).toMatch(
        movedAway === 'back-on-stable'
          ? /again, which its record does not say: rolled back by hand, or by a rollback stopped before it could record it\n/
          : /by hand, and nobody will finish it/,
      );
      // Back on stable, the next check records it rolled back, as its STALE line says: not
      // "nobody will finish it" beside that (found by a hostile pass, session 61).
      if (movedAway === 'back-on-stable') expect(text).not.toContain('nobody will finish it');
      expect(text).toMatch(fix);
      expect(text).not.toContain('--resume');
    });

    // Its single-function fix closed it alone and said nothing of the release's others, split
    // with nobody driving them (found by a hostile pass): the release's ways out, as check gives.
    it.each([
      [
        'back on the stable version',
        { functionVersion: '1', additionalWeights: {} },
        "undo the whole release with `lshift rollback --release r-rel001`; or keep demo on version 1 and close its deployment with `lshift alias demo live 1`, then, if they still carry the release's traffic, resume its other functions with `lshift deploy <its other functions> --alias live --resume`",
      ],
      [
        'on a version it does not know',
        { functionVersion: '3', additionalWeights: {} },
        'first put demo back on its stable version 1 with `lshift rollback demo --alias live --to 1`, or keep demo on version 3 and close its deployment with `lshift alias demo live 3` (either closes its deployment); then resume its other functions',
      ],
    ])('a function of a release %s: the release’s ways out', async (_name, alias, waysOut) => {
      const w = createWorld();
      w.lambda.addVersion(FN);
      w.lambda.moveAlias(FN, ALIAS, alias);
      w.store.seed(FN, ALIAS, { ...dead(w), releaseId: 'r-rel001' });
      const text = renderStatus(await getStatus(w.deps, { functionName: FN, alias: ALIAS, alarms: [] }));
      expect(text).toContain(waysOut);
      expect(text).not.toContain('record that with `lshift rollback demo --alias live` (it moves nothing');
    });

    // `lshift pause` leaves the phase `shifting`: status read "shifting" while the hold stood still.
    it('a deployment paused by an operator says paused, and by whom', async () => {
      const w = createWorld();
      w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: { '2': 0.3 } });
      const command = { verb: 'pause', nonce: 'n1', state: 'done', by: 'ann@laptop:7' } as const;
      w.store.seed(FN, ALIAS, { ...dead(w), heartbeatAt: w.start, command });
      const status = await getStatus(w.deps, { functionName: FN, alias: ALIAS, alarms: [] });
      expect(renderStatus(status)).toContain(
        'deployment d-run002: shifting, paused by ann@laptop:7 (its hold clock is stopped), version 1 → 2',
      );
      w.store.seed(FN, ALIAS, { ...dead(w), heartbeatAt: w.start, command: { ...command, verb: 'resume' } });
      const resumed = await getStatus(w.deps, { functionName: FN, alias: ALIAS, alarms: [] });
      expect(renderStatus(resumed)).toContain('deployment d-run002: shifting, version 1 → 2');
    });

    it('a split the deployment could have left (a crash one step ahead of its record) still offers --resume', async () => {
      const w = createWorld();
      w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: { '2': 0.4 } });
      w.store.seed(FN, ALIAS, dead(w));
      const status = await getStatus(w.deps, { functionName: FN, alias: ALIAS, alarms: [] });
      expect(status.record?.movedAway).toBeUndefined();
      expect(renderStatus(status)).toContain('--resume');
    });

    it('its --resume hint names the first run’s guards the record keeps (gd=)', async () => {
      const w = createWorld();
      w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: { '2': 0.3 } });
      const guards = fingerprintGuards({
        alarms: ['demo-errors'],
        hooks: [],
        bakeSeconds: 300,
        analysis: true,
      });
      w.store.seed(FN, ALIAS, { ...dead(w), guards });
      const status = await getStatus(w.deps, { functionName: FN, alias: ALIAS, alarms: [] });
      expect(renderStatus(status)).toContain(
        "finish it with `lshift deploy demo --alias live --resume` plus the first run's --alarm and --bake flags (it watched 1 alarm and baked 5m), or undo it with `lshift rollback demo --alias live`",
      );
      expect(renderStatus(status)).toContain(
        '    guards: it watches 1 alarm, runs no hook, bakes 5m and has the canary analysis on\n',
      );
      w.store.seed(FN, ALIAS, { ...dead(w), guards, phase: 'promoted', endedAt: w.clock.now() });
      const ended = await getStatus(w.deps, { functionName: FN, alias: ALIAS, alarms: [] });
      expect(renderStatus(ended)).toContain(
        '    guards: it watched 1 alarm, ran no hook, baked 5m and had the canary analysis on\n',
      );
    });
  });

  it('throws ALIAS_NOT_FOUND for a missing alias', async () => {
    const w = createWorld();
    await expect(getStatus(w.deps, { functionName: FN, alias: 'prod', alarms: [] })).rejects.toMatchObject({
      code: 'ALIAS_NOT_FOUND',
    });
  });

  it('reads the alias, the record and the alarms at once, not one after another (issue 15: status speed)', async () => {
    const w = createWorld();
    // The alias answer waits until the record and the alarms were asked for: read one after
    // another, the record would never be asked for and the status would fall back to the timeout.
    let askedRecord!: () => void;
    let askedAlarms!: () => void;
    const bothAsked = Promise.all([
      new Promise<void>((r) => (askedRecord = r)),
      new Promise<void>((r) => (askedAlarms = r)),
    ]);
    const store = Object.create(w.store) as typeof w.store;
    store.read = (fn, alias) => {
      askedRecord();
      return w.store.read(fn, alias);
    };
    const metrics = Object.create(w.metrics) as typeof w.metrics;
    metrics.describeAlarms = (names) => {
      askedAlarms();
      return w.metrics.describeAlarms(names);
    };
    const lambda = Object.create(w.lambda) as typeof w.lambda;
    lambda.getAlias = async (fn, alias) => {
      // A backstop only: with parallel reads this never waits.
      const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 1000));
      if ((await Promise.race([bothAsked, timeout])) === 'timeout')
        throw new Error('record and alarms were not read in parallel');
      return w.lambda.getAlias(fn, alias);
    };
    const status = await getStatus(
      { ...w.deps, lambda, store, metrics },
      { functionName: FN, alias: ALIAS, alarms: [ALARM] },
    );
    expect(status.alarms).toEqual([expect.objectContaining({ name: ALARM, state: 'OK' })]);
  });
  it.each([
    ['shifting', true],
    ['paused', true],
    ['promoted', false],
    ['rolled-back', false],
    ['failed', false],
  ] as const)(
    'a CodeDeploy deployment %s: "follow it: lshift wait" only while it runs (%s)',
    async (phase, running) => {
      const w = createWorld();
      const percent = { shifting: 10, paused: 10, promoted: 100, 'rolled-back': 0, failed: 0 }[phase];
      if (percent === 100) w.lambda.moveAlias(FN, ALIAS, { functionVersion: '2', additionalWeights: {} });
      else if (percent > 0)
        w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: { '2': 0.1 } });
      w.store.seed(FN, ALIAS, {
        id: 'd-cd0001',
        stableVersion: '1',
        targetVersion: '2',
        strategy: 'canary:10%:5m',
        stepIndex: 0,
        percent,
        phase,
        startedAt: w.start - 60_000,
        owner: 'ci@runner:1',
        heartbeatAt: w.start - 20_000,
        history: [],
        engine: 'codedeploy',
        codeDeployId: 'd-ABCDEF123',
      });
      const text = renderStatus(await getStatus(w.deps, { functionName: FN, alias: ALIAS, alarms: [] }));
      expect(text).toContain('engine: AWS CodeDeploy, deployment d-ABCDEF123');
      if (running) expect(text).toContain('follow it: `lshift wait d-ABCDEF123`');
      else if (phase === 'failed') {
        // lshift's rollback failed: CodeDeploy may never have been stopped.
        expect(text).not.toContain('ended');
        expect(text).toContain('CodeDeploy may still be running it');
        expect(text).toContain(`lshift rollback ${FN} --alias ${ALIAS}\` stops it`);
      } else {
        expect(text).not.toContain('lshift wait');
        expect(text).toContain(`(ended: ${phase})`);
      }
    },
  );

  it.each([
    ['shifting', 'no deployment id recorded yet: none started, or its runner stopped before recording it'],
    ['rolled-back', 'its deployment id was never recorded'],
  ] as const)(
    'a CodeDeploy record without a deployment id (%s) never claims none was started',
    async (phase, says) => {
      // A runner killed right after CreateDeployment answered leaves no id, but a deployment runs.
      const w = createWorld();
      w.store.seed(FN, ALIAS, {
        id: 'd-cd0002',
        stableVersion: '1',
        targetVersion: '2',
        strategy: 'canary:10%:5m',
        stepIndex: 0,
        percent: 0,
        phase,
        startedAt: w.start - 600_000,
        owner: 'ci@runner:1',
        heartbeatAt: w.start - 600_000,
        ...(phase === 'rolled-back' ? { endedAt: w.start - 300_000 } : {}),
        history: [],
        engine: 'codedeploy',
      });
      const text = renderStatus(await getStatus(w.deps, { functionName: FN, alias: ALIAS, alarms: [] }));
      expect(text).not.toContain('no deployment started yet');
      expect(text).toContain(`engine: AWS CodeDeploy (${says}`);
    },
  );
});

describe('renderReleaseStatus: the functions of one release', () => {
  const status = (functionName: string, phase: DeploymentRecord['phase'], stagger?: true) =>
    ({
      functionName,
      alias: ALIAS,
      functionVersion: '1',
      additionalWeights: {},
      split: false,
      revisionId: 'r',
      alarms: [],
      record: {
        id: `d-${functionName}`,
        stableVersion: '1',
        targetVersion: '2',
        strategy: 'canary:10%:5m',
        stepIndex: 0,
        percent: 0,
        phase,
        startedAt: 0,
        owner: 'ci@runner:1',
        heartbeatAt: 0,
        history: ['1'],
        releaseId: 'r-abc123',
        ...(stagger ? { stagger } : {}),
        heartbeatAgeSeconds: 5,
        stale: false,
      },
    }) satisfies Parameters<typeof renderReleaseStatus>[0][number];

  // A check rolls a release back whole; one killed after alpha leaves beta promoted by the
  // release: the next check finishes the rollback (check-release-verdict.ts), so status says so.
  it("one rolled back by a check beside one the release promoted: ROLLBACK STOPPED; a person's rollback is not", () => {
    const byCheck = {
      ...status('alpha', 'rolled-back'),
      record: { ...status('alpha', 'rolled-back').record, owner: 'check:cron@ops:7' },
    };
    const beta = { ...status('beta', 'promoted'), functionVersion: '2' };
    const head = renderReleaseStatus([byCheck, beta]).split('\n')[0];
    expect(head).toBe(
      'release r-abc123: ROLLBACK STOPPED (alpha rolled-back, beta promoted): check:cron@ops:7 rolled alpha back and did not finish the release; `lshift rollback --release r-abc123 alpha beta` finishes its rollback and closes every record now (no alarm needed), as the next `lshift check` run with its alarms does',
    );
    const byHand = { ...byCheck, record: { ...byCheck.record, endReason: 'moved back by hand' } };
    expect(renderReleaseStatus([byHand, status('beta', 'promoted')]).split('\n')[0]).not.toContain(
      'ROLLBACK STOPPED',
    );
    const promotedByHand = {
      ...status('beta', 'promoted'),
      record: { ...status('beta', 'promoted').record, endReason: 'x' },
    };
    expect(renderReleaseStatus([byCheck, promotedByHand]).split('\n')[0]).not.toContain('ROLLBACK STOPPED');
  });

  it('a --stagger release mid-walk is one after the other, not NOT CONSISTENT; a lockstep one is', () => {
    const staggered = renderReleaseStatus([
      status('alpha', 'shifting', true),
      status('beta', 'started', true),
    ]);
    expect(staggered.split('\n')[0]).toBe(
      'release r-abc123: one after the other (--stagger) (alpha shifting, beta started)',
    );
    const lockstep = renderReleaseStatus([status('alpha', 'shifting'), status('beta', 'started')]);
    expect(lockstep.split('\n')[0]).toContain('NOT CONSISTENT');
  });

  // A release killed -9 during its pre-traffic hook: `check` calls it STALLED (exit 4) and says
  // how to finish or undo it; the release view said NOT CONSISTENT (found by a hostile pass).
  it('a release whose runner died during its pre-traffic hook is STALLED, with the ways out check gives', () => {
    const stale = (s: ReturnType<typeof status>) => ({ ...s, record: { ...s.record, stale: true } });
    const members = [stale(status('alpha', 'pre-hook')), stale(status('beta', 'started'))];
    expect(renderReleaseStatus(members).split('\n')[0]).toBe(
      'release r-abc123: STALLED (alpha pre-hook, beta started): nobody drives it (its runner seems to have died: its heartbeats stopped; whether its process still runs, status cannot see from this machine); ' +
        "finish it with `lshift deploy alpha beta --alias live --resume` plus the first run's --alarm, hook and --bake flags, if it had any (its record does not keep them), " +
        'or undo it with `lshift rollback --release r-abc123 alpha beta`',
    );
    const staggered = renderReleaseStatus([
      stale(status('alpha', 'shifting', true)),
      stale(status('beta', 'started', true)),
    ]);
    expect(staggered.split('\n')[0]).toContain(
      'STALLED (alpha shifting, beta started): nobody drives it (its runner seems to have died: its heartbeats stopped; whether its process still runs, status cannot see from this machine); it runs its functions one after the other (--stagger) and is not resumed as a release: resume each function in turn with `lshift deploy alpha --alias live --resume && lshift deploy beta --alias live --resume`',
    );
  });

  // F2 (session 61): its runner known gone (pid gone here, owner with this machine's token).
  it('a release whose runner is known gone says so on its STALLED line', () => {
    const gone = (name: string) => {
      const s = status(name, 'shifting');
      return { ...s, record: { ...s.record, owner: 'ci@runner:41/3f9a1c2e', stale: true, deadPid: 41 } };
    };
    expect(renderReleaseStatus([gone('alpha'), gone('beta')]).split('\n')[0]).toContain(
      'STALLED (alpha shifting, beta shifting): nobody drives it (its runner is gone: its process 41 no longer runs on this machine); finish it with',
    );
  });

  // F14 (session 61): a STALLED --stagger release offered one function's resume at a time, first
  // a1 (already all on its new version), then a3; a6 (split at 50%) and a7 were named only after.
  it('a STALLED --stagger release: one command line resumes every open function, the one mid-walk first, those at 100% last', () => {
    const at = (name: string, phase: DeploymentRecord['phase'], percent: number, version = '1') => {
      const s = status(name, phase, true);
      return {
        ...s,
        functionVersion: version,
        split: percent > 0 && percent < 100,
        record: { ...s.record, percent, stale: true },
      };
    };
    const line = renderReleaseStatus([
      at('a1', 'shifting', 100, '2'),
      at('a2', 'promoted', 100, '2'),
      at('a3', 'started', 0),
      at('a6', 'shifting', 50),
      at('a7', 'started', 0),
    ]).split('\n')[0];
    expect(line).toContain(
      'resume each function in turn with `lshift deploy a6 --alias live --resume && lshift deploy a3 --alias live --resume && lshift deploy a7 --alias live --resume && lshift deploy a1 --alias live --resume`',
    );
    expect(line).toContain(
      '(a6 first, its turn under way; a1 last, already all on the new version: its resume only closes its record); or undo it with `lshift rollback --release r-abc123',
    );
    expect(line).not.toContain('lshift deploy a2');
    expect(line).not.toContain('in the order you want');
  });

  // Seen by hand (session 62): a release over live and prod, its runner killed, wb moved back on
  // version 1 by hand. wb's line offered `lshift rollback --release r-abc123 wa wb --alias prod`
  // and `lshift deploy wa --alias prod --resume`: wa is on live, both were refused.
  it('a function moved by hand in a release over two aliases: its ways out name each function at its own alias', () => {
    const stale = (s: ReturnType<typeof status>, alias: string, percent: number) => ({
      ...s,
      alias,
      split: percent > 0,
      additionalWeights: (percent > 0 ? { '2': percent / 100 } : {}) as Record<string, number>,
      record: { ...s.record, percent: 10, stepIndex: 0, phase: 'shifting' as const, stale: true },
    });
    const wb = stale(status('wb', 'shifting'), 'prod', 0);
    const text = renderReleaseStatus([
      stale(status('wa', 'shifting'), 'live', 10),
      { ...wb, record: { ...wb.record, movedAway: 'back-on-stable' as const } },
    ]);
    const line = text.split('\n').find((l) => l.includes('wb is a function of release')) ?? '';
    expect(line).toContain(
      'undo the whole release with `lshift rollback --release r-abc123 wa --alias live` and `lshift rollback --release r-abc123 wb --alias prod`',
    );
    expect(line).toContain('keep wb on version 1 and close its deployment with `lshift alias wb prod 1`');
    expect(line).toContain('resume its other functions with `lshift deploy wa --resume`');
    expect(line).not.toContain('wa wb --alias prod');
    expect(line).not.toContain('wa --alias prod');
  });

  // A release whose config file put billing on `prod`: the STALLED line's resume said
  // `--alias live`, which sends billing to billing:live (NOT_IN_RELEASE; a docs pass, session 59).
  it('a STALLED release of functions on different aliases: its resume names no --alias (each keeps its own)', () => {
    const stale = (s: ReturnType<typeof status>, alias = ALIAS) => ({
      ...s,
      alias,
      record: { ...s.record, stale: true },
    });
    const members = [stale(status('orders', 'shifting')), stale(status('billing', 'shifting'), 'prod')];
    const line = renderReleaseStatus(members).split('\n')[0];
    expect(line).toContain('finish it with `lshift deploy orders billing --resume`');
    expect(line).toContain(
      ', with the config file that gave each function its alias (orders:live, billing:prod), in its directory or with --config <file>',
    );
    // Named without --alias, billing was looked for at live (NOT_IN_RELEASE): none is named.
    expect(line).toContain(
      'or undo it with `lshift rollback --release r-abc123` (naming no function, it finds each function of the release at its own alias by its record)',
    );
    const same = renderReleaseStatus([
      stale(status('orders', 'shifting'), 'prod'),
      stale(status('billing', 'shifting'), 'prod'),
    ]).split('\n')[0];
    expect(same).toContain('finish it with `lshift deploy orders billing --alias prod --resume`');
  });

  // `lshift status fa fb --alias prod` of a release with fa on live, fb on prod (killed at 10%):
  // it read fb:prod alone and offered `deploy fb --alias prod --resume` (refused: fa:live is
  // open, exit 2) and `rollback --release r fb --alias prod` (fa left split, exit 4). F7, session 61.
  it('a STALLED release with a function at another alias, found by its record: the ways out name it', () => {
    const staleAt = (s: ReturnType<typeof status>, alias: string) => ({
      ...s,
      alias,
      record: { ...s.record, stale: true },
    });
    const fb = staleAt(status('fb', 'shifting'), 'prod');
    const { heartbeatAgeSeconds: _age, stale: _stale, ...faRecord } = status('fa', 'shifting').record;
    const reaches = new Map([
      [
        'r-abc123',
        { kind: 'listed' as const, others: [{ functionName: 'fa', alias: 'live', record: faRecord }] },
      ],
    ]);
    expect(findReleasesOfferingWaysOut([fb])).toEqual(['r-abc123']);
    const line = renderReleaseStatus([fb], reaches).split('\n')[0];
    expect(line).toBe(
      'release r-abc123: STALLED (fb shifting; not named here, found by its record: fa:live shifting): nobody drives it (its runner seems to have died: its heartbeats stopped; whether its process still runs, status cannot see from this machine); ' +
        "finish it with `lshift deploy fb fa --resume` plus the first run's --alarm, hook and --bake flags, if it had any (its record does not keep them), " +
        'with the config file that gave each function its alias (fb:prod, fa:live), in its directory or with --config <file>, ' +
        'or undo it with `lshift rollback --release r-abc123` (naming no function, it finds each function of the release at its own alias by its record)',
    );
    // Nothing found elsewhere: the commands name the functions read, at their one alias.
    const alone = renderReleaseStatus([fb], new Map([['r-abc123', { kind: 'listed' as const, others: [] }]]));
    expect(alone.split('\n')[0]).toContain(
      'finish it with `lshift deploy fb --alias prod --resume` plus the first run',
    );
    // The listing refused: said, not passed over.
    const unlisted = renderReleaseStatus(
      [fb],
      new Map([
        [
          'r-abc123',
          { kind: 'unlisted' as const, why: 'the functions in reach could not be listed (ACCESS_DENIED)' },
        ],
      ]),
    );
    expect(unlisted.split('\n')[0]).toContain(
      '`lshift rollback --release r-abc123 fb --alias prod` (only the functions named were read, at alias prod; functions of the release elsewhere could not all be looked for: the functions in reach could not be listed (ACCESS_DENIED))',
    );
  });

  // A stale function of a release offered only `rollback --release` on its own line, under a
  // release line offering a resume too: the same ways out now, said once per release.
  it('a stale function of a release: alone, its line gives the release’s ways out; under its STALLED release line, it points there', () => {
    const stale = (s: ReturnType<typeof status>) => ({ ...s, record: { ...s.record, stale: true } });
    const alone = renderStatus(stale(status('alpha', 'shifting')));
    expect(alone).toContain(
      '— STALLED: its runner seems to have died (its heartbeats stopped; whether its process still runs, status cannot see from this machine); nobody drives it\n',
    );
    expect(alone).toContain(
      "\n    part of release r-abc123: finish it with `lshift deploy alpha <the other functions of release r-abc123> --alias live --resume` plus the first run's --alarm, hook and --bake flags, if it had any (its record does not keep them) " +
        '(if they are all at alias live; a release on several aliases is resumed with `lshift deploy --resume` and the config file that gave each function its alias: one --alias applies to every function named), ' +
        'or undo it with `lshift rollback --release r-abc123` (naming no function, it finds each function of the release at its own alias by its record)',
    );
    const view = renderReleaseStatus([stale(status('alpha', 'shifting')), stale(status('beta', 'shifting'))]);
    expect(view.split('\n')[0]).toContain('release r-abc123: STALLED (alpha shifting, beta shifting)');
    expect(view.match(/finish it with/g)).toHaveLength(1);
    expect(
      view.match(
        / {4}part of release r-abc123: its line above says how to finish or undo the release(\n|$)/g,
      ),
    ).toHaveLength(2);
    // A release its runner left paused and exited is STALLED, as `lshift check` says: it read "all
    // paused" (exit 0) with no way out on its line (found by a hostile pass, session 64).
    const paused = renderReleaseStatus([status('alpha', 'paused'), status('beta', 'paused')]);
    expect(paused.split('\n')[0]).toContain(
      'release r-abc123: STALLED (alpha paused, beta paused): nobody drives it (its runner left it paused and exited); finish it with `lshift deploy alpha beta --alias live --resume`',
    );
    expect(paused.match(/finish it with/g)).toHaveLength(1);
    expect(paused.match(/part of release r-abc123: its line above says how/g)).toHaveLength(2);
  });

  it('a live lockstep release in its pre-traffic hook is running it, not NOT CONSISTENT', () => {
    const text = renderReleaseStatus([status('alpha', 'pre-hook'), status('beta', 'started')]);
    expect(text.split('\n')[0]).toBe(
      'release r-abc123: running its pre-traffic hook (alpha pre-hook, beta started)',
    );
  });
});

// Found by a hostile pass: after a weight write landed and its record write was lost, status said
// `started, step 1 at 0%` under a 10% routing line, as if they agreed.
describe('status: an alias whose weight differs from its record in progress', () => {
  const show = async (w: ReturnType<typeof createWorld>) =>
    renderStatus(await getStatus(w.deps, { functionName: FN, alias: ALIAS, alarms: [] }));

  it('a step ahead of its record: said beside the record line', async () => {
    const w = createWorld();
    w.lambda.addVersion(FN);
    w.store.seed(
      FN,
      ALIAS,
      deadRecord(w, { phase: 'started', percent: 0, stepIndex: 0, heartbeatAt: w.clock.now() }),
    );
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: { '2': 0.1 } });
    // Its runner beats (heartbeat now): its own write a moment before its record write, or someone's
    // move to that weight — not "the runner stopped" (status-live-next-step.test.ts, session 69).
    expect(await show(w)).toContain(
      "the alias gives version 2 10%, ahead of this record's 0%: the weight its next step writes — its runner's own write, landed a moment before the record write that follows it, or someone's move to that same weight",
    );
  });

  // `check` said "moved further … by hand" of this alias, `status` "a crash, a lost answer": lshift
  // writes no next weight while its record lags, so more than one step ahead is a person's move.
  it('further ahead than one step: moved by hand, as check says', async () => {
    const w = createWorld();
    w.lambda.addVersion(FN);
    w.store.seed(FN, ALIAS, deadRecord(w, { percent: 20, stepIndex: 1 }));
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: { '2': 0.5 } });
    const said = await show(w);
    expect(said).toContain(
      "the alias gives version 2 50%, further ahead of this record's 20% than the one weight write a crash can leave it: lshift never wrote that weight, so someone moved it further by hand, and `deploy --resume` will not pick it up from there",
    );
    expect(said).not.toContain('did not both land');
    w.metrics.setAlarm(ALARM, 'OK');
    const report = await runCheck(
      { ...w.deps, store: w.store, owner: 'check:cron@host:1' },
      { functionNames: [FN], alias: ALIAS, windowSeconds: 3600, alarms: [ALARM] },
    );
    expect(report.results[0]?.reason).toContain(
      'was moved further than its record on the new version by hand',
    );
  });

  it('one step ahead (linear:10%: 30% on a record of 20%): a weight write whose record write did not land', async () => {
    const w = createWorld();
    w.lambda.addVersion(FN);
    w.store.seed(FN, ALIAS, deadRecord(w, { percent: 20, stepIndex: 1 }));
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: { '2': 0.3 } });
    expect(await show(w)).toContain(
      "the alias gives version 2 30%, ahead of this record's 20% by the one weight write that came next: it landed and the record write after it did not (the runner stopped between the two, or its record write failed)",
    );
  });

  // Found by a hostile pass: both were said "a weight write and its record write did not both
  // land (a crash, a lost answer)". lshift writes a step's record only once its weight write
  // landed, and lowers a weight only all at once to the stable version, marked rolling-back first.
  it('behind its record (10% on a record of 20%): moved by hand or by another tool', async () => {
    const w = createWorld();
    w.lambda.addVersion(FN);
    w.store.seed(FN, ALIAS, deadRecord(w, { percent: 20, stepIndex: 1 }));
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: { '2': 0.1 } });
    const said = await show(w);
    expect(said).toContain(
      "the alias gives version 2 10%, behind this record's 20%: lshift writes a step's record only once its weight landed, and lowers a weight only to roll back (all at once to version 1), so it was moved by hand or by another tool; `deploy --resume` writes 20% again",
    );
    expect(said).not.toContain('did not both land');
    expect(said).not.toContain('a crash');
  });

  // A resume over a weight set by hand between steps records that weight as it claims, then
  // writes its recorded step's weight: lshift's own write, below its record.
  it("behind a record a resume took over at a hand-set weight (10% on 15%): the resume's write landed, its record write did not", async () => {
    const w = createWorld();
    w.lambda.addVersion(FN);
    w.store.seed(FN, ALIAS, deadRecord(w, { percent: 15, stepIndex: 0 }));
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: { '2': 0.1 } });
    expect(await show(w)).toContain(
      "the alias gives version 2 10%, behind this record's 15%, a weight no step of its plan (linear:10%:1m) has, recorded by a `deploy --resume` that took over someone's move: its write of its step's 10% landed and the record write after it did not",
    );
  });

  it.each([
    ['ahead of', 0.15, 10, 0],
    ['behind', 0.15, 20, 1],
  ])(
    'between two steps of its plan (15%, %s its record): moved by hand or by another tool',
    async (side, weight, percent, stepIndex) => {
      const w = createWorld();
      w.lambda.addVersion(FN);
      w.store.seed(FN, ALIAS, deadRecord(w, { percent, stepIndex }));
      w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: { '2': weight } });
      const said = await show(w);
      expect(said).toContain(
        `the alias gives version 2 15%, ${side} this record's ${percent}%, a weight no step of its plan (linear:10%:1m) has: lshift never writes one, so it was moved by hand or by another tool; \`deploy --resume\` writes ${percent}% again`,
      );
      expect(said).not.toContain('did not both land');
    },
  );

  it('level with its record: nothing more said', async () => {
    const w = createWorld();
    w.lambda.addVersion(FN);
    w.store.seed(FN, ALIAS, deadRecord(w, { percent: 10, heartbeatAt: w.clock.now() }));
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: { '2': 0.1 } });
    expect(await show(w)).not.toContain('did not both land');
  });
});
