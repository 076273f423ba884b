import { connect } from 'node:net';
import { GetAliasCommand, LambdaClient, ListTagsCommand, UpdateAliasCommand } from '@aws-sdk/client-lambda';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { describe, expect, it } from 'vitest';
import { sdkAppId } from '../../src/sandbox/request-gate.js';
import { waitUntil } from '../helpers/wait-until.js';
import { createLiveFunction, type TestSandbox, useTestSandboxes } from './helpers.js';

/** The control endpoints tests use to act on an event instead of at a simulated time. */
const sandbox = useTestSandboxes((t) => createLiveFunction(t, 'fn'));

async function control(t: TestSandbox, path: string, body?: unknown) {
  const res = await fetch(`${t.handle.url}/__lshift/${path}`, {
    method: 'POST',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: await res.json() };
}

describe('POST /__lshift/faults', () => {
  it('adds a version fault that starts now (durations count from now), validated like a scenario', async () => {
    const t = await sandbox();
    t.advance(3_600_000);
    const added = await control(t, 'faults', {
      faults: [{ type: 'version', function: 'fn', version: '1', errorRate: 0.5, until: '10m' }],
    });
    expect(added).toEqual({ status: 200, json: { added: 1, simNowMs: t.now() } });
    expect(t.handle.state.faults.versions).toEqual([
      { function: 'fn', version: '1', errorRate: 0.5, fromMs: t.now(), untilMs: t.now() + 600_000 },
    ]);
    const bad = await control(t, 'faults', { faults: [{ type: 'version', function: 'fn', errorRate: 2 }] });
    expect(bad.status).toBe(400);
    expect(bad.json.message).toContain('faults[0].version');
    // Said once, by the endpoint: not "POST /__lshift/faults: faults: `faults[0]…`".
    expect(bad.json.message).toMatch(/^POST \/__lshift\/faults: `faults\[0\]\.version` /);
    expect((await control(t, 'faults', [1])).status).toBe(400);
  });

  // A fault without `at` starts now: `until: 0s` (or a timestamp already past) never applied, and
  // was answered {"added":1} (found by a docs audit).
  it('refuses a fault whose until is not later than now when it has no at (400, nothing added)', async () => {
    const t = await sandbox();
    t.advance(3_600_000);
    const zero = await control(t, 'faults', { faults: [{ type: 'api', kind: '5xx', rate: 1, until: '0s' }] });
    expect(zero.status).toBe(400);
    expect(zero.json.message).toContain(
      "`faults[0].until` (0s) is not later than the fault's start (no `faults[0].at`: it starts at once): the fault would never apply",
    );
    const past = new Date(t.now() - 60_000).toISOString();
    const gone = await control(t, 'faults', { faults: [{ type: 'api', kind: '5xx', rate: 1, until: past }] });
    expect(gone.status).toBe(400);
    expect(gone.json.message).toContain("is not later than the fault's start (no `at`: it starts at once");
    expect(t.handle.state.faults.api).toEqual([]);
  });

  // Found by a hostile pass: a fault's fields at the top level (the list forgotten) answered
  // {"added":0}, and the test or user went on believing a fault was running.
  it('a body without `faults` (a fault’s own fields at the top, or nothing) is a 400 naming the fields', async () => {
    const t = await sandbox();
    const flat = await control(t, 'faults', { type: 'api', operations: ['GetAlias'], kind: '5xx' });
    expect(flat.status).toBe(400);
    expect(flat.json.message).toContain('unknown fields `type`, `operations`, `kind`');
    const empty = await control(t, 'faults', {});
    expect(empty.status).toBe(400);
    expect(empty.json.message).toContain('needs `faults`');
    expect((await control(t, 'faults', { clear: true })).json).toMatchObject({ added: 0, cleared: 0 });
  });
});

// Found by a hostile pass: both were added (`{"added":1}`) and never fired.
describe('POST /__lshift/faults refuses a fault that could never fire', () => {
  it('an API fault on an operation the sandbox does not answer: 400 with a suggestion, nothing added', async () => {
    const t = await sandbox();
    const typo = await control(t, 'faults', {
      faults: [{ type: 'api', kind: '5xx', rate: 1, operations: ['UpdateAlais'] }],
    });
    expect(typo.status).toBe(400);
    expect(typo.json.message).toContain(
      '`faults[0].operations[0]` names "UpdateAlais", which is no operation the sandbox answers: did you mean UpdateAlias?',
    );
    const wrongService = await control(t, 'faults', {
      faults: [{ type: 'api', service: 'cloudwatch', kind: '5xx', rate: 1, operations: ['UpdateAlias'] }],
    });
    expect(wrongService.json.message).toContain('"UpdateAlias", which is no cloudwatch operation');
    expect(t.handle.state.faults.api).toEqual([]);
  });

  it('a version fault on a function the sandbox does not have: 400 naming the ones it has', async () => {
    const t = await sandbox();
    const typo = await control(t, 'faults', {
      faults: [{ type: 'version', function: 'f', version: '1', errorRate: 1 }],
    });
    expect(typo.status).toBe(400);
    expect(typo.json.message).toContain(
      '`faults[0].function` names "f", a function the sandbox does not have (did you mean fn?); it has fn',
    );
    expect(t.handle.state.faults.versions).toEqual([]);
  });

  it('the hold refuses an unknown operation with the same words', async () => {
    const t = await sandbox();
    const held = await control(t, 'hold', { only: ['UpdateAlais'] });
    expect(held.status).toBe(400);
    expect(held.json.message).toContain(
      '`only` names "UpdateAlais", which is no operation the sandbox answers: did you mean UpdateAlias?',
    );
  });
});

describe('POST /__lshift/faults with clear', () => {
  it('ends every API fault before adding the new ones: a call that failed until now answers', async () => {
    const t = await sandbox();
    const failing = { type: 'api', service: 'lambda', operations: ['GetAlias'], kind: '5xx', rate: 1 };
    await control(t, 'faults', { faults: [failing] });
    const read = () => t.lambda.send(new GetAliasCommand({ FunctionName: 'fn', Name: 'live' }));
    await expect(read()).rejects.toThrow(/injected by the sandbox/);
    const cleared = await control(t, 'faults', {
      clear: true,
      faults: [{ ...failing, operations: ['ListTags'] }],
    });
    expect(cleared.json).toMatchObject({ added: 1, cleared: 1 });
    expect((await read()).FunctionVersion).toBe('1');
    await expect(
      t.lambda.send(new ListTagsCommand({ Resource: 'arn:aws:lambda:us-east-1:123456789012:function:fn' })),
    ).rejects.toThrow(/injected by the sandbox/);
    expect((await control(t, 'faults', { clear: 'yes' })).status).toBe(400);
  });
});

describe('POST /__lshift/hold and /__lshift/release', () => {
  it('holds every request after the Nth UpdateAlias until released, then lets them through', async () => {
    const t = await sandbox();
    await createLiveFunction(t, 'other');
    const held = await control(t, 'hold', { after: 'UpdateAlias', count: 1 });
    expect(held.json).toMatchObject({ holding: false, held: 0 });
    await t.lambda.send(new UpdateAliasCommand({ FunctionName: 'fn', Name: 'live', Description: 'first' }));
    const waiting = t.lambda.send(new GetAliasCommand({ FunctionName: 'fn', Name: 'live' }));
    await t.handle.state.gate.whenHolding();
    const health = await (await fetch(`${t.handle.url}/__lshift/health`)).json();
    expect(health).toMatchObject({ holding: true, held: 1 });
    expect((await control(t, 'release')).json).toMatchObject({ holding: false });
    expect((await waiting).Description).toBe('first');
  });

  it('drops the held requests on release with drop (their client was killed), without applying them', async () => {
    const t = await sandbox();
    await control(t, 'hold', {});
    const write = fetch(`${t.handle.url}/2015-03-31/functions/fn/aliases/live`, {
      method: 'PUT',
      body: JSON.stringify({ Description: 'never' }),
    }).then(
      () => 'answered',
      () => 'reset',
    );
    await t.handle.state.gate.whenHolding();
    await control(t, 'release', { drop: true });
    expect(await write).toBe('reset');
    const alias = await t.lambda.send(new GetAliasCommand({ FunctionName: 'fn', Name: 'live' }));
    expect(alias.Description).not.toBe('never');
  });

  // A lost response: the client gave up (its SDK timed out) and the request is applied after all,
  // its answer going nowhere. Plain release drops such a request (server.ts), which the docs had as
  // "lets held requests through" (found by a hostile pass).
  it('release with late applies a held request whose client has gone', async () => {
    const t = await sandbox();
    await control(t, 'hold', {});
    const gaveUp = new AbortController();
    const write = fetch(`${t.handle.url}/2015-03-31/functions/fn/aliases/live`, {
      method: 'PUT',
      body: JSON.stringify({ Description: 'late' }),
      signal: gaveUp.signal,
    }).catch(() => 'gave up');
    await t.handle.state.gate.whenHolding();
    gaveUp.abort();
    expect(await write).toBe('gave up');
    const health = async () => (await fetch(`${t.handle.url}/__lshift/health`)).json();
    await waitUntil(async () => (await health()).heldClientGone === 1, 'the sandbox saw the client go');
    await control(t, 'release', { late: true });
    const description = async () =>
      (await t.lambda.send(new GetAliasCommand({ FunctionName: 'fn', Name: 'live' }))).Description;
    await waitUntil(async () => (await description()) === 'late', 'the late write applied');
    expect(await description()).toBe('late');
  });

  // One client stopped at an exact call while another runs: the gate tells them by the SDK app id
  // of their User-Agent (AWS_SDK_UA_APP_ID), as an e2e test tells the deploy under test from an
  // operator's command (test/e2e/rollback-meets-412.test.ts).
  it('holds only the requests of the client named by its SDK app id', async () => {
    const t = await sandbox();
    const deployer = new LambdaClient({
      endpoint: t.handle.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' },
      retryStrategy: new ConfiguredRetryStrategy(3, () => 0),
      userAgentAppId: 'deployer',
    });
    try {
      expect((await control(t, 'hold', { only: ['GetAlias'], client: 'deployer' })).json).toMatchObject({
        holding: true,
      });
      const held = deployer.send(new GetAliasCommand({ FunctionName: 'fn', Name: 'live' }));
      await t.handle.state.gate.whenHolding();
      // Another client's GetAlias, and the same client's other operations, go on.
      expect((await t.lambda.send(new GetAliasCommand({ FunctionName: 'fn', Name: 'live' }))).Name).toBe(
        'live',
      );
      await deployer.send(new UpdateAliasCommand({ FunctionName: 'fn', Name: 'live', Description: 'mine' }));
      expect(t.handle.state.gate.held).toBe(1);
      await control(t, 'release');
      expect((await held).Description).toBe('mine');
    } finally {
      deployer.destroy();
    }
  });

  // A trigger tells one client's calls from another's too (test/e2e/operator-verbs.test.ts counts
  // the deploy's record reads, not the verb's).
  it("gives a trigger each applied request's client", async () => {
    const t = await sandbox();
    const deployer = new LambdaClient({
      endpoint: t.handle.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' },
      userAgentAppId: 'deployer',
    });
    try {
      const seen: [string, string | undefined][] = [];
      t.handle.state.gate.holdAfter((operation, _sb, client) => {
        seen.push([operation, client]);
        return false;
      });
      await deployer.send(new GetAliasCommand({ FunctionName: 'fn', Name: 'live' }));
      await t.lambda.send(new GetAliasCommand({ FunctionName: 'fn', Name: 'live' }));
      expect(seen).toEqual([
        ['GetAlias', 'deployer'],
        ['GetAlias', undefined],
      ]);
    } finally {
      deployer.destroy();
    }
  });

  it('release with only lets just those operations go on: the others stay held, the gate closed', async () => {
    const t = await sandbox();
    await control(t, 'hold', { only: ['UpdateAlias', 'GetAlias'] });
    const write = t.lambda.send(
      new UpdateAliasCommand({ FunctionName: 'fn', Name: 'live', Description: 'w' }),
    );
    await t.handle.state.gate.whenHolding();
    const read = t.lambda.send(new GetAliasCommand({ FunctionName: 'fn', Name: 'live' }));
    await waitUntil(() => t.handle.state.gate.held === 2, 'both held');
    const released = await control(t, 'release', { only: ['UpdateAlias'] });
    expect(released.json).toMatchObject({ holding: true, held: 1 });
    expect((await write).Description).toBe('w');
    // The next UpdateAlias is held again, until a plain release opens the gate.
    const again = t.lambda.send(
      new UpdateAliasCommand({ FunctionName: 'fn', Name: 'live', Description: 'x' }),
    );
    await waitUntil(() => t.handle.state.gate.held === 2, 'the second write held');
    expect((await control(t, 'release')).json).toMatchObject({ holding: false, held: 0 });
    expect((await again).Description).toBe('x');
    expect((await read).Description).toMatch(/^[wx]$/);
  });

  it('reads the SDK app id from the User-Agent the SDK sends', () => {
    expect(
      sdkAppId('aws-sdk-js/3.1 ua/2.1 os/linux#6 lang/js md/nodejs#20 api/lambda#3.1 m/E,Z app/deployer'),
    ).toBe('deployer');
    expect(sdkAppId('aws-sdk-js/3.1 ua/2.1 lang/js')).toBeUndefined();
    expect(sdkAppId('myapp/1.0')).toBeUndefined();
    expect(sdkAppId(undefined)).toBeUndefined();
  });

  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])(
    'answers /__lshift/%s with a 404 listing the endpoints',
    async (name) => {
      const t = await sandbox();
      for (const method of ['GET', 'POST']) {
        const res = await fetch(`${t.handle.url}/__lshift/${name}`, { method });
        expect(res.status).toBe(404);
        expect((await res.json()).message).toContain('POST /__lshift/hold');
      }
    },
  );

  it('refuses a bad hold request with a 400 naming the field', async () => {
    const t = await sandbox();
    const bad = await control(t, 'hold', { after: 'UpdateAlias', count: 0 });
    expect(bad.status).toBe(400);
    expect(bad.json.message).toContain('count');
    const noClient = await control(t, 'hold', { client: '' });
    expect(noClient.status).toBe(400);
    expect(noClient.json.message).toContain('client');
    const badRelease = await control(t, 'release', { only: 'UpdateAlias' });
    expect(badRelease.status).toBe(400);
    expect(badRelease.json.message).toContain('only');
  });
});

/** Sends `head` and `body` on a raw connection, half-closes it, and resolves with all that came back. */
function rawRequest(url: string, head: string, body: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      socket.write(head);
      socket.end(body);
    });
    let answer = '';
    socket.on('data', (chunk) => {
      answer += chunk.toString('utf8');
    });
    socket.on('error', (error) =>
      (error as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(error),
    );
    socket.on('close', () => resolve(answer));
  });
}

// Found by a hostile pass: a control body that could not be read was applied as if empty (an
// unreadable `hold` held every operation, a cut `release {"drop":true}` released to apply), a
// 2.4 MB one was accepted, and bodies that do nothing were taken without a word.
describe('control bodies that cannot be read, or do nothing', () => {
  async function holding(t: TestSandbox): Promise<boolean> {
    const res = await fetch(`${t.handle.url}/__lshift/health`);
    return ((await res.json()) as { holding: boolean }).holding;
  }

  it('a body shorter than its Content-Length (the client left): no 200, nothing applied', async () => {
    const t = await sandbox();
    const body = '{"only":["UpdateAlias"]';
    const answer = await rawRequest(
      t.handle.url,
      `POST /__lshift/hold HTTP/1.1\r\nHost: sandbox\r\nContent-Type: application/json\r\nContent-Length: ${body.length + 40}\r\n\r\n`,
      body,
    );
    // The connection closed, or a 400 for the malformed request: never the hold's 200.
    expect(answer).not.toMatch(/^HTTP\/1\.1 200/);
    expect(await holding(t)).toBe(false);
  });

  it('a body over the control limit: 413, nothing applied', async () => {
    const t = await sandbox();
    const big = await control(t, 'hold', { only: ['UpdateAlias'], pad: 'x'.repeat(2_400_000) });
    expect(big.status).toBe(413);
    expect(big.json.message).toContain('nothing was applied');
    expect(await holding(t)).toBe(false);
  });

  it.each([
    ['hold', { only: ['NoSuchOp'] }, '`only` names "NoSuchOp"'],
    ['hold', { after: 'Nope', count: 1 }, '`after` names "Nope"'],
    ['hold', { only: [] }, '`only` is empty'],
    ['hold', { olny: ['UpdateAlias'] }, 'unknown field `olny`'],
    ['hold', { count: 2 }, '`count` needs `after`'],
    ['release', { late: true, drop: true }, 'give `late` or `drop`, not both'],
    ['release', { drop: 'yes' }, '`drop` must be true or false'],
    ['release', { only: ['NoSuchOp'] }, '`only` names "NoSuchOp"'],
  ])('%s %j is a 400 naming the field, and nothing is applied', async (path, body, words) => {
    const t = await sandbox();
    const bad = await control(t, path, body);
    expect(bad.status).toBe(400);
    expect(bad.json.message).toContain(words);
    expect(await holding(t)).toBe(false);
  });

  it('operations of every service are accepted by name', async () => {
    const t = await sandbox();
    const ok = await control(t, 'hold', { only: ['UpdateAlias', 'GetMetricData', 'GetDeployment'] });
    expect(ok.status).toBe(200);
    expect((await control(t, 'release', { late: true })).status).toBe(200);
  });
});
