/**
 * An operator's `lshift rollback` while a deploy shifts: the deploy did not go live and all traffic
 * is back on the stable version, so the runner ends rolled back (exit 3), saying by whom — not a
 * conflict (exit 5), which a pipeline reads as "another deployment is in progress, retry later"
 * and whose retry would redeploy the version the operator just rolled back. Whichever the runner
 * meets first — the claim at a heartbeat (it follows the rollback) or the 412 at a write — the end
 * is the same.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { own } from '../../src/sandbox/own.js';
import { expectValidResultOf } from '../helpers/contract.js';
import { until } from './release-fleet.js';
import { type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

describe('deploy, then an operator’s lshift rollback mid-shift (built CLI, sandbox)', () => {
  let env: SandboxEnv | undefined;
  afterEach(async () => {
    await env?.stop();
    env = undefined;
  });

  it('the deploy ends rolled back by the operator, exit 3, and the alias stays on the stable version', async () => {
    // 1×: the runner follows a rollback for at most 3 real minutes (at any speed: it waits for
    // another process), longer than vitest lets the test run: however late a loaded machine's
    // rollback CLI ends, the runner is still following it. The runner's 10-s polls read the
    // record, so it meets the claim within 10 real seconds.
    env = await startSandboxEnv({ preset: 'healthy', speed: 1 });
    const sandbox = env.handle;
    const alias = () => own(own(sandbox.state.data.functions, 'demo')!.aliases, 'live')!;
    const deploy = env.cli(['deploy', 'demo', '--strategy', 'canary:10%:30m', '--no-analysis', '--json'], {
      timeoutMs: 240_000,
    });
    await until(() => Object.keys(alias().weights ?? {}).length > 0, 'the canary weight written');

    const rollback = await env.cli(['rollback', 'demo', '--reason', 'bad dashboards', '--json']);
    expect(rollback.code, rollback.stderr).toBe(0);
    expect(JSON.parse(rollback.stdout)).toMatchObject({ status: 'rolled_back', toVersion: '1' });

    const run = await deploy;
    expect(run.code, run.stderr).toBe(3);
    const result = JSON.parse(run.stdout);
    // Who: the rollback's claim (`rollback:<who>`), or — when the runner's heartbeat overwrote that
    // claim before the rollback closed the record, which a loaded machine makes likely — the
    // record keeps the runner's owner and the runner can only say it was `lshift rollback`
    // (rollback-finished-by.ts; both races are pinned in test/engine). Either way, not a conflict.
    const operator = /^(rollback:\S+|`lshift rollback` from another shell)$/;
    expect(result).toMatchObject({
      status: 'rolled_back',
      cause: { code: 'ROLLED_BACK_BY_OTHER', data: { owner: expect.stringMatching(operator) } },
      finishedBy: { owner: expect.stringMatching(operator), phase: 'rolled-back' },
    });
    expect(result.reason).toMatch(
      /^rolled back by (rollback:\S+|`lshift rollback` from another shell) at step 1 \(10%\), while this lshift still ran it/,
    );
    // The operator ended the step, not its health: `stopped`, which the shipped schema accepts.
    expect(result.steps).toEqual([expect.objectContaining({ index: 0, percent: 10, result: 'stopped' })]);
    expectValidResultOf('deploy', result);
    expect(alias()).toMatchObject({ functionVersion: '1' });
    expect(Object.keys(alias().weights ?? {})).toEqual([]);
  });
});
