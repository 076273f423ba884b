import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { expectBuiltCliRunsAlike, runCliInProcess } from '../helpers/run-cli-in-process.js';
import { freshSandbox, type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

/**
 * The function is deleted in the middle of a deployment (here by a step hook, at 50%, which then
 * fails so the deploy rolls back): the rollback's write meets a function that no longer exists.
 * It used to retry 4 times and report `unsafe` (exit 4) with an alias split and fix commands for
 * a function that was gone. Now: `failed`, exit 1, the deletion said plainly, no fix.
 */
describe('a function deleted during its deployment (built CLI against a sandbox)', () => {
  let env: SandboxEnv | undefined;
  afterEach(async () => {
    await env?.stop();
    env = undefined;
  });

  it('ends failed (exit 1): deleted before its rollback, never said to be during it; nothing to roll back, no fix', async () => {
    env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'healthy' });
    const deleteDemo =
      "cmd:node -e \"fetch(process.env.AWS_ENDPOINT_URL + '/2015-03-31/functions/demo', { method: 'DELETE' }).then((r) => process.exit(r.status === 204 ? 1 : 2))\"";
    const summary = join(mkdtempSync(join(tmpdir(), 'lshift-function-deleted-')), 'summary.md');
    const run = await env.cli(
      [
        'deploy',
        'demo',
        '--strategy',
        'linear:50%:1m',
        '--alarm',
        'demo-errors',
        '--no-analysis',
        '--step-hook',
        deleteDemo,
        '--json',
      ],
      { env: { GITHUB_STEP_SUMMARY: summary } },
    );
    expect(run.code, run.stderr).toBe(1);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({
      status: 'failed',
      cause: { code: 'ROLLBACK_TARGET_DELETED', data: { what: 'function' } },
    });
    // The hook deleted it before the rollback began: "during the deployment" when a heartbeat
    // written while the hook ran found it gone first; else the rollback's `rolling-back` mark
    // finds it gone, and all lshift knows is that it went after its last write (which of the two
    // depends on how long the hook's node start-up takes in simulated time: this machine's speed).
    // Never "during the rollback" (said until 2 December 2026).
    const said =
      /function demo was (deleted during the deployment|gone when lshift went to roll it back \(deleted after lshift's last write to it\)): there is no traffic left/;
    expect(result.reason).toMatch(said);
    const sinceLastWrite = result.cause.data.sinceLastWrite === true;
    expect(result.reason.includes('gone when lshift went to roll it back')).toBe(sinceLastWrite);
    expect(run.stdout + run.stderr).not.toContain('deleted during the rollback');
    // The GitHub step summary's rollback row and reason say the same.
    const written = readFileSync(summary, 'utf8');
    expect(written).toMatch(said);
    expect(written).toMatch(
      /❌ function demo was (deleted during the deployment|gone when lshift went to roll it back)/,
    );
    expect(written).not.toContain('deleted during the rollback');
    expect(result.fixCommand).toBeUndefined();
    expect(result.rollbackCommand).toBeUndefined();
    expect(run.stdout).not.toMatch(/update-alias|lshift rollback/);
    expect(env.handle.state.data.functions.demo).toBeUndefined();
  });

  it("deleted just before the verdict, between two heartbeats: 'gone when lshift went to roll it back', no more", async () => {
    // At speed 1 the step hook (a node start, well under the 30 s heartbeat spacing) runs right
    // after step 1's record write landed: no heartbeat falls between the deletion and the
    // verdict, so the rollback's own `rolling-back` mark is the first write to find it gone.
    // The hook's beat reads the record every --interval (for an operator's abort): at 1 s a node
    // start slower than that on a loaded machine read the deletion first ('deleted during').
    // 60 s keeps any read out of the hook's run, however slow the machine.
    env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'healthy', speed: 1 });
    const deleteDemo =
      "cmd:node -e \"fetch(process.env.AWS_ENDPOINT_URL + '/2015-03-31/functions/demo', { method: 'DELETE' }).then((r) => process.exit(r.status === 204 ? 1 : 2))\"";
    const summary = join(mkdtempSync(join(tmpdir(), 'lshift-function-deleted-')), 'summary.md');
    const run = await env.cli(
      [
        'deploy',
        'demo',
        '--strategy',
        'steps:50%@1s,100%',
        '--settle',
        '0',
        '--interval',
        '60s',
        '--alarm',
        'demo-errors',
        '--no-analysis',
        '--step-hook',
        deleteDemo,
        '--json',
      ],
      { env: { GITHUB_STEP_SUMMARY: summary } },
    );
    expect(run.code, run.stderr).toBe(1);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({
      status: 'failed',
      cause: { code: 'ROLLBACK_TARGET_DELETED', data: { what: 'function', sinceLastWrite: true } },
    });
    const gone =
      "function demo was gone when lshift went to roll it back (deleted after lshift's last write to it)";
    expect(result.reason).toMatch(/^could not roll back \(at step 1 \(50%\): step hook /);
    expect(result.reason.endsWith(`${gone}: there is no traffic left to move and nothing to roll back`)).toBe(
      true,
    );
    expect(run.stderr).toContain(`rollback: nothing to roll back: ${gone}`);
    expect(run.stderr).not.toContain('ROLLBACK FAILED');
    expect(run.stdout + run.stderr).not.toContain('deleted during');
    const written = readFileSync(summary, 'utf8');
    expect(written).toContain(`❌ ${gone}`);
    expect(written).not.toContain('deleted during');
  });

  it('a forward weight write that meets the deletion: said as deleted during the deployment, exit 1', async () => {
    env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'healthy' });
    // The hook deletes the function and passes: the next weight write (68%) finds no function.
    const deleteDemo =
      "cmd:node -e \"fetch(process.env.AWS_ENDPOINT_URL + '/2015-03-31/functions/demo', { method: 'DELETE' }).then((r) => process.exit(r.status === 204 ? 0 : 2))\"";
    const args = [
      'deploy',
      'demo',
      '--strategy',
      'linear:34%:1m',
      '--alarm',
      'demo-errors',
      '--no-analysis',
      '--step-hook',
      deleteDemo,
      '--json',
    ];
    const run = await env.cli(args);
    expect(run.code, run.stderr).toBe(1);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({
      status: 'failed',
      cause: {
        code: 'ROLLBACK_TARGET_DELETED',
        data: {
          what: 'function',
          after: { code: 'WEIGHT_WRITE_FAILED', data: { error: 'FUNCTION_NOT_FOUND' } },
        },
      },
    });
    expect(result.reason).toBe(
      'function demo was deleted during the deployment: at step 2 (68%) its weight write found no function, and the rollback found it gone too. There is no traffic left to move and nothing to roll back',
    );
    expect(result.fixCommand).toBeUndefined();
    expect(result.rollbackCommand).toBeUndefined();
    expect(run.stdout).not.toMatch(/update-alias|lshift rollback|ResourceNotFound/);
    // This run went through this worker's process (run-cli-in-process.ts; the file is in
    // IN_PROCESS_E2E, vitest.config.ts): the built CLI, on a sandbox of its own (its hook deletes
    // that sandbox's function), says the same. Not the two tests above: which write first finds
    // the function gone there depends on the hook's node start in simulated time.
    // Which of the shift's record calls first meets the deletion, a heartbeat's read or the next
    // write, and so which warning says it, is timing: two copies of this test at once (load 23)
    // had one twin say "read", the other "write". (The alarm's own reason, timing too, is masked
    // by sameRunShape.)
    const timed = /could not (?:read|write) the deployment record \(shifting\)/;
    await expectBuiltCliRunsAlike(run, args, { fresh: freshSandbox({ preset: 'healthy' }), timed });
  });
});
