import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_SCENARIOS, type SandboxHandle, seedDemo, startSandbox } from '../../src/sandbox/index.js';
import { runCli } from '../helpers/run-cli.js';
import { FNS } from './release-fleet.js';

/**
 * A function of a release deleted mid-release (here by a release step hook, before the second
 * level): a heartbeat of the hook's wait finds it gone (the release decides there, at step 1:
 * shift-waits.ts), or — when the hook ended before its first heartbeat, as on a fast machine —
 * the next level's record read (a level's writes read first) or weight write for it meets the
 * deletion (seen under load: "at step 2 (68%) a read of its deployment record"); either way the release rolls the
 * others back and ends failed (exit 1). Its progress line, its `result:` line, its own
 * reason, the release's reason and `--json` all say the same: deleted during the release (the
 * `result:` line used to say "during the deployment", and the release's reason "during the
 * release, before its rollback (a write of the shift found it gone)").
 */
describe('a function of a release deleted mid-release (built CLI against a sandbox)', () => {
  let handle: SandboxHandle | undefined;
  afterEach(async () => {
    await handle?.stop();
    handle = undefined;
  });

  it('exit 1; the others back on their stable versions; every line says "deleted during the release"', async () => {
    handle = await startSandbox({ speed: 600, seed: 7 });
    for (const fn of FNS) await seedDemo(handle, { functionName: fn, ...DEMO_SCENARIOS.healthy });
    const deleteBeta =
      "cmd:node -e \"fetch(process.env.AWS_ENDPOINT_URL + '/2015-03-31/functions/beta', { method: 'DELETE' }).then((r) => process.exit(r.status === 204 || r.status === 404 ? 0 : 2))\"";
    const run = await runCli(
      [
        'deploy',
        ...FNS,
        '--strategy',
        'linear:34%:1m',
        '--alarm',
        '{function}-errors',
        '--no-analysis',
        '--step-hook',
        deleteBeta,
        '--json',
      ],
      { env: { LSHIFT_SANDBOX: handle.url, CI: '1' } },
    );

    expect(run.code, run.stderr).toBe(1);
    const result = JSON.parse(run.stdout);
    const words = 'function beta was deleted during the release';
    expect(result.status).toBe('failed');
    expect(result.reason).toMatch(
      new RegExp(
        `^function beta failed: ${words}: (at step (1 \\(34%\\)|2 \\(68%\\)) a (read|write) of its deployment record|at step 2 \\(68%\\) its weight write) found no function`,
      ),
    );
    expect(result.reason).toContain('; alpha and gamma are back on their stable versions');
    const beta = result.functions.find((f: { functionName: string }) => f.functionName === 'beta');
    expect(beta).toMatchObject({
      status: 'failed',
      cause: { code: 'ROLLBACK_TARGET_DELETED', data: { what: 'function' } },
    });
    expect(beta.reason).toMatch(new RegExp(`^${words}: `));
    for (const fn of ['alpha', 'gamma'])
      expect(result.functions.find((f: { functionName: string }) => f.functionName === fn).status).toBe(
        'rolled_back',
      );
    // The plain lines (stderr under --json) name beta and say the same.
    expect(run.stderr).toMatch(new RegExp(`beta: rollback: nothing to roll back: ${words}\\n`));
    expect(run.stderr).not.toContain('ROLLBACK FAILED');
    // Its ROLLBACK line said the engine's raw "found function beta gone (FUNCTION_NOT_FOUND)".
    expect(run.stderr).not.toContain('gone (FUNCTION_NOT_FOUND)');
    expect(run.stderr).toMatch(new RegExp(`beta: result: failed — ${words}: `));
    expect(run.stderr + run.stdout).not.toMatch(
      /during the deployment|before its rollback|during the rollback/,
    );
  });
});
