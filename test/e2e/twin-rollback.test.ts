/**
 * Two `lshift rollback` runs at once (DESIGN.md §6: operator commands are idempotent). The fault
 * proxy holds the first run's UpdateAlias until the second run has finished its own rollback;
 * the held write then reaches the sandbox with a stale RevisionId (412). The first run reads the
 * alias back, finds it already where it was going, and says so (exit 0) — it is not a conflict,
 * and nothing goes one release further back.
 *
 * The second run may only write once the first one's claim is stale: a claim beats beside its
 * held alias write (beating-driver.ts besideBeat), and a fresh one is waited for, not written
 * beside (rollback-claim.ts; engine: twin-rollback-claim.test.ts). So the first run's record
 * writes fail from the moment its alias write is held — its claim goes stale as a live run's
 * does when the store cannot be written — and the second run starts once the sandbox clock says
 * so. Before the claim beat beside a held call, this test passed only because the claim went
 * stale during the hold (3 simulated minutes: 0.3 real s at 600×).
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_STALE_AFTER_SECONDS } from '../../src/domain/poll-interval.js';
import { CHECK_CLAIM_SKEW_MS } from '../../src/engine/check-classify.js';
import { matches } from '../helpers/fault-proxy.js';
import { waitUntilStale } from './crash-helpers.js';
import { useProxiedSandbox } from './sandbox-env.js';

const UPDATE_ALIAS = { method: 'PUT', path: /\/functions\/demo\/aliases\/live$/ };
/** A record write (TagResource): the first run's claim heartbeat. */
const RECORD_WRITE = { method: 'POST', path: /\/2017-03-31\/tags\// };
/** How old a person's claim must be for another person's rollback to take it over. */
const CLAIM_STALE_MS = DEFAULT_STALE_AFTER_SECONDS * 1000 + CHECK_CLAIM_SKEW_MS;

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
    // Every attempt of the first run's write is held (only it goes through the proxy): while the
    // second run works, a loaded machine can let the first attempt time out, and its retry must
    // not slip through and land before the second run reads the alias. The longest attempt
    // timeout leaves the held call 46 s (3 attempts) before it is cut off.
    proxy.arm({ match: UPDATE_ALIAS, times: Number.POSITIVE_INFINITY, fault: 'hold' });
    const first = env.cli(['rollback', 'demo', '--json'], {
      env: { LSHIFT_SANDBOX: proxy.url, LSHIFT_AWS_TIMEOUT: '15s' },
    });
    await proxy.waitForHeld();
    // Its claim landed before its alias write; no heartbeat of it lands from now on.
    proxy.arm({ match: RECORD_WRITE, times: Number.POSITIVE_INFINITY, fault: 'reset' });
    await waitUntilStale(env, CLAIM_STALE_MS);

    const second = await env.cli(['rollback', 'demo', '--json']);
    expect(second.code, second.stderr).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ status: 'rolled_back', toVersion: '1' });

    proxy.releaseHeld();
    const run = await first;
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({ status: 'nothing_to_deploy', toVersion: '1' });
    // It names who rolled it back meanwhile (since session 71: "the alias had already been put there").
    expect(result.reason).toMatch(
      /^deployment d-\S+ was rolled back by rollback:\S+ while this rollback's alias write waited: all traffic of alias live is on version 1; this rollback's write was then refused \(412\) and overwrote nothing$/,
    );
    // Held, then forwarded with the RevisionId read before the twin wrote: 412 (once more for an
    // attempt that timed out while held and was retried), never a write that landed.
    const answered = proxy.events.filter((e) => matches(UPDATE_ALIAS, e) && e.status !== undefined);
    expect(answered.length).toBeGreaterThan(0);
    expect(answered.map((e) => e.status)).toEqual(answered.map(() => 412));

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
