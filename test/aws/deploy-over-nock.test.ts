/**
 * Acceptance: a whole deploy through the REAL AWS SDK clients against nock-served AWS
 * (test/helpers/nock-lambda-world.ts): publish → preflight → every step → promoted, and the
 * ways it ends otherwise (alarm → rollback, someone else's alias write → conflict, unreadable
 * alarms → rollback). Time is a FakeClock, so a 3-minute linear shift runs in milliseconds.
 */

import { describe, expect, it } from 'vitest';
import { describeReason } from '../../src/cli/describe-outcome.js';
import { exitCodeForStatus } from '../../src/cli/exit-codes.js';
import { resolveAnalysisConfig } from '../../src/domain/analysis/config-resolve.js';
import { decodeRecord } from '../../src/domain/deployment-record.js';
import type { DeployResult } from '../../src/domain/events.js';
import { planShift } from '../../src/domain/plan.js';
import { parseStrategy } from '../../src/domain/strategy.js';
import { createAnalysisGate } from '../../src/engine/analysis-gate.js';
import { runDeploy } from '../../src/engine/deploy.js';
import type { DeployDeps } from '../../src/engine/deploy-types.js';
import { publishFunction } from '../../src/engine/publish.js';
import { TagStateStore } from '../../src/engine/tag-state-store.js';
import {
  createTestCloudWatchAdapter,
  createTestLambdaAdapter,
  FUNCTION_ARN,
  fnPath,
  tagsPath,
  useNock,
} from '../helpers/aws-nock.js';
import { FakeClock } from '../helpers/fake-clock.js';
import {
  type LoggedRequest,
  NockLambdaWorld,
  WORLD_ALIAS,
  WORLD_FN,
  WORLD_SECRET,
} from '../helpers/nock-lambda-world.js';
import { RecordingSink } from '../helpers/recording-sink.js';

const ALARM = 'fn-errors';
const RECORD_TAG = `lshift:${WORLD_ALIAS}`;
const ALIAS_PATH = fnPath(WORLD_FN, `/aliases/${WORLD_ALIAS}`);

type Env = Awaited<ReturnType<typeof createEnv>>;

async function createEnv(opts: { analysis?: boolean } = {}) {
  const clock = new FakeClock();
  const world = new NockLambdaWorld(clock).addAlarm(ALARM, 'OK').install();
  // Waiters poll every 10 ms (never needed here: the model is Active/Successful at once).
  const lambda = await createTestLambdaAdapter();
  const metrics = await createTestCloudWatchAdapter();
  const sink = new RecordingSink();
  const deps: DeployDeps = { lambda, metrics, clock, events: sink, store: new TagStateStore(lambda) };
  if (opts.analysis) deps.gates = [createAnalysisGate(metrics, resolveAnalysisConfig({}))];
  return { clock, world, sink, deps, start: clock.now() };
}

async function publishAndDeploy(env: Env): Promise<DeployResult> {
  const { deps } = env;
  const published = await publishFunction(deps, { functionName: WORLD_FN });
  expect(published).toMatchObject({ version: '2', codeSha256: 'sha-v2', created: true });
  const strategy = parseStrategy('linear:25%:1m');
  return runDeploy(deps, {
    functionName: WORLD_FN,
    alias: WORLD_ALIAS,
    targetVersion: published.version,
    strategy,
    plan: planShift(strategy),
    alarms: [ALARM],
    pollIntervalSeconds: 10,
    deploymentId: 'd-abc123',
    owner: 'ci@runner:1',
  });
}

/**
 * Operation names in order, runs folded (`DescribeAlarms×3`), failures marked (`…!500`). The
 * deployment record's own traffic (ListTags/TagResource) is left out: how the recorder reads and
 * writes it has its own tests; here `recordPhases` checks what it wrote.
 */
function foldOps(log: LoggedRequest[]): string[] {
  const out: [string, number][] = [];
  for (const { op, status } of log) {
    if (op === 'ListTags' || op === 'TagResource') continue;
    const name = status >= 400 ? `${op}!${status}` : op;
    const last = out.at(-1);
    if (last?.[0] === name) last[1]++;
    else out.push([name, 1]);
  }
  return out.map(([name, n]) => (n === 1 ? name : `${name}×${n}`));
}

function aliasWrites(world: NockLambdaWorld): { body: unknown; status: number; revisionId: unknown }[] {
  return world.requests('UpdateAlias').map((r) => ({
    body: r.body,
    status: r.status,
    revisionId: (r.reply as { RevisionId?: string } | undefined)?.RevisionId,
  }));
}

/** The log from the `n`-th (0-based) UpdateAlias on. */
function tailFrom(world: NockLambdaWorld, n: number): LoggedRequest[] {
  const at = world.log.indexOf(world.requests('UpdateAlias')[n]!);
  return world.log.slice(at);
}

/** The record phases written to the `lshift:live` tag, repeats (heartbeats) folded. */
function recordPhases(world: NockLambdaWorld): string[] {
  const phases = world.requests('TagResource').map((r) => {
    const value = (r.body as { Tags: Record<string, string> }).Tags[RECORD_TAG];
    return value === undefined ? 'no lshift:live tag' : decodeRecord(value).phase;
  });
  return phases.filter((p, i) => p !== phases[i - 1]);
}

function seconds(env: Env, requests: LoggedRequest[]): number[] {
  return requests.map((r) => (r.at - env.start) / 1000);
}

/** An UpdateAlias body as lshift sends it (routing always present: `{}` clears it). */
function aliasBody(version: string, weights: Record<string, number>, RevisionId: string) {
  return { FunctionVersion: version, RoutingConfig: { AdditionalVersionWeights: weights }, RevisionId };
}
/** Stable version 1 with `w` of the traffic routed to version 2. */
const weight = (w: number, revisionId: string) => aliasBody('1', { '2': w }, revisionId);
/** Everything on `version`, routing cleared. */
const allOn = (version: string, revisionId: string) => aliasBody(version, {}, revisionId);

const POLL_BODY = { AlarmNames: [ALARM], AlarmTypes: ['MetricAlarm', 'CompositeAlarm'], MaxRecords: 100 };
/** One forward step: the weight, then a 60 s hold polled every 10 s. */
/** A 60 s hold: six polls, and at 30 s the hold's read of its alias (health-monitor.ts aliasMoved). */
const HEALTHY_STEP = ['UpdateAlias', 'DescribeAlarms×3', 'GetAlias', 'DescribeAlarms×3'];

describe('deploy over nock-served AWS with the real SDK clients', () => {
  useNock();

  it('publishes, passes preflight, walks every step and promotes (exit 0)', async () => {
    const env = await createEnv();
    const { world } = env;
    const result = await publishAndDeploy(env);

    expect(world.unrouted).toEqual([]);
    // Publish: wait check, read $LATEST, list versions, publish pinned to exactly that code.
    expect(world.log.slice(0, 5).map((r) => [`${r.method} ${r.path}`, r.query, r.body])).toEqual([
      [`GET ${fnPath(WORLD_FN)}`, {}, undefined], // GetFunction: is $LATEST updated?
      [`GET ${fnPath(WORLD_FN, '/configuration')}`, {}, undefined],
      [`GET ${fnPath(WORLD_FN, '/versions')}`, { MaxItems: '50' }, undefined],
      [`POST ${fnPath(WORLD_FN, '/versions')}`, {}, { CodeSha256: 'sha-v2', RevisionId: 'fn-rev-7' }],
      [`GET ${fnPath(WORLD_FN)}`, { Qualifier: '2' }, undefined], // GetFunction: is version 2 Active?
    ]);
    // Preflight: function, alias, deployment record (ARN, then tags), target, stable, the Lambda
    // features of issue 14 (async configs, event source mappings of the function, alias and
    // stable version, the alias's provisioned concurrency), alarms.
    expect(
      world.log.slice(5, 18).map((r) => [r.op, r.query['Qualifier'] ?? r.query['FunctionName']]),
    ).toEqual([
      ['GetFunctionConfiguration', undefined],
      ['GetAlias', undefined],
      ['GetFunctionConfiguration', undefined],
      ['ListTags', undefined],
      ['GetFunctionConfiguration', '2'],
      ['GetFunctionConfiguration', '1'],
      ['ListFunctionEventInvokeConfigs', undefined],
      ['ListEventSourceMappings', WORLD_FN],
      ['ListEventSourceMappings', `${WORLD_FN}:live`],
      ['ListEventSourceMappings', `${WORLD_FN}:1`],
      ['GetProvisionedConcurrencyConfig', 'live'],
      ['DescribeAlarms', undefined],
      ['DescribeAlarmHistory', undefined], // may the alarm gate read it (alarm-history)
    ]);
    // Preflight found the alias has no provisioned concurrency (a 404), so no weight write reads it again.
    expect(foldOps(world.log.slice(18))).toEqual([
      ...HEALTHY_STEP,
      ...HEALTHY_STEP,
      ...HEALTHY_STEP,
      'UpdateAlias', // 100%, held 0: no poll
      'GetAlias', // the promotion read back once a rollback claim would be there (promotion-settle.ts)
    ]);
    expect(recordPhases(world)).toEqual(['started', 'shifting', 'promoted']);

    const writes = world.requests('UpdateAlias');
    expect(writes.map((r) => [r.method, r.path, r.body])).toEqual([
      ['PUT', ALIAS_PATH, weight(0.25, 'alias-rev-0')],
      ['PUT', ALIAS_PATH, weight(0.5, 'alias-rev-1')],
      ['PUT', ALIAS_PATH, weight(0.75, 'alias-rev-2')],
      ['PUT', ALIAS_PATH, allOn('2', 'alias-rev-3')],
    ]);
    // Each write carries exactly the RevisionId the previous write returned.
    const written = aliasWrites(world);
    for (let i = 1; i < written.length; i++) {
      expect((written[i]!.body as { RevisionId: string }).RevisionId).toBe(written[i - 1]!.revisionId);
    }
    expect(seconds(env, writes)).toEqual([0, 60, 120, 180]);

    const polls = world.requests('DescribeAlarms');
    expect(polls.map((p) => p.body)).toEqual(polls.map(() => POLL_BODY));
    // Preflight at 0 s, then every 10 s through the three 60 s holds; none at 100% (hold 0).
    expect(seconds(env, polls)).toEqual([0, ...Array.from({ length: 18 }, (_, i) => (i + 1) * 10)]);

    const tagWrites = world.requests('TagResource');
    expect(new Set(tagWrites.map((r) => r.path))).toEqual(new Set([tagsPath(FUNCTION_ARN)]));
    // Every record write names the record tag; the promotion, an end, is also the alias's seal, in
    // the same request (src/domain/record-seal.ts): a late write of an older record cannot undo it.
    const keys = tagWrites.map((r) => Object.keys((r.body as { Tags: object }).Tags));
    expect(keys.slice(0, -1)).toEqual(keys.slice(0, -1).map(() => [RECORD_TAG]));
    expect(keys.at(-1)).toEqual([RECORD_TAG, 'lshift-end:live']);
    expect(world.tags['lshift-end:live']).toBe(world.tags[RECORD_TAG]);
    expect(decodeRecord(world.tags[RECORD_TAG]!)).toMatchObject({
      id: 'd-abc123',
      phase: 'promoted',
      stableVersion: '1',
      targetVersion: '2',
      percent: 100,
      history: ['1'],
    });

    expect(result.status).toBe('promoted');
    expect(result.steps.map((s) => `${s.percent}% ${s.result}`)).toEqual([
      '25% completed',
      '50% completed',
      '75% completed',
      '100% completed',
    ]);
    expect(exitCodeForStatus(result.status)).toBe(0);
    expect(world.alias).toMatchObject({ functionVersion: '2', weights: {} });
    expect(JSON.stringify([env.sink.events, result])).not.toContain(WORLD_SECRET);
  });

  it('rolls back to the stable version when the alarm goes to ALARM during step 2 (exit 3)', async () => {
    const env = await createEnv();
    const { world } = env;
    world.flipAlarm(ALARM, env.start + 90_000, 'ALARM', 'Threshold Crossed: 3 errors');
    const result = await publishAndDeploy(env);

    expect(world.unrouted).toEqual([]);
    expect(aliasWrites(world).map((w) => w.body)).toEqual([
      weight(0.25, 'alias-rev-0'),
      weight(0.5, 'alias-rev-1'),
      allOn('1', 'alias-rev-2'), // the rollback, with the latest RevisionId; no 75% ever written
    ]);
    const polls = world.requests('DescribeAlarms');
    expect(seconds(env, polls).slice(-3)).toEqual([70, 80, 90]);
    expect(polls.at(-1)!.reply).toMatchObject({ MetricAlarms: [{ AlarmName: ALARM, StateValue: 'ALARM' }] });
    // From the 50% write on: three polls (the third reads ALARM), then at once the rollback write.
    expect(foldOps(tailFrom(world, 1))).toEqual(['UpdateAlias', 'DescribeAlarms×3', 'UpdateAlias']);
    expect(recordPhases(world)).toEqual(['started', 'shifting', 'rolling-back', 'rolled-back']);

    expect(result.status).toBe('rolled_back');
    expect(describeReason(result)).toContain(`alarm ${ALARM} is ALARM`);
    expect(describeReason(result)).toContain('step 2 (50%)');
    expect(exitCodeForStatus(result.status)).toBe(3);
    expect(world.alias).toEqual({ functionVersion: '1', weights: {}, revisionId: 'alias-rev-3' });
    expect(decodeRecord(world.tags[RECORD_TAG]!)).toMatchObject({ phase: 'rolled-back', percent: 0 });
  });

  it('stops on a 412 when someone else moved the alias: no more alias writes, the record closed as moved by hand (exit 5)', async () => {
    const env = await createEnv();
    const { world, clock } = env;
    const hotfix = { functionVersion: '1', weights: {}, description: 'ops hotfix' };
    let foreignRevision = '';
    // After the hold's alias read at 30 s, before its end at 60 s: the next write meets it.
    clock.at(env.start + 45_000, () => {
      foreignRevision = world.changeAliasBehindBack(hotfix);
    });
    const result = await publishAndDeploy(env);

    expect(world.unrouted).toEqual([]);
    const written = aliasWrites(world);
    expect(written.map((w) => [w.status, w.body])).toEqual([
      [200, weight(0.25, 'alias-rev-0')],
      [412, weight(0.5, 'alias-rev-1')],
    ]);
    const conflictAt = world.log.findIndex((r) => r.op === 'UpdateAlias' && r.status === 412);
    // No alias write after the 412; one read to report where the alias is now, and the record
    // closed (after its ownership read): nobody will finish this deployment.
    const after = world.log.slice(conflictAt + 1);
    expect(after.filter((r) => r.method !== 'GET').map((r) => r.op)).toEqual(['TagResource']);
    expect(after.map((r) => r.op)).toContain('GetAlias');
    expect(recordPhases(world)).toEqual(['started', 'shifting', 'rolled-back']);
    expect(decodeRecord(world.tags[RECORD_TAG]!)).toMatchObject({ endReason: 'moved by hand' });

    expect(result.status).toBe('conflict');
    // The 50% write was refused: the last step that landed is step 1 (status says the same).
    expect(describeReason(result)).toContain('step 1 (25%)');
    expect(result.aliasState).toEqual({ functionVersion: '1', additionalWeights: {} });
    expect(exitCodeForStatus(result.status)).toBe(5);
    expect(world.alias).toEqual({ ...hotfix, revisionId: foreignRevision });
  });

  it('rolls back when DescribeAlarms fails with HTTP 500 on three polls in a row (exit 3)', async () => {
    const env = await createEnv();
    const { world } = env;
    world.failDescribeAlarms(env.start + 65_000);
    const result = await publishAndDeploy(env);

    expect(world.unrouted).toEqual([]);
    const failed = world.requests('DescribeAlarms').filter((r) => r.status === 500);
    // The SDK's own 3 attempts per poll, three polls: 70 s, 80 s, 90 s.
    expect(seconds(env, failed)).toEqual([70, 70, 70, 80, 80, 80, 90, 90, 90]);
    expect(foldOps(tailFrom(world, 1))).toEqual(['UpdateAlias', 'DescribeAlarms!500×9', 'UpdateAlias']);
    expect(recordPhases(world)).toEqual(['started', 'shifting', 'rolling-back', 'rolled-back']);
    expect(aliasWrites(world).map((w) => w.body)).toEqual([
      weight(0.25, 'alias-rev-0'),
      weight(0.5, 'alias-rev-1'),
      allOn('1', 'alias-rev-2'),
    ]);
    expect(env.sink.ofType('health.error').map((e) => e.consecutive)).toEqual([1, 2, 3]);

    expect(result.status).toBe('rolled_back');
    expect(describeReason(result)).toMatch(/health unreadable: 3 consecutive polls failed/);
    expect(describeReason(result)).toContain(`could not read alarm ${ALARM}`);
    expect(describeReason(result)).toContain('step 2 (50%)');
    expect(exitCodeForStatus(result.status)).toBe(3);
    expect(world.alias).toMatchObject({ functionVersion: '1', weights: {} });
  });

  it('reads per-version metrics with the default canary analysis; no data is inconclusive, not a stop', async () => {
    const env = await createEnv({ analysis: true });
    const { world } = env;
    const result = await publishAndDeploy(env);

    expect(world.unrouted).toEqual([]);
    const reads = world.requests('GetMetricData');
    // One call per poll once a whole minute of the deployment has ended, after the alarms: the
    // three 1-minute steps, then the settle wait before 100% (up to 6 minutes: the nock world
    // never delivers the data) — the evidence covers the whole deployment (docs/analysis.md).
    expect(seconds(env, reads)).toEqual(Array.from({ length: 49 }, (_, i) => 60 + 10 * i));
    expect(world.log[world.log.indexOf(reads[0]!) - 1]!.op).toBe('DescribeAlarms');
    const body = reads[1]!.body as { StartTime: number; EndTime: number; MetricDataQueries: unknown[] };
    // The nock world has no pre-deployment p99, so every call also asks for the 15 minutes before
    // the deployment (the latency gate's threshold T, docs/analysis.md#latency-latency-increase).
    expect([body.StartTime, body.EndTime]).toEqual([-900, 60].map((t) => env.start / 1000 + t));
    const dims = body.MetricDataQueries.map((q) => JSON.stringify(q));
    for (const version of ['1', '2']) {
      expect(dims.some((d) => d.includes(`{"Name":"ExecutedVersion","Value":"${version}"}`))).toBe(true);
    }
    expect(dims.every((d) => d.includes('{"Name":"Resource","Value":"my-fn:live"}'))).toBe(true);

    expect(result.status).toBe('promoted');
    expect(result.verdicts.map((v) => [v.gate, v.outcome])).toEqual([
      ['alarms', 'pass'],
      ['error-rate-increase', 'inconclusive'],
      ['latency-increase', 'inconclusive'],
    ]);
    expect(exitCodeForStatus(result.status)).toBe(0);
  });
});
