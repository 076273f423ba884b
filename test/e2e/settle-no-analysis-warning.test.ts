/**
 * A `--settle` that does nothing says so: with `--no-analysis` and no `--max-*` limit no
 * per-version metrics are read, so there is no settle wait (deploy-options.ts drops it), and the
 * flag was ignored in silence (found by a docs pass, session 59). A warning before the first
 * write, not a refusal (src/cli/settle-warning.ts): `plan`, `--dry-run`, `deploy` and a release
 * say the same words.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { seedDemo } from '../../src/sandbox/index.js';
import { expectBuiltCliRunsAlike, runCliInProcess } from '../helpers/run-cli-in-process.js';
import { freshSandbox, type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

const SAID = '--settle 10m does nothing with --no-analysis and no --max-* limit';
const FROM_FILE = 'the config file’s `settle` (10m) does nothing with --no-analysis and no --max-* limit';

describe('--settle with --no-analysis: a warning, not silence', () => {
  let env: SandboxEnv | undefined;
  afterEach(async () => {
    await env?.stop();
    env = undefined;
  });

  it('lshift plan says it (stderr, or --json’s warnings) and shows no settle; without --no-analysis nothing', async () => {
    const text = await runCliInProcess(['plan', 'canary:10%:5m', '--settle', '10m', '--no-analysis']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stderr).toContain(SAID);
    expect(text.stdout).not.toContain('settle');
    const plan = await runCliInProcess([
      'plan',
      'canary:10%:5m',
      '--settle',
      '10m',
      '--no-analysis',
      '--json',
    ]);
    const json = JSON.parse(plan.stdout);
    expect(json.settleSeconds).toBe(0);
    expect(json.warnings).toEqual([expect.stringContaining(SAID)]);
    const kept = await runCliInProcess(['plan', 'canary:10%:5m', '--settle', '10m', '--json']);
    expect(kept.stderr).not.toContain('does nothing');
    expect(JSON.parse(kept.stdout).warnings).toBeUndefined();
  });

  it('deploy --dry-run and deploy say it; a config file’s settle is named as the file’s', async () => {
    env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'healthy', speed: 600 });
    const flags = ['--strategy', 'canary:10%:1m', '--alarm', 'demo-errors', '--no-analysis', '--json'];
    const dry = await env.cli(['deploy', 'demo', '--dry-run', '--settle', '10m', ...flags]);
    expect(dry.code, dry.stderr).toBe(0);
    expect(JSON.parse(dry.stdout).warnings).toContainEqual(expect.stringContaining(SAID));
    const config = await writeConfig('settle: 10m\n');
    const fromFile = await env.cli(['deploy', 'demo', '--dry-run', '--config', config, ...flags]);
    expect(fromFile.code, fromFile.stderr).toBe(0);
    expect(JSON.parse(fromFile.stdout).warnings).toContainEqual(expect.stringContaining(FROM_FILE));
    const run = await env.cli(['deploy', 'demo', '--settle', '10m', ...flags]);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).warnings).toContainEqual(expect.stringContaining(SAID));
    // This run went through this worker's process (run-cli-in-process.ts; the file is in
    // IN_PROCESS_E2E, vitest.config.ts): the built CLI, on a sandbox of its own, deploys and says the same.
    const fresh = freshSandbox({ preset: 'healthy', speed: 600 });
    await expectBuiltCliRunsAlike(run, ['deploy', 'demo', '--settle', '10m', ...flags], { fresh });
    // Gave no settle: nothing to say.
    const plain = await env.cli(['deploy', 'demo', '--dry-run', ...flags]);
    expect(plain.stdout).not.toContain('does nothing');
  });

  it('a release says it once when none of its functions settles, not when one has a gate', async () => {
    env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'healthy', speed: 600 });
    await seedDemo(env.handle, { functionName: 'beta' });
    const flags = ['--strategy', 'canary:10%:1m', '--no-analysis', '--settle', '10m', '--dry-run', '--json'];
    const none = await env.cli(['deploy', 'demo', 'beta', ...flags]);
    expect(none.code, none.stderr).toBe(0);
    // Said bare (every function has it), once.
    const warnings: string[] = JSON.parse(none.stdout).warnings;
    expect(
      warnings.filter((w) => w.includes(SAID)),
      JSON.stringify(warnings),
    ).toEqual([expect.stringMatching(/^--settle 10m does nothing/)]);
    const config = await writeConfig(
      'settle: 10m\nfunctions:\n  - demo\n  - name: beta\n    max-error-rate: 5%\n',
    );
    const gated = await env.cli([
      'deploy',
      '--config',
      config,
      ...flags.filter((f) => f !== '--settle' && f !== '10m'),
    ]);
    expect(gated.code, gated.stderr).toBe(0);
    expect(gated.stdout).not.toContain('does nothing');
    expect(gated.stdout).toContain('settle');
  });
});

async function writeConfig(text: string): Promise<string> {
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const path = join(mkdtempSync(join(tmpdir(), 'lshift-settle-')), 'lshift.yml');
  writeFileSync(path, text);
  return path;
}
