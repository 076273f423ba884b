import { GetAliasCommand, UpdateAliasCommand } from '@aws-sdk/client-lambda';
import { describe, expect, it } from 'vitest';
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
    expect((await control(t, 'faults', [1])).status).toBe(400);
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
  });
});
