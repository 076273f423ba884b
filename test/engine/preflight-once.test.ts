/**
 * Each preflight check's outcome is said once per deployment, inside the preflight. A deploy with
 * new code runs the checks that need no new version before the upload (preflight-publish.ts),
 * and `--supersede` runs some before its rollback (preflight-supersede.ts); the full preflight
 * repeats them once the version exists (something may have changed meanwhile). The checks before
 * a write say only a refusal: every pass was said twice in --progress ndjson, the first time
 * before `preflight.started`, outside the "passed N checks" a plain log counts.
 */
import { describe, expect, it } from 'vitest';
import { OperationError } from '../../src/domain/errors.js';
import { parseHookSpec } from '../../src/domain/hook-spec.js';
import { runDeploy } from '../../src/engine/deploy.js';
import type { DeployRequest } from '../../src/engine/deploy-types.js';
import { publishAfterChecks } from '../../src/engine/preflight-publish.js';
import type { CodeSource } from '../../src/ports/lambda.js';
import { allAtOnce, createWorld, deadRecord, FN, leaveDeployment, request, type World } from './world.js';

const ZIP: CodeSource = { kind: 'zip', zipFile: new Uint8Array([80, 75, 5, 6]), fileName: 'code.zip' };

/** A world where every check has something to say: alarms, a `lambda:` hook, --warm. */
function busyWorld(): World {
  const w = createWorld();
  w.lambda.addFunction('smoke');
  w.lambda.addVersion('smoke');
  w.lambda.setProvisionedConcurrency(FN, '1', 10);
  return w;
}

function deployRequest(overrides: Partial<DeployRequest> = {}): DeployRequest {
  return request({
    ...allAtOnce(),
    hooks: { pre: [parseHookSpec('lambda:smoke', '--pre-hook')] },
    warm: true,
    ...overrides,
  });
}

/** As the CLI runs `deploy --zip`: the checks, upload and publish, then the deploy of that version. */
async function deployZip(w: World, overrides: Partial<DeployRequest> = {}) {
  const { targetVersion: _, ...pending } = deployRequest(overrides);
  const version = await publishAfterChecks(w.deps, pending, ZIP);
  return runDeploy(w.deps, { ...pending, targetVersion: version });
}

/** Each passed check's name, with how many times it passed; and the passes outside the preflight. */
function passes(w: World): { counts: Record<string, number>; outside: string[] } {
  const counts: Record<string, number> = {};
  const outside: string[] = [];
  let inside = false;
  for (const e of w.sink.events) {
    if (e.type === 'preflight.started') inside = true;
    if (e.type === 'preflight.completed') inside = false;
    if (e.type !== 'preflight.check' || !e.ok) continue;
    counts[e.check] = (counts[e.check] ?? 0) + 1;
    if (!inside) outside.push(e.check);
  }
  return { counts, outside };
}

describe('each check passes once per deployment, inside its preflight', () => {
  it('deploy --zip: the checks before the upload are not said again after it', async () => {
    const w = busyWorld();
    expect((await deployZip(w)).status).toBe('promoted');
    const { counts, outside } = passes(w);
    expect(Object.entries(counts).filter(([, n]) => n > 1)).toEqual([]);
    expect(outside).toEqual([]);
    // Every check the upload's gate makes is still said, by the full preflight.
    expect(Object.keys(counts)).toEqual(
      expect.arrayContaining([
        'function',
        'alias',
        'alias-not-latest',
        'deployment-record',
        'alias-not-split',
        'record-size',
        'alarms-exist',
        'alarms-quiet',
        'hook-functions',
        'warm',
      ]),
    );
    expect(w.sink.ofType('preflight.started')).toHaveLength(1);
  });

  it('deploy --supersede: the checks before the rollback are not said again after it', async () => {
    const w = busyWorld();
    leaveDeployment(w, deadRecord(w));
    w.lambda.addVersion(FN);
    const over = { targetVersion: '3', deploymentId: 'd-new001', supersede: true };
    expect((await runDeploy(w.deps, deployRequest(over))).status).toBe('promoted');
    const { counts, outside } = passes(w);
    expect(Object.entries(counts).filter(([, n]) => n > 1)).toEqual([]);
    // The rollback of the superseded deployment is said where it happens, before the preflight.
    expect(outside).toEqual(['supersede']);
    expect(Object.keys(counts)).toEqual(
      expect.arrayContaining([
        'stable-version',
        'same-role',
        'same-dlq',
        'async-destinations',
        'alarms-exist',
      ]),
    );
  });

  it('deploy --zip --supersede: neither gate repeats what the preflight says', async () => {
    const w = busyWorld();
    leaveDeployment(w, deadRecord(w));
    const over = { deploymentId: 'd-new001', supersede: true };
    expect((await deployZip(w, over)).status).toBe('promoted');
    const { counts, outside } = passes(w);
    expect(Object.entries(counts).filter(([, n]) => n > 1)).toEqual([]);
    expect(outside).toEqual(['supersede']);
  });

  it('a refusal before the upload is still said, and nothing passes after it', async () => {
    const w = busyWorld();
    const refused = deployZip(w, { alarms: ['demo-errros'] });
    await expect(refused).rejects.toMatchObject({ code: 'ALARM_NOT_FOUND' });
    const failed = w.sink.ofType('preflight.check').filter((c) => !c.ok);
    expect(failed.map((c) => c.check)).toEqual(['alarms-exist']);
    expect(w.lambda.callsOf('updateCode')).toHaveLength(0);
  });

  it("a warning of a check before the upload is said once too (CodeDeploy's hook this caller may not invoke)", async () => {
    const w = busyWorld();
    w.lambda.fail({
      op: 'checkInvoke',
      error: new OperationError('ACCESS_DENIED', 'Access denied to lambda:InvokeFunction on smoke.'),
      times: 10,
    });
    const hooks = { pre: [parseHookSpec('lambda:smoke', '--pre-hook')] };
    expect((await deployZip(w, { hooks: {}, engineHooks: hooks })).status).toBe('promoted');
    const warned = w.sink
      .ofType('log')
      .filter((e) => e.message.includes("could not check that CodeDeploy's hook"));
    expect(warned).toHaveLength(1);
  });
});
