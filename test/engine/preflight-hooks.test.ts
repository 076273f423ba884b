/**
 * `lambda:` hooks are checked (a DryRun invoke) before the first write: a hook that does not exist
 * was found only when it ran, after the new version was published — exit 3 for a deploy that
 * published a version for nothing (and, for a post hook, had moved all traffic first).
 */
import { describe, expect, it } from 'vitest';
import { OperationError } from '../../src/domain/errors.js';
import { parseHookSpec } from '../../src/domain/hook-spec.js';
import { planRelease } from '../../src/domain/release-program.js';
import { runDeploy } from '../../src/engine/deploy.js';
import type { DeployHooks } from '../../src/engine/deploy-types.js';
import { dryRunDeploy } from '../../src/engine/dry-run.js';
import { publishAfterChecks } from '../../src/engine/preflight-publish.js';
import { dryRunRelease } from '../../src/engine/release-dry-run.js';
import type { CodeSource } from '../../src/ports/lambda.js';
import {
  ALIAS,
  allAtOnce,
  createWorld,
  deadRecord,
  FN,
  leaveDeployment,
  request,
  type World,
} from './world.js';

const ZIP: CodeSource = { kind: 'zip', zipFile: new Uint8Array([80, 75, 5, 6]), fileName: 'code.zip' };
const WRITES = ['updateCode', 'publishVersion', 'tagResource', 'untagResource', 'updateAlias', 'createAlias'];

function hooks(phase: keyof DeployHooks, ...specs: string[]): DeployHooks {
  return { [phase]: specs.map((s) => parseHookSpec(s, `--${phase}-hook`)) };
}

function pending(h: DeployHooks) {
  const { targetVersion: _, ...rest } = request({ ...allAtOnce(), hooks: h });
  return rest;
}

function expectNoWrites(w: World): void {
  expect(w.lambda.calls.filter((c) => WRITES.includes(c.op)).map((c) => c.op)).toEqual([]);
  expect(w.store.writes).toEqual([]);
}

function worldWithSmoke(): World {
  const w = createWorld();
  w.lambda.addFunction('smoke');
  w.lambda.addVersion('smoke');
  w.lambda.addAlias('smoke', 'live', '1');
  return w;
}

describe('lambda: hook functions are checked before any write', () => {
  it('a missing pre-hook function: HOOK_FUNCTION_NOT_FOUND (exit 1) before the upload and publish', async () => {
    const w = createWorld();
    const refused = publishAfterChecks(w.deps, pending(hooks('pre', 'lambda:nosuch')), ZIP);
    await expect(refused).rejects.toMatchObject({ code: 'HOOK_FUNCTION_NOT_FOUND', exitCode: 1 });
    await expect(refused).rejects.toThrow(
      'The pre-traffic hook lambda:nosuch cannot run: function nosuch does not exist in this account and region.',
    );
    expectNoWrites(w);
    expect(w.sink.ofType('preflight.check').at(-1)).toMatchObject({ check: 'hook-functions', ok: false });
  });

  it('a missing alias of an existing hook function (post hook, --version): refused before the record or any weight', async () => {
    const w = worldWithSmoke();
    const req = request({ ...allAtOnce(), hooks: hooks('post', 'lambda:smoke:nosuch') });
    await expect(runDeploy(w.deps, req)).rejects.toMatchObject({
      code: 'HOOK_FUNCTION_NOT_FOUND',
      message: expect.stringContaining('function smoke (or its version or alias nosuch)'),
    });
    expectNoWrites(w);
    expect(w.hooks.calls).toEqual([]);
  });

  it('a rollback hook too, and before --supersede rolls the old deployment back', async () => {
    const w = createWorld();
    leaveDeployment(w, deadRecord(w, { heartbeatAt: w.start - 1000 }), 20);
    const req = request({ ...allAtOnce(), supersede: true, hooks: hooks('rollback', 'lambda:nosuch') });
    await expect(runDeploy(w.deps, req)).rejects.toMatchObject({ code: 'HOOK_FUNCTION_NOT_FOUND' });
    expect(w.lambda.callsOf('updateAlias')).toEqual([]);
  });

  it('a hook the caller may not invoke is refused as the invoke would be (ACCESS_DENIED), before the publish', async () => {
    const w = worldWithSmoke();
    w.lambda.fail({
      op: 'checkInvoke',
      error: new OperationError('ACCESS_DENIED', 'Access denied to lambda:InvokeFunction on smoke.', {
        context: { action: 'lambda:InvokeFunction' },
      }),
    });
    const refused = publishAfterChecks(w.deps, pending(hooks('step', 'lambda:smoke')), ZIP);
    await expect(refused).rejects.toMatchObject({ code: 'ACCESS_DENIED', exitCode: 1 });
    expectNoWrites(w);
  });

  it('existing hooks pass: each distinct one is checked once, with its qualifier, and nothing runs', async () => {
    const w = worldWithSmoke();
    const h = { ...hooks('pre', 'lambda:smoke:live', 'lambda:smoke'), ...hooks('post', 'lambda:smoke:live') };
    await expect(publishAfterChecks(w.deps, pending(h), ZIP)).resolves.toBe('3');
    expect(w.lambda.callsOf('checkInvoke').map((c) => c.args)).toEqual([
      ['smoke', 'live'],
      ['smoke', undefined],
    ]);
    expect(w.lambda.callsOf('invoke')).toEqual([]);
    // The pass is the full preflight's to say (preflight-once.test.ts): once per deployment.
    const hookChecks = () => w.sink.ofType('preflight.check').filter((c) => c.check === 'hook-functions');
    expect(hookChecks()).toEqual([]);
    await runDeploy(w.deps, { ...pending(h), targetVersion: '3' });
    expect(hookChecks()).toEqual([
      expect.objectContaining({
        ok: true,
        message: 'hook functions lambda:smoke:live, lambda:smoke can be invoked',
      }),
    ]);
  });
});

describe('the hooks CodeDeploy runs (engineHooks) are checked as well', () => {
  it('a missing AfterAllowTraffic function: HOOK_FUNCTION_NOT_FOUND before the record or any weight', async () => {
    const w = createWorld();
    const req = request({ ...allAtOnce(), engineHooks: hooks('post', 'lambda:nosuch') });
    await expect(runDeploy(w.deps, req)).rejects.toMatchObject({
      code: 'HOOK_FUNCTION_NOT_FOUND',
      exitCode: 1,
      message: expect.stringContaining('The post-traffic hook lambda:nosuch cannot run'),
    });
    expectNoWrites(w);
  });

  it('one this caller may not invoke is a warning, not a refusal: CodeDeploy invokes it with its own role', async () => {
    const w = worldWithSmoke();
    w.lambda.fail({
      op: 'checkInvoke',
      error: new OperationError('ACCESS_DENIED', 'Access denied to lambda:InvokeFunction on smoke.'),
      times: 2,
    });
    const { targetVersion: _, ...rest } = request({
      ...allAtOnce(),
      engineHooks: hooks('pre', 'lambda:smoke'),
    });
    await expect(publishAfterChecks(w.deps, rest, ZIP)).resolves.toBe('3');
    // Said by the deploy's preflight, which checks it again (preflight-once.test.ts).
    await runDeploy(w.deps, { ...rest, targetVersion: '3' });
    expect(w.sink.ofType('log').map((e) => e.message)).toContain(
      "could not check that CodeDeploy's hook lambda:smoke exists: this caller may not invoke it (lambda:InvokeFunction, DryRun); CodeDeploy invokes it with its own service role",
    );
    expect(w.sink.ofType('preflight.check').filter((c) => !c.ok)).toEqual([]);
  });
});

describe('dry runs make the same check', () => {
  const program = planRelease(allAtOnce().strategy, {}, [{ functionName: FN, alias: ALIAS }]);

  it.each([
    ['a published --version', '2'],
    ['code to publish', undefined],
  ])('deploy --dry-run with %s refuses a missing hook function', async (_, targetVersion) => {
    const w = createWorld();
    const req = { ...pending(hooks('pre', 'lambda:nosuch')), targetVersion };
    await expect(dryRunDeploy(w.deps, { req, program })).rejects.toMatchObject({
      code: 'HOOK_FUNCTION_NOT_FOUND',
    });
    expectNoWrites(w);
  });

  it("a release's own hooks (deploy a b --pre-hook lambda:x --dry-run)", async () => {
    const w = createWorld();
    const members = [{ req: { ...pending({}), targetVersion: '2' } }];
    const rel = { releaseId: 'r-abc123', members, hooks: hooks('pre', 'lambda:nosuch') };
    await expect(dryRunRelease(w.deps, rel)).rejects.toMatchObject({ code: 'HOOK_FUNCTION_NOT_FOUND' });
  });
});
