/**
 * What the full preflight checked only once the new version existed, though the version's
 * number is not needed for it: the asynchronous-destination refusal (a version not published
 * yet has no async config of its own: the alias's config or Lambda's defaults handle its share),
 * and the reads of the async configs, the event source mappings and the alias's provisioned
 * concurrency (a denied read refused after the publish). They run before the upload now — a
 * refused deploy changes nothing — and the dry run, which runs the same checks, refuses the same
 * way. `--supersede` runs the reads before its rollback too.
 */
import { describe, expect, it } from 'vitest';
import { OperationError } from '../../src/domain/errors.js';
import { planRelease } from '../../src/domain/release-program.js';
import { runDeploy } from '../../src/engine/deploy.js';
import type { DeployRequest } from '../../src/engine/deploy-types.js';
import { dryRunDeploy } from '../../src/engine/dry-run.js';
import { type PendingDeploy, publishAfterChecks } from '../../src/engine/preflight-publish.js';
import type { CodeSource } from '../../src/ports/lambda.js';
import type { LambdaOp } from '../helpers/fake-lambda.js';
import { ALIAS, canary, createWorld, deadRecord, FN, leaveDeployment, request, type World } from './world.js';

const Q = 'arn:aws:sqs:us-east-1:123456789012:demo-failures';
const ZIP: CodeSource = {
  kind: 'zip',
  zipFile: new Uint8Array([80, 75, 5, 6]),
  fileName: 'code.zip',
  codeSha256: 'bmV3',
};
const S3: CodeSource = { kind: 's3', bucket: 'builds', key: 'solo.zip' };

function pending(overrides: Partial<PendingDeploy> = {}): PendingDeploy {
  const { targetVersion: _, ...rest } = request(overrides);
  return rest;
}

/** As `lshift deploy --zip` runs: the checks, the upload and publish, then the deploy of that version. */
async function deployCode(w: World, source: CodeSource | undefined, overrides: Partial<DeployRequest> = {}) {
  const req = pending(overrides);
  const version = await publishAfterChecks(w.deps, req, source);
  return runDeploy(w.deps, { ...req, targetVersion: version });
}

function dryRun(w: World, source: CodeSource | undefined, overrides: Partial<DeployRequest> = {}) {
  const req = pending(overrides);
  const program = planRelease(canary(10, 300).strategy, {}, [
    { functionName: req.functionName, alias: ALIAS },
  ]);
  return dryRunDeploy(w.deps, { req, source, program });
}

function expectNothingWritten(w: World): void {
  for (const op of ['updateCode', 'publishVersion', 'updateAlias', 'tagResource'] as const) {
    expect(w.lambda.callsOf(op), op).toEqual([]);
  }
  expect(w.store.writes).toEqual([]);
}

const LOST_BY_NEW = new RegExp(
  `^Function demo: during the shift, the new version this deploy would publish would handle its share of alias live's asynchronous events without the on-failure destination ${Q} that version 1 has \\(from version 1; a version not published yet has no asynchronous-invocation config of its own, so it gets Lambda's defaults\\); its failed events would be lost\\. Nothing was uploaded or published\\.$`,
);

describe('the asynchronous-destination refusal comes before the upload, not after the publish', () => {
  it.each([
    ['--zip', ZIP],
    ['no code ($LATEST published as it is)', undefined],
  ])('%s: ASYNC_DESTINATION_LOST (exit 1) with nothing uploaded or published', async (_, source) => {
    const w = createWorld();
    w.lambda.setEventInvokeConfig(FN, { qualifier: '1', onFailure: Q });
    await expect(deployCode(w, source)).rejects.toMatchObject({
      code: 'ASYNC_DESTINATION_LOST',
      exitCode: 1,
      message: expect.stringMatching(LOST_BY_NEW),
      // The new version has no number yet: the alias-wide fix, or publish first and configure it.
      hint: expect.stringContaining(
        `aws lambda put-function-event-invoke-config --function-name demo --qualifier live --destination-config '{"OnFailure":{"Destination":"${Q}"}}'`,
      ),
    });
    expectNothingWritten(w);
    expect(w.sink.ofType('preflight.check').filter((c) => !c.ok)).toEqual([
      expect.objectContaining({ check: 'async-destinations', ok: false }),
    ]);
  });

  it('the dry run refuses with the same code, exit code and message, without a write', async () => {
    const w = createWorld();
    w.lambda.setEventInvokeConfig(FN, { qualifier: '1', onFailure: Q });
    await expect(dryRun(w, ZIP)).rejects.toMatchObject({
      code: 'ASYNC_DESTINATION_LOST',
      exitCode: 1,
      message: expect.stringMatching(LOST_BY_NEW),
    });
    expectNothingWritten(w);
  });

  it('the destination on the alias (both versions share it): the dry run says so, the deploy goes ahead', async () => {
    const w = createWorld();
    w.lambda.setEventInvokeConfig(FN, { qualifier: 'live', onFailure: Q });
    w.lambda.setEventInvokeConfig(FN, { qualifier: '1', onFailure: Q });
    await dryRun(w, ZIP);
    const said = w.sink.ofType('preflight.check').find((c) => c.check === 'async-destinations');
    expect(said?.message).toBe(
      `the new version will handle asynchronous events as version 1 does (alias live: on failure → ${Q}, 2 retries, max age 21600 s)`,
    );
    expect((await deployCode(w, ZIP)).status).toBe('promoted');
  });

  it('the publish would most likely give the stable version back: nothing to deploy, not a refusal', async () => {
    const w = soloWorld();
    // $LATEST is what version 1 was published from: Lambda returns version 1, the alias's.
    const overrides = { functionName: 'solo', alarms: [] };
    const report = await dryRun(w, undefined, overrides);
    expect(report.publish?.forecast).toEqual({ outcome: 'likely-same', newestVersion: '1' });
    const said = w.sink.ofType('preflight.check').filter((c) => c.check === 'async-destinations');
    expect(said.map((c) => c.message)).toEqual([
      'the publish most likely gives version 1 back (nothing changed since it), which alias live is on: nothing to deploy',
    ]);
    expect((await deployCode(w, undefined, overrides)).status).toBe('nothing_to_deploy');
  });

  it('code known only after the upload (S3): refused, unless it is the stable version’s own', async () => {
    const w = soloWorld();
    await expect(deployCode(w, S3, { functionName: 'solo', alarms: [] })).rejects.toMatchObject({
      code: 'ASYNC_DESTINATION_LOST',
      message: expect.stringContaining(
        "its failed events would be lost (unless the code is exactly version 1's and nothing else changed: then there is nothing to deploy). Nothing was uploaded or published.",
      ),
    });
    for (const op of ['updateCode', 'publishVersion'] as const) expect(w.lambda.callsOf(op), op).toEqual([]);
  });

  it('the publish would most likely give a newer version back: judged as that version', async () => {
    const w = soloWorld();
    // Version 2 is `$LATEST` as it is now; the alias is still on 1.
    w.lambda.configureLatest('solo', { architectures: ['arm64'] });
    w.lambda.publishLatest('solo');
    const overrides = { functionName: 'solo', alarms: [] };
    // Without a destination of its own, version 2 would lose it: refused, with version 2's fix.
    await expect(publishAfterChecks(w.deps, pending(overrides), undefined)).rejects.toMatchObject({
      code: 'ASYNC_DESTINATION_LOST',
      message: expect.stringContaining(
        'during the shift, version 2, which the publish would most likely give back (nothing changed since it), would handle',
      ),
      hint: expect.stringContaining('--function-name solo --qualifier 2'),
    });
    expect(w.lambda.callsOf('publishVersion')).toEqual([]);
    // With one, it keeps the destination: the publish gives it back and the deploy shifts to it.
    w.lambda.setEventInvokeConfig('solo', { qualifier: '2', onFailure: Q });
    const result = await deployCode(w, undefined, overrides);
    expect(result).toMatchObject({ status: 'promoted', toVersion: '2' });
  });
});

/** Function `solo`: version 1 published from `$LATEST` as it is, alias live on it, its own destination. */
function soloWorld(): World {
  const w = createWorld();
  w.lambda.addFunction('solo');
  w.lambda.publishLatest('solo');
  w.lambda.addAlias('solo', ALIAS, '1');
  w.lambda.setEventInvokeConfig('solo', { qualifier: '1', onFailure: Q });
  return w;
}

function denied(action: string): OperationError {
  return new OperationError('ACCESS_DENIED', `Access denied: lshift needs ${action} on demo.`, {
    context: { functionName: FN, action },
  });
}

const READS: { op: LambdaOp; action: string }[] = [
  { op: 'listEventInvokeConfigs', action: 'lambda:ListFunctionEventInvokeConfigs' },
  { op: 'listEventSourceMappings', action: 'lambda:ListEventSourceMappings' },
  { op: 'getProvisionedConcurrency', action: 'lambda:GetProvisionedConcurrencyConfig' },
];

describe('the preflight reads of issue 14 come before any write', () => {
  it.each(READS)('$action denied: refused before the upload, nothing written', async ({ op, action }) => {
    const w = createWorld();
    w.lambda.fail({ op, times: Number.POSITIVE_INFINITY, error: denied(action) });
    await expect(deployCode(w, ZIP)).rejects.toMatchObject({ code: 'ACCESS_DENIED', exitCode: 1 });
    expectNothingWritten(w);
  });

  it.each(READS)('$action denied: the dry run refuses the same way', async ({ op, action }) => {
    const w = createWorld();
    w.lambda.fail({ op, times: Number.POSITIVE_INFINITY, error: denied(action) });
    await expect(dryRun(w, ZIP)).rejects.toMatchObject({ code: 'ACCESS_DENIED', exitCode: 1 });
    expectNothingWritten(w);
  });

  it.each([
    { op: 'getCodeLocation' as const, action: 'lambda:GetFunction' },
    { op: 'listVersions' as const, action: 'lambda:ListVersionsByFunction' },
  ])(
    '$action (read between the upload and the publish) denied: refused before the upload',
    async ({ op, action }) => {
      const w = createWorld();
      w.lambda.fail({ op, times: Number.POSITIVE_INFINITY, error: denied(action) });
      await expect(deployCode(w, ZIP)).rejects.toMatchObject({ code: 'ACCESS_DENIED', exitCode: 1 });
      expectNothingWritten(w);
      const refused = w.sink.ofType('preflight.check').filter((c) => !c.ok);
      expect(refused).toEqual([expect.objectContaining({ check: 'publish-reads' })]);
    },
  );

  it('the dry run says the event-source and provisioned-concurrency warnings the deploy will give', async () => {
    const w = createWorld();
    w.lambda.addEventSourceMapping(FN, 'arn:aws:sqs:us-east-1:123456789012:orders');
    w.lambda.setProvisionedConcurrency(FN, 'live', 10);
    await dryRun(w, ZIP);
    const warnings = w.sink
      .ofType('log')
      .filter((e) => e.level === 'warn')
      .map((e) => e.message);
    expect(warnings).toEqual([
      expect.stringMatching(/^event source mapping esm-1 .* invokes the unqualified function/),
      expect.stringMatching(
        /^alias live has provisioned concurrency \(10\), but the new version has none ready of its own/,
      ),
    ]);
  });

  it('a deploy says them once, from its full preflight after the publish', async () => {
    const w = createWorld();
    w.lambda.addEventSourceMapping(FN, 'arn:aws:sqs:us-east-1:123456789012:orders');
    expect((await deployCode(w, ZIP)).status).toBe('promoted');
    const warnings = w.sink.ofType('log').filter((e) => e.message.startsWith('event source mapping'));
    expect(warnings).toHaveLength(1);
    // Read before the upload, and again (something may change meanwhile) by the full preflight.
    const calls = w.lambda.calls.map((c) => c.op);
    expect(calls.indexOf('listEventSourceMappings')).toBeLessThan(calls.indexOf('updateCode'));
  });

  it('--supersede of a published version: a denied read refuses before the rollback', async () => {
    const w = createWorld();
    leaveDeployment(w, deadRecord(w, { heartbeatAt: w.start - 1000 }), 20);
    const action = 'lambda:ListEventSourceMappings';
    w.lambda.fail({ op: 'listEventSourceMappings', times: Number.POSITIVE_INFINITY, error: denied(action) });
    await expect(runDeploy(w.deps, request({ supersede: true }))).rejects.toMatchObject({
      code: 'ACCESS_DENIED',
    });
    // The old deployment is left as it was: still at 20%, nothing written.
    expect(w.lambda.callsOf('updateAlias')).toEqual([]);
    expect(w.lambda.peekAlias(FN, ALIAS)?.additionalWeights).toEqual({ '2': 0.2 });
  });
});
