import { connect } from 'node:net';
import { DescribeAlarmsCommand, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import {
  CreateFunctionCommand,
  GetFunctionConfigurationCommand,
  ListFunctionsCommand,
  ListTagsCommand,
  TagResourceCommand,
} from '@aws-sdk/client-lambda';
import { describe, expect, it } from 'vitest';
import { createLiveFunction, ROLE, type TestSandbox, useTestSandboxes, zip } from './helpers.js';

/**
 * Request input that names a JavaScript prototype member (`constructor`, `__proto__`…) or is
 * malformed at the HTTP level: the sandbox answers like AWS (not found / unknown operation /
 * bad request) and never leaks its world state (function environment variables) nor crashes.
 */
const PROTO_NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty'];
const SECRET = 'hunter2-secret-value';

const sandboxWithSecret = useTestSandboxes((t) => createLiveFunction(t, 'demo', { DB_PASSWORD: SECRET }));

async function cloudWatchCall(t: TestSandbox, operation: string, body: unknown = {}) {
  const res = await fetch(`${t.handle.url}/`, {
    method: 'POST',
    headers: {
      'x-amz-target': `GraniteServiceVersion20100801.${operation}`,
      'content-type': 'application/x-amz-json-1.0',
    },
    body: JSON.stringify(body),
  });
  return { status: res.status, header: res.headers.get('x-amzn-query-error'), text: await res.text() };
}

async function lambdaCall(t: TestSandbox, method: string, path: string, body?: unknown) {
  const res = await fetch(`${t.handle.url}${path}`, {
    method,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, type: res.headers.get('x-amzn-errortype'), text: await res.text() };
}

describe('prototype member names in requests', () => {
  it.each(PROTO_NAMES)('CloudWatch target %s is an unknown operation, not the world state', async (name) => {
    const t = await sandboxWithSecret();
    const reply = await cloudWatchCall(t, name);
    expect(reply.status).toBe(400);
    expect(reply.header).toBe('UnknownOperationException;Sender');
    expect(JSON.parse(reply.text)).toMatchObject({ __type: 'UnknownOperationException' });
    expect(reply.text).not.toContain(SECRET);
  });

  it.each(PROTO_NAMES)('Lambda function, alias and qualifier named %s are not found', async (name) => {
    const t = await sandboxWithSecret();
    const encoded = encodeURIComponent(name);
    for (const path of [
      `/2015-03-31/functions/${encoded}/configuration`,
      `/2015-03-31/functions/${encoded}`,
      `/2015-03-31/functions/${encoded}/aliases`,
      `/2015-03-31/functions/demo/aliases/${encoded}`,
      `/2015-03-31/functions/demo/configuration?Qualifier=${encoded}`,
      `/2015-03-31/functions/${encodeURIComponent(`demo:${name}`)}/configuration`,
    ]) {
      const reply = await lambdaCall(t, 'GET', path);
      expect(reply.status, `${path}: ${reply.text}`).toBe(404);
      expect(reply.type, path).toBe('ResourceNotFoundException');
      expect(reply.text).not.toContain(SECRET);
    }
    const update = await lambdaCall(t, 'PUT', `/2015-03-31/functions/demo/aliases/${encoded}`, {
      FunctionVersion: '1',
    });
    expect(update.status, update.text).toBe(404);
    const tags = await lambdaCall(
      t,
      'GET',
      `/2017-03-31/tags/${encodeURIComponent(t.handle.state.functionArn(name))}`,
    );
    expect(tags.status, tags.text).toBe(404);
  });

  it.each(PROTO_NAMES)(
    'CloudWatch alarm named %s is not found until created, then is an ordinary alarm',
    async (name) => {
      const t = await sandboxWithSecret();
      const described = await cloudWatchCall(t, 'DescribeAlarms', { AlarmNames: [name] });
      expect(described.status, described.text).toBe(200);
      expect(JSON.parse(described.text).MetricAlarms).toEqual([]);
      const set = await cloudWatchCall(t, 'SetAlarmState', {
        AlarmName: name,
        StateValue: 'ALARM',
        StateReason: 'x',
      });
      expect(set.status, set.text).toBe(404);
      const deleted = await cloudWatchCall(t, 'DeleteAlarms', { AlarmNames: [name] });
      expect(deleted.status, deleted.text).toBe(404);
      await t.cloudWatch.send(
        new PutMetricAlarmCommand({
          AlarmName: name,
          Namespace: 'AWS/Lambda',
          MetricName: 'Errors',
          Statistic: 'Sum',
          Period: 60,
          EvaluationPeriods: 1,
          Threshold: 1,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        }),
      );
      const listed = await t.cloudWatch.send(new DescribeAlarmsCommand({ AlarmNames: [name] }));
      expect(listed.MetricAlarms?.map((a) => a.AlarmName)).toEqual([name]);
    },
  );

  it.each(PROTO_NAMES)('a function and a tag named %s are ordinary, as in Lambda', async (name) => {
    const t = await sandboxWithSecret();
    await t.lambda.send(
      new CreateFunctionCommand({
        FunctionName: name,
        Role: ROLE,
        Runtime: 'nodejs20.x',
        Handler: 'index.handler',
        Code: { ZipFile: zip(1) },
      }),
    );
    const config = await t.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
    expect(config.FunctionName).toBe(name);
    const all = await t.lambda.send(new ListFunctionsCommand({}));
    expect(all.Functions?.map((f) => f.FunctionName).sort()).toEqual(['demo', name].sort());
    const arn = t.handle.state.functionArn('demo');
    await t.lambda.send(new TagResourceCommand({ Resource: arn, Tags: { [name]: 'v' } }));
    const tags = await t.lambda.send(new ListTagsCommand({ Resource: arn }));
    expect(tags.Tags?.[name]).toBe('v');
  });
});

describe('malformed HTTP', () => {
  function rawRequest(t: TestSandbox, text: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = connect(t.handle.port, '127.0.0.1', () => socket.end(text));
      let received = '';
      socket.on('data', (d) => {
        received += d;
      });
      socket.on('error', reject);
      socket.on('close', () => resolve(received));
      socket.setTimeout(10_000, () => socket.destroy());
    });
  }

  it('answers a body larger than Lambda accepts with 413 from its Content-Length, without reading it', async () => {
    const t = await sandboxWithSecret();
    const reply = await rawRequest(
      t,
      'POST /2015-03-31/functions HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000\r\n\r\n{"a":',
    );
    expect(reply).toMatch(/^HTTP\/1\.1 413/);
    expect(reply).toContain('RequestTooLargeException');
  });

  it('answers a garbage Content-Length with a 400 and keeps serving', async () => {
    const t = await sandboxWithSecret();
    const reply = await rawRequest(t, 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: banana\r\n\r\n{}');
    expect(reply).toMatch(/^HTTP\/1\.1 400/);
    const cut = await rawRequest(
      t,
      'POST /2015-03-31/functions HTTP/1.1\r\nHost: x\r\nContent-Length: 50\r\nConnection: close\r\n\r\n{"a"',
    ).catch(() => '');
    expect(cut).not.toContain(SECRET);
    const alive = await t.lambda.send(new ListFunctionsCommand({}));
    expect(alive.Functions?.map((f) => f.FunctionName)).toEqual(['demo']);
  });

  it.each(['null', '[]', '"text"', '42', '{"__proto__":{"x":1}}'])(
    'answers a CloudWatch body of %s with an AWS error or a reply, never a crash',
    async (body) => {
      const t = await sandboxWithSecret();
      const res = await fetch(`${t.handle.url}/`, {
        method: 'POST',
        headers: { 'x-amz-target': 'GraniteServiceVersion20100801.DescribeAlarms' },
        body,
      });
      expect([200, 400]).toContain(res.status);
      if (res.status === 400) expect(res.headers.get('x-amzn-query-error')).toMatch(/;Sender$/);
      const lambda = await fetch(`${t.handle.url}/2015-03-31/functions/demo/aliases/live`, {
        method: 'PUT',
        body,
      });
      expect([200, 400]).toContain(lambda.status);
      expect(await lambda.text()).not.toContain(SECRET);
    },
  );
});
