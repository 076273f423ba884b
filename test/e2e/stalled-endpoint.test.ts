/**
 * Issue 9 case 4 end to end: an endpoint that accepts and never answers (the fault proxy's
 * `stall`) mid-shift must end the deploy with a rollback attempt, never a hang; `lshift status`
 * against it fails with a clear message. LSHIFT_AWS_TIMEOUT shortens one request's timeout so
 * the documented bound (docs/exit-codes.md#time-bounds) is seconds here. Faults are armed on
 * events seen by the proxy, never on timers.
 */
import { describe, expect, it } from 'vitest';
import { matches } from '../helpers/fault-proxy.js';
import { stderrShows } from '../helpers/run-cli.js';
import { useProxiedSandbox } from './sandbox-env.js';

const ATTEMPT_MS = 300;
/** One call: 3 attempts + 1 s (src/aws/time-bounds.ts). */
const CALL_MS = 3 * ATTEMPT_MS + 1000;
/** One call at the default request timeout (10 s): 3 attempts + 1 s. */
const DEFAULT_CALL_MS = 31_000;
/** The rollback's alias write: all traffic back on version 1, no weight on version 2. */
const isRollbackWrite = (body: string) =>
  body.includes('"FunctionVersion":"1"') && /"AdditionalVersionWeights":\{\}/.test(body);
const UPDATE_ALIAS = { method: 'PUT', path: /\/functions\/demo\/aliases\/live$/ };
/** Every AWS request; not the sandbox clock, read once at start-up. */
const ANY_AWS_CALL = { path: /^\/(?!__lshift)/ };
const CLI_ENV = { LSHIFT_AWS_TIMEOUT: `${ATTEMPT_MS}ms` };

describe('a stalled endpoint (built CLI, sandbox behind the fault proxy)', () => {
  const faulty = useProxiedSandbox();

  it('rolls back (exit 3) when DescribeAlarms stops answering mid-shift', async () => {
    const env = await faulty.sandbox({ preset: 'healthy', speed: 60 });
    const proxy = await faulty.proxy();
    proxy.arm({
      match: { target: 'DescribeAlarms' },
      nth: 3,
      times: Number.POSITIVE_INFINITY,
      fault: 'stall',
    });
    const run = await env.cli(
      ['deploy', 'demo', '--strategy', 'linear:10%:10m', '--alarm', 'demo-errors', '--json'],
      {
        env: { ...CLI_ENV, LSHIFT_SANDBOX: proxy.url },
        timeoutMs: 180_000,
      },
    );
    expect(run.code, run.stderr).toBe(3);
    const result = JSON.parse(run.stdout);
    expect(result.status).toBe('rolled_back');
    expect(result.reason).toContain('health unreadable: 3 consecutive polls failed');
    expect(result.reason).toContain('did not answer cloudwatch:DescribeAlarms');
    await expect(env.status()).resolves.toMatchObject({ functionVersion: '1', additionalWeights: {} });
  }, 240_000);

  it('ends with exit 4, the alias state and the fix command, within the documented bound, when everything stalls mid-shift', async () => {
    const env = await faulty.sandbox({ preset: 'healthy', speed: 60 });
    const proxy = await faulty.proxy();
    const started = Date.now();
    let stalledAt = 0;
    const running = env.cli(
      ['deploy', 'demo', '--strategy', 'linear:10%:10m', '--alarm', 'demo-errors', '--json'],
      {
        env: { ...CLI_ENV, LSHIFT_SANDBOX: proxy.url },
        timeoutMs: 180_000,
      },
    );
    await proxy.waitFor({ ...UPDATE_ALIAS, body: /"RoutingConfig"/ }, 1);
    proxy.arm({ match: ANY_AWS_CALL, times: Number.POSITIVE_INFINITY, fault: 'stall' });
    stalledAt = Date.now();
    const run = await running;
    const elapsed = Date.now() - stalledAt;
    expect(run.code, run.stderr).toBe(4);
    const result = JSON.parse(run.stdout);
    expect(result.status).toBe('unsafe');
    const actual = await env.status();
    expect(result.aliasState).toEqual({
      functionVersion: actual.functionVersion,
      additionalWeights: actual.additionalWeights,
    });
    expect(actual.additionalWeights['2']).toBeGreaterThan(0); // split: the rollback never got through
    expect(result.fixCommand).toContain(
      'aws lambda update-alias --function-name demo --name live --function-version 1',
    );
    // docs/exit-codes.md#time-bounds: one call in flight, L=3 unreadable polls, each with a
    // health read and a heartbeat (read + write), then the rollback path's 14 calls + 3.5 s.
    // Poll interval 10 s of sandbox time = 10 s / 60 real.
    const pollMs = 10_000 / 60;
    const bound = CALL_MS + 3 * (pollMs + 3 * CALL_MS) + 14 * CALL_MS + 3_500;
    // The bound counts lshift's waits (request timeouts, the poll interval, the rollback's
    // pauses): timers, which a loaded machine does not stretch. What load adds is the CPU time
    // of some 70 stalled requests and the exit, well under a second each even at a tenth of a
    // core, so a second bound's worth of margin (≈ 50 s) is room for the machine, not for lshift:
    // a stalled call waited out at the default timeout (31 s each, ≈ 778 s in all) or a hang
    // would still be far beyond it.
    console.log(`everything stalled → exit took ${elapsed} ms (documented bound ${Math.round(bound)} ms)`);
    expect(elapsed).toBeLessThanOrEqual(2 * bound);
    expect(stalledAt - started).toBeGreaterThan(0);
  }, 240_000);

  it('a first SIGINT while a call hangs starts the rollback without waiting for the call’s timeout (exit 3)', async () => {
    const env = await faulty.sandbox({ preset: 'healthy', speed: 60 });
    const proxy = await faulty.proxy();
    proxy.arm({
      match: { target: 'DescribeAlarms' },
      nth: 3,
      times: Number.POSITIVE_INFINITY,
      fault: 'stall',
    });
    let takenAt = 0;
    const running = env.cli(
      ['deploy', 'demo', '--strategy', 'linear:10%:10m', '--alarm', 'demo-errors', '--json'],
      {
        // The default bound: one DescribeAlarms would take 31 s to give up on its own, its
        // second attempt sent after the first one's 10 s.
        env: { LSHIFT_SANDBOX: proxy.url },
        timeoutMs: 180_000,
        onSpawn: (child) => {
          void proxy.waitFor({ target: 'DescribeAlarms' }, 3).then(() => {
            void stderrShows(child, 'SIGINT received').then(() => {
              takenAt = Date.now();
            });
            child.kill('SIGINT');
          });
        },
      },
    );
    const rollbackWrite = proxy.waitFor({ ...UPDATE_ALIAS, body: isRollbackWrite }, 1);
    const run = await running;
    const tookMs = Date.now() - takenAt;
    expect(run.code, run.stderr).toBe(3);
    expect(JSON.parse(run.stdout)).toMatchObject({ status: 'rolled_back' });
    await expect(env.status()).resolves.toMatchObject({ functionVersion: '1', additionalWeights: {} });
    // The proof, whatever the machine's speed: when the rollback's alias write reached the
    // endpoint, the stalled call had made one attempt only. Waited for, it would have sent its
    // second attempt (after 10 s) before giving up; abandoned, its socket is closed and nothing
    // retries it. Order at the proxy, not a stopwatch.
    await rollbackWrite;
    const upToRollback = proxy.events.slice(
      0,
      proxy.events.findIndex((e) => e.method === 'PUT' && isRollbackWrite(e.body)),
    );
    expect(upToRollback.filter((e) => matches({ target: 'DescribeAlarms' }, e))).toHaveLength(3);
    // And promptly: from the moment lshift said it took the signal, the rollback's few calls to
    // a live endpoint, which take about a second. The ceiling is the abandoned call's own bound
    // (31 s), not a guess at this machine's speed: it is what waiting for the call would cost.
    expect(takenAt, 'lshift said it took the SIGINT').toBeGreaterThan(0);
    console.log(`SIGINT while a call stalls → exit ${tookMs} ms after lshift took it`);
    expect(tookMs).toBeLessThan(DEFAULT_CALL_MS);
  }, 240_000);

  it('lshift status against an endpoint that never answers exits 1, naming the endpoint and the timeout', async () => {
    const env = await faulty.sandbox({ preset: 'healthy', speed: 60 });
    const proxy = await faulty.proxy();
    proxy.arm({ match: ANY_AWS_CALL, times: Number.POSITIVE_INFINITY, fault: 'stall' });
    const run = await env.cli(['status', 'demo'], {
      env: { ...CLI_ENV, LSHIFT_SANDBOX: proxy.url },
      timeoutMs: 120_000,
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Error [NETWORK_ERROR]');
    expect(run.stderr).toContain(`${proxy.url} did not answer lambda:`);
    expect(run.stderr).toContain(`3 attempts of ${ATTEMPT_MS} ms each timed out`);
    expect(run.stderr).toContain('LSHIFT_AWS_TIMEOUT');
    expect(run.stderr).not.toMatch(/^\s+at /m);
  }, 180_000);
});
