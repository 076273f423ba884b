import { lstatSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeAlarmsCommand, GetMetricDataCommand, ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import {
  GetAliasCommand,
  GetFunctionConfigurationCommand,
  GetPolicyCommand,
  ListFunctionsCommand,
  UpdateAliasCommand,
} from '@aws-sdk/client-lambda';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/domain/errors.js';
import { loadScenarioFile, type SandboxOptions, seedDemo, startSandbox } from '../../src/sandbox/index.js';
import { errorOf, startTestSandbox, stopAfterEach, T0, type TestSandbox } from './helpers.js';

const MINUTE = 60_000;
const running = stopAfterEach<TestSandbox>();

async function sandbox(opts: SandboxOptions = {}, startAt = T0): Promise<TestSandbox> {
  const t = await startTestSandbox(opts, startAt);
  running.push(t);
  return t;
}

describe('the endpoint', () => {
  it('listens on 127.0.0.1 on a random port and serves the clock and health', async () => {
    const t = await sandbox({ speed: 60 });
    expect(t.handle.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(t.handle.port).toBeGreaterThan(0);
    const clock = await (await fetch(`${t.handle.url}/__lshift/clock`)).json();
    expect(clock).toEqual({ simOriginMs: T0, realOriginMs: T0, speed: 60 });
    t.advance(1000);
    const health = await (await fetch(`${t.handle.url}/__lshift/health`)).json();
    expect(health).toMatchObject({ ok: true, simNowMs: T0 + 60_000 });
    expect((await fetch(`${t.handle.url}/__lshift/nope`)).status).toBe(404);
  });

  it('answers unknown operations in each protocol’s error shape, naming the operation', async () => {
    const t = await sandbox();
    const lambda = await errorOf(() => t.lambda.send(new GetPolicyCommand({ FunctionName: 'x' })));
    expect(lambda.name).toBe('UnknownOperationException');
    expect(lambda.message).toContain('GetPolicy');
    const cloudWatch = await errorOf(() => t.cloudWatch.send(new ListMetricsCommand({})));
    expect(cloudWatch.name).toBe('UnknownOperationException');
    expect(cloudWatch.message).toContain('ListMetrics');
    const raw = await fetch(`${t.handle.url}/`, {
      method: 'POST',
      headers: {
        'x-amz-target': 'GraniteServiceVersion20100801.Nope',
        'content-type': 'application/x-amz-json-1.0',
      },
      body: '{}',
    });
    expect(raw.status).toBe(400);
    expect(raw.headers.get('x-amzn-query-error')).toBe('UnknownOperationException;Sender');
    expect(await raw.json()).toEqual({
      __type: 'UnknownOperationException',
      message: expect.stringContaining('Nope'),
    });
    const route = await fetch(`${t.handle.url}/2099-01-01/nothing`);
    expect(route.status).toBe(400);
    expect(route.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
    expect((await route.json()).message).toContain('GET /2099-01-01/nothing');
  });

  it('survives garbage: bad JSON, bad ARNs, wrong types', async () => {
    const t = await sandbox();
    const badJson = await fetch(`${t.handle.url}/2015-03-31/functions`, { method: 'POST', body: '{nope' });
    expect(badJson.status).toBe(400);
    expect(badJson.headers.get('x-amzn-errortype')).toBe('InvalidRequestContentException');
    const badCw = await fetch(`${t.handle.url}/`, {
      method: 'POST',
      headers: { 'x-amz-target': 'GraniteServiceVersion20100801.GetMetricData' },
      body: '[1,2',
    });
    expect(badCw.status).toBe(400);
    const badTypes = await fetch(`${t.handle.url}/`, {
      method: 'POST',
      headers: { 'x-amz-target': 'GraniteServiceVersion20100801.GetMetricData' },
      body: JSON.stringify({ MetricDataQueries: [{ Id: 'a', MetricStat: 'x' }], StartTime: 'x', EndTime: 1 }),
    });
    expect(badTypes.status).toBe(400);
    const badArn = await fetch(
      `${t.handle.url}/2015-03-31/functions/${encodeURIComponent('arn:bad:%%')}/configuration`,
    );
    expect([400, 404]).toContain(badArn.status);
    const stillUp = await t.lambda.send(new ListFunctionsCommand({}));
    expect(stillUp.Functions).toEqual([]);
  });
});

describe('API fault injection', () => {
  it('throttles a fraction of calls; the SDK retries the 429s and succeeds', async () => {
    const t = await sandbox({
      seed: 9,
      scenario: { faults: [{ type: 'api', service: 'lambda', kind: 'throttle', rate: 0.4 }] },
    });
    let attempts = 0;
    t.lambda.middlewareStack.add(
      (next) => async (args) => {
        attempts++;
        return next(args);
      },
      { step: 'finalizeRequest', name: 'countAttempts' },
    );
    for (let i = 0; i < 10; i++) await t.lambda.send(new ListFunctionsCommand({}));
    expect(attempts).toBeGreaterThan(10);
  });

  it('shows an always-failing operation to the SDK as the service’s own error after its retries', async () => {
    const t = await sandbox({
      scenario: {
        faults: [
          { type: 'api', service: 'cloudwatch', operations: ['DescribeAlarms'], kind: 'throttle', rate: 1 },
          { type: 'api', service: 'lambda', operations: ['GetAlias'], kind: '5xx', rate: 1 },
        ],
      },
    });
    const throttled = await errorOf(() => t.cloudWatch.send(new DescribeAlarmsCommand({})));
    expect(throttled.name).toBe('Throttling');
    expect(throttled.$metadata?.httpStatusCode).toBe(400);
    const failed = await errorOf(() =>
      t.lambda.send(new GetAliasCommand({ FunctionName: 'f', Name: 'live' })),
    );
    expect(failed.name).toBe('ServiceException');
    expect(failed.$metadata?.httpStatusCode).toBe(500);
    // Other operations are not affected.
    expect((await t.lambda.send(new ListFunctionsCommand({}))).Functions).toEqual([]);
  });

  it('answers with an expired session token as AWS does, once, with no retry by the SDK', async () => {
    const t = await sandbox({
      scenario: {
        faults: [
          {
            type: 'api',
            service: 'lambda',
            operations: ['UpdateAlias', 'GetAlias'],
            kind: 'expired-credentials',
          },
          { type: 'api', service: 'cloudwatch', kind: 'expired-credentials' },
        ],
      },
    });
    let attempts = 0;
    t.lambda.middlewareStack.add(
      (next) => async (args) => {
        attempts++;
        return next(args);
      },
      { step: 'finalizeRequest', name: 'countAttempts' },
    );
    const lambda = await errorOf(() =>
      t.lambda.send(new GetAliasCommand({ FunctionName: 'f', Name: 'live' })),
    );
    expect(lambda.name).toBe('ExpiredTokenException');
    expect(lambda.message).toBe('The security token included in the request is expired');
    expect(lambda.$metadata?.httpStatusCode).toBe(403);
    expect(attempts).toBe(1);
    const cloudWatch = await errorOf(() => t.cloudWatch.send(new DescribeAlarmsCommand({})));
    expect(cloudWatch.name).toBe('ExpiredToken');
    expect(cloudWatch.$metadata?.httpStatusCode).toBe(403);
    expect((await t.lambda.send(new ListFunctionsCommand({}))).Functions).toEqual([]);
  });

  it('denies access to the operations named, naming the IAM action as AWS does', async () => {
    const t = await sandbox({
      scenario: {
        faults: [
          { type: 'api', service: 'lambda', operations: ['UpdateAlias'], kind: 'access-denied' },
          { type: 'api', service: 'cloudwatch', operations: ['GetMetricData'], kind: 'access-denied' },
        ],
      },
    });
    const denied = await errorOf(() =>
      t.lambda.send(new UpdateAliasCommand({ FunctionName: 'f', Name: 'live', FunctionVersion: '1' })),
    );
    expect(denied.name).toBe('AccessDeniedException');
    expect(denied.$metadata?.httpStatusCode).toBe(403);
    expect(denied.message).toContain('is not authorized to perform: lambda:UpdateAlias');
    const metrics = await errorOf(() =>
      t.cloudWatch.send(
        new GetMetricDataCommand({
          MetricDataQueries: [],
          StartTime: new Date(0),
          EndTime: new Date(60_000),
        }),
      ),
    );
    expect(metrics.name).toBe('AccessDenied');
    expect(metrics.$metadata?.httpStatusCode).toBe(403);
    expect((await t.cloudWatch.send(new DescribeAlarmsCommand({}))).MetricAlarms).toEqual([]);
  });

  it('resets connections; the SDK retries them', async () => {
    const t = await sandbox({
      seed: 1,
      scenario: { faults: [{ type: 'api', kind: 'reset', rate: 0.3, until: '10m' }] },
    });
    let attempts = 0;
    t.lambda.middlewareStack.add(
      (next) => async (args) => {
        attempts++;
        return next(args);
      },
      { step: 'finalizeRequest', name: 'countAttempts' },
    );
    for (let i = 0; i < 8; i++) await t.lambda.send(new ListFunctionsCommand({}));
    expect(attempts).toBeGreaterThan(8);
    // The fault window has ended: every call goes through at once.
    t.advance(10 * MINUTE);
    attempts = 0;
    for (let i = 0; i < 8; i++) await t.lambda.send(new ListFunctionsCommand({}));
    expect(attempts).toBe(8);
    const always = await sandbox({ scenario: { faults: [{ type: 'api', kind: 'reset', rate: 1 }] } });
    const reset = await errorOf(() => always.lambda.send(new ListFunctionsCommand({})));
    expect(reset.message).toMatch(/socket hang up|ECONNRESET/);
  });

  it("spareLastAttempt: every attempt but the SDK's last is faulted, so the call succeeds on its last", async () => {
    const t = await sandbox({
      scenario: {
        faults: [{ type: 'api', service: 'lambda', kind: '5xx', rate: 1, spareLastAttempt: true }],
      },
    });
    const headers: string[] = [];
    t.lambda.middlewareStack.add(
      (next) => async (args) => {
        headers.push(
          String((args.request as { headers: Record<string, string> }).headers['amz-sdk-request']),
        );
        return next(args);
      },
      { step: 'finalizeRequest', name: 'recordAttempts', priority: 'low' },
    );
    const listed = await t.lambda.send(new ListFunctionsCommand({}));
    expect(listed.Functions).toEqual([]);
    expect(headers).toEqual(['attempt=1; max=3', 'attempt=2; max=3', 'attempt=3; max=3']);
    // Without the flag the last attempt is faulted too: the call fails.
    const always = await sandbox({
      scenario: { faults: [{ type: 'api', service: 'lambda', kind: '5xx', rate: 1 }] },
    });
    expect((await errorOf(() => always.lambda.send(new ListFunctionsCommand({})))).name).toBe(
      'ServiceException',
    );
  });
});

describe('state file', () => {
  it('restores functions, aliases, alarms and the timeline in a new process', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lshift-sandbox-'));
    const stateFile = join(dir, 'state.json');
    const first = await sandbox({ stateFile, seed: 21 });
    await seedDemo(first.handle, { rpm: 100 });
    first.advance(5 * MINUTE);
    const alias = await first.lambda.send(new GetAliasCommand({ FunctionName: 'demo', Name: 'live' }));
    await first.lambda.send(
      new UpdateAliasCommand({
        FunctionName: 'demo',
        Name: 'live',
        RoutingConfig: { AdditionalVersionWeights: {} },
        RevisionId: alias.RevisionId,
      }),
    );
    const metrics = async (t: TestSandbox) =>
      (
        await t.cloudWatch.send(
          new GetMetricDataCommand({
            StartTime: new Date(T0),
            EndTime: new Date(T0 + 4 * MINUTE),
            MetricDataQueries: [
              {
                Id: 'n',
                MetricStat: {
                  Metric: {
                    Namespace: 'AWS/Lambda',
                    MetricName: 'Invocations',
                    Dimensions: [{ Name: 'FunctionName', Value: 'demo' }],
                  },
                  Period: 60,
                  Stat: 'Sum',
                },
              },
            ],
          }),
        )
      ).MetricDataResults?.[0]?.Values;
    const before = await metrics(first);
    const saved = JSON.parse(readFileSync(stateFile, 'utf8'));
    expect(Object.keys(saved.functions)).toEqual(['demo']);
    await first.stop();
    running.splice(running.indexOf(first), 1);

    const second = await sandbox({ stateFile }, T0 + 5 * MINUTE);
    const restored = await second.lambda.send(new GetAliasCommand({ FunctionName: 'demo', Name: 'live' }));
    expect(restored.RevisionId).not.toBe(alias.RevisionId);
    expect(
      (
        await second.lambda.send(
          new GetFunctionConfigurationCommand({ FunctionName: 'demo', Qualifier: '1' }),
        )
      ).Version,
    ).toBe('1');
    expect(
      (await second.cloudWatch.send(new DescribeAlarmsCommand({}))).MetricAlarms?.map((a) => a.AlarmName),
    ).toEqual(['demo-errors']);
    expect(await metrics(second)).toEqual(before);
    expect(second.handle.clock).toEqual({ simOriginMs: T0, realOriginMs: T0, speed: 1 });
  });

  it('refuses a broken state file with a UsageError', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lshift-sandbox-'));
    const stateFile = join(dir, 'state.json');
    writeFileSync(stateFile, '{"format": 2}');
    await expect(startSandbox({ stateFile })).rejects.toMatchObject({ code: 'SANDBOX_STATE_INVALID' });
  });

  it('refuses a state file it cannot write before it listens (exit 2, not an internal error)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lshift-sandbox-'));
    const stateFile = join(dir, 'state.json');
    // Root may write anywhere: a folder where the temporary file goes fails the write all the same.
    mkdirSync(`${stateFile}.${process.pid}.tmp`);
    const refused = await startSandbox({ stateFile }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(UsageError);
    expect(refused).toMatchObject({ code: 'SANDBOX_STATE_UNWRITABLE', exitCode: 2 });
    expect((refused as Error).message).toContain(`Cannot write the sandbox state file ${stateFile}`);
  });

  it('saves through a symlinked state file to its target, keeping the link', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lshift-sandbox-'));
    const target = join(dir, 'target.json');
    const link = join(dir, 'link.json');
    const first = await sandbox({ stateFile: target });
    await first.stop();
    running.splice(running.indexOf(first), 1);
    symlinkSync(target, link);

    const second = await sandbox({ stateFile: link });
    await seedDemo(second.handle, {});
    await second.stop();
    running.splice(running.indexOf(second), 1);

    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(Object.keys(JSON.parse(readFileSync(target, 'utf8')).functions)).toEqual(['demo']);
  });
});

describe('scenario files', () => {
  const write = (name: string, text: string) => {
    const path = join(mkdtempSync(join(tmpdir(), 'lshift-scenario-')), name);
    writeFileSync(path, text);
    return path;
  };

  it('loads YAML and JSON scenarios', () => {
    const yaml = write(
      's.yaml',
      [
        'seed: 42',
        'speed: 60',
        'demo: { preset: bad, rpm: 300 }',
        'faults:',
        '  - { type: version, function: demo, version: 2, at: 2m, errorRate: 0.5 }',
        '  - { type: api, service: cloudwatch, operations: [GetMetricData], kind: 5xx, rate: 0.1, spareLastAttempt: true }',
        '  - { type: metric-delay, minutes: 3, at: 5m, until: 10m }',
      ].join('\n'),
    );
    expect(loadScenarioFile(yaml)).toEqual({
      seed: 42,
      speed: 60,
      demo: { preset: 'bad', rpm: 300 },
      faults: [
        { type: 'version', function: 'demo', version: '2', at: '2m', errorRate: 0.5 },
        {
          type: 'api',
          service: 'cloudwatch',
          operations: ['GetMetricData'],
          kind: '5xx',
          rate: 0.1,
          spareLastAttempt: true,
        },
        { type: 'metric-delay', minutes: 3, at: '5m', until: '10m' },
      ],
    });
    expect(loadScenarioFile(write('s.json', '{"metricDelayMinutes": 2}'))).toEqual({ metricDelayMinutes: 2 });
    expect(loadScenarioFile(write('r.json', '{"metricDelayMinutes": [1, 3]}'))).toEqual({
      metricDelayMinutes: [1, 3],
    });
  });

  it.each([
    ['faults:\n  - { type: api, kind: throttle, rate: 2 }', 'faults[0].rate'],
    ['faults:\n  - { type: api, kind: throttle }', 'faults[0].rate'],
    [
      'faults:\n  - { type: api, kind: throttle, rate: 0.1, spareLastAttempt: yes please }',
      'faults[0].spareLastAttempt',
    ],
    ['faults:\n  - { type: api, kind: expired }', 'faults[0].kind'],
    ['faults:\n  - { type: version, function: demo }', 'faults[0].version'],
    ['faults:\n  - { type: explode }', 'faults[0].type'],
    ['faults:\n  - { type: metric-delay, minutes: 1, at: soon }', 'faults[0].at'],
    ['sped: 3', 'sped'],
    ['metricDelayMinutes: [3, 1]', 'metricDelayMinutes[1]'],
    ['metricDelayMinutes: [1, 2, 3]', 'metricDelayMinutes'],
    ['demo: { preset: terrible }', 'demo.preset'],
  ])('names the bad field in %j', (text, field) => {
    let error: unknown;
    try {
      loadScenarioFile(write('bad.yaml', text));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).code).toBe('SANDBOX_SCENARIO_INVALID');
    expect((error as UsageError).message).toContain(`\`${field}\``);
  });

  // A fault whose window is empty never applies: it was accepted without a word (hostile pass).
  it.each([
    ['at: 5m, until: 2m', '`faults[0].until` (2m) is not later than `faults[0].at` (5m)'],
    ['at: 300, until: 5m', '`faults[0].until` (5m) is not later than `faults[0].at` (300)'],
    [
      'at: "2030-01-02T00:00:00Z", until: "2030-01-01T00:00:00Z"',
      '`faults[0].until` (2030-01-01T00:00:00Z) is not later than `faults[0].at` (2030-01-02T00:00:00Z)',
    ],
  ])('refuses a fault whose until is not later than its at (%s)', (window, said) => {
    let error: unknown;
    try {
      loadScenarioFile(write('w.yaml', `faults:\n  - { type: metric-delay, minutes: 1, ${window} }`));
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({ code: 'SANDBOX_SCENARIO_INVALID', exitCode: 2 });
    expect((error as UsageError).message).toContain(`${said}: the fault would never apply`);
  });

  // Without `at` a fault starts at once: `until: 0s` was accepted and never applied (found by a docs audit).
  it.each([['until: 0s'], ['until: 0'], ['until: 0m']])('refuses a fault without at whose %s', (window) => {
    let error: unknown;
    try {
      loadScenarioFile(write('w0.yaml', `faults:\n  - { type: metric-delay, minutes: 1, ${window} }`));
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({ code: 'SANDBOX_SCENARIO_INVALID', exitCode: 2 });
    expect((error as UsageError).message).toContain(
      `\`faults[0].until\` (${window.slice('until: '.length)}) is not later than the fault's start (no \`faults[0].at\`: it starts at once): the fault would never apply`,
    );
  });

  it('refuses an until not later than the start of a fault without at (or whose at has passed), sandbox and control alike', async () => {
    const start = Date.parse('2030-01-01T00:00:00Z');
    const error = await startSandbox({
      now: () => start,
      scenario: { faults: [{ type: 'metric-delay', minutes: 1, until: '2029-12-31T23:00:00Z' }] },
    }).then(
      (handle) => handle.stop().then(() => undefined),
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({ code: 'SANDBOX_SCENARIO_INVALID', exitCode: 2 });
    expect((error as UsageError).message).toBe(
      "faults[0]: `until` (2029-12-31T23:00:00Z, 2029-12-31T23:00:00.000Z) is not later than the fault's start (no `at`: it starts at once, 2030-01-01T00:00:00.000Z): the fault would never apply.",
    );
    const handle = await startSandbox({ now: () => start });
    try {
      // POST /__lshift/faults: `until: 0s` counts from now, and so does a fault without `at`.
      expect(() => handle.state.addFaults([{ type: 'metric-delay', minutes: 1, until: '0s' }])).toThrow(
        "faults[0]: `until` (0s, 2030-01-01T00:00:00.000Z) is not later than the fault's start (no `at`: it starts at once",
      );
      expect(() =>
        handle.state.addFaults([
          { type: 'metric-delay', minutes: 1, at: '2020-01-01T00:00:00Z', until: '2029-01-01T00:00:00Z' },
        ]),
      ).toThrow(
        "is not later than the fault's start (`at` (2020-01-01T00:00:00Z) has passed: it starts at once",
      );
      expect(handle.state.faults.metricDelays).toEqual([]);
      handle.state.addFaults([{ type: 'metric-delay', minutes: 1, until: '1s' }]);
      expect(handle.state.faults.metricDelays).toHaveLength(1);
    } finally {
      await handle.stop();
    }
  });

  it('compares a duration with a timestamp once the sandbox has started, adding none of a refused list', async () => {
    const error = await startSandbox({
      now: () => Date.parse('2030-01-01T00:00:00Z'),
      scenario: {
        faults: [{ type: 'metric-delay', minutes: 1, at: '1h', until: '2030-01-01T00:30:00Z' }],
      },
    }).then(
      (handle) => handle.stop().then(() => undefined),
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({ code: 'SANDBOX_SCENARIO_INVALID', exitCode: 2 });
    expect((error as UsageError).message).toBe(
      'faults[0]: `until` (2030-01-01T00:30:00Z, 2030-01-01T00:30:00.000Z) is not later than `at` (1h, 2030-01-01T01:00:00.000Z): the fault would never apply.',
    );
    const handle = await startSandbox({ now: () => Date.parse('2030-01-01T00:00:00Z') });
    try {
      expect(() =>
        handle.state.addFaults([
          { type: 'metric-delay', minutes: 1, at: '1m', until: '2m' },
          { type: 'metric-delay', minutes: 1, at: '1h', until: '2030-01-01T00:30:00Z' },
        ]),
      ).toThrow(/faults\[1\]: `until`/);
      expect(handle.state.faults.metricDelays).toEqual([]);
    } finally {
      await handle.stop();
    }
  });

  it('accepts days in a fault time, and names the units of a bad one', () => {
    const scenario = loadScenarioFile(
      write('d.yaml', 'faults:\n  - { type: metric-delay, minutes: 1, at: 1d }'),
    );
    expect(scenario.faults?.[0]).toMatchObject({ at: '1d' });
    const bad = (text: string) => {
      try {
        loadScenarioFile(write('bad.yaml', text));
      } catch (error) {
        return (error as UsageError).message;
      }
      return '';
    };
    expect(bad('faults:\n  - { type: metric-delay, minutes: 1, at: 2w }')).toContain(
      '`faults[0].at` is not a duration like `5m` (units s, m, h or d) or an ISO timestamp',
    );
    expect(bad('faults:\n  - { type: metric-delay, minutes: 1, at: [1] }')).toContain(
      '`faults[0].at` must be a duration like `5m` (units s, m, h or d) or an ISO timestamp',
    );
  });
});
