/**
 * A person's split a deploy met and left, its record closed (split-left-closed.ts): a CodeDeploy
 * deployment stopped without its rollback to keep it, or a split of other versions than the
 * deployment's two. The deploy exits 4 for it; `lshift status` said "split by hand: no lshift shift
 * is in progress", exit 0, and `lshift check` "rolled back …; nothing to watch", exit 0 (h3's s68
 * pass). Both say STALLED, exit 4, with the rollback the deploy offered, while the alias is split;
 * once someone puts it on one version, nothing is asked.
 */
import { describe, expect, it } from 'vitest';
import { exitCodeForCheck, exitCodeForRollback, exitCodeForStatus } from '../../src/cli/exit-codes.js';
import { renderStatus } from '../../src/cli/renderers/status-text.js';
import { needsOperator } from '../../src/cli/status-needs-operator.js';
import { type CheckDeps, runCheck } from '../../src/engine/check.js';
import { createCodeDeployTrafficDriver } from '../../src/engine/codedeploy-traffic-driver.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { rollbackDeployment } from '../../src/engine/rollback.js';
import { getStatus } from '../../src/engine/status.js';
import { codeDeployWorld } from './codedeploy-world.js';
import { ALARM, ALIAS, canary, createWorld, FN, linear, request, type World } from './world.js';

/** The words of a split its run met and left (split-left-closed.ts, as foreign-split-status.test.ts has them). */
const STALLED = 'STALLED: deployment d-abc123 met its alias split by someone else and left it: it routes';
const NOBODY = 'nothing drives that split, and lshift leaves it as it is';
/** Its routing line, agreeing with the STALLED line below it. */
const LEFT = '(split by hand, left by deployment d-abc123: nobody drives it)';
const BY_HAND =
  'aws lambda update-alias --function-name demo --name live --function-version 1 --routing-config \'{"AdditionalVersionWeights":{}}\'';

async function statusOf(w: World, codedeploy?: ReturnType<typeof codeDeployWorld>['codedeploy']) {
  return getStatus(
    { ...w.deps, ...(codedeploy ? { codedeploy } : {}) },
    { functionName: FN, alias: ALIAS, alarms: [] },
  );
}

async function checkOf(w: World, codedeploy?: ReturnType<typeof codeDeployWorld>['codedeploy']) {
  return runCheck(
    {
      ...w.deps,
      store: w.store,
      ...(codedeploy ? { codedeploy } : {}),
      owner: 'check:cron@host:1',
    } as CheckDeps,
    { functionNames: [FN], alias: ALIAS, windowSeconds: 3600, alarms: [ALARM], staleAfterSeconds: 120 },
  );
}

describe("a person's split its deploy left, the record closed: status and check", () => {
  it('kept under CodeDeploy (stopped without its rollback): STALLED, exit 4, the rollback; on one version: exit 0', async () => {
    const w = codeDeployWorld('Canary10Percent15Minutes');
    const split = { functionVersion: '1', additionalWeights: { '2': 0.37 } };
    w.lambda.moveAliasAt(w.start + 120_000, FN, ALIAS, split);
    const result = await runDeploy(w.deps, request(canary(10, 900)));
    expect(exitCodeForStatus(result.status)).toBe(4);
    expect(w.store.peek(FN, ALIAS)).toMatchObject({
      phase: 'rolled-back',
      endReason: 'weights changed by hand',
    });

    // Before: no STALLED line, exit 0, `record.stalled` absent.
    const status = await statusOf(w, w.codedeploy);
    expect(needsOperator(status)).toBe(true);
    expect(status.record?.stalled).toBe(true);
    const text = renderStatus(status);
    expect(text).toContain(STALLED);
    expect(text).toContain(NOBODY);
    // The lines above it agree: they read as nothing to do ("no lshift shift is in progress").
    expect(text).toContain(`routing: version 1 (63%) + version 2 (37%) ${LEFT}`);
    expect(text).toContain(
      'deployment d-abc123: moved by hand (weights changed by hand; lshift ran no rollback, and the split it met is still there)',
    );
    expect(text).not.toContain('no lshift shift is in progress');
    // Its engine line too: "leaving the alias where it was moved" read as settled (h3's s69 brief).
    expect(text).toContain(
      'engine: AWS CodeDeploy, deployment d-FAKE1 (ended: weights changed by hand; lshift ran no rollback, and the split it met is still there: CodeDeploy no longer drives it, nor does anyone else)',
    );
    expect(text).not.toContain('leaving the alias where it was moved');
    expect(text).toContain(
      `to put all traffic back on version 1: \`lshift rollback demo --alias live\` (or by hand: \`${BY_HAND}\`)`,
    );
    // Before: "rolled back 4m ago; nothing to watch", exit 0.
    await w.clock.advance(4 * 60_000);
    const checked = await checkOf(w, w.codedeploy);
    expect(checked.results[0]).toMatchObject({ action: 'stalled', stalled: true });
    expect(checked.results[0]?.reason).toContain(
      'it routes version 1 (63%) + version 2 (37%); nothing drives that split',
    );
    expect(checked.results[0]?.reason).toContain('`lshift rollback demo --alias live`');
    expect(exitCodeForCheck(checked)).toBe(4);
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject(split);

    // The offered rollback puts it back, and nothing is asked any more.
    const driver = createCodeDeployTrafficDriver(
      { codedeploy: w.codedeploy, lambda: w.lambda, clock: w.clock },
      { pollSeconds: 5 },
    );
    const { traffic: _traffic, gates: _gates, ...rest } = w.deps;
    const undo = await rollbackDeployment(
      { ...rest, trafficFor: () => driver },
      { functionName: FN, alias: ALIAS, reason: 'op' },
    );
    expect(exitCodeForRollback(undo.status)).toBe(0);
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
    const after = await statusOf(w, w.codedeploy);
    expect(needsOperator(after)).toBe(false);
    expect(renderStatus(after)).not.toContain('STALLED');
    expect(exitCodeForCheck(await checkOf(w, w.codedeploy))).toBe(0);
  });

  it('a split of other versions than its two (native): STALLED, the rollback `--to` its stable version', async () => {
    const w = createWorld();
    w.lambda.moveAliasAt(w.start + 65_000, FN, ALIAS, {
      functionVersion: '9',
      additionalWeights: { '2': 0.37 },
    });
    const result = await runDeploy(w.deps, request(linear(10, 600)));
    expect(result.rollbackCommand).toBe('lshift rollback demo --alias live --to 1');

    const status = await statusOf(w);
    expect(needsOperator(status)).toBe(true);
    expect(renderStatus(status)).toContain(STALLED);
    expect(renderStatus(status)).toContain('`lshift rollback demo --alias live --to 1`');
    expect(renderStatus(status)).toContain(`routing: version 9 (63%) + version 2 (37%) ${LEFT}`);
    expect(renderStatus(status)).toContain(
      'moved by hand (to a split: 63% on 9, 37% on 2; lshift ran no rollback, and the split it met is still there)',
    );
    await w.clock.advance(4 * 60_000);
    const checked = await checkOf(w);
    expect(checked.results[0]).toMatchObject({ action: 'stalled' });
    expect(checked.results[0]?.reason).toContain('`lshift rollback demo --alias live --to 1`');

    // Someone puts it on one version (any): nothing is asked.
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '2', additionalWeights: {} });
    expect(needsOperator(await statusOf(w))).toBe(false);
    expect(exitCodeForCheck(await checkOf(w))).toBe(0);
  });

  it('moved whole onto its stable version, then split again by someone: MOVED SINCE as before, exit 0', async () => {
    const w = createWorld();
    w.lambda.moveAliasAt(w.start + 65_000, FN, ALIAS, { functionVersion: '1', additionalWeights: {} });
    const result = await runDeploy(w.deps, request(linear(10, 600)));
    expect(result.status).toBe('conflict');
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: { '2': 0.2 } });
    const status = await statusOf(w);
    expect(needsOperator(status)).toBe(false);
    expect(renderStatus(status)).not.toContain('STALLED');
  });
});
