/**
 * The checks a deploy makes before its upload and publish, through the REAL AWS SDK clients
 * against nock-served Lambda (test/helpers/nock-lambda-world.ts): a new version that would lose
 * the stable version's on-failure destination, and a denied preflight read (async configs, event
 * source mappings, provisioned concurrency; with an upload, the GetFunction its wait polls and the
 * version listing of its publish), are refused with no UpdateFunctionCode,
 * PublishVersion, UpdateAlias or TagResource request sent — and the dry run refuses the same way.
 */
import { describe, expect, it } from 'vitest';
import { planShift } from '../../src/domain/plan.js';
import { planRelease } from '../../src/domain/release-program.js';
import { parseStrategy } from '../../src/domain/strategy.js';
import type { DeployDeps } from '../../src/engine/deploy-types.js';
import { dryRunDeploy } from '../../src/engine/dry-run.js';
import { type PendingDeploy, publishAfterChecks } from '../../src/engine/preflight-publish.js';
import { TagStateStore } from '../../src/engine/tag-state-store.js';
import type { CodeSource } from '../../src/ports/lambda.js';
import {
  createTestCloudWatchAdapter,
  createTestLambdaAdapter,
  FUNCTION_ARN,
  useNock,
} from '../helpers/aws-nock.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { NockLambdaWorld, WORLD_ALIAS, WORLD_FN } from '../helpers/nock-lambda-world.js';
import { RecordingSink } from '../helpers/recording-sink.js';

const ALARM = 'fn-errors';
const Q = 'arn:aws:sqs:us-east-1:123456789012:my-fn-failures';
const ZIP: CodeSource = { kind: 'zip', zipFile: new Uint8Array([80, 75, 5, 6]), fileName: 'code.zip' };
const WRITES = ['UpdateFunctionCode', 'PublishVersion', 'UpdateAlias', 'TagResource', 'UntagResource'];

async function createEnv() {
  const clock = new FakeClock();
  const world = new NockLambdaWorld(clock).addAlarm(ALARM, 'OK').install();
  const lambda = await createTestLambdaAdapter();
  const metrics = await createTestCloudWatchAdapter();
  const deps: DeployDeps = {
    lambda,
    metrics,
    clock,
    events: new RecordingSink(),
    store: new TagStateStore(lambda),
  };
  return { world, deps };
}

function pending(): PendingDeploy {
  const strategy = parseStrategy('linear:25%:1m');
  return {
    functionName: WORLD_FN,
    alias: WORLD_ALIAS,
    strategy,
    plan: planShift(strategy),
    alarms: [ALARM],
    pollIntervalSeconds: 10,
    deploymentId: 'd-abc123',
    owner: 'ci@runner:1',
  };
}

function dryRun(deps: DeployDeps) {
  const req = pending();
  const program = planRelease(req.strategy, {}, [{ functionName: WORLD_FN, alias: WORLD_ALIAS }]);
  return dryRunDeploy(deps, { req, program });
}

function writesSent(world: NockLambdaWorld): string[] {
  return world.log.filter((r) => WRITES.includes(r.op)).map((r) => r.op);
}

describe('checks before the publish, over the real SDK clients', () => {
  useNock();

  it("a new version that would lose version 1's on-failure destination: refused before PublishVersion", async () => {
    const { world, deps } = await createEnv();
    world.eventInvokeConfigs = [
      { FunctionArn: `${FUNCTION_ARN}:1`, DestinationConfig: { OnFailure: { Destination: Q } } },
    ];
    await expect(publishAfterChecks(deps, pending(), undefined)).rejects.toMatchObject({
      code: 'ASYNC_DESTINATION_LOST',
      exitCode: 1,
      message: expect.stringContaining(
        `the new version this deploy would publish would handle its share of alias live's asynchronous events without the on-failure destination ${Q} that version 1 has`,
      ),
    });
    expect(writesSent(world)).toEqual([]);
    // $LATEST's code differs from version 1's: the publish would make a new version for sure.
    expect(world.requests('ListVersionsByFunction')).toHaveLength(1);
    expect(world.unrouted).toEqual([]);
  });

  it('the same refusal from the dry run, with only reads sent', async () => {
    const { world, deps } = await createEnv();
    world.eventInvokeConfigs = [
      { FunctionArn: `${FUNCTION_ARN}:1`, DestinationConfig: { OnFailure: { Destination: Q } } },
    ];
    await expect(dryRun(deps)).rejects.toMatchObject({ code: 'ASYNC_DESTINATION_LOST', exitCode: 1 });
    expect(writesSent(world)).toEqual([]);
  });

  it.each(['ListFunctionEventInvokeConfigs', 'ListEventSourceMappings', 'GetProvisionedConcurrencyConfig'])(
    '%s denied (HTTP 403): ACCESS_DENIED before any write, from the deploy and from the dry run',
    async (op) => {
      const { world, deps } = await createEnv();
      world.denied.add(op);
      const refusal = {
        code: 'ACCESS_DENIED',
        exitCode: 1,
        message: expect.stringContaining(`Access denied: the caller may not perform lambda:${op}`),
      };
      await expect(publishAfterChecks(deps, pending(), undefined)).rejects.toMatchObject(refusal);
      await expect(dryRun(deps)).rejects.toMatchObject(refusal);
      expect(writesSent(world)).toEqual([]);
      expect(world.requests(op).length).toBeGreaterThan(0);
    },
  );

  it.each(['GetFunction', 'ListVersionsByFunction'])(
    '--zip, %s denied (read between the upload and the publish): ACCESS_DENIED before UpdateFunctionCode',
    async (op) => {
      const { world, deps } = await createEnv();
      world.denied.add(op);
      await expect(publishAfterChecks(deps, pending(), ZIP)).rejects.toMatchObject({
        code: 'ACCESS_DENIED',
        exitCode: 1,
        message: expect.stringContaining(`Access denied: the caller may not perform lambda:${op}`),
      });
      expect(writesSent(world)).toEqual([]);
      expect(world.unrouted).toEqual([]);
    },
  );

  it('nothing refused: the reads go first, then the publish', async () => {
    const { world, deps } = await createEnv();
    await expect(publishAfterChecks(deps, pending(), undefined)).resolves.toBe('2');
    const ops = world.log.map((r) => r.op);
    const publish = ops.indexOf('PublishVersion');
    for (const read of [
      'ListFunctionEventInvokeConfigs',
      'ListEventSourceMappings',
      'GetProvisionedConcurrencyConfig',
    ]) {
      expect(ops.indexOf(read), read).toBeGreaterThanOrEqual(0);
      expect(ops.indexOf(read), read).toBeLessThan(publish);
    }
  });
});
