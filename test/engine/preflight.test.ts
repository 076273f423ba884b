import { describe, expect, it } from 'vitest';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import { OperationError } from '../../src/domain/errors.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { type PreflightRequest, runPreflight } from '../../src/engine/preflight.js';
import { ALARM, ALIAS, createWorld, FN, request, type World } from './world.js';

function preflight(w: World, overrides: Partial<PreflightRequest> = {}) {
  return runPreflight(w.deps, {
    functionName: FN,
    alias: ALIAS,
    targetVersion: '2',
    alarms: [ALARM],
    ...overrides,
  });
}

function liveRecord(w: World, overrides: Partial<DeploymentRecord> = {}): DeploymentRecord {
  return {
    id: 'd-other1',
    stableVersion: '1',
    targetVersion: '2',
    strategy: 'canary:10%:5m',
    stepIndex: 0,
    percent: 10,
    phase: 'shifting',
    startedAt: w.start - 60_000,
    owner: 'alice@laptop:42',
    heartbeatAt: w.start - 30_000,
    history: [],
    ...overrides,
  };
}

describe('runPreflight', () => {
  it('passes every check and returns the stable version, RevisionId and both configurations', async () => {
    const w = createWorld();
    const result = await preflight(w);
    expect(result).toMatchObject({
      nothingToDeploy: false,
      stableVersion: '1',
      aliasRevisionId: 'rev-4',
      stable: { version: '1' },
      target: { version: '2', state: 'Active' },
      alarms: [{ name: ALARM, state: 'OK' }],
    });
    expect(w.sink.ofType('preflight.check').map((c) => [c.check, c.ok])).toEqual([
      ['function', true],
      ['alias', true],
      ['alias-not-latest', true],
      ['deployment-record', true],
      ['alias-not-split', true],
      ['target-version', true],
      ['stable-version', true],
      ['same-role', true],
      ['same-dlq', true],
      ['run-settings', true],
      ['async-destinations', true],
      ['event-sources', true],
      ['provisioned-concurrency', true],
      ['alarms-exist', true],
      ['alarms-quiet', true],
      ['alarm-history', true],
    ]);
    expect(w.metrics.callsOf('describeAlarms')).toHaveLength(1);
    const reads = [
      'getFunction',
      'getAlias',
      'listEventInvokeConfigs',
      'listEventSourceMappings',
      'getProvisionedConcurrency',
    ];
    expect(w.lambda.calls.every((c) => reads.includes(c.op))).toBe(true);
  });

  const refusals: {
    name: string;
    setup: (w: World) => Partial<PreflightRequest> | undefined;
    code: string;
    exitCode: number;
    message: RegExp;
  }[] = [
    {
      name: 'function missing',
      setup: () => ({ functionName: 'nope' }),
      code: 'FUNCTION_NOT_FOUND',
      // Exit 1 on every path, as docs/exit-codes.md lists it and the AWS adapter maps it.
      exitCode: 1,
      message: /Function nope does not exist/,
    },
    {
      name: 'alias missing',
      setup: () => ({ alias: 'prod' }),
      code: 'ALIAS_NOT_FOUND',
      exitCode: 2,
      message: /Alias prod of function demo does not exist/,
    },
    {
      name: 'alias on $LATEST',
      setup: (w) => {
        w.lambda.addAlias(FN, 'edge', '$LATEST');
        return { alias: 'edge' };
      },
      code: 'ALIAS_ON_LATEST',
      exitCode: 2,
      message: /points at \$LATEST/,
    },
    {
      name: 'target version missing',
      setup: () => ({ targetVersion: '9' }),
      code: 'VERSION_NOT_FOUND',
      exitCode: 2,
      message: /Version 9 of function demo does not exist/,
    },
    {
      name: 'target $LATEST',
      setup: () => ({ targetVersion: '$LATEST' }),
      code: 'TARGET_NOT_PUBLISHED',
      exitCode: 2,
      message: /not a published version/,
    },
    {
      name: 'target not Active',
      setup: (w) => ({ targetVersion: w.lambda.addVersion(FN, { state: 'Pending' }) }),
      code: 'VERSION_NOT_ACTIVE',
      exitCode: 2,
      message: /Version 3 of function demo is Pending/,
    },
    {
      name: 'different role',
      setup: (w) => ({
        targetVersion: w.lambda.addVersion(FN, { role: 'arn:aws:iam::123456789012:role/other' }),
      }),
      code: 'ROLE_MISMATCH',
      exitCode: 2,
      message: /\(arn:aws:iam::123456789012:role\/demo-role vs arn:aws:iam::123456789012:role\/other\)/,
    },
    {
      name: 'different DLQ',
      setup: (w) => ({
        targetVersion: w.lambda.addVersion(FN, { deadLetterTargetArn: 'arn:aws:sqs:us-east-1:1:dlq' }),
      }),
      code: 'DLQ_MISMATCH',
      exitCode: 2,
      message: /\(none vs arn:aws:sqs:us-east-1:1:dlq\)/,
    },
    {
      name: 'alias already split',
      setup: (w) => {
        w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: { '2': 0.3 } });
        return undefined;
      },
      code: 'SHIFT_IN_PROGRESS',
      exitCode: 5,
      message: /already split \(version 1 plus version 2 at 30%\)/,
    },
    {
      name: 'alarm missing',
      setup: () => ({ alarms: [ALARM, 'ghost-1', 'ghost-2'] }),
      code: 'ALARM_NOT_FOUND',
      exitCode: 2,
      message: /not found: ghost-1, ghost-2/,
    },
    {
      // 500 missing alarms were a 3 KB line, printed twice (progress and error).
      name: 'many alarms missing: the first ten and a count',
      setup: () => ({ alarms: [ALARM, ...Array.from({ length: 500 }, (_, i) => `ghost-${i}`)] }),
      code: 'ALARM_NOT_FOUND',
      exitCode: 2,
      message: /not found: ghost-0, ghost-1, .*, ghost-9 and 490 more\.$/,
    },
    {
      name: 'alarm already firing',
      setup: (w) => {
        w.metrics.setAlarm(ALARM, 'ALARM', { reason: 'stable is broken' });
        return undefined;
      },
      code: 'ALARM_ALREADY_FIRING',
      exitCode: 2,
      message: /demo-errors \(stable is broken\)/,
    },
    {
      // The gate would meet the same denial at every poll after a state change, mid-shift.
      name: 'alarm history denied (cloudwatch:DescribeAlarmHistory)',
      setup: (w) => {
        w.metrics.fail({
          op: 'describeAlarmHistory',
          error: new OperationError('ACCESS_DENIED', 'Access denied: DescribeAlarmHistory'),
        });
        return undefined;
      },
      code: 'ALARM_HISTORY_DENIED',
      exitCode: 2,
      message: /^Could not read the state history of alarm demo-errors: .*Access denied/,
    },
    {
      name: 'live deployment recorded',
      setup: (w) => {
        w.store.seed(FN, ALIAS, liveRecord(w));
        return undefined;
      },
      code: 'DEPLOYMENT_IN_PROGRESS',
      exitCode: 5,
      message: /Deployment d-other1 by alice@laptop:42 holds demo alias live .*heartbeat 30s ago/,
    },
    {
      // A writer whose clock runs up to 5 minutes ahead: said as `status` and `check` say it, not
      // "heartbeat -235s ago" (found by a hostile pass).
      name: 'live deployment recorded, its heartbeat from a clock ahead of this one',
      setup: (w) => {
        w.store.seed(FN, ALIAS, liveRecord(w, { heartbeatAt: w.start + 235_000 }));
        return undefined;
      },
      code: 'DEPLOYMENT_IN_PROGRESS',
      exitCode: 5,
      message:
        /Deployment d-other1 by alice@laptop:42 holds demo alias live \(shifting, version 1 → 2, heartbeat 0s ago\)\./,
    },
    {
      name: 'live deployment recorded for minutes',
      setup: (w) => {
        w.store.seed(FN, ALIAS, liveRecord(w, { heartbeatAt: w.start - 95_000 }));
        return undefined;
      },
      code: 'DEPLOYMENT_IN_PROGRESS',
      exitCode: 5,
      message:
        /Deployment d-other1 by alice@laptop:42 holds demo alias live \(shifting, version 1 → 2, heartbeat 1m 35s ago\)\./,
    },
    {
      name: 'record unreadable',
      setup: (w) => {
        w.store.failReads(new Error('AccessDenied'));
        return undefined;
      },
      code: 'STATE_UNREADABLE',
      exitCode: 1,
      message: /AccessDenied/,
    },
  ];

  it.each(refusals)('refuses: $name → $code', async ({ setup, code, exitCode, message }) => {
    const w = createWorld();
    const overrides = setup(w) ?? {};
    const error = await preflight(w, overrides).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code, exitCode });
    expect((error as Error).message).toMatch(message);
    expect((error as { hint?: string }).hint).toBeTruthy();
    const failed = w.sink.ofType('preflight.check').filter((c) => !c.ok);
    expect(failed).toHaveLength(1);
    expect(failed[0]?.message).toBe((error as Error).message);
  });

  // "Fix the stable version first" right after a rollback sent a person after a healthy version:
  // the alarm was still weighing the rolled-back version's minutes (found by a hostile pass, session 61).
  it('an alarm already firing: the hint says a rollback just done may be why, and how to see it clear', async () => {
    const w = createWorld();
    w.metrics.setAlarm(ALARM, 'ALARM', { reason: 'threshold crossed' });
    await expect(preflight(w)).rejects.toMatchObject({
      code: 'ALARM_ALREADY_FIRING',
      hint: expect.stringMatching(
        /^If a deployment of this alias was just rolled back, the alarm may still be weighing the rolled-back version's minutes: wait until it is OK again \(`aws cloudwatch describe-alarms --alarm-names demo-errors --query 'MetricAlarms\[\]\.StateValue'`\)\. Otherwise fix the stable version first/,
      ),
    });
  });

  it('points a split alias at lshift status and lshift rollback', async () => {
    const w = createWorld();
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: { '2': 0.3 } });
    await expect(preflight(w)).rejects.toMatchObject({
      hint: expect.stringMatching(/lshift status demo --alias live.*lshift rollback demo --alias live/),
    });
  });

  it('ignores an initial alarm when told to, and says so', async () => {
    const w = createWorld();
    w.metrics.setAlarm(ALARM, 'ALARM');
    const result = await preflight(w, { ignoreInitialAlarms: true });
    expect(result.nothingToDeploy).toBe(false);
    expect(w.sink.ofType('preflight.check').find((c) => c.check === 'alarms-quiet')).toMatchObject({
      check: 'alarms-quiet',
      ok: true,
      message: 'already in ALARM, ignored: demo-errors',
    });
  });

  it('lets a finished deployment record through, and a failed rollback whose traffic is back on stable', async () => {
    for (const record of [
      (w: World) => liveRecord(w, { phase: 'promoted', endedAt: w.start - 10_000 }),
      (w: World) => liveRecord(w, { phase: 'rolled-back', heartbeatAt: w.start - 1_000 }),
      (w: World) => liveRecord(w, { phase: 'failed', heartbeatAt: w.start - 1_000 }),
    ]) {
      const w = createWorld();
      w.store.seed(FN, ALIAS, record(w));
      const result = await preflight(w);
      expect(result.record?.id).toBe('d-other1');
    }
  });

  it('honours a custom staleness limit', async () => {
    const w = createWorld();
    w.store.seed(FN, ALIAS, liveRecord(w, { startedAt: w.start - 300_000, heartbeatAt: w.start - 200_000 }));
    await expect(preflight(w, { staleAfterSeconds: 300 })).rejects.toMatchObject({
      code: 'DEPLOYMENT_IN_PROGRESS',
    });
  });

  it('reports nothing to deploy when the target is the stable version, before alarm checks', async () => {
    const w = createWorld();
    w.metrics.setAlarm(ALARM, 'ALARM');
    const result = await preflight(w, { targetVersion: '1' });
    expect(result).toMatchObject({ nothingToDeploy: true, stableVersion: '1' });
    expect(w.metrics.callsOf('describeAlarms')).toHaveLength(0);
  });

  it('makes runDeploy throw before any write when a check fails', async () => {
    const w = createWorld();
    await expect(runDeploy(w.deps, request({ alarms: ['ghost'] }))).rejects.toMatchObject({
      code: 'ALARM_NOT_FOUND',
    });
    expect(w.lambda.callsOf('updateAlias')).toHaveLength(0);
    expect(w.store.writes).toHaveLength(0);
  });

  it('surfaces an alarm read failure as ALARMS_UNREADABLE (exit 1)', async () => {
    const w = createWorld();
    w.metrics.fail({ op: 'describeAlarms' });
    await expect(preflight(w)).rejects.toMatchObject({ code: 'ALARMS_UNREADABLE', exitCode: 1 });
  });

  it.each(['CREDENTIAL_PROCESS_FAILED', 'CREDENTIALS_TIMEOUT', 'CREDENTIALS_MISSING'] as const)(
    'a %s at the alarm read is reported as it is, not as ALARMS_UNREADABLE "check the alarm names" (h1’s pass)',
    async (code) => {
      const w = createWorld();
      const credentials = new OperationError(code, 'cloudwatch:DescribeAlarms … was not sent', {
        hint: 'Run that command by hand',
      });
      w.metrics.fail({ op: 'describeAlarms', error: credentials });
      await expect(preflight(w)).rejects.toBe(credentials);
    },
  );
});
