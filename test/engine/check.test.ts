import { beforeEach, describe, expect, it } from 'vitest';
import { describeCheckAction, exitCodeForCheck } from '../../src/cli/exit-codes.js';
import { type DeploymentRecord, encodeRecord } from '../../src/domain/deployment-record.js';
import { ExitCode, OperationError, PreflightError, UsageError } from '../../src/domain/errors.js';
import type { EngineEvent } from '../../src/domain/events.js';
import { fingerprintGuards } from '../../src/domain/guard-fingerprint.js';
import {
  type CheckAction,
  type CheckDeps,
  type CheckReport,
  type CheckRequest,
  runCheck,
} from '../../src/engine/check.js';
import { classifyRecord, expandAlarms, rollbackTarget } from '../../src/engine/check-classify.js';
import { TagStateStore } from '../../src/engine/tag-state-store.js';
import type { Clock } from '../../src/ports/clock.js';
import type { AliasInfo, FunctionInfo, LambdaPort } from '../../src/ports/lambda.js';
import type { AlarmState, MetricsPort } from '../../src/ports/metrics.js';

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);
const MIN = 60_000;
const ARN = 'arn:aws:lambda:us-east-1:123456789012:function:';

function notUsed(): never {
  throw new Error('not used by check');
}

/** Functions with tags and one alias each; enough Lambda for `check` and the tag store. */
class CheckLambda implements LambdaPort {
  readonly tags = new Map<string, Record<string, string>>();
  readonly aliases = new Map<string, AliasInfo>();
  getAliasError?: Error;

  addFunction(name: string, alias: Pick<AliasInfo, 'functionVersion' | 'additionalWeights'>): void {
    this.tags.set(name, {});
    this.aliases.set(name, { name: 'live', revisionId: 'r1', ...alias });
  }

  setRecord(name: string, record: DeploymentRecord): void {
    this.tags.get(name)!['lshift:live'] = encodeRecord(record);
  }

  async getFunction(functionName: string): Promise<FunctionInfo> {
    if (!this.tags.has(functionName)) throw new OperationError('FUNCTION_NOT_FOUND', `no ${functionName}`);
    return {
      functionName,
      functionArn: `${ARN}${functionName}`,
      version: '$LATEST',
      codeSha256: 'sha',
      role: 'role',
      revisionId: 'rev',
      packageType: 'Zip',
    };
  }

  async getAlias(functionName: string, name: string): Promise<AliasInfo | undefined> {
    if (this.getAliasError) throw this.getAliasError;
    const alias = this.aliases.get(functionName);
    return alias?.name === name ? structuredClone(alias) : undefined;
  }

  async listTags(arn: string): Promise<Record<string, string>> {
    return { ...this.tags.get(arn.slice(ARN.length)) };
  }

  async listFunctions(): Promise<{ functionName: string; functionArn: string }[]> {
    return [...this.tags.keys()].map((n) => ({ functionName: n, functionArn: `${ARN}${n}` }));
  }

  /** A check claims a record before it rolls back (check-claim.ts): the write lands here. */
  async tagResource(arn: string, tags: Record<string, string>): Promise<void> {
    Object.assign(this.tags.get(arn.slice(ARN.length))!, tags);
  }

  getCodeLocation = notUsed;
  listEventInvokeConfigs = notUsed;
  listEventSourceMappings = notUsed;
  getProvisionedConcurrency = notUsed;
  putProvisionedConcurrency = notUsed;
  deleteProvisionedConcurrency = notUsed;
  untagResource = notUsed;
  listVersions = notUsed;
  updateCode = notUsed;
  waitUntilUpdated = notUsed;
  waitUntilActive = notUsed;
  publishVersion = notUsed;
  createAlias = notUsed;
  updateAlias = notUsed;
  invoke = notUsed;
  checkInvoke = notUsed;
}

class FakeAlarms implements MetricsPort {
  readonly calls: string[][] = [];
  states: AlarmState[] = [];
  error?: Error;
  onDescribe?: () => void;

  set(name: string, state: AlarmState['state'], reason?: string): void {
    this.states = [...this.states.filter((s) => s.name !== name), { name, state, reason }];
  }

  async describeAlarms(names: string[]): Promise<AlarmState[]> {
    this.calls.push([...names]);
    this.onDescribe?.();
    if (this.error) throw this.error;
    return this.states.filter((s) => names.includes(s.name));
  }

  getMetricData = notUsed;
  describeAlarmHistory = notUsed;
}

function promoted(minutesAgo: number, overrides: Partial<DeploymentRecord> = {}): DeploymentRecord {
  const endedAt = NOW - minutesAgo * MIN;
  return {
    id: 'd-prom01',
    stableVersion: '6',
    targetVersion: '7',
    strategy: 'canary:10%:5m',
    stepIndex: 1,
    percent: 100,
    phase: 'promoted',
    startedAt: endedAt - 6 * MIN,
    owner: 'ci@runner:42',
    heartbeatAt: endedAt,
    endedAt,
    history: ['6', '5'],
    ...overrides,
  };
}

function inProgress(
  heartbeatSecondsAgo: number,
  overrides: Partial<DeploymentRecord> = {},
): DeploymentRecord {
  return {
    id: 'd-prog01',
    stableVersion: '6',
    targetVersion: '7',
    strategy: 'linear:10%:1m',
    stepIndex: 2,
    percent: 30,
    phase: 'shifting',
    startedAt: NOW - 20 * MIN,
    owner: 'ci@runner:7',
    heartbeatAt: NOW - heartbeatSecondsAgo * 1000,
    history: ['5', '4'],
    ...overrides,
  };
}

interface Harness {
  lambda: CheckLambda;
  alarms: FakeAlarms;
  events: EngineEvent[];
  rollbacks: { functionName: string; alias: string; toVersion: string; reason: string }[];
  rollbackOutcome: { ok: boolean; message: string } | Error;
  deps: CheckDeps;
  check(req?: Partial<CheckRequest>): Promise<CheckReport>;
}

function harness(): Harness {
  const lambda = new CheckLambda();
  const alarms = new FakeAlarms();
  // A check's only sleep is its claim's wait (check-claim.ts): time stands still here.
  const clock: Clock = { now: () => NOW, elapsedMs: () => 0, sleep: async () => {} };
  const h: Harness = {
    lambda,
    alarms,
    events: [],
    rollbacks: [],
    rollbackOutcome: { ok: true, message: 'all traffic is on version 6' },
    deps: undefined as unknown as CheckDeps,
    check: (req = {}) =>
      runCheck(h.deps, {
        alias: 'live',
        windowSeconds: 3600,
        alarms: ['errors'],
        staleAfterSeconds: 120,
        ...req,
      }),
  };
  h.deps = {
    lambda,
    metrics: alarms,
    clock,
    events: { emit: (e) => h.events.push(e) },
    store: new TagStateStore(lambda),
    rollback: async (functionName, alias, toVersion, reason) => {
      h.rollbacks.push({ functionName, alias, toVersion, reason });
      if (h.rollbackOutcome instanceof Error) throw h.rollbackOutcome;
      return h.rollbackOutcome;
    },
  };
  return h;
}

const ON_7 = { functionVersion: '7', additionalWeights: {} };
const SPLIT_6_7 = { functionVersion: '6', additionalWeights: { '7': 0.3 } };
const ON_6 = { functionVersion: '6', additionalWeights: {} };

describe('runCheck', () => {
  let h: Harness;
  beforeEach(() => {
    h = harness();
  });

  it('rolls back a finished deployment whose alarm fired afterwards, to the previous version', async () => {
    h.lambda.addFunction('orders', ON_7);
    h.lambda.setRecord('orders', promoted(10, { history: ['6', '5'] }));
    h.alarms.set('errors', 'ALARM', 'Threshold Crossed: 5 datapoints > 1');
    const report = await h.check({ functionNames: ['orders'] });
    expect(h.rollbacks).toEqual([
      {
        functionName: 'orders',
        alias: 'live',
        toVersion: '6',
        reason: expect.stringContaining('alarm errors is ALARM'),
      },
    ]);
    expect(h.rollbacks[0]!.reason).toContain('d-prom01 promoted version 7 10m ago');
    expect(report.results).toEqual([
      {
        functionName: 'orders',
        alias: 'live',
        deploymentId: 'd-prom01',
        phase: 'promoted',
        action: 'rolled_back',
        reason: expect.stringContaining('all traffic is on version 6'),
        toVersion: '6',
      },
    ]);
    expect(exitCodeForCheck(report)).toBe(ExitCode.RolledBack);
    expect(
      h.events.some(
        (e) =>
          e.type === 'log' && e.level === 'warn' && e.message.includes('rolled back') && e.about === 'health',
      ),
    ).toBe(true);
  });

  it('uses the stable version when a promoted record has no history', async () => {
    h.lambda.addFunction('orders', ON_7);
    h.lambda.setRecord('orders', promoted(10, { history: [], stableVersion: '4' }));
    h.alarms.set('errors', 'ALARM');
    await h.check({ functionNames: ['orders'] });
    expect(h.rollbacks.map((r) => r.toVersion)).toEqual(['4']);
  });

  it('leaves a healthy finished deployment alone', async () => {
    h.lambda.addFunction('orders', ON_7);
    h.lambda.setRecord('orders', promoted(10));
    h.alarms.set('errors', 'OK');
    const report = await h.check({ functionNames: ['orders'] });
    expect(h.rollbacks).toEqual([]);
    expect(report.results.map((r) => [r.action, r.reason])).toEqual([['healthy', '1 alarm OK']]);
    expect(exitCodeForCheck(report)).toBe(ExitCode.Success);
    expect(describeCheckAction(report.results[0]!)).toBe('HEALTHY');
  });

  // Found by a hostile pass: `HEALTHY … 0 alarms OK, no-data INSUFFICIENT_DATA (counted as not
  // alarming)` for a promotion no alarm had judged.
  it('a recent promotion whose every alarm is INSUFFICIENT_DATA: not called healthy (UNJUDGED), exit 0, a warning', async () => {
    h.lambda.addFunction('orders', ON_7);
    h.lambda.setRecord('orders', promoted(10));
    h.alarms.set('errors', 'INSUFFICIENT_DATA');
    h.alarms.set('p99', 'INSUFFICIENT_DATA');
    const report = await h.check({ functionNames: ['orders'], alarms: ['errors', 'p99'] });
    expect(h.rollbacks).toEqual([]);
    expect(report.results[0]).toMatchObject({ action: 'healthy', unjudged: true });
    expect(describeCheckAction(report.results[0]!)).toBe('UNJUDGED');
    expect(exitCodeForCheck(report)).toBe(ExitCode.Success);
    expect(h.events).toContainEqual(
      expect.objectContaining({
        type: 'log',
        level: 'warn',
        message: expect.stringMatching(
          /^check orders:live: unjudged — 0 alarms OK, errors, p99 INSUFFICIENT_DATA/,
        ),
      }),
    );
  });

  it('a recent promotion moved by hand since, every alarm INSUFFICIENT_DATA: UNJUDGED, and not "the alarms judged that"', async () => {
    h.lambda.addFunction('orders', { functionVersion: '6', additionalWeights: {} });
    h.lambda.setRecord('orders', promoted(10));
    h.alarms.set('errors', 'INSUFFICIENT_DATA');
    const report = await h.check({ functionNames: ['orders'] });
    expect(report.results[0]).toMatchObject({ action: 'healthy', unjudged: true });
    expect(report.results[0]!.reason).toContain('no alarm had data to judge it');
    expect(report.results[0]!.reason).not.toContain('the alarms judged that');
  });

  it('one alarm OK beside one INSUFFICIENT_DATA: judged (HEALTHY)', async () => {
    h.lambda.addFunction('orders', ON_7);
    h.lambda.setRecord('orders', promoted(10));
    h.alarms.set('errors', 'OK');
    h.alarms.set('p99', 'INSUFFICIENT_DATA');
    const report = await h.check({ functionNames: ['orders'], alarms: ['errors', 'p99'] });
    expect(report.results[0]!.unjudged).toBeUndefined();
    expect(describeCheckAction(report.results[0]!)).toBe('HEALTHY');
  });

  it('skips a deployment promoted outside the window without reading alarms', async () => {
    h.lambda.addFunction('orders', ON_7);
    h.lambda.setRecord('orders', promoted(61));
    h.alarms.set('errors', 'ALARM');
    const report = await h.check({ functionNames: ['orders'] });
    expect(h.rollbacks).toEqual([]);
    expect(h.alarms.calls).toEqual([]);
    expect(report.results[0]).toMatchObject({
      action: 'skipped',
      reason: 'promoted 1h 1m ago, outside the 1h window',
    });
    expect(exitCodeForCheck(report)).toBe(ExitCode.Success);
  });

  it('rolls a stale in-progress deployment with a firing alarm back to its stable version', async () => {
    h.lambda.addFunction('orders', SPLIT_6_7);
    h.lambda.setRecord('orders', inProgress(600));
    h.alarms.set('errors', 'ALARM');
    const report = await h.check({ functionNames: ['orders'] });
    expect(h.rollbacks.map((r) => r.toVersion)).toEqual(['6']);
    expect(h.rollbacks[0]!.reason).toContain('during deployment d-prog01 (shifting at 30%, no live owner)');
    expect(report.results[0]).toMatchObject({ action: 'rolled_back', toVersion: '6', stalled: true });
    expect(exitCodeForCheck(report)).toBe(ExitCode.RolledBack);
  });

  // Found by a report pass (session 62): `(started at 0%, no live owner)` of an alias at 90/10,
  // its runner killed right after a weight write: the line says what the alias read said.
  it('a firing alarm over a record behind its alias: says where the alias was read', async () => {
    h.lambda.addFunction('orders', { functionVersion: '6', additionalWeights: { '7': 0.1 } });
    h.lambda.setRecord('orders', inProgress(600, { phase: 'started', stepIndex: 0, percent: 0 }));
    h.alarms.set('errors', 'ALARM');
    const report = await h.check({ functionNames: ['orders'] });
    const said =
      'during deployment d-prog01 (started at 0%; the alias routes 10% to version 7 now; no live owner)';
    expect(h.rollbacks[0]!.reason).toContain(said);
    expect(report.results[0]).toMatchObject({ action: 'rolled_back', toVersion: '6' });
    expect(report.results[0]!.reason).toContain(said);
  });

  // Found by a hostile pass (session 59): an alarm already in ALARM when the deployment began
  // (--ignore-initial-alarms let it start) was said to have failed "during deployment d-…".
  it('an alarm in ALARM since before the stale deployment began: rolled back, said so, not "during"', async () => {
    h.lambda.addFunction('orders', SPLIT_6_7);
    h.lambda.setRecord('orders', inProgress(600));
    const before = NOW - 25 * MIN;
    h.alarms.states = [
      { name: 'errors', state: 'ALARM', reason: 'Threshold Crossed', transitionedAt: before },
    ];
    await h.check({ functionNames: ['orders'] });
    expect(h.rollbacks.map((r) => r.toVersion)).toEqual(['6']);
    expect(h.rollbacks[0]!.reason).toContain(
      '— in ALARM since before deployment d-prog01 began (now shifting at 30%, no live owner)',
    );
    expect(h.rollbacks[0]!.reason).not.toContain('during deployment');
  });

  it('an alarm that went to ALARM after the start is still "during deployment"', async () => {
    h.lambda.addFunction('orders', SPLIT_6_7);
    h.lambda.setRecord('orders', inProgress(600));
    h.alarms.states = [{ name: 'errors', state: 'ALARM', transitionedAt: NOW - 15 * MIN }];
    await h.check({ functionNames: ['orders'] });
    expect(h.rollbacks[0]!.reason).toContain('during deployment d-prog01 (shifting at 30%');
  });

  it('skips a live in-progress deployment: its owner is still running it', async () => {
    h.lambda.addFunction('orders', SPLIT_6_7);
    h.lambda.setRecord('orders', inProgress(30));
    h.alarms.set('errors', 'ALARM');
    const report = await h.check({ functionNames: ['orders'] });
    expect(h.rollbacks).toEqual([]);
    expect(report.results[0]).toMatchObject({
      action: 'skipped',
      reason: 'in progress (shifting at 30%), driven by ci@runner:7 (heartbeat 30s ago)',
    });
  });

  it('names the first run’s guards in its resume hint, from the record (and says when an older record has none)', async () => {
    const guards = fingerprintGuards({
      alarms: ['errors', 'p99'],
      hooks: [],
      bakeSeconds: 600,
      analysis: true,
    });
    h.lambda.addFunction('orders', SPLIT_6_7);
    h.lambda.setRecord('orders', inProgress(600, { guards }));
    h.alarms.set('errors', 'OK');
    const [withGuards] = (await h.check({ functionNames: ['orders'] })).results;
    expect(withGuards!.reason).toContain(
      "finish it with `lshift deploy orders --alias live --resume` plus the first run's --alarm and --bake flags (it watched 2 alarms and baked 10m), or undo it",
    );
    h.lambda.setRecord('orders', inProgress(600));
    const [older] = (await h.check({ functionNames: ['orders'] })).results;
    expect(older!.reason).toContain(
      "`lshift deploy orders --alias live --resume` plus the first run's --alarm, hook and --bake flags, if it had any (its record does not keep them)",
    );
  });

  // Found by a hostile pass: killed right after its first weight write, its record still said
  // "started at 0%", which read as "no traffic moved" while 10% was on the new version.
  it('a stalled deployment whose alias is a step ahead of its record: the line says where the alias is', async () => {
    h.lambda.addFunction('orders', { functionVersion: '6', additionalWeights: { '7': 0.1 } });
    h.lambda.setRecord('orders', inProgress(600, { phase: 'started', percent: 0, stepIndex: 0 }));
    h.alarms.set('errors', 'OK');
    const report = await h.check({ functionNames: ['orders'] });
    expect(report.results[0]).toMatchObject({ action: 'stalled', stalled: true });
    expect(report.results[0]!.reason).toContain(
      'deployment d-prog01 (started at 0%; the alias routes 10% to version 7 now) has no live owner',
    );
  });

  // Its runner obeyed `lshift promote --full` and died between the 100% write and its record's:
  // before, "was moved further than its record on the new version by hand" and no --resume.
  it('a stalled deployment all on its new version after a promote --full: not moved by hand, --resume offered', async () => {
    h.lambda.addFunction('orders', { functionVersion: '7', additionalWeights: {} });
    const command = {
      verb: 'promote-full' as const,
      nonce: 'p1',
      state: 'done' as const,
      by: 'ops@laptop:9',
    };
    h.lambda.setRecord('orders', inProgress(600, { command }));
    h.alarms.set('errors', 'OK');
    const report = await h.check({ functionNames: ['orders'] });
    expect(h.rollbacks).toEqual([]);
    expect(report.results[0]).toMatchObject({ action: 'stalled', stalled: true });
    expect(report.results[0]!.reason).not.toContain('by hand');
    expect(report.results[0]!.reason).toContain('`lshift deploy orders --alias live --resume`');
  });

  it('reports a stale deployment with healthy alarms as stalled, without touching it', async () => {
    h.lambda.addFunction('orders', SPLIT_6_7);
    h.lambda.setRecord('orders', inProgress(600));
    h.alarms.set('errors', 'OK');
    const report = await h.check({ functionNames: ['orders'] });
    expect(h.rollbacks).toEqual([]);
    expect(report.results[0]).toMatchObject({ action: 'stalled', stalled: true });
    expect(report.results[0]!.reason).toContain('`lshift deploy orders --alias live --resume`');
    expect(report.results[0]!.reason).toContain('lshift rollback orders --alias live');
    // Split, and nobody watching: a cron job must not see success, nor read HEALTHY beside exit 4.
    expect(exitCodeForCheck(report)).toBe(ExitCode.Unsafe);
    expect(describeCheckAction(report.results[0]!)).toBe('STALLED');
    const lines = h.events.flatMap((e) => (e.type === 'log' ? [e] : []));
    const line = lines.find((e) => e.message.startsWith('check orders:live:'));
    expect(line).toMatchObject({ level: 'warn', about: 'health' });
    expect(line?.message).toMatch(/^check orders:live: stalled — /);
  });

  it('a stale deployment whose alias was moved by hand on a version it does not know: says so, does not offer --resume', async () => {
    h.lambda.addFunction('orders', { functionVersion: '9', additionalWeights: {} });
    h.lambda.setRecord('orders', inProgress(600));
    h.alarms.set('errors', 'OK');
    const report = await h.check({ functionNames: ['orders'] });
    expect(h.rollbacks).toEqual([]);
    expect(report.results[0]).toMatchObject({ action: 'stalled', stalled: true });
    expect(report.results[0]!.reason).toMatch(/by hand and nobody will finish it/);
    expect(report.results[0]!.reason).toMatch(/lshift alias orders live <version>/);
    expect(report.results[0]!.reason).not.toContain('--resume');
    // Its record still says "in progress": someone must close it.
    expect(exitCodeForCheck(report)).toBe(ExitCode.Unsafe);
  });

  // Back on its stable version after traffic moved: a rollback whose record writes failed
  // (RECORD_UNWRITTEN with TagResource refused), or a person's update-alias. Every check said
  // STALLED (exit 4) over an alias nobody needed to touch; now it closes the record as
  // `lshift rollback` would (it moves nothing), skipped, exit 0, whatever the alarm says.
  it.each(['OK', 'ALARM'] as const)(
    'a stale deployment whose alias is back on the stable version after traffic moved, alarm %s: its record closed, skipped, exit 0',
    async (alarm) => {
      h.lambda.addFunction('orders', ON_6);
      h.lambda.setRecord('orders', inProgress(600));
      h.alarms.set('errors', alarm);
      const report = await h.check({ functionNames: ['orders'] });
      expect(h.rollbacks.map((r) => r.toVersion)).toEqual(['6']);
      expect(h.rollbacks[0]!.reason).toBe(
        'deployment d-prog01 (shifting at 30%) has no live owner (heartbeat 10m ago) and alias live routes all traffic to its stable version 6 again, which its record does not say (moved back by hand, or by a rollback that could not record it)',
      );
      expect(report.results[0]).toMatchObject({ action: 'skipped', toVersion: '6' });
      expect(report.results[0]!.reason).toBe(
        `${h.rollbacks[0]!.reason}: its record is now closed as rolled back`,
      );
      expect(exitCodeForCheck(report)).toBe(ExitCode.Success);
    },
  );

  it.each([
    [
      'the DescribeAlarms call fails',
      (x: Harness) => (x.alarms.error = new OperationError('THROTTLED', 'Rate exceeded')),
    ],
    ['the alarm does not exist', (_x: Harness) => undefined],
  ])('never treats unreadable alarms as healthy: %s', async (_name, breakAlarms) => {
    h.lambda.addFunction('orders', ON_7);
    h.lambda.setRecord('orders', promoted(10));
    breakAlarms(h);
    const report = await h.check({ functionNames: ['orders'] });
    expect(h.rollbacks).toEqual([]);
    expect(report.results[0]!.action).toBe('error');
    expect(report.results[0]!.reason).toContain('health unknown, not rolled back');
    expect(exitCodeForCheck(report)).toBe(ExitCode.Failed);
  });

  it('rolls back when one alarm fires even if another cannot be found', async () => {
    h.lambda.addFunction('orders', ON_7);
    h.lambda.setRecord('orders', promoted(10));
    h.alarms.set('errors', 'ALARM');
    const report = await h.check({ functionNames: ['orders'], alarms: ['errors', 'gone'] });
    expect(report.results[0]!.action).toBe('rolled_back');
  });

  it('reports a failed rollback as rollback_failed (exit 4)', async () => {
    h.lambda.addFunction('orders', ON_7);
    h.lambda.setRecord('orders', promoted(10));
    h.alarms.set('errors', 'ALARM');
    h.rollbackOutcome = { ok: false, message: 'the alias write failed 3 times' };
    const failed = await h.check({ functionNames: ['orders'] });
    expect(failed.results[0]).toMatchObject({ action: 'rollback_failed' });
    expect(exitCodeForCheck(failed)).toBe(ExitCode.Unsafe);
    // Its claim is not left `rolling-back` (the next check would skip it as being rolled back):
    // the record is as it was, and the next check judges it again.
    expect(await h.deps.store.read('orders', 'live')).toEqual(promoted(10));
    h.rollbackOutcome = new Error('socket hang up');
    const thrown = await h.check({ functionNames: ['orders'] });
    expect(thrown.results[0]!.action).toBe('rollback_failed');
    expect(thrown.results[0]!.reason).toContain('socket hang up');
    // Exit 4 names the alias as last seen and the fix (docs/exit-codes.md).
    expect(thrown.results[0]!.reason).toContain(
      'alias live as last seen: version 7 (100%); fix: `lshift rollback orders --alias live`',
    );
  });

  // Its stable version pruned since the deployment: every check of the window failed the same
  // way, "VERSION_NOT_FOUND" and nothing else (found by a hostile pass).
  it('a stable version that no longer exists: the alias as last seen and the --to that fixes it', async () => {
    h.lambda.addFunction('orders', ON_7);
    h.lambda.setRecord('orders', promoted(10));
    h.alarms.set('errors', 'ALARM');
    h.rollbackOutcome = new PreflightError(
      'VERSION_NOT_FOUND',
      'Version 6 of function orders does not exist.',
    );
    const report = await h.check({ functionNames: ['orders'] });
    expect(report.results[0]!.action).toBe('rollback_failed');
    expect(report.results[0]!.reason).toContain(
      'rollback failed: VERSION_NOT_FOUND: Version 6 of function orders does not exist; alias live as last seen: version 7 (100%); its stable version 6 no longer exists: put traffic on a version that does with `lshift rollback orders --alias live --to <version>`',
    );
  });

  it('leaves a promoted alias alone when someone moved it since', async () => {
    h.lambda.addFunction('orders', { functionVersion: '8', additionalWeights: {} });
    h.lambda.setRecord('orders', promoted(10));
    h.alarms.set('errors', 'ALARM');
    const report = await h.check({ functionNames: ['orders'] });
    expect(h.rollbacks).toEqual([]);
    expect(report.results[0]!.action).toBe('skipped');
    expect(report.results[0]!.reason).toContain('no longer routes all traffic to version 7');
  });

  // A pre-traffic hook put all traffic on version 7 and then failed: lshift left the move (its
  // record promoted, moved by hand, keeping why it was rolling back). Alarms OK: said, not plainly
  // healthy (session 66).
  it("a promotion by someone else over lshift's decided rollback: healthy by its alarms, but said, with the way back", async () => {
    h.lambda.addFunction('orders', { functionVersion: '7', additionalWeights: {} });
    h.lambda.setRecord(
      'orders',
      promoted(10, { endReason: 'moved by hand', cause: { code: 'HOOK_FAILED', phase: 'pre' } }),
    );
    h.alarms.set('errors', 'OK');
    const report = await h.check({ functionNames: ['orders'] });
    expect(h.rollbacks).toEqual([]);
    expect(report.results[0]).toMatchObject({
      action: 'healthy',
      reason:
        '1 alarm OK, but lshift had decided to roll deployment d-prom01 back (`lshift status orders --alias live` says why) when someone else put all traffic on version 7, which lshift left; the alarms judged that, and lshift check will not roll it back: `lshift rollback orders --alias live` puts it back on version 6, and `lshift alias orders live 7` records that you keep version 7',
    });
  });

  // A person kept that version (`lshift alias orders live 7`, kept-over-rollback.ts): nothing is asked.
  it('the same promotion once a person kept the version: plainly healthy by its alarms', async () => {
    h.lambda.addFunction('orders', { functionVersion: '7', additionalWeights: {} });
    h.lambda.setRecord(
      'orders',
      promoted(10, {
        endReason: 'moved by hand, kept by ann@laptop:41',
        cause: { code: 'HOOK_FAILED', phase: 'pre' },
      }),
    );
    h.alarms.set('errors', 'OK');
    const report = await h.check({ functionNames: ['orders'] });
    expect(h.rollbacks).toEqual([]);
    expect(report.results[0]).toMatchObject({ action: 'healthy', reason: '1 alarm OK' });
  });

  it('says a promoted alias moved since is healthy only by what runs now, and that it will not roll it back', async () => {
    h.lambda.addFunction('orders', { functionVersion: '6', additionalWeights: {} });
    h.lambda.setRecord('orders', promoted(10));
    h.alarms.set('errors', 'OK');
    const report = await h.check({ functionNames: ['orders'] });
    expect(h.rollbacks).toEqual([]);
    expect(report.results[0]).toMatchObject({
      action: 'healthy',
      reason:
        '1 alarm OK, but alias live was moved since deployment d-prom01 promoted version 7: it now routes all traffic to version 6, which no lshift deployment put there; the alarms judged that, and lshift check will not roll it back',
    });
  });

  it('leaves the alias alone when the record changed while checking (a new deployment started)', async () => {
    h.lambda.addFunction('orders', ON_7);
    h.lambda.setRecord('orders', promoted(10));
    h.alarms.set('errors', 'ALARM');
    h.alarms.onDescribe = () =>
      h.lambda.setRecord('orders', inProgress(1, { id: 'd-newer1', stableVersion: '7' }));
    const report = await h.check({ functionNames: ['orders'] });
    expect(h.rollbacks).toEqual([]);
    expect(report.results[0]).toMatchObject({ action: 'skipped', deploymentId: 'd-prom01' });
    expect(report.results[0]!.reason).toContain('record changed while checking');
  });

  // Found by a hostile pass: a `deploy --resume` took the dead runner's deployment over between
  // the check's reads; the check said "STALLED … no live owner" and exited 4 while the resume ran.
  it('a stalled deployment whose record is rewritten while checking (a resume took it over): skipped, not STALLED, exit 0', async () => {
    h.lambda.addFunction('orders', SPLIT_6_7);
    h.lambda.setRecord('orders', inProgress(600));
    h.alarms.set('errors', 'ALARM');
    h.alarms.onDescribe = () =>
      h.lambda.setRecord('orders', inProgress(0, { owner: 'resumer@host-b:7', runnerToken: 'r2abcd' }));
    const report = await h.check({ functionNames: ['orders'] });
    expect(h.rollbacks).toEqual([]);
    expect(report.results[0]).toMatchObject({ action: 'skipped', deploymentId: 'd-prog01' });
    expect(report.results[0]!.stalled).toBeUndefined();
    expect(report.results[0]!.reason).toContain('run lshift check again to judge it as it is now');
    expect(exitCodeForCheck(report)).toBe(ExitCode.Success);
  });

  it('reports a record with a heartbeat in the future as error (not live forever) and does not act on it', async () => {
    h.lambda.addFunction('orders', SPLIT_6_7);
    h.lambda.setRecord('orders', inProgress(-365 * 24 * 3600));
    h.alarms.set('errors', 'ALARM');
    const report = await h.check({ functionNames: ['orders'] });
    expect(h.rollbacks).toEqual([]);
    expect(report.results[0]).toMatchObject({ action: 'error', deploymentId: 'd-prog01' });
    expect(report.results[0]!.reason).toContain('`lshift:live` on function orders does not add up');
    expect(report.results[0]!.reason).toContain('is in the future');
    // Over a split alias: exit 4 and the rollback that needs no record, not "delete the record"
    // (which left a split every later check and status reported as nothing to do).
    expect(report.results[0]!.reason).not.toContain('aws lambda untag-resource');
    expect(report.results[0]!.reason).toContain(
      'Alias live is split (version 6 (70%) + version 7 (30%)) and nothing will finish or undo it: put all traffic on its primary version with `lshift rollback orders --alias live --to 6` (the record is left as it is).',
    );
    expect(report.results[0]!.stalled).toBe(true);
    expect(exitCodeForCheck(report)).toBe(4);
  });

  // Found by a hostile pass: over a split alias a record that does not add up was exit 4 (the
  // split and the `--to` rollback), one the check cannot decode at all exit 1 with neither, though
  // both mean the check cannot judge a split nobody it trusts drives (`lshift status`: 4 for both).
  it.each<[string, Partial<CheckRequest>]>([
    ['named', { functionNames: ['orders'] }],
    ['found by listing', {}],
  ])(
    'a record it cannot decode over a split alias (%s): error, stalled, exit 4, the split and the `--to` rollback',
    async (_how, req) => {
      h.lambda.addFunction('orders', SPLIT_6_7);
      h.lambda.tags.get('orders')!['lshift:live'] = 'v1 nonsense';
      h.alarms.set('errors', 'ALARM');
      const report = await h.check(req);
      expect(h.rollbacks).toEqual([]);
      expect(report.results).toHaveLength(1);
      expect(report.results[0]).toMatchObject({
        functionName: 'orders',
        alias: 'live',
        action: 'error',
        stalled: true,
      });
      expect(report.results[0]!.reason).toBe(
        'Tag `lshift:live` on function orders is unreadable: it has a malformed part `nonsense`: `v1 nonsense`. Alias live is split (version 6 (70%) + version 7 (30%)), and with its record unreadable nothing will finish or undo it: put all traffic on its primary version with `lshift rollback orders --alias live --to 6` (the record is left as it is).',
      );
      expect(exitCodeForCheck(report)).toBe(ExitCode.Unsafe);
    },
  );

  it('a record in a newer format over a split alias: exit 4, and says a newer lshift may still run it', async () => {
    h.lambda.addFunction('orders', SPLIT_6_7);
    h.lambda.tags.get('orders')!['lshift:live'] = 'v2 id=d-abc123 zz=1';
    const report = await h.check({ functionNames: ['orders'] });
    expect(report.results[0]).toMatchObject({ action: 'error', stalled: true });
    expect(report.results[0]!.reason).toContain('it uses record format v2, which this lshift does not read');
    expect(report.results[0]!.reason).toContain(
      'Alias live is split (version 6 (70%) + version 7 (30%)): a newer lshift wrote the record and may still be running that deployment, which this lshift cannot judge. Run the check with that newer lshift (upgrade this one); if no deployment is in progress, put all traffic on its primary version with `lshift rollback orders --alias live --to 6`',
    );
    expect(exitCodeForCheck(report)).toBe(ExitCode.Unsafe);
  });

  it.each([
    ['corrupt', 'v1 nonsense', 'The tag was edited by hand or by another tool'],
    [
      'in a newer format',
      'v2 id=d-abc123 zz=1',
      'A newer lshift wrote this record; upgrade lshift to read it',
    ],
  ])(
    'a record it cannot decode (%s) over an alias on one version: error, exit 1, and its hint',
    async (_what, tag, hint) => {
      h.lambda.addFunction('orders', ON_7);
      h.lambda.tags.get('orders')!['lshift:live'] = tag;
      const report = await h.check({ functionNames: ['orders'] });
      expect(report.results[0]).toMatchObject({ action: 'error' });
      expect(report.results[0]!.stalled).toBeUndefined();
      expect(report.results[0]!.reason).toMatch(/^could not read the deployment record: RECORD_CORRUPT: /);
      expect(report.results[0]!.reason).toContain(hint);
      expect(exitCodeForCheck(report)).toBe(ExitCode.Failed);
    },
  );

  it('a record that could not be read (ListTags failing) over a split alias stays exit 1: a live runner may drive it', async () => {
    h.lambda.addFunction('orders', SPLIT_6_7);
    h.lambda.listTags = async () => {
      throw new OperationError('THROTTLED', 'lambda:ListTags was throttled');
    };
    const report = await h.check({ functionNames: ['orders'] });
    expect(report.results[0]).toMatchObject({ action: 'error' });
    expect(report.results[0]!.stalled).toBeUndefined();
    expect(exitCodeForCheck(report)).toBe(ExitCode.Failed);
  });

  it('a record that does not add up over an alias on one version: error, exit 1, and how to clear the record', async () => {
    h.lambda.addFunction('orders', { functionVersion: '6', additionalWeights: {} });
    h.lambda.setRecord('orders', inProgress(-365 * 24 * 3600));
    const report = await h.check({ functionNames: ['orders'] });
    expect(report.results[0]).toMatchObject({ action: 'error' });
    expect(report.results[0]!.reason).toContain('aws lambda untag-resource');
    expect(exitCodeForCheck(report)).toBe(1);
  });

  it('refuses to roll back a stale record that the alias contradicts (routes to a version it does not know)', async () => {
    h.lambda.addFunction('orders', { functionVersion: '6', additionalWeights: { '9': 0.5 } });
    h.lambda.setRecord('orders', inProgress(600));
    h.alarms.set('errors', 'ALARM');
    const report = await h.check({ functionNames: ['orders'] });
    expect(h.rollbacks).toEqual([]);
    // Moved by hand (a split with a version of its own): left alone, said so with the way out,
    // never "delete the record" (check-moved.ts); exit 4, a split nobody drives.
    expect(report.results[0]).toMatchObject({ action: 'error', stalled: true, movedByHand: true });
    expect(report.results[0]!.reason).toContain('was moved to versions it does not know by hand');
    expect(report.results[0]!.reason).not.toContain('untag-resource');
    expect(exitCodeForCheck(report)).toBe(4);
  });

  // Found by a hostile pass: a split swapped by hand ("7 + 6@90%") was said to be on "versions it
  // does not know", with only `lshift alias … <version>`; `status` named both ways out.
  // (With an alarm in ALARM the check rolls it back to version 6: only the deployment's own versions.)
  it('an abandoned deployment split the other way round by hand, alarms OK: says so, with both ways out, as status does', async () => {
    h.lambda.addFunction('orders', { functionVersion: '7', additionalWeights: { '6': 0.9 } });
    h.lambda.setRecord('orders', inProgress(600));
    h.alarms.set('errors', 'OK');
    const report = await h.check({ functionNames: ['orders'] });
    expect(h.rollbacks).toEqual([]);
    expect(report.results[0]).toMatchObject({ action: 'stalled', movedByHand: true });
    const reason = report.results[0]!.reason!;
    expect(reason).toContain(
      'deployment d-prog01 (shifting at 30%): its alias routes between its versions the other way round (version 7 (10%) + version 6 (90%)), a split lshift never writes, so someone moved it by hand and nobody will finish it',
    );
    expect(reason).toContain(
      '`lshift rollback orders --alias live` puts all traffic back on version 6; `lshift alias orders live 7` finishes it',
    );
    expect(reason).not.toContain('versions it does not know');
    expect(reason).not.toContain('<version>');
    expect(exitCodeForCheck(report)).toBe(4);
  });

  // Its runner was killed between its alias write and its record's: every check said STALLED,
  // exit 4, and never closed it (found by a hostile pass).
  it('finishes a rollback whose runner died after its alias write: the record closed, rolled_back', async () => {
    h.lambda.addFunction('orders', ON_6);
    h.lambda.setRecord('orders', inProgress(600, { phase: 'rolling-back' }));
    h.alarms.set('errors', 'OK');
    const report = await h.check({ functionNames: ['orders'] });
    expect(h.rollbacks.map((r) => r.toVersion)).toEqual(['6']);
    expect(h.rollbacks[0]!.reason).toContain('finishing the rollback of deployment d-prog01');
    expect(report.results[0]).toMatchObject({ action: 'rolled_back', toVersion: '6' });
    expect(exitCodeForCheck(report)).toBe(ExitCode.RolledBack);
  });

  it('finishes a rollback whose runner died, whatever the alarms say', async () => {
    h.lambda.addFunction('orders', SPLIT_6_7);
    h.lambda.setRecord('orders', inProgress(600, { phase: 'rolling-back' }));
    h.alarms.set('errors', 'OK');
    const report = await h.check({ functionNames: ['orders'] });
    expect(h.alarms.calls).toEqual([]);
    expect(h.rollbacks.map((r) => r.toVersion)).toEqual(['6']);
    expect(h.rollbacks[0]!.reason).toContain('finishing the rollback of deployment d-prog01');
    expect(report.results[0]!.action).toBe('rolled_back');
  });

  // Its runner died before any traffic moved (kill -9 during its first record write, its publish or
  // its pre-traffic hook): every check reported it STALLED (exit 4) although all traffic was on
  // the stable version, and the next deploy was refused as DEPLOYMENT_STALE. Now the record is
  // closed through the same rollback as `lshift rollback` (which writes the same routing again,
  // so a runner still alive stops at its first weight write) and said as `skipped`, exit 0.
  it.each([
    ['started', 'OK'],
    ['pre-hook', 'ALARM'],
    ['shifting', 'OK'],
    ['failed', 'ALARM'],
  ] as const)(
    'a %s deployment abandoned before any traffic moved, alarm %s: its record closed, skipped, exit 0',
    async (phase, alarm) => {
      h.lambda.addFunction('orders', { functionVersion: '6', additionalWeights: {} });
      h.lambda.setRecord('orders', inProgress(600, { phase, percent: 0, stepIndex: 0 }));
      h.alarms.set('errors', alarm);
      const report = await h.check({ functionNames: ['orders'] });
      expect(h.rollbacks.map((r) => r.toVersion)).toEqual(['6']);
      expect(h.rollbacks[0]!.reason).toBe(
        `deployment d-prog01 (${phase} at 0%) has no live owner (heartbeat 10m ago) and moved no traffic: alias live routes all traffic to version 6, its stable version`,
      );
      expect(report.results[0]).toMatchObject({ action: 'skipped', toVersion: '6' });
      expect(report.results[0]!.reason).toBe(
        `${h.rollbacks[0]!.reason}: its record is now closed as rolled back`,
      );
      expect(report.results[0]!.stalled).toBeUndefined();
      expect(exitCodeForCheck(report)).toBe(ExitCode.Success);
    },
  );

  // Found by a hostile pass: a runner only frozen moved the alias between the check's read and
  // its write; the line kept "moved no traffic" in front of the conflict that said otherwise.
  it('closing one that moved no traffic, and the alias changed meanwhile: the reason says it changed', async () => {
    h.lambda.addFunction('orders', ON_6);
    h.lambda.setRecord('orders', inProgress(600, { phase: 'pre-hook', percent: 0, stepIndex: 0 }));
    h.alarms.set('errors', 'OK');
    h.rollbackOutcome = {
      ok: false,
      message: 'conflict: ALIAS_CHANGED, the alias now routes 50% to version 7',
    };
    const report = await h.check({ functionNames: ['orders'] });
    expect(report.results[0]).toMatchObject({ action: 'rollback_failed' });
    expect(report.results[0]!.reason).toMatch(
      /its stable version when checked, but it has changed since: conflict: ALIAS_CHANGED, the alias now routes 50% to version 7; alias live as last seen: /,
    );
    // Exit 4: the alias and the command that ends it are said (check-rollback-failed.test.ts).
    expect(report.results[0]!.reason).toMatch(/fix: `lshift rollback orders --alias live`$/);
  });

  it.each([
    ['paused: someone decided to hold it', { phase: 'paused' as const }, ON_6],
    ['traffic moved (30%), alias split', { percent: 30 }, SPLIT_6_7],
    ['0% recorded, alias split (a weight write landed unrecorded)', {}, SPLIT_6_7],
  ])('an abandoned deployment that is not closed: %s', async (_name, overrides, alias) => {
    h.lambda.addFunction('orders', alias);
    h.lambda.setRecord('orders', inProgress(600, { percent: 0, stepIndex: 0, ...overrides }));
    h.alarms.set('errors', 'OK');
    const report = await h.check({ functionNames: ['orders'] });
    expect(h.rollbacks).toEqual([]);
    expect(report.results[0]).toMatchObject({ action: 'stalled', stalled: true });
  });

  // It was left STALLED (exit 4) at every run, "closed with its release", though nothing of the
  // release is split nor owned: now closed as a single deployment's is (check-release-close.ts).
  it('a release’s function abandoned on its stable version, no live owner: its record closed, skipped', async () => {
    h.lambda.addFunction('orders', ON_6);
    h.lambda.setRecord('orders', inProgress(600, { percent: 0, stepIndex: 0, releaseId: 'r-abc123' }));
    h.alarms.set('errors', 'OK');
    const report = await h.check({ functionNames: ['orders'] });
    expect(h.rollbacks.map((r) => r.toVersion)).toEqual(['6']);
    expect(report.results[0]).toMatchObject({ action: 'skipped', toVersion: '6' });
    expect(report.results[0]!.stalled).toBeUndefined();
  });

  it.each<[DeploymentRecord['phase'], CheckAction]>([
    ['rolled-back', 'skipped'],
    ['paused', 'rolled_back'],
    ['failed', 'rolled_back'],
  ])('an ended %s deployment with a firing alarm → %s', async (phase, action) => {
    h.lambda.addFunction('orders', SPLIT_6_7);
    h.lambda.setRecord('orders', inProgress(5, { phase, endedAt: NOW - 5000 }));
    h.alarms.set('errors', 'ALARM');
    const report = await h.check({ functionNames: ['orders'] });
    expect(report.results[0]!.action).toBe(action);
  });

  // Found by a hostile pass: "rolled back …; nothing to watch" over an alias someone split since,
  // as if it were where the rollback left it. Still skipped, exit 0 (as over an alias with no record).
  it.each([
    ['named', { functionNames: ['orders'] }],
    ['found by listing', {}],
  ])(
    'a rolled-back deployment whose alias was split since (%s): skipped, exit 0, saying the split and that nobody knows who',
    async (_how, req) => {
      h.lambda.addFunction('orders', { functionVersion: '6', additionalWeights: { '8': 0.25 } });
      h.lambda.setRecord(
        'orders',
        inProgress(300, { phase: 'rolled-back', percent: 0, endedAt: NOW - 300_000 }),
      );
      h.alarms.set('errors', 'ALARM');
      const report = await h.check(req);
      expect(h.rollbacks).toEqual([]);
      expect(report.results[0]).toMatchObject({ action: 'skipped' });
      expect(report.results[0]!.reason).toBe(
        'rolled back 5m ago; nothing to watch, but the alias now routes version 6 (75%) + version 8 (25%): split since by someone unknown (no lshift deployment put it there; `lshift status orders --alias live` shows it)',
      );
      expect(exitCodeForCheck(report)).toBe(ExitCode.Success);
    },
  );

  // The same hostile pass's other half: moved since to one other version (not split), it still
  // said "rolled back …; nothing to watch".
  it.each([
    ['named', { functionNames: ['orders'] }],
    ['found by listing', {}],
  ])(
    'a rolled-back deployment whose alias was moved since to another single version (%s): skipped, exit 0, saying it moved',
    async (_how, req) => {
      h.lambda.addFunction('orders', { functionVersion: '8', additionalWeights: {} });
      h.lambda.setRecord(
        'orders',
        inProgress(300, { phase: 'rolled-back', percent: 0, endedAt: NOW - 300_000 }),
      );
      const report = await h.check(req);
      expect(h.rollbacks).toEqual([]);
      expect(report.results[0]).toMatchObject({ action: 'skipped', movedSince: { leftOnVersion: '6' } });
      expect(report.results[0]!.reason).toBe(
        'rolled back 5m ago; nothing to watch, but the alias was moved since: the rollback left all traffic on version 6, and the alias now routes all traffic to version 8 (no lshift deployment put it there; `lshift status orders --alias live` shows it)',
      );
      expect(exitCodeForCheck(report)).toBe(ExitCode.Success);
    },
  );

  it('a rolled-back deployment on the version its `--to` rollback chose: the usual words, not moved', async () => {
    h.lambda.addFunction('orders', { functionVersion: '4', additionalWeights: {} });
    h.lambda.setRecord(
      'orders',
      inProgress(300, {
        phase: 'rolled-back',
        percent: 0,
        endedAt: NOW - 300_000,
        endReason: 'rolled back to version 4',
      }),
    );
    const report = await h.check({ functionNames: ['orders'] });
    expect(report.results[0]!.reason).toMatch(/^rolled back 5m ago; nothing to watch$/);
    expect(report.results[0]!.movedSince).toBeUndefined();
  });

  // Found by a hostile pass: a named function whose alias is split with no record said only "no
  // deployment record" — two versions taking traffic and nothing of lshift watching.
  it('a named function with no record over a split alias: skipped, exit 0, saying the split and how to end it', async () => {
    h.lambda.addFunction('orders', SPLIT_6_7);
    const report = await h.check({ functionNames: ['orders'] });
    expect(h.rollbacks).toEqual([]);
    expect(report.results[0]).toMatchObject({
      action: 'skipped',
      splitWithoutRecord: { functionVersion: '6', additionalWeights: { '7': 0.3 } },
    });
    expect(report.results[0]!.reason).toBe(
      'no deployment record for alias live, but the alias is split: it routes version 6 (70%) + version 7 (30%), and no lshift deployment record explains that split, so nothing of lshift watches it; unless another tool drives it, end it: all traffic on version 6 with `lshift rollback orders --alias live`, or on version 7 with `lshift alias orders live 7`',
    );
    expect(exitCodeForCheck(report)).toBe(ExitCode.Success);
  });

  it('a rolled-back deployment whose alias is where it left it: the usual words', async () => {
    h.lambda.addFunction('orders', ON_6);
    h.lambda.setRecord(
      'orders',
      inProgress(300, { phase: 'rolled-back', percent: 0, endedAt: NOW - 300_000 }),
    );
    const report = await h.check({ functionNames: ['orders'] });
    expect(report.results[0]).toMatchObject({
      action: 'skipped',
      reason: 'rolled back 5m ago; nothing to watch',
    });
  });

  it('reports a named function without a record as skipped and a missing one as error', async () => {
    h.lambda.addFunction('orders', ON_7);
    const report = await h.check({ functionNames: ['orders', 'nope'] });
    expect(report.results.map((r) => [r.functionName, r.action])).toEqual([
      ['nope', 'error'],
      ['orders', 'skipped'],
    ]);
    expect(report.results[1]!.reason).toBe('no deployment record for alias live');
    expect(exitCodeForCheck(report)).toBe(ExitCode.Failed);
  });

  // A cron whose --alias had a typo was told "no deployment record" (skipped, exit 0) forever.
  it('reports a named function whose alias does not exist as an error, not as skipped', async () => {
    h.lambda.addFunction('orders', ON_7);
    const report = await h.check({ functionNames: ['orders'], alias: 'lvie' });
    expect(report.results.map((r) => [r.functionName, r.alias, r.action])).toEqual([
      ['orders', 'lvie', 'error'],
    ]);
    expect(report.results[0]!.reason).toMatch(/^alias lvie of function orders does not exist/);
    expect(exitCodeForCheck(report)).toBe(ExitCode.Failed);
  });

  it('with no names, finds records on every function and reads each function’s own alarms in one call', async () => {
    h.lambda.addFunction('billing', ON_7);
    h.lambda.setRecord('billing', promoted(5, { id: 'd-bill01' }));
    h.lambda.addFunction('orders', ON_7);
    h.lambda.setRecord('orders', promoted(5, { id: 'd-ordr01' }));
    h.lambda.addFunction('untouched', ON_7);
    h.lambda.addFunction('corrupt', ON_7);
    h.lambda.tags.get('corrupt')!['lshift:live'] = 'v1 nonsense';
    h.alarms.set('orders-errors', 'ALARM');
    h.alarms.set('billing-errors', 'OK');
    const report = await h.check({ alarms: ['{function}-errors'] });
    expect(h.alarms.calls).toEqual([['billing-errors', 'orders-errors']]);
    expect(report.results.map((r) => [r.functionName, r.action])).toEqual([
      ['billing', 'healthy'],
      ['corrupt', 'error'],
      ['orders', 'rolled_back'],
    ]);
    expect(h.rollbacks.map((r) => r.functionName)).toEqual(['orders']);
  });

  it('refuses to run without alarms or with a non-positive window', async () => {
    await expect(h.check({ alarms: [] })).rejects.toBeInstanceOf(UsageError);
    await expect(h.check({ windowSeconds: 0 })).rejects.toMatchObject({ code: 'CHECK_WINDOW_INVALID' });
  });

  it("refuses a config entry's alias too long to name a record (ALIAS_TOO_LONG), before any call", async () => {
    h.lambda.addFunction('orders', SPLIT_6_7);
    const own = new Map([['orders', { alias: 'a'.repeat(122) }]]);
    await expect(h.check({ functionNames: ['orders'], own })).rejects.toMatchObject({
      code: 'ALIAS_TOO_LONG',
    });
    expect(h.alarms.calls).toEqual([]);
  });

  it('refuses a --stale-after under 2 minutes: a live deployment would look abandoned', async () => {
    h.lambda.addFunction('orders', ON_7);
    h.lambda.setRecord('orders', promoted(10));
    await expect(h.check({ staleAfterSeconds: 30 })).rejects.toMatchObject({
      code: 'STALE_AFTER_INVALID',
      message: expect.stringContaining('--stale-after 30s is shorter than 2m'),
    });
    await expect(h.check({ staleAfterSeconds: 120 })).resolves.toBeDefined();
  });

  it('reports an alias it cannot re-read before rolling back as error', async () => {
    h.lambda.addFunction('orders', ON_7);
    h.lambda.setRecord('orders', promoted(10));
    h.alarms.set('errors', 'ALARM');
    h.lambda.getAliasError = new OperationError('ACCESS_DENIED', 'no lambda:GetAlias');
    const report = await h.check({ functionNames: ['orders'] });
    expect(h.rollbacks).toEqual([]);
    expect(report.results[0]!.action).toBe('error');
    expect(report.results[0]!.reason).toContain('no lambda:GetAlias');
  });
});

describe('exitCodeForCheck', () => {
  // An action ending in `*` is a stalled deployment's (no live owner).
  const report = (...actions: string[]): CheckReport => ({
    checkedAt: NOW,
    alias: 'live',
    windowSeconds: 3600,
    results: actions.map((a, i) => ({
      functionName: `f${i}`,
      alias: 'live',
      action: a.replace('*', '') as CheckAction,
      reason: '',
      ...(a.endsWith('*') ? { stalled: true } : {}),
    })),
  });
  it.each<[string[], number]>([
    [[], 0],
    [['healthy', 'skipped'], 0],
    [['healthy', 'error'], 1],
    [['rolled_back', 'error', 'healthy'], 3],
    [['rolled_back', 'rollback_failed'], 4],
    [['error', 'rollback_failed'], 4],
    [['healthy', 'healthy*'], 4],
    [['rolled_back', 'healthy*'], 4],
    [['error*'], 4],
    [['rolled_back*', 'healthy'], 3],
  ])('%j → %i', (actions, code) => {
    expect(exitCodeForCheck(report(...actions))).toBe(code);
  });
});

describe('expandAlarms', () => {
  it('replaces {function} and {alias} and removes duplicates', () => {
    expect(
      expandAlarms(['{function}-errors', 'shared', '{function}:{alias}-p99', 'shared'], 'orders', 'live'),
    ).toEqual(['orders-errors', 'shared', 'orders:live-p99']);
  });
});

describe('classifyRecord', () => {
  const opts = { windowSeconds: 3600, staleAfterSeconds: 120 };
  it.each<[string, DeploymentRecord, string]>([
    ['promoted just now', promoted(0), 'recent'],
    ['promoted exactly at the window edge', promoted(60), 'recent'],
    ['promoted a minute outside', promoted(61), 'skip'],
    ['promoted, no endedAt: heartbeat counts', promoted(10, { endedAt: undefined }), 'recent'],
    ['rolled back', promoted(1, { phase: 'rolled-back' }), 'skip'],
    ['shifting, heartbeat 119s', inProgress(119), 'skip'],
    ['shifting, heartbeat 120s', inProgress(120), 'orphaned'],
    ['baking, stale', inProgress(600, { phase: 'baking' }), 'orphaned'],
    ['paused, fresh heartbeat', inProgress(1, { phase: 'paused' }), 'orphaned'],
    ['failed rollback', inProgress(1, { phase: 'failed' }), 'orphaned'],
    ['rolling back, live', inProgress(10, { phase: 'rolling-back' }), 'skip'],
    ['rolling back, stale', inProgress(300, { phase: 'rolling-back' }), 'unfinished-rollback'],
  ])('%s → %s', (_name, record, expected) => {
    const kind = classifyRecord(record, NOW, opts);
    expect(typeof kind === 'string' ? kind : 'skip').toBe(expected);
  });

  it('puts every deployment back on its own stable version, never on a history entry that contradicts it', () => {
    expect(rollbackTarget(promoted(1, { stableVersion: '6', history: ['5'] }))).toBe('6');
    expect(rollbackTarget(inProgress(600, { stableVersion: '6', history: ['5'] }))).toBe('6');
  });
});
