import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tinyZip } from '../helpers/tiny-zip.js';
import { control, untilHeld } from './sandbox-control.js';
import { type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

/**
 * A signal during `publish`, `codedeploy init`, `history` and `status` (found by a hostile pass:
 * each died with Node's 130/143, nothing on stderr, no JSON; a publish's held upload then landed
 * in $LATEST unsaid). The sandbox holds the chosen request, so the signal lands while it is in
 * flight, not by timing.
 */
describe('signals during publish, codedeploy init, history and status (built CLI against a sandbox)', () => {
  let env: SandboxEnv | undefined;
  afterEach(async () => {
    if (env) await control(env, 'release', { drop: true });
    await env?.stop();
    env = undefined;
  });

  /** Runs `args`, sending `signal` once the sandbox holds a request of `operation`. */
  async function interrupted(args: string[], operation: string, signal: NodeJS.Signals = 'SIGINT') {
    env = await startSandboxEnv({ speed: 60 });
    const sandbox = env;
    await control(sandbox, 'hold', { only: [operation] });
    const run = await sandbox.cli(args, {
      onSpawn: (child: ChildProcess) =>
        void untilHeld(sandbox).then(() => {
          child.kill(signal);
        }),
    });
    return { run, sandbox };
  }

  it('publish --zip, SIGINT during the upload: exit 1 INTERRUPTED saying $LATEST may have the new code and no version was published', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lshift-zip-'));
    const zip = join(dir, 'code.zip');
    writeFileSync(zip, tinyZip());
    const { run, sandbox } = await interrupted(
      ['publish', 'demo', '--zip', zip, '--json'],
      'UpdateFunctionCode',
    );
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toContain('SIGINT received: stopping the publish');
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ status: 'error', code: 'INTERRUPTED', exitCode: 1 });
    expect(report.message).toContain('lambda:UpdateFunctionCode on function demo was abandoned');
    expect(report.hint).toContain('The code of function demo ($LATEST) may have been replaced');
    expect(report.hint).toContain('No version was published; no alias moved. Run the same publish again');
    await control(sandbox, 'release', { late: true });
  });

  it('codedeploy init, SIGTERM during CreateApplication: exit 1 INTERRUPTED saying the application or group may have been made', async () => {
    const { run } = await interrupted(
      ['codedeploy', 'init', 'demo', '--role', 'arn:aws:iam::123456789012:role/cd', '--json'],
      'CreateApplication',
      'SIGTERM',
    );
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toContain('SIGTERM received: stopping codedeploy init');
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ status: 'error', code: 'INTERRUPTED', exitCode: 1 });
    expect(report.hint).toBe(
      'It was creating application lshift-demo, which may have happened. No alias moved. Run the same `lshift codedeploy init` again: it reuses what exists and finishes the job.',
    );
  });

  it('codedeploy init, SIGTERM during CreateDeploymentGroup: says the application was created and the group may have been', async () => {
    const { run } = await interrupted(
      ['codedeploy', 'init', 'demo', '--role', 'arn:aws:iam::123456789012:role/cd', '--json'],
      'CreateDeploymentGroup',
      'SIGTERM',
    );
    expect(run.code, run.stderr).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ status: 'error', code: 'INTERRUPTED', exitCode: 1 });
    expect(report.hint).toBe(
      'It had created application lshift-demo. It was creating deployment group demo-live, which may have happened. No alias moved. Run the same `lshift codedeploy init` again: it reuses what exists and finishes the job.',
    );
  });

  it('history --json, SIGTERM during a read: exit 130, a line on stderr and an INTERRUPTED report', async () => {
    const { run } = await interrupted(['history', 'demo', '--json'], 'ListTags', 'SIGTERM');
    expect(run.code, run.stderr).toBe(130);
    expect(run.stderr).toContain(
      'SIGTERM received: lshift history stopped before it finished reading; it only reads, so nothing was changed. (exit 130)',
    );
    expect(JSON.parse(run.stdout)).toMatchObject({ status: 'error', code: 'INTERRUPTED', exitCode: 130 });
  });

  it('status --json, SIGINT during a read: exit 130, a line on stderr and an INTERRUPTED report', async () => {
    const { run } = await interrupted(['status', 'demo', '--json'], 'GetAlias');
    expect(run.code, run.stderr).toBe(130);
    expect(run.stderr).toContain('SIGINT received: lshift status stopped');
    expect(JSON.parse(run.stdout)).toMatchObject({ status: 'error', code: 'INTERRUPTED', exitCode: 130 });
  });
});
