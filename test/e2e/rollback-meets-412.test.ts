/**
 * An operator's `lshift rollback` lands while the deploy's 100% write is in flight, and the deploy
 * could not read its record meanwhile (ListTags cut): its write meets the rollback's 412 before it
 * has seen the claim, and its alias reads right after are cut too. Its one read of the record then
 * finds the operator's rollback of this deployment: rolled back by them (exit 3), as when a poll
 * sees the claim first — it was a conflict (exit 5, "someone else moved it").
 * engine twin: test/engine/conflict-meets-claim.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { expectValidResultOf } from '../helpers/contract.js';
import { matches } from '../helpers/fault-proxy.js';
import { useProxiedSandbox } from './sandbox-env.js';

const UPDATE_ALIAS = { method: 'PUT', path: /\/functions\/demo\/aliases\/live$/ };
const isGetAlias = (r: { method: string; path: string }) =>
  r.method === 'GET' && /\/functions\/demo\/aliases\/live$/.test(r.path);
/** ListTags (the record's read) and TagResource (its write): the deployment record's calls. */
const isRecordCall = (r: { path: string }) => /\/tags\//.test(r.path);

describe('deploy meets an operator’s rollback through a 412 (built CLI, sandbox behind the fault proxy)', () => {
  const faulty = useProxiedSandbox();

  // Skipped, with a reason: its proxy rules depend on the order in which the deploy's heartbeat,
  // its 412's alias reads and its record read reach the proxy, which varies from run to run: it
  // failed 1 of 2 fresh-clone CI runs on 2026-12-03 (ci140: exit 5, the record read still cut) on a
  // quiet machine. The behaviour is covered deterministically by its engine twin,
  // test/engine/conflict-meets-claim.test.ts (7 tests, each failing without the fix). To be
  // rewritten with the sandbox's own hold (`/__lshift/hold`) so the order is fixed, not raced.
  it.skip('its record read after the 412 finds the rollback: rolled back by the operator, exit 3', async () => {
    // 10×: the 1-minute hold takes 6 s; the rollback's 3-s claim settle, 0.3 s.
    const env = await faulty.sandbox({ preset: 'healthy', speed: 10 });
    const proxy = await faulty.proxy();
    let recordCut = false;
    let aliasReadsCut = false;
    // Rules are tried in order: the first only watches. The record's calls stay cut through the
    // 412's own alias read (its 3 attempts: a heartbeat beside the write may read the claim first
    // otherwise, the path a poll takes); then the deploy's first record read answers, and its
    // alias reads from then on. Its two alias reads before that one are cut.
    const aliasResets = () => proxy.events.filter((e) => isGetAlias(e) && e.fault === 'reset').length;
    proxy.arm({
      match: {
        where: (r) => {
          if (aliasReadsCut && isGetAlias(r) && aliasResets() >= 3) recordCut = false;
          else if (aliasReadsCut && !recordCut && isRecordCall(r) && r.method === 'GET')
            aliasReadsCut = false;
          return false;
        },
      },
      fault: 'reset',
    });
    proxy.arm({ match: { where: (r) => recordCut && isRecordCall(r) }, times: Infinity, fault: 'reset' });
    proxy.arm({ match: { where: (r) => aliasReadsCut && isGetAlias(r) }, times: Infinity, fault: 'reset' });
    // The 100% write (the second), held until the rollback is over.
    proxy.arm({ match: UPDATE_ALIAS, nth: 2, fault: 'hold' });

    const deploy = env.cli(['deploy', 'demo', '--strategy', 'linear:50%:1m', '--no-analysis', '--json'], {
      env: { LSHIFT_SANDBOX: proxy.url, LSHIFT_AWS_TIMEOUT: '15s' },
      timeoutMs: 120_000,
    });
    await proxy.waitForHeld();
    recordCut = true;
    const rollback = await env.cli(['rollback', 'demo', '--reason', 'bad dashboards', '--json']);
    expect(rollback.code, rollback.stderr).toBe(0);
    aliasReadsCut = true;
    proxy.releaseHeld();

    const run = await deploy;
    const answered = proxy.events.filter((e) => matches(UPDATE_ALIAS, e) && e.status !== undefined);
    expect(answered.map((e) => e.status)).toEqual([200, 412]);
    expect(aliasResets()).toBeGreaterThan(3);
    expect(run.code, run.stderr).toBe(3);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({
      status: 'rolled_back',
      cause: { code: 'ROLLED_BACK_BY_OTHER', data: { owner: expect.stringMatching(/^rollback:/) } },
    });
    expect(result.reason).toMatch(
      /^rolled back by rollback:\S+ at step 2 \(100%\), while this lshift still ran it/,
    );
    expect(run.stderr).toContain('taken over by rollback:');
    expectValidResultOf('deploy', result);
    expect(await env.status()).toMatchObject({
      functionVersion: '1',
      additionalWeights: {},
      record: { phase: 'rolled-back' },
    });
  });
});
