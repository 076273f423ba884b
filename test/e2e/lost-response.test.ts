/**
 * Issue 9 case 5 end to end: the built CLI talks to the sandbox through the fault proxy, which
 * lets an UpdateAlias reach the sandbox and then drops its response. The SDK retries with the
 * stale RevisionId and gets 412; lshift must recognise its own write and carry on.
 */
import { describe, expect, it } from 'vitest';
import { matches } from '../helpers/fault-proxy.js';
import { useProxiedSandbox } from './sandbox-env.js';

const UPDATE_ALIAS = { method: 'PUT', path: /\/functions\/demo\/aliases\/live$/ };

describe('a lost UpdateAlias response (built CLI, sandbox behind the fault proxy)', () => {
  const faulty = useProxiedSandbox();

  it('promotes (exit 0) when the response of the 2nd weight write is lost after it was applied', async () => {
    const env = await faulty.sandbox({ preset: 'healthy' });
    const proxy = await faulty.proxy();
    proxy.arm({ match: UPDATE_ALIAS, nth: 2, fault: 'drop' });
    const run = await env.cli(
      // --no-analysis: equal versions, which the judge could roll back by chance (≤ 1%, docs/analysis.md).
      ['deploy', 'demo', '--strategy', 'linear:25%:1m', '--alarm', 'demo-errors', '--no-analysis', '--json'],
      {
        env: { LSHIFT_SANDBOX: proxy.url },
        timeoutMs: 120_000,
      },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ status: 'promoted', toVersion: '2' });
    const writes = proxy.events.filter((e) => matches(UPDATE_ALIAS, e));
    // 25% (answered), 50% (applied, answer dropped), 50% again (the SDK's retry: 412), 75%, 100%.
    expect(writes.map((e) => [e.fault, e.status])).toEqual([
      [undefined, 200],
      ['drop', 200],
      [undefined, 412],
      [undefined, 200],
      [undefined, 200],
    ]);
    const status = await env.status();
    expect(status).toMatchObject({ functionVersion: '2', additionalWeights: {} });
  });

  it('rolls back (exit 3) when the rollback write’s response is lost', async () => {
    const env = await faulty.sandbox({ preset: 'bad' });
    const proxy = await faulty.proxy();
    // 1: the 10% write; 2: the rollback write.
    proxy.arm({ match: UPDATE_ALIAS, nth: 2, fault: 'drop' });
    const run = await env.cli(
      ['deploy', 'demo', '--strategy', 'canary:10%:5m', '--alarm', 'demo-errors', '--json'],
      {
        env: { LSHIFT_SANDBOX: proxy.url },
        timeoutMs: 120_000,
      },
    );
    expect(run.code, run.stderr).toBe(3);
    expect(JSON.parse(run.stdout)).toMatchObject({ status: 'rolled_back' });
    expect(proxy.events.some((e) => e.fault === 'drop')).toBe(true);
    const status = await env.status();
    expect(status).toMatchObject({ functionVersion: '1', additionalWeights: {} });
  });
});
