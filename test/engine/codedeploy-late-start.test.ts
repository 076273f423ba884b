/**
 * A `deploy --engine codedeploy` interrupted while its CreateDeployment was in flight looks for
 * its deployment twice, finds none and closes its record rolled back ("alias unchanged"); then
 * CodeDeploy takes the request late and the record's own deployment — its run token in the
 * description — shifts the alias with nobody following it. `status` called it "another CodeDeploy
 * deployment on its group" (exit 0) and `check` "split since by someone unknown (no lshift
 * deployment put it there)" (exit 0): found by a hostile pass (/tmp/h3/cd-sigterm-create.sh).
 */
import { describe, expect, it } from 'vitest';
import { exitCodeForCheck } from '../../src/cli/exit-codes.js';
import { renderStatus } from '../../src/cli/renderers/status-text.js';
import { needsOperator } from '../../src/cli/status-needs-operator.js';
import { buildAppSpec } from '../../src/domain/codedeploy-plan.js';
import { ExitCode } from '../../src/domain/errors.js';
import { type CheckDeps, runCheck } from '../../src/engine/check.js';
import { claimRollback } from '../../src/engine/check-claim.js';
import { followCodeDeploy } from '../../src/engine/follow-codedeploy.js';
import { beatLateClaim, claimLateStart } from '../../src/engine/follow-late-start.js';
import { getStatus } from '../../src/engine/status.js';
import { expectValidResultOf } from '../helpers/contract.js';
import { FakeCodeDeploy } from '../helpers/fake-codedeploy.js';
import { ALARM, ALIAS, createWorld, deadRecord, FN } from './world.js';

const GROUP = { application: 'lshift-demo', group: 'demo-live' };
const MIN = 60_000;

/** The record closed rolled back by its interrupted run; then CodeDeploy starts `description`'s deployment. */
async function lateWorld(description: string) {
  const w = createWorld();
  w.store.seed(
    FN,
    ALIAS,
    deadRecord(w, {
      id: 'd-late001',
      engine: 'codedeploy',
      phase: 'rolled-back',
      percent: 0,
      stepIndex: 0,
      startedAt: w.start - 2 * MIN,
      heartbeatAt: w.start - MIN,
      endedAt: w.start - MIN,
      cause: { code: 'INTERRUPTED' },
    }),
  );
  const codedeploy = new FakeCodeDeploy(w.clock, w.lambda);
  const id = await codedeploy.createDeployment({
    ...GROUP,
    config: 'CodeDeployDefault.LambdaLinear10PercentEvery1Minute',
    appSpec: buildAppSpec({ functionName: FN, alias: ALIAS, currentVersion: '1', targetVersion: '2' }),
    description,
  });
  const deps = { ...w.deps, codedeploy, codeDeployGroupOf: () => GROUP };
  const status = () => getStatus(deps, { functionName: FN, alias: ALIAS, alarms: [] });
  const check = () =>
    runCheck({ ...deps, store: w.store, owner: 'check:cron@host:1' } as CheckDeps, {
      functionNames: [FN],
      alias: ALIAS,
      windowSeconds: 3600,
      alarms: [ALARM],
      staleAfterSeconds: 120,
    });
  return { w, codedeploy, id, status, check };
}

describe('a rolled-back CodeDeploy record whose own deployment CodeDeploy took after its run ended', () => {
  it('status names it as the record’s own, unwatched, with the rollback that stops it, and exits 4', async () => {
    const { id, status } = await lateWorld('lshift deploy of demo:live [lshift-run:d-late001]');
    const s = await status();
    expect(s.record?.lateCodeDeployStart).toEqual({ id, status: 'InProgress', running: true });
    expect(s.record?.splitByOtherDeployment).toBeUndefined();
    expect(needsOperator(s)).toBe(true);
    expectValidResultOf('status', { schemaVersion: 4, ...s });
    const text = renderStatus(s);
    expect(text).toContain(
      `UNWATCHED: AWS CodeDeploy took this run's CreateDeployment after the run had ended (the run got no answer to it — a timeout, a reset or Ctrl-C — found no deployment of its own at two looks and recorded it rolled back): its own deployment ${id} (InProgress; found by its run token) is shifting alias live with nobody following it; it routes version 1 (90%) + version 2 (10%) now`,
    );
    expect(text).toContain(
      `\`lshift rollback ${FN} --alias ${ALIAS}\` stops it (StopDeployment with auto-rollback)`,
    );
    expect(text).not.toContain('another CodeDeploy deployment');
  });

  it('check reports it STALLED (exit 4) with the same words, not "split since by someone unknown"', async () => {
    const { id, check } = await lateWorld('lshift deploy of demo:live [lshift-run:d-late001]');
    const report = await check();
    const [result] = report.results;
    expect(result?.action).toBe('stalled');
    expect(result?.reason).toContain(`its own deployment ${id} (InProgress; found by its run token)`);
    expect(result?.reason).toContain('left as it is, a human must decide');
    expect(result?.reason).not.toContain('someone unknown');
    expect(exitCodeForCheck(report)).toBe(ExitCode.Unsafe);
  });

  it('once it ended, both say it moved the alias, unjudged, and how to put it back (no exit 4)', async () => {
    const { w, id, codedeploy, status, check } = await lateWorld(
      'lshift deploy of demo:live [lshift-run:d-late001]',
    );
    await w.clock.advance(10 * MIN);
    await codedeploy.getDeployment(id); // CodeDeploy runs on its own: Succeeded, all on version 2
    const s = await status();
    expect(s.record?.lateCodeDeployStart).toEqual({ id, status: 'Succeeded', running: false });
    expect(s.record?.movedSince).toBeUndefined();
    expect(needsOperator(s)).toBe(false);
    expect(renderStatus(s)).toContain(
      `MOVED SINCE: AWS CodeDeploy took this run's CreateDeployment after the run had ended`,
    );
    expect(renderStatus(s)).toContain(`\`lshift rollback ${FN} --alias ${ALIAS} --to 1\``);
    const report = await check();
    expect(report.results[0]?.action).toBe('skipped');
    expect(report.results[0]?.reason).toContain(`ended Succeeded, unjudged by lshift`);
    expect(exitCodeForCheck(report)).toBe(ExitCode.Success);
  });

  // F6 (session 61): the `lshift wait` status offers for it followed it holding no claim: check
  // meanwhile said nobody followed it (exit 4), and afterwards the record still read rolled back
  // by the run's failure.
  it('lshift wait claims its record: check leaves it to the wait meanwhile, and the wait closes it as CodeDeploy ended it', async () => {
    const { w, id, codedeploy, check, status } = await lateWorld(
      'lshift deploy of demo:live [lshift-run:d-late001]',
    );
    let shown: Awaited<ReturnType<typeof status>> | undefined;
    const WAIT = 'wait:ann@laptop:4242';
    let during: Awaited<ReturnType<typeof check>> | undefined;
    let reads = 0;
    const watched = Object.assign(Object.create(codedeploy), {
      getDeployment: async (d: string) => {
        reads += 1;
        // Mid-way (the wait's claim beaten since), a scheduled check runs.
        if (reads === 6) during = await check();
        if (reads === 6) shown = await status();
        return codedeploy.getDeployment(d);
      },
    });
    const result = await followCodeDeploy(
      {
        codedeploy: watched,
        lambda: w.lambda,
        clock: w.clock,
        events: w.sink,
        store: w.store,
        follower: WAIT,
      },
      { deploymentId: id, pollSeconds: 10, onInterrupt: 'rollback' },
    );
    expect(during?.results[0]?.action).not.toBe('stalled');
    expect(during?.results[0]?.reason).toMatch(
      new RegExp(
        `driven by AWS CodeDeploy \\(${id}, InProgress, \\d+%\\): followed by wait:ann@laptop:4242 \\(heartbeat \\d+s ago\\), which closes its record as CodeDeploy ends it$`,
      ),
    );
    expect(exitCodeForCheck(during!)).toBe(ExitCode.Success);
    // Status: not UNWATCHED, not "follow it" — the wait that follows it, its claim.
    expect(needsOperator(shown!)).toBe(false);
    const text = renderStatus(shown!);
    expect(text).not.toContain('UNWATCHED');
    expect(text).toContain('`lshift wait` claimed its record to follow it (wait:ann@laptop:4242)');
    expect(text).toContain(
      `engine: AWS CodeDeploy, deployment ${id} (followed by wait:ann@laptop:4242, which closes its record as CodeDeploy ends it)`,
    );
    expect(result).toMatchObject({ outcome: 'succeeded', recordPhase: 'promoted' });
    const closed = await w.store.read(FN, ALIAS);
    expect(closed).toMatchObject({ id: 'd-late001', phase: 'promoted', codeDeployId: id, owner: WAIT });
    expect(closed?.cause).toBeUndefined();
  });

  // Session 61 (F7): a wait that claimed the record was killed; a second wait followed the
  // deployment to its end and closed the record, which still named the dead first wait as owner.
  it('a second wait that closes the record after the first one was killed writes itself as owner', async () => {
    const { w, id, codedeploy } = await lateWorld('lshift deploy of demo:live [lshift-run:d-late001]');
    const deps = { codedeploy, lambda: w.lambda, clock: w.clock, events: w.sink, store: w.store };
    const info = await codedeploy.getDeployment(id);
    // The first wait claims it, then dies: its claim is never beaten again.
    expect(
      await claimLateStart({ ...deps, follower: 'wait:ann@laptop:4242' }, info, info.target!),
    ).toBeDefined();
    const second = 'wait:bob@desk:5151';
    const result = await followCodeDeploy(
      { ...deps, follower: second },
      { deploymentId: id, pollSeconds: 10, onInterrupt: 'rollback' },
    );
    expect(result).toMatchObject({ outcome: 'succeeded', recordPhase: 'promoted' });
    expect(await w.store.read(FN, ALIAS)).toMatchObject({
      id: 'd-late001',
      phase: 'promoted',
      owner: second,
    });
  });

  // Session 62 (F7's remainder): that second wait did not take the dead wait's claim over while
  // it followed: status and check named the dead first wait (STALLED, exit 4) until the end.
  it('a second wait takes the dead first wait’s claim over once it is stale, and status and check then name it', async () => {
    const { w, id, codedeploy, check, status } = await lateWorld(
      'lshift deploy of demo:live [lshift-run:d-late001]',
    );
    const deps = { codedeploy, lambda: w.lambda, clock: w.clock, events: w.sink, store: w.store };
    const info = await codedeploy.getDeployment(id);
    const FIRST = 'wait:ann@laptop:4242';
    expect(await claimLateStart({ ...deps, follower: FIRST }, info, info.target!)).toMatchObject({
      claim: { recordId: 'd-late001' },
    });
    const second = 'wait:bob@desk:5151';
    const owners: string[] = [];
    let during: Awaited<ReturnType<typeof check>> | undefined;
    let shown: Awaited<ReturnType<typeof status>> | undefined;
    const watched = Object.assign(Object.create(codedeploy), {
      getDeployment: async (d: string) => {
        owners.push((await w.store.read(FN, ALIAS))!.owner);
        // 4 minutes in (its first claim 2 minutes stale), a scheduled check and a status.
        if (owners.length === 25) {
          during = await check();
          shown = await status();
        }
        return codedeploy.getDeployment(d);
      },
    });
    const result = await followCodeDeploy(
      { ...deps, codedeploy: watched, follower: second },
      { deploymentId: id, pollSeconds: 10, onInterrupt: 'rollback' },
    );
    expect(result).toMatchObject({ outcome: 'succeeded', recordPhase: 'promoted' });
    // The first wait's claim while fresh, then the second's (never back to the first).
    expect(owners[1]).toBe(FIRST);
    const taken = owners.indexOf(second);
    expect(taken).toBeGreaterThan(1);
    expect(owners.slice(taken).every((o) => o === second)).toBe(true);
    expect(during?.results[0]?.action).not.toBe('stalled');
    expect(during?.results[0]?.reason).toContain(`followed by ${second}`);
    expect(exitCodeForCheck(during!)).toBe(ExitCode.Success);
    expect(needsOperator(shown!)).toBe(false);
    expect(renderStatus(shown!)).toContain(
      `(followed by ${second}, which closes its record as CodeDeploy ends it)`,
    );
    expect(w.sink.events.map((e) => ('message' in e ? e.message : ''))).toContainEqual(
      expect.stringContaining(`claimed by ${FIRST}, which no longer follows it`),
    );
  });

  it('a first wait still beating keeps its claim: the second one follows beside it', async () => {
    const { w, id, codedeploy } = await lateWorld('lshift deploy of demo:live [lshift-run:d-late001]');
    const deps = { codedeploy, lambda: w.lambda, clock: w.clock, events: w.sink, store: w.store };
    const info = await codedeploy.getDeployment(id);
    const FIRST = 'wait:ann@laptop:4242';
    const look = await claimLateStart({ ...deps, follower: FIRST }, info, info.target!);
    const first = look && 'claim' in look ? look.claim : undefined;
    const owners: string[] = [];
    const watched = Object.assign(Object.create(codedeploy), {
      getDeployment: async (d: string) => {
        // The first wait beats its claim at each of the second's polls: alive.
        await beatLateClaim(first!);
        owners.push((await w.store.read(FN, ALIAS))!.owner);
        return codedeploy.getDeployment(d);
      },
    });
    await followCodeDeploy(
      { ...deps, codedeploy: watched, follower: 'wait:bob@desk:5151' },
      { deploymentId: id, pollSeconds: 10, onInterrupt: 'rollback' },
    );
    expect(new Set(owners.slice(0, -1))).toEqual(new Set([FIRST]));
  });

  it('without a follower name (or for another run’s deployment) the record is left as it is', async () => {
    const { w, id, codedeploy } = await lateWorld('lshift deploy of demo:live [lshift-run:d-late001]');
    await followCodeDeploy(
      { codedeploy, lambda: w.lambda, clock: w.clock, events: w.sink, store: w.store },
      { deploymentId: id, pollSeconds: 10, onInterrupt: 'rollback' },
    );
    expect(await w.store.read(FN, ALIAS)).toMatchObject({
      phase: 'rolled-back',
      cause: { code: 'INTERRUPTED' },
    });
  });

  it('another run’s deployment on the group is still someone else’s', async () => {
    const { status, check } = await lateWorld('lshift deploy of demo:live [lshift-run:d-other99]');
    const s = await status();
    expect(s.record?.lateCodeDeployStart).toBeUndefined();
    expect(s.record?.splitByOtherDeployment).toContain('d-FAKE1');
    const report = await check();
    expect(report.results[0]?.reason).toContain('split since by someone unknown');
  });
  // Session 61 (h2's F6 note): the wait's claim is beaten by a read, then a write; tags have no
  // conditional write, so a person's rollback claim landing between the two is written over. The
  // claimer's look (check-claim.ts, overRunner) writes it again, and the wait then beats it no more.
  it('a rollback claim landing between the wait’s beat read and its write stands, and the wait stops beating', async () => {
    const { w, id, codedeploy } = await lateWorld('lshift deploy of demo:live [lshift-run:d-late001]');
    const WAIT = 'wait:ann@laptop:4242';
    const PERSON = 'rollback:bob@desk:7';
    const deps = {
      codedeploy,
      lambda: w.lambda,
      clock: w.clock,
      events: w.sink,
      store: w.store,
      follower: WAIT,
    };
    const info = await codedeploy.getDeployment(id);
    const look = await claimLateStart(deps, info, info.target!);
    const claim = look && 'claim' in look ? look.claim : undefined;
    expect(claim).toBeDefined();
    await w.clock.sleep(30_000);
    const opened = (await w.store.read(FN, ALIAS))!;
    // The beat reads the record just before the person's claim lands, and writes just after it.
    const read = w.store.read.bind(w.store);
    const write = w.store.write.bind(w.store);
    let beatRead: (() => void) | undefined;
    let claimLanded: (() => void) | undefined;
    const landed = new Promise<void>((r) => {
      claimLanded = r;
    });
    w.store.read = async (fn: string, alias: string) => {
      const seen = await read(fn, alias);
      beatRead?.();
      beatRead = undefined;
      return seen;
    };
    let beats = 0;
    let claims = 0;
    w.store.write = async (fn: string, alias: string, record: Parameters<typeof write>[2]) => {
      if (record.owner === WAIT) {
        beats += 1;
        await landed;
      }
      await write(fn, alias, record);
      if (record.owner === PERSON) claims += 1;
      if (record.owner === PERSON) claimLanded?.();
    };
    const beaten = new Promise<void>((r) => {
      beatRead = r;
    });
    const beat = beatLateClaim(claim!);
    await beaten;
    const end = await claimRollback(deps as never, { functionName: FN, alias: ALIAS }, opened, PERSON, {
      overRunner: true,
    });
    await beat;
    expect(beats).toBe(1);
    // Written over by the beat, the claim was written again at the claimer's next look.
    expect(claims).toBe(2);
    expect(end.kind).toBe('claimed');
    expect(await w.store.read(FN, ALIAS)).toMatchObject({ owner: PERSON, phase: 'rolling-back' });
    // The wait's next beat finds the claim and writes nothing.
    await w.clock.sleep(30_000);
    await beatLateClaim(claim!);
    expect(beats).toBe(1);
    expect(await w.store.read(FN, ALIAS)).toMatchObject({ owner: PERSON, phase: 'rolling-back' });
  });
});
