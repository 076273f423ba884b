import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { expectBuiltCliRunsAlike, runCliInProcess } from '../helpers/run-cli-in-process.js';
import {
  CRASH_POINTS,
  deployAndKill,
  guardFlagsOf,
  isSplit,
  readTruth,
  waitUntilStale,
} from './crash-helpers.js';
import { type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

/**
 * The resume a tired operator copy-pastes (`lshift deploy demo --resume`, no flags) must not
 * finish a shift that was watching an alarm and going to bake: it is refused with nothing
 * written, and the resume with the first run's flags carries on.
 */
describe('kill -9 mid-shift, then deploy --resume without the first run’s guards (built CLI against a sandbox)', () => {
  let env: SandboxEnv | undefined;
  afterEach(async () => {
    await env?.stop();
    env = undefined;
  });

  it('is refused (RESUME_GUARDS_DIFFER, exit 2) with nothing written; with the same flags it promotes', async () => {
    const weightWrite = CRASH_POINTS.find((p) => p.name === 'right after weight write 1')!;
    const point = { ...weightWrite, args: [...weightWrite.args, '--bake', '5m'] };
    env = await startSandboxEnv({ inProcess: runCliInProcess, preset: point.preset });
    const { killed } = await deployAndKill(env, point);
    expect(killed).toBe(true);
    await waitUntilStale(env);
    const left = readTruth(env);
    expect(isSplit(left)).toBe(true);
    expect(left.record?.guards).toMatchObject({ alarms: 1, bakeSeconds: 300, analysis: false });

    const bare = await env.cli(['deploy', 'demo', '--resume', '--json']);
    expect(bare.code, bare.stderr).toBe(2);
    const refusal = JSON.parse(bare.stdout);
    expect(refusal).toMatchObject({ status: 'error', code: 'RESUME_GUARDS_DIFFER', exitCode: 2 });
    expect(refusal.message).toContain(
      'the first run watched 1 alarm, ran no hook, baked 5m and had the canary analysis off; this resume watches 0 alarms, runs no hook, does not bake and has the canary analysis on',
    );
    expect(refusal.hint).toContain('--guards-changed');
    // Nothing written: the alias and the dead runner's record are exactly as the crash left them.
    expect(readTruth(env)).toEqual(left);
    // This run goes through this worker's process (run-cli-in-process.ts; the file is in
    // IN_PROCESS_E2E, vitest.config.ts): the built CLI, started against the same sandbox, says the same.
    await expectBuiltCliRunsAlike(bare, ['deploy', 'demo', '--resume', '--json'], {
      env: { LSHIFT_SANDBOX: env.handle.url },
    });
    expect(readTruth(env)).toEqual(left);

    const same = await env.cli(['deploy', 'demo', '--resume', ...guardFlagsOf(point), '--json']);
    expect(same.code, same.stderr).toBe(0);
    expect(JSON.parse(same.stdout)).toMatchObject({ status: 'promoted' });
    expect(readTruth(env).record).toMatchObject({ phase: 'promoted', guards: left.record?.guards });
  });
  it('a deploy whose guards came from --config resumes with the same --config (a post-traffic hook and a bake)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lshift-resume-guards-'));
    const config = join(dir, 'lshift.config.yaml');
    writeFileSync(config, 'bake: 5m\nhooks:\n  post:\n    - cmd:true\n');
    try {
      const weightWrite = CRASH_POINTS.find((p) => p.name === 'right after weight write 1')!;
      const point = { ...weightWrite, args: [...weightWrite.args, '--config', config] };
      env = await startSandboxEnv({ inProcess: runCliInProcess, preset: point.preset });
      expect((await deployAndKill(env, point)).killed).toBe(true);
      await waitUntilStale(env);
      expect(readTruth(env).record?.guards).toMatchObject({ bakeSeconds: 300, hooks: { post: 1 } });

      const without = await env.cli(['deploy', 'demo', '--resume', ...guardFlagsOf(point), '--json']);
      expect(without.code, without.stderr).toBe(2);
      expect(JSON.parse(without.stdout).message).toContain(
        'the first run watched 1 alarm, ran a post-traffic hook and baked 5m; this resume watches 1 alarm, runs no hook and does not bake',
      );
      const withConfig = await env.cli([
        'deploy',
        'demo',
        '--resume',
        ...guardFlagsOf(point),
        '--config',
        config,
        '--json',
      ]);
      expect(withConfig.code, withConfig.stderr).toBe(0);
      expect(JSON.parse(withConfig.stdout)).toMatchObject({ status: 'promoted' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a resume without the first run’s --max-error-rate is refused too (the gate counted in jd=); with it, it promotes', async () => {
    const weightWrite = CRASH_POINTS.find((p) => p.name === 'right after weight write 1')!;
    const point = { ...weightWrite, args: [...weightWrite.args, '--max-error-rate', '5%'] };
    env = await startSandboxEnv({ inProcess: runCliInProcess, preset: point.preset });
    expect((await deployAndKill(env, point)).killed).toBe(true);
    await waitUntilStale(env);
    const left = readTruth(env);
    expect(left.record?.guards?.judging).toMatchObject({ absoluteGates: 1 });

    const without = await env.cli(['deploy', 'demo', '--resume', ...guardFlagsOf(point), '--json']);
    expect(without.code, without.stderr).toBe(2);
    const refusal = JSON.parse(without.stdout);
    expect(refusal).toMatchObject({ code: 'RESUME_GUARDS_DIFFER', exitCode: 2 });
    expect(refusal.message).toContain(
      'the first run judged by 1 absolute gate (--max-error-rate, --max-p50/p90/p99 or --max-throttles); this resume by none',
    );
    expect(refusal.hint).toContain('absolute gate and analysis flags');
    expect(readTruth(env)).toEqual(left);

    const same = await env.cli([
      'deploy',
      'demo',
      '--resume',
      ...guardFlagsOf(point),
      '--max-error-rate',
      '5%',
      '--json',
    ]);
    expect(same.code, same.stderr).toBe(0);
    expect(JSON.parse(same.stdout)).toMatchObject({ status: 'promoted' });
  });
});
