/**
 * Two `lshift rollback` runs at once (DESIGN.md §6: operator commands are idempotent). The fault
 * proxy holds the first run's UpdateAlias until the second run has finished its own rollback;
 * the held write then reaches the sandbox with a stale RevisionId (412). The first run reads the
 * alias back, finds it already where it was going, and says so (exit 0) — it is not a conflict,
 * and nothing goes one release further back.
 */
import { describe, expect, it } from 'vitest';
import { matches } from '../helpers/fault-proxy.js';
import { useProxiedSandbox } from './sandbox-env.js';

const UPDATE_ALIAS = { method: 'PUT', path: /\/functions\/demo\/aliases\/live$/ };

describe('lshift rollback twice at once (built CLI, sandbox behind the fault proxy)', () => {
  const faulty = useProxiedSandbox();

  it('the run whose write met the twin’s 412 exits 0 saying the alias was already there; a third run changes nothing', async () => {
    const env = await faulty.sandbox({ preset: 'healthy' });
    const deploy = await env.cli(['deploy', 'demo', '--strategy', 'all-at-once', '--no-analysis', '--json'], {
      timeoutMs: 120_000,
    });
    expect(deploy.code, deploy.stderr).toBe(0);
    expect(await env.status()).toMatchObject({ functionVersion: '2', additionalWeights: {} });

    const proxy = await faulty.proxy();
    proxy.arm({ match: UPDATE_ALIAS, fault: 'hold' });
    const first = env.cli(['rollback', 'demo', '--json'], { env: { LSHIFT_SANDBOX: proxy.url } });
    await proxy.waitForHeld();

    const second = await env.cli(['rollback', 'demo', '--json']);
    expect(second.code, second.stderr).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ status: 'rolled_back', toVersion: '1' });

    proxy.releaseHeld();
    const run = await first;
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({ status: 'nothing_to_deploy', toVersion: '1' });
    expect(result.reason).toContain(
      'the rollback write was refused (412) because the alias had already been put there',
    );
    // Held, then forwarded with the RevisionId read before the twin wrote: 412.
    const answered = proxy.events.filter((e) => matches(UPDATE_ALIAS, e) && e.status !== undefined);
    expect(answered.map((e) => e.status)).toEqual([412]);

    const third = await env.cli(['rollback', 'demo', '--json']);
    expect(third.code, third.stderr).toBe(0);
    expect(JSON.parse(third.stdout)).toMatchObject({ status: 'nothing_to_deploy', toVersion: '1' });
    expect(await env.status()).toMatchObject({
      functionVersion: '1',
      additionalWeights: {},
      record: { phase: 'rolled-back' },
    });
  });
});
