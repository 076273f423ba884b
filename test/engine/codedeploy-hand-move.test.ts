/**
 * A person's move of the alias while AWS CodeDeploy runs lshift's deployment (codedeploy-hand-move.ts).
 * Found by a hostile pass (session 62): all traffic put back on version 1 by hand at the 10% step
 * was ignored for the rest of the step, CodeDeploy's 100% step undid it, and the deploy said
 * "✔ Promoted", exit 0. And a split by hand in the settle wait after CodeDeploy's success left the
 * record `paused`, which every command then took for a `--detach`ed deployment still shifting.
 */
import { describe, expect, it } from 'vitest';
import { describeFollow, isSplitByHandLeft } from '../../src/cli/describe-follow.js';
import { describeReason, withReason } from '../../src/cli/describe-outcome.js';
import { exitCodeForStatus } from '../../src/cli/exit-codes.js';
import { renderDeployResult } from '../../src/cli/render-result.js';
import { renderStatus } from '../../src/cli/renderers/status-text.js';
import { SCHEMA_VERSION } from '../../src/cli/schema-version.js';
import { needsOperator } from '../../src/cli/status-needs-operator.js';
import { exitCodeForWait, waitResult } from '../../src/cli/wait-result.js';
import {
  CODEDEPLOY_ALL_AT_ONCE,
  codeDeployStepPercents,
  codeDeployStepSeconds,
} from '../../src/domain/codedeploy-plan.js';
import { OperationError } from '../../src/domain/errors.js';
import { isCodeDeployRouting } from '../../src/engine/codedeploy-routing.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { followCodeDeploy } from '../../src/engine/follow-codedeploy.js';
import { KEEP_MOVE_SUCCEEDED_FIRST_REASON, versionLeftOn } from '../../src/engine/record-view.js';
import { getStatus } from '../../src/engine/status.js';
import type { RoutingState } from '../../src/ports/traffic-driver.js';
import { expectValidResultOf } from '../helpers/contract.js';
import { codeDeployWorld } from './codedeploy-world.js';
import { ALIAS, canary, FN, request } from './world.js';

describe('a move by hand while CodeDeploy runs the deployment', () => {
  it('all traffic put back on the stable version at the 10% step: kept, CodeDeploy stopped without its rollback, exit 5', async () => {
    const w = codeDeployWorld('Canary10Percent15Minutes');
    w.lambda.moveAliasAt(w.start + 120_000, FN, ALIAS, { functionVersion: '1', additionalWeights: {} });
    const result = await runDeploy(w.deps, request(canary(10, 900)));

    expect(result.status).toBe('conflict');
    expect(exitCodeForStatus(result.status)).toBe(5);
    // Seen at the hold's next alias read (every 30 s), not at CodeDeploy's next step 13 minutes later.
    expect(w.clock.now() - w.start).toBeLessThan(120_000 + 90_000);
    expect(w.codedeploy.callsOf('stopDeployment').map((c) => c.args)).toEqual([['d-FAKE1', false]]);
    const reason = describeReason(result);
    expect(reason).toContain('someone moved it by hand');
    expect(reason).toContain('lshift stopped AWS CodeDeploy deployment d-FAKE1 without its rollback');
    expect(result.aliasState).toMatchObject({ functionVersion: '1', additionalWeights: {} });
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'rolled-back', endReason: 'moved by hand' });
    // Words true of a read under CodeDeploy (no 412) and of a step followed for two minutes.
    const text = renderDeployResult(withReason(result));
    expect(text).not.toContain('RevisionId mismatch');
    expect(text).toContain('Step 1 (10%): stopped after 2m');
    // `status` says no rollback ran (it said "ended: rolled-back").
    const status = renderStatus(await getStatus(w.deps, { functionName: FN, alias: ALIAS, alarms: [] }));
    expect(status).toContain(
      'engine: AWS CodeDeploy, deployment d-FAKE1 (ended: moved by hand; lshift ran no rollback, leaving the alias where it was moved)',
    );
    // CodeDeploy no longer runs: the person's move stays past the step's end.
    w.clock.advance(20 * 60_000);
    expect((await w.codedeploy.getDeployment('d-FAKE1')).status).toBe('Stopped');
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
  });

  it('a StopDeployment refused after the move: unsafe (exit 4), CodeDeploy may move the alias again, the stop named', async () => {
    const w = codeDeployWorld('Canary10Percent15Minutes');
    w.codedeploy.stopDeployment = async () => {
      throw new OperationError(
        'ACCESS_DENIED',
        'Access denied: the caller may not perform codedeploy:StopDeployment',
        {},
      );
    };
    w.lambda.moveAliasAt(w.start + 120_000, FN, ALIAS, { functionVersion: '1', additionalWeights: {} });
    const result = await runDeploy(w.deps, request(canary(10, 900)));

    // Before: conflict, exit 5, as if the person's move would stay.
    expect(result.status).toBe('unsafe');
    expect(exitCodeForStatus(result.status)).toBe(4);
    expect(result.cause).toMatchObject({ code: 'ALIAS_CHANGED', data: { codeDeployRunning: 'd-FAKE1' } });
    expect(result.fixCommand).toBe(
      'aws deploy stop-deployment --deployment-id d-FAKE1 --no-auto-rollback-enabled',
    );
    expect(describeReason(result)).toContain('lshift could not stop AWS CodeDeploy deployment d-FAKE1');
    // It said "rolled back at step 1 (10%): …" of a run that rolled nothing back (session 64).
    expect(describeReason(result)).toMatch(
      /^alias live of function demo changed underneath at step 1 \(10%\): someone else moved it \(.*\); lshift stopped and moved no more traffic; it is now version 1 \(100%\)/,
    );
    expect(describeReason(result)).not.toContain('rolled back');
    expect(renderDeployResult(withReason(result))).toContain(
      'was moved by hand while AWS CodeDeploy deployment d-FAKE1 ran, and lshift could not stop it: CodeDeploy may move it again',
    );
    expect(result.aliasState).toMatchObject({ functionVersion: '1', additionalWeights: {} });
    expectValidResultOf('deploy', { schemaVersion: 4, ...withReason(result) });
  });

  it('a stop CodeDeploy takes but is not seen to end: unsafe too; one that had already ended: exit 5', async () => {
    const taken = codeDeployWorld('Canary10Percent15Minutes');
    taken.codedeploy.stopDeployment = async () => 'stopping';
    taken.lambda.moveAliasAt(taken.start + 120_000, FN, ALIAS, {
      functionVersion: '1',
      additionalWeights: {},
    });
    const unseen = await runDeploy(taken.deps, request(canary(10, 900)));
    expect(unseen.status).toBe('unsafe');
    expect(describeReason(unseen)).toContain('had not said it ended 60s later');

    const ended = codeDeployWorld('Canary10Percent15Minutes');
    ended.codedeploy.stopDeployment = async () => 'already-ended';
    ended.lambda.moveAliasAt(ended.start + 120_000, FN, ALIAS, {
      functionVersion: '1',
      additionalWeights: {},
    });
    const over = await runDeploy(ended.deps, request(canary(10, 900)));
    expect(over.status).toBe('conflict');
    expect(over.cause).toMatchObject({ code: 'ALIAS_CHANGED', data: {} });
  });

  it('a stop that finds CodeDeploy ended by its own alarm, its rollback over the move: its rollback (exit 3), re-read and said', async () => {
    const w = codeDeployWorld('Canary10Percent15Minutes');
    w.codedeploy.failAfter(600_000, 'alarm ErrorRate is ALARM');
    w.lambda.moveAliasAt(w.start + 120_000, FN, ALIAS, {
      functionVersion: '1',
      additionalWeights: { '2': 0.5 },
    });
    const stop = w.codedeploy.stopDeployment.bind(w.codedeploy);
    // CodeDeploy's alarm ends it (and rolls back) between the read that saw the move and the stop.
    w.codedeploy.stopDeployment = async (id: string, rollback: boolean) => {
      if (w.clock.now() < w.start + 600_000) await w.clock.advance(w.start + 601_000 - w.clock.now());
      return stop(id, rollback);
    };
    const result = await runDeploy(w.deps, request(canary(10, 900)));

    // Before: conflict, exit 5, "had already ended: nothing was stopped", the record "moved by hand".
    expect(result.status).toBe('rolled_back');
    expect(exitCodeForStatus(result.status)).toBe(3);
    expect(result.cause).toMatchObject({ code: 'GATE_FAILED' });
    expect(describeReason(result)).toContain('alarm ErrorRate is ALARM');
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'rolled-back' });
    expect(w.store.peek(FN, ALIAS)?.endReason ?? '').not.toContain('by hand');
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
  });

  // h2's pass (session 65): conflict, exit 5, the record closed `promoted` "moved by hand … leaving
  // the alias where it was moved" (status exit 0), while CodeDeploy's 100% had undone the person's split.
  it('a stop that finds CodeDeploy Succeeded over the move: unsafe (exit 4), the record kept open with its mark, status OVERRIDDEN', async () => {
    const w = codeDeployWorld('Canary10Percent5Minutes');
    w.lambda.moveAliasAt(w.start + 120_000, FN, ALIAS, {
      functionVersion: '1',
      additionalWeights: { '2': 0.5 },
    });
    const stop = w.codedeploy.stopDeployment.bind(w.codedeploy);
    w.codedeploy.stopDeployment = async (id: string, rollback: boolean) => {
      if (w.clock.now() < w.start + 300_000) await w.clock.advance(w.start + 301_000 - w.clock.now());
      return stop(id, rollback);
    };
    const result = await runDeploy(w.deps, request(canary(10, 300)));

    expect(result.status).toBe('unsafe');
    expect(exitCodeForStatus(result.status)).toBe(4);
    expect(result.cause).toMatchObject({
      code: 'ALIAS_CHANGED',
      data: { codeDeploySucceededOver: 'd-FAKE1' },
    });
    expect(describeReason(result)).toContain(
      'AWS CodeDeploy deployment d-FAKE1 had already ended when lshift came to stop it: it Succeeded (nothing was stopped)',
    );
    const text = renderDeployResult(withReason(result));
    expect(text).toContain(
      "but CodeDeploy ended it Succeeded before lshift's stop reached it, moving the alias over that move: all traffic is on version 2, not where the person put it",
    );
    expect(text).toContain('Fix: lshift rollback demo --alias live');
    expect(result.aliasState).toMatchObject({ functionVersion: '2', additionalWeights: {} });
    expectValidResultOf('deploy', { schemaVersion: 4, ...withReason(result) });
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ endReason: KEEP_MOVE_SUCCEEDED_FIRST_REASON });
    expect(w.store.peek(FN, ALIAS)?.endedAt).toBeUndefined();
    // Its run not known gone (no process table): OVERRIDDEN all the same, exit 4 — not "its runner
    // is stopping it … so that the move stays", nor "promoted (moved by hand)".
    const status = await getStatus(
      { ...w.deps, codedeploy: w.codedeploy },
      { functionName: FN, alias: ALIAS, alarms: [] },
    );
    expect(status.record?.againstKeptMove).toBe('Succeeded');
    expect(status.record?.keepingMoveByRunner).toBeUndefined();
    expect(needsOperator(status)).toBe(true);
    const said = renderStatus(status);
    expect(said).toContain('OVERRIDDEN: someone moved alias live by hand');
    expect(said).not.toContain('moved by hand; lshift ran no rollback');
  });

  it('moved to another version while CodeDeploy runs its pre-traffic hook (seen by the follow): kept, exit 5', async () => {
    const w = codeDeployWorld('Canary10Percent15Minutes');
    w.codedeploy.beforeAllowTraffic(120_000);
    w.lambda.moveAliasAt(w.start + 30_000, FN, ALIAS, { functionVersion: '3', additionalWeights: {} });
    const result = await runDeploy(w.deps, request(canary(10, 900)));

    expect(result.status).toBe('conflict');
    expect(w.clock.now() - w.start).toBeLessThan(120_000);
    expect(w.codedeploy.callsOf('stopDeployment').map((c) => c.args)).toEqual([['d-FAKE1', false]]);
    expect(w.store.peek(FN, ALIAS)).toMatchObject({
      phase: 'rolled-back',
      endReason: 'moved by hand to version 3',
    });
    w.clock.advance(20 * 60_000);
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '3', additionalWeights: {} });
  });

  it('moved to the NEW version during the pre-traffic hook: a person’s (CodeDeploy writes nothing before AllowTraffic), kept, exit 5', async () => {
    const w = codeDeployWorld('Canary10Percent15Minutes');
    w.codedeploy.beforeAllowTraffic(120_000);
    w.lambda.moveAliasAt(w.start + 30_000, FN, ALIAS, { functionVersion: '2', additionalWeights: {} });
    const result = await runDeploy(w.deps, request(canary(10, 900)));

    // Before: taken for CodeDeploy's 100%; CodeDeploy's own 10% after the hook was then blamed on
    // a person, and its stop left CodeDeploy's 90/10 split, not the person's move.
    expect(result.status).toBe('conflict');
    expect(w.clock.now() - w.start).toBeLessThan(120_000);
    expect(w.codedeploy.callsOf('stopDeployment').map((c) => c.args)).toEqual([['d-FAKE1', false]]);
    w.clock.advance(20 * 60_000);
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '2', additionalWeights: {} });
  });

  it('CodeDeploy’s own rollback between the follow’s reads is its rollback, not a move by hand (exit 3)', async () => {
    const w = codeDeployWorld('Linear10PercentEvery1Minute');
    w.codedeploy.failAfter(300_000, 'alarm ErrorRate is ALARM');
    const read = w.lambda.getAlias.bind(w.lambda);
    let raced = false;
    // CodeDeploy fails and rolls back just before an alias read in the promotion's follow.
    w.lambda.getAlias = async (fn: string, alias: string) => {
      if (!raced && w.clock.now() >= w.start + 290_000) {
        raced = true;
        w.clock.advance(15_000);
        await w.codedeploy.getDeployment('d-FAKE1');
      }
      return read(fn, alias);
    };
    const result = await runDeploy(w.deps, request(canary(10, 60)));

    expect(raced).toBe(true);
    // Before: the status read first said InProgress, the alias then stable: "moved by hand", exit 5.
    expect(describeReason(result)).not.toContain('by hand');
    expect(result.status).toBe('rolled_back');
    expect(exitCodeForStatus(result.status)).toBe(3);
    expect(w.codedeploy.callsOf('stopDeployment')).toEqual([]);
  });

  it('a split CodeDeploy’s config never writes (50% under a 10% canary): a person’s, kept, exit 4 (nobody drives it)', async () => {
    const w = codeDeployWorld('Canary10Percent15Minutes');
    w.lambda.moveAliasAt(w.start + 120_000, FN, ALIAS, {
      functionVersion: '1',
      additionalWeights: { '2': 0.5 },
    });
    const result = await runDeploy(w.deps, request(canary(10, 900)));

    // Before: taken for CodeDeploy's (at least the 10% it had given); its 100% then undid it: promoted, exit 0.
    // A split nobody drives (CodeDeploy stopped, the record closed): exit 4 with the fix, as the
    // native engine's (DESIGN.md §6); it was a conflict, exit 5, until session 68.
    expect(result.status).toBe('unsafe');
    expect(exitCodeForStatus(result.status)).toBe(4);
    expect(result.cause).toMatchObject({ code: 'ALIAS_CHANGED', data: { splitLeft: true } });
    expect(result.rollbackCommand).toBe('lshift rollback demo --alias live');
    const said = renderDeployResult(withReason(result));
    expect(said).toContain('Fix: lshift rollback demo --alias live');
    expect(said).toContain('lshift stopped AWS CodeDeploy deployment d-FAKE1 without its rollback');
    expect(w.clock.now() - w.start).toBeLessThan(120_000 + 90_000);
    expect(w.codedeploy.callsOf('stopDeployment').map((c) => c.args)).toEqual([['d-FAKE1', false]]);
    w.clock.advance(20 * 60_000);
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({
      functionVersion: '1',
      additionalWeights: { '2': 0.5 },
    });
  });

  it('`lshift wait` after the stop says the move by hand and offers only commands that do something', async () => {
    const w = codeDeployWorld('Canary10Percent15Minutes');
    w.lambda.moveAliasAt(w.start + 120_000, FN, ALIAS, {
      functionVersion: '1',
      additionalWeights: { '2': 0.5 },
    });
    const result = await runDeploy(w.deps, request(canary(10, 900)));
    expect(result.status).toBe('unsafe');
    const deps = {
      codedeploy: w.codedeploy,
      lambda: w.lambda,
      clock: w.clock,
      events: w.sink,
      store: w.store,
    };
    const waited = await followCodeDeploy(deps, {
      deploymentId: 'd-FAKE1',
      pollSeconds: 10,
      onInterrupt: 'rollback',
    });

    // Before: "stopped from outside", exit 4, and `Fix: lshift rollback`, which said "Nothing to roll back".
    expect(waited).toMatchObject({
      outcome: 'moved_by_hand',
      movedByHand: { endReason: expect.stringContaining('by hand') },
    });
    const text = describeFollow(waited);
    expect(text).toContain(
      '✖ UNSAFE: CodeDeploy deployment d-FAKE1 was stopped without its rollback after someone moved demo:live by hand while it ran',
    );
    expect(text).not.toContain('stopped from outside');
    expect(text).not.toContain('lshift rollback');
    expect(text).toContain(
      '`lshift alias demo live 1` (the version before), or `lshift alias demo live 2` (the new one)',
    );
    // The split left, nobody driving it: exit 4 (commands/wait.ts), as the deploy's; 5 until session 68.
    expect(isSplitByHandLeft(waited)).toBe(true);
    // Its --json says so beside the outcome a person's move that stands has too (h3's s69 brief):
    // `moved_by_hand` alone, exit 4, read as that conflict.
    expect(waitResult(waited)).toMatchObject({ outcome: 'moved_by_hand', stalled: true });
    expect(exitCodeForWait(waitResult(waited))).toBe(4);
    expectValidResultOf('wait', { schemaVersion: SCHEMA_VERSION, ...waitResult(waited) });
    expect(text).toContain('✖ UNSAFE: CodeDeploy deployment d-FAKE1 was stopped without its rollback');
    expect(text).toContain(
      'demo:live is version 1 (50%) + version 2 (50%): nobody drives that split; a human must look.',
    );
  });

  it('a GetDeployment that fails right after a read found CodeDeploy’s 10%: no "CodeDeploy had shifted none yet"', async () => {
    const w = codeDeployWorld('Canary10Percent15Minutes');
    const read = w.codedeploy.getDeployment.bind(w.codedeploy);
    let failed = false;
    w.codedeploy.getDeployment = async (id: string) => {
      const shifted = (w.lambda.peekAlias(FN, ALIAS)?.additionalWeights['2'] ?? 0) > 0;
      if (shifted && !failed) {
        failed = true;
        throw new OperationError('NETWORK_ERROR', 'codedeploy:GetDeployment got no answer within 30s', {});
      }
      return read(id);
    };
    const result = await runDeploy(w.deps, request(canary(10, 900)));

    expect(failed).toBe(true);
    expect(result.status).toBe('rolled_back');
    // Before: "before any traffic moved: CodeDeploy had shifted none yet", though its read had found 10%.
    expect(describeReason(result)).not.toContain('shifted none');
    expect(result.trafficMoved).not.toBe(false);
  });

  it('knows the weights each config writes', () => {
    expect(codeDeployStepPercents({ kind: 'predefined', name: CODEDEPLOY_ALL_AT_ONCE })).toEqual([100]);
    expect(
      codeDeployStepPercents({ kind: 'predefined', name: 'CodeDeployDefault.LambdaCanary10Percent5Minutes' }),
    ).toEqual([10, 100]);
    expect(
      codeDeployStepPercents({
        kind: 'predefined',
        name: 'CodeDeployDefault.LambdaLinear10PercentEvery1Minute',
      }),
    ).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
    expect(
      codeDeployStepPercents({
        kind: 'custom',
        name: 'lshift.Linear30PercentEvery2Minutes',
        routing: { type: 'TimeBasedLinear', percentage: 30, intervalMinutes: 2 },
      }),
    ).toEqual([30, 60, 90, 100]);
    expect(codeDeployStepPercents({ kind: 'predefined', name: 'SomeoneElses' })).toBeUndefined();
    const versions = { stableVersion: '1', targetVersion: '2' };
    const half = { functionVersion: '1', additionalWeights: { '2': 0.5 } };
    expect(isCodeDeployRouting(half, versions, 10, { steps: [10, 100] })).toBe(false);
    expect(
      isCodeDeployRouting(half, versions, 10, { steps: [10, 20, 30, 40, 50, 60, 70, 80, 90, 100] }),
    ).toBe(true);
    expect(codeDeployStepSeconds({ kind: 'predefined', name: CODEDEPLOY_ALL_AT_ONCE })).toBeUndefined();
    expect(
      codeDeployStepSeconds({
        kind: 'predefined',
        name: 'CodeDeployDefault.LambdaLinear10PercentEvery1Minute',
      }),
    ).toBe(60);
    expect(
      codeDeployStepSeconds({ kind: 'predefined', name: 'CodeDeployDefault.LambdaCanary10Percent15Minutes' }),
    ).toBe(900);
    expect(
      codeDeployStepSeconds({
        kind: 'custom',
        name: 'lshift.Linear30PercentEvery2Minutes',
        routing: { type: 'TimeBasedLinear', percentage: 30, intervalMinutes: 2 },
      }),
    ).toBe(120);
    expect(codeDeployStepSeconds({ kind: 'predefined', name: 'SomeoneElses' })).toBeUndefined();
  });

  it('tells CodeDeploy’s routings from a person’s', () => {
    const versions = { stableVersion: '1', targetVersion: '2' };
    const table: [RoutingState, number, boolean][] = [
      [{ functionVersion: '1', additionalWeights: {} }, 0, true],
      [{ functionVersion: '1', additionalWeights: { '2': 0.1 } }, 10, true],
      [{ functionVersion: '1', additionalWeights: { '2': 0.2 } }, 10, true],
      [{ functionVersion: '2', additionalWeights: {} }, 10, true],
      [{ functionVersion: '1', additionalWeights: {} }, 10, false],
      [{ functionVersion: '1', additionalWeights: { '2': 0.05 } }, 10, false],
      [{ functionVersion: '3', additionalWeights: {} }, 0, false],
      [{ functionVersion: '1', additionalWeights: { '3': 0.1 } }, 0, false],
    ];
    for (const [state, least, expected] of table)
      expect([state, least, isCodeDeployRouting(state, versions, least)]).toEqual([state, least, expected]);
  });

  it('a weight k steps above the last seen is CodeDeploy’s only (k-1) intervals (less the slack) after lshift first saw it', () => {
    const versions = { stableVersion: '1', targetVersion: '2' };
    const linear = { steps: [10, 20, 30, 40, 50, 60, 70, 80, 90, 100], intervalSeconds: 60 };
    const at = (p: number) => ({ functionVersion: '1', additionalWeights: { '2': p / 100 } });
    const seen = 1_000_000;
    const table: [number, number, boolean][] = [
      [20, 0, true], // the next step: any time
      [50, 0, false], // four steps up at once: a person's
      [50, 3 * 60_000 - 21_000, false],
      [50, 3 * 60_000 - 20_000, true], // (4-1) intervals less 20 s of slack
      [30, 40_000, true],
      [30, 39_000, false],
      [100, 8 * 60_000, true],
    ];
    for (const [percent, after, expected] of table) {
      const judged = isCodeDeployRouting(at(percent), versions, 10, linear, {
        peakSeenAt: seen,
        now: seen + after,
      });
      expect([percent, after, judged]).toEqual([percent, after, expected]);
    }
    // Not seen by this run, interval unknown, or nothing seen yet on the new version: the weights alone.
    expect(isCodeDeployRouting(at(50), versions, 10, linear, { now: seen })).toBe(true);
    expect(
      isCodeDeployRouting(at(50), versions, 10, { steps: linear.steps }, { peakSeenAt: seen, now: seen }),
    ).toBe(true);
    expect(isCodeDeployRouting(at(50), versions, 0, linear, { peakSeenAt: seen, now: seen })).toBe(true);
  });

  it('a split at a weight the linear config also writes, too soon after lshift saw 10%: a person’s, kept, exit 4', async () => {
    const w = codeDeployWorld('Linear10PercentEvery1Minute');
    w.lambda.moveAliasAt(w.start + 20_000, FN, ALIAS, {
      functionVersion: '1',
      additionalWeights: { '2': 0.5 },
    });
    const result = await runDeploy(w.deps, request(canary(10, 60)));

    // Before: taken for CodeDeploy's 50% (one of its weights); its next step (60%) undid it.
    // A split nobody drives (CodeDeploy stopped, the record closed): exit 4 with the fix, as the
    // native engine's (DESIGN.md §6); it was a conflict, exit 5, until session 68.
    expect(result.status).toBe('unsafe');
    expect(w.codedeploy.callsOf('stopDeployment').map((c) => c.args)).toEqual([['d-FAKE1', false]]);
    w.clock.advance(20 * 60_000);
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({
      functionVersion: '1',
      additionalWeights: { '2': 0.5 },
    });
  });

  it('CodeDeploy’s own steps first seen several at once (lshift’s reads failing for minutes) are no move by hand', async () => {
    const w = codeDeployWorld('Linear10PercentEvery1Minute');
    const read = w.lambda.getAlias.bind(w.lambda);
    let lost = 0;
    // After the 10% step, the follow's reads go unanswered long enough for CodeDeploy to move 4 steps.
    w.lambda.getAlias = async (fn: string, alias: string) => {
      const now = w.clock.now() - w.start;
      if (now > 30_000 && now < 250_000) {
        lost++;
        w.clock.advance(60_000);
      }
      return read(fn, alias);
    };
    const result = await runDeploy(w.deps, request(canary(10, 60)));
    expect(lost).toBeGreaterThan(0);
    expect(result.status).toBe('promoted');
    expect(w.codedeploy.callsOf('stopDeployment')).toEqual([]);
  });

  it('CodeDeploy’s own steps (linear, moving on within lshift’s holds) are no move by hand', async () => {
    const w = codeDeployWorld('Linear10PercentEvery1Minute');
    const result = await runDeploy(w.deps, request({ ...canary(10, 60) }));
    expect(result.status).toBe('promoted');
    expect(w.codedeploy.callsOf('stopDeployment')).toEqual([]);
  });

  it('a split by hand after CodeDeploy’s success (found by the promotion’s read-back) closes the record, not `paused`', async () => {
    const w = codeDeployWorld('Canary10Percent5Minutes');
    w.lambda.moveAliasAt(w.start + 302_000, FN, ALIAS, {
      functionVersion: '1',
      additionalWeights: { '2': 0.5 },
    });
    const result = await runDeploy(w.deps, request(canary(10, 300)));

    // A split nobody drives (CodeDeploy stopped, the record closed): exit 4 with the fix, as the
    // native engine's (DESIGN.md §6); it was a conflict, exit 5, until session 68.
    expect(result.status).toBe('unsafe');
    expect(w.codedeploy.callsOf('stopDeployment')).toEqual([]);
    expect(w.store.peek(FN, ALIAS)).toMatchObject({
      phase: 'rolled-back',
      endReason: 'weights changed by hand',
    });
    expect(w.store.peek(FN, ALIAS)?.endedAt).toBeDefined();
    // It left the alias split as the person put it: `status` must not say "left all traffic on version 1".
    expect(versionLeftOn(w.store.peek(FN, ALIAS)!)).toBeUndefined();
    // Session 65: it said "not all traffic on version 2 as lshift wrote it" of CodeDeploy's 100%.
    expect(result.cause?.detail ?? '').toContain(
      'not all traffic on version 2 as AWS CodeDeploy left it (deployment d-FAKE1 Succeeded)',
    );
    expect(result.cause?.detail ?? '').not.toContain('as lshift wrote it');
  });
});
