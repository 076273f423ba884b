import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { demoImageRepo } from '../../src/sandbox/demo.js';
import { type CliRun, runCli } from '../helpers/run-cli.js';
import { expectBuiltCliRunsAlike, runCliInProcess } from '../helpers/run-cli-in-process.js';
import { tinyZip } from '../helpers/tiny-zip.js';
import {
  ANALYSIS_WITHOUT_CHANCE,
  DRY_RUN_READS,
  publishDemo,
  type SandboxEnv,
  startSandboxEnv,
} from './sandbox-env.js';

async function operations(env: SandboxEnv): Promise<Record<string, number>> {
  const response = await fetch(`${env.handle.url}/__lshift/operations`);
  return (await response.json()) as Record<string, number>;
}

/** Operations called since `before` (seeding the demo goes through the API too). */
async function callsSince(env: SandboxEnv, before: Record<string, number>): Promise<string[]> {
  const now = await operations(env);
  return Object.keys(now).filter((op) => now[op] !== before[op]);
}

async function expectNoWrite(env: SandboxEnv, before: Record<string, number>): Promise<void> {
  const called = await callsSince(env, before);
  expect(called.length).toBeGreaterThan(0);
  expect(called.filter((op) => !DRY_RUN_READS.includes(op))).toEqual([]);
  const status = await env.status();
  expect(status.functionVersion).toBe('1');
  expect(status.additionalWeights).toEqual({});
  expect(status.record).toBeUndefined();
}

/**
 * A dry run or a refusal, run in this worker's process (run-cli-in-process.ts; this file is in
 * IN_PROCESS, vitest.config.ts): it only reads the sandbox, so it needs no process of its own, and
 * a start of the built CLI was ~0.4 CPU-s of each (22 of this file's 30). The real runs a dry run
 * is compared with, and the in-process sandbox of `--sandbox`, stay started CLIs. Three runs here
 * (`twinned`: a dry run's JSON, its text with a warning, the --resume refusal) are checked against
 * the built CLI started as a user would for the same argv on the same sandbox (a dry run writes
 * nothing): their own runs, once here.
 */
function inProcess(env: SandboxEnv | undefined, args: string[]) {
  return runCliInProcess(args, { env: { LSHIFT_SANDBOX: env?.handle.url } });
}

function twinned(env: SandboxEnv, run: CliRun, args: string[]) {
  return expectBuiltCliRunsAlike(run, args, { env: { LSHIFT_SANDBOX: env.handle.url } });
}

describe('lshift deploy --dry-run against a sandbox (built CLI)', () => {
  let env: SandboxEnv | undefined;
  afterEach(async () => {
    await env?.stop();
    env = undefined;
  });

  it('prints the same program as `lshift plan` after the read-only checks, and the sandbox sees no write', async () => {
    env = await startSandboxEnv({ preset: 'healthy' });
    expect(await publishDemo(env.handle)).toBe('2');
    const before = await operations(env);
    const flags = ['canary:10%:5m', '--bake', '10m', '--pre-hook', 'cmd:true', '--json'];
    const args = ['deploy', 'demo', '--dry-run', '--version', '2', '--strategy', ...flags];
    const run = await inProcess(env, args);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ status: 'dry_run', stableVersion: '1', targetVersion: '2' });
    await twinned(env, run, args);
    const plan = JSON.parse((await inProcess(undefined, ['plan', ...flags, '--function', 'demo'])).stdout);
    expect(report.program).toEqual(plan.program);
    const kinds = report.program.map((s: { kind: string }) => s.kind).filter((k: string) => k !== 'settle');
    expect(kinds).toEqual(['hook', 'setWeight', 'hold', 'promote', 'bake', 'done']);
    await expectNoWrite(env, before);
  });

  it('tells a publish Lambda would answer with the existing version, as the real run then does', async () => {
    env = await startSandboxEnv({ preset: 'healthy' });
    const fresh = await inProcess(env, ['deploy', 'demo', '--dry-run']);
    expect(fresh.code, fresh.stderr).toBe(0);
    expect(fresh.stdout).toContain("as a new version: its code differs from version 1's (the newest)");
    // Version 2 published from $LATEST and live on it, as `aws lambda` would do it.
    expect(await publishDemo(env.handle, { alias: true })).toBe('2');
    const before = await operations(env);
    const dry = await inProcess(env, ['deploy', 'demo', '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).not.toContain('as a new version');
    expect(dry.stdout).toContain('most likely nothing to deploy');
    expect(dry.stdout).toContain('match version 2 (the newest)');
    const json = JSON.parse((await inProcess(env, ['deploy', 'demo', '--dry-run', '--json'])).stdout);
    expect(json.publish.forecast).toEqual({ outcome: 'likely-same', newestVersion: '2' });
    const called = await callsSince(env, before);
    expect(called.filter((op) => !DRY_RUN_READS.includes(op))).toEqual([]);
    const real = await env.cli(['deploy', 'demo']);
    expect(real.code, real.stderr).toBe(0);
    expect(real.stdout).toContain('Nothing to deploy: demo:live already points at version 2.');
  });

  it('with --zip: describes the package it would upload (size, CodeSha256) and uploads nothing', async () => {
    env = await startSandboxEnv({ preset: 'healthy' });
    const before = await operations(env);
    const zip = join(mkdtempSync(join(tmpdir(), 'lshift-dry-')), 'fn.zip');
    const bytes = tinyZip('// never uploaded');
    writeFileSync(zip, bytes);
    const run = await inProcess(env, [
      'deploy',
      'demo',
      '--dry-run',
      '--zip',
      zip,
      '--strategy',
      'all-at-once',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const sha = createHash('sha256').update(bytes).digest('base64');
    expect(run.stdout).toContain(
      `Would upload fn.zip (${bytes.length} bytes, CodeSha256 ${sha}) and publish it as a new version: its code differs from version 1's (the newest)`,
    );
    expect(run.stdout).toContain('nothing was written');
    expect(run.stdout).toMatch(/1\. promote demo:live/);
    await expectNoWrite(env, before);
  });

  it("refuses --image-uri for a Zip function with the real run's code and exit (2), without a write", async () => {
    env = await startSandboxEnv({ preset: 'healthy' });
    const before = await operations(env);
    const args = ['deploy', 'demo', '--image-uri', '123456789012.dkr.ecr.us-east-1.amazonaws.com/demo:2'];
    const dry = await inProcess(env, [...args, '--dry-run']);
    const real = await env.cli(args);
    for (const run of [dry, real]) {
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toContain('Error [PACKAGE_TYPE_MISMATCH]: Function demo is a Zip function');
    }
    // The real run also reads the recent request rate (GetMetricData) for its plan warnings.
    const writes = (await callsSince(env, before)).filter((op) => !/^(Get|List|Describe)/.test(op));
    expect(writes).toEqual([]);
    expect((await env.status()).functionVersion).toBe('1');
  });

  it('refuses a --zip that is not a zip archive (exit 2, naming the file) before any AWS call, dry or not', async () => {
    env = await startSandboxEnv({ preset: 'healthy' });
    const before = await operations(env);
    const notZip = join(mkdtempSync(join(tmpdir(), 'lshift-dry-')), 'passwd');
    writeFileSync(notZip, 'root:x:0:0:root:/root:/bin/bash\n');
    for (const extra of [['--dry-run'], []]) {
      const run = await inProcess(env, ['deploy', 'demo', '--zip', notZip, ...extra]);
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toContain(`Error [ZIP_NOT_A_ZIP]: --zip ${notZip} is not a zip archive`);
    }
    expect(await callsSince(env, before)).toEqual([]);
  });

  it('refuses a truncated --zip (no end of central directory record) before any AWS call, dry or not', async () => {
    env = await startSandboxEnv({ preset: 'healthy' });
    const before = await operations(env);
    const whole = tinyZip();
    const truncated = join(mkdtempSync(join(tmpdir(), 'lshift-dry-')), 'fn.zip');
    writeFileSync(truncated, whole.subarray(0, whole.length - 22));
    for (const extra of [['--dry-run'], []]) {
      const run = await inProcess(env, [
        'deploy',
        'demo',
        '--zip',
        truncated,
        '--strategy',
        'all-at-once',
        ...extra,
      ]);
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toContain(
        `Error [ZIP_DAMAGED]: --zip ${truncated} is not a whole zip archive: it has no end of central directory record`,
      );
      expect(run.stderr).not.toMatch(/\n\s+at /);
    }
    expect(await callsSince(env, before)).toEqual([]);
  });

  it('a release dry run names every function whose package is missing, not only the first', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lshift-dry-'));
    const functions = [
      { name: 'alpha', zip: 'nope-a.zip' },
      { name: 'beta', version: '1' },
      { name: 'gamma', zip: 'nope-g.zip' },
    ];
    writeFileSync(join(dir, 'lshift.config.json'), JSON.stringify({ functions, alarms: ['x'] }));
    const run = await runCliInProcess(['deploy', '--dry-run', '--json'], {
      cwd: dir,
      env: { AWS_REGION: 'us-east-1', LSHIFT_SANDBOX: undefined },
    });
    expect(run.code, run.stderr).toBe(2);
    const error = JSON.parse(run.stdout);
    expect(error.code).toBe('ZIP_NOT_READABLE');
    expect(error.message).toContain('nope-a.zip');
    expect(error.message).toContain(
      "1 more of the release's functions refused too:\n  - gamma: ZIP_NOT_READABLE",
    );
  });

  it('refuses --dry-run --resume as a usage error (exit 2) before any AWS call', async () => {
    env = await startSandboxEnv({ preset: 'healthy' });
    const before = await operations(env);
    const args = ['deploy', 'demo', '--dry-run', '--resume'];
    const run = await inProcess(env, args);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('CONFLICTING_FLAGS');
    expect(await callsSince(env, before)).toEqual([]);
    await twinned(env, run, args);
  });

  it('deploy demo --sandbox --dry-run: the same program as `lshift plan` (--settle too), and the in-process sandbox saw only reads', async () => {
    const flags = ['canary:10%:5m', '--bake', '10m', '--settle', '20m', '--pre-hook', 'cmd:true', '--json'];
    const run = await runCli(['deploy', 'demo', '--sandbox', '--dry-run', '--strategy', ...flags]);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    const plan = JSON.parse((await inProcess(undefined, ['plan', ...flags, '--function', 'demo'])).stdout);
    expect(report.program).toEqual(plan.program);
    expect(Object.keys(report.sandboxRequests).length).toBeGreaterThan(0);
    expect(Object.keys(report.sandboxRequests).filter((op) => !DRY_RUN_READS.includes(op))).toEqual([]);
  });

  it('says the warnings the real run says before its first write, in the report and as text', async () => {
    env = await startSandboxEnv({ preset: 'healthy' });
    expect(await publishDemo(env.handle)).toBe('2');
    const before = await operations(env);
    // The warnings are the analysis's; the real run below must not end on a chance verdict.
    const base = ['deploy', 'demo', '--version', '2', '--interval', '1m', ...ANALYSIS_WITHOUT_CHANCE];
    const args = [...base, '--strategy', 'linear:50%:1m'];
    const dry = await inProcess(env, [...args, '--dry-run', '--json']);
    expect(dry.code, dry.stderr).toBe(0);
    const warnings: string[] = JSON.parse(dry.stdout).warnings;
    expect(warnings).toEqual([
      expect.stringContaining('no --alarm given'),
      expect.stringContaining('the poll interval (--interval 1m) is not shorter than the shortest hold (1m)'),
      expect.stringContaining("steps of 1m are shorter than CloudWatch's metric delay"),
    ]);
    const textArgs = [...base, '--dry-run', '--strategy', 'all-at-once', '--alarm', 'demo-errors'];
    const text = await inProcess(env, textArgs);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('  Warning: all-at-once moves all traffic at once and there is no --bake');
    // Each warning once: in the answer, not again among the progress lines on stderr.
    expect(text.stderr).not.toContain('all-at-once moves all traffic');
    await twinned(env, text, textArgs);
    expect(dry.stderr).not.toContain("steps of 1m are shorter than CloudWatch's metric delay");
    // A bare event stream prints no summary: there the `log` events carry them.
    const stream = await inProcess(env, [...args, '--dry-run', '--progress', 'ndjson']);
    expect(stream.code, stream.stderr).toBe(0);
    const logged = stream.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line))
      .filter((e) => e.type === 'log' && e.level === 'warn')
      .map((e) => e.message);
    expect(logged).toEqual(warnings);
    await expectNoWrite(env, before);
    const real = await env.cli([...args, '--json']);
    expect(real.code, real.stderr).toBe(0);
    expect(real.stderr).toContain(warnings[0]);
    // Every warning said before the shift is in the real run's result too (issue: --json saw none of 'no --alarm').
    expect(JSON.parse(real.stdout).warnings).toEqual(expect.arrayContaining(warnings));
  });

  it('a dry run that would do nothing (alias already on the version) says no warning about a shift, as the real run', async () => {
    env = await startSandboxEnv({ preset: 'healthy' });
    const base = ['deploy', 'demo', '--version', '1', '--strategy', 'linear:50%:1m', '--dry-run'];
    const text = await inProcess(env, base);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('a deploy would do nothing');
    // Seen in a hostile pass: "Warning: no --alarm given: …" under "a deploy would do nothing".
    expect(text.stdout).not.toContain('Warning');
    expect(text.stderr).not.toContain('no --alarm');
    const json = JSON.parse((await inProcess(env, [...base, '--json'])).stdout);
    expect(json).toMatchObject({ nothingToDeploy: true });
    expect(json.warnings).toBeUndefined();
    const stream = await inProcess(env, [...base, '--progress', 'ndjson']);
    expect(stream.stdout).not.toContain('"level":"warn"');
    const real = await env.cli(['deploy', 'demo', '--version', '1', '--strategy', 'linear:50%:1m', '--json']);
    expect(JSON.parse(real.stdout)).toMatchObject({ status: 'nothing_to_deploy' });
    expect(JSON.parse(real.stdout).warnings).toBeUndefined();
  });

  it("refuses a strategy whose record cannot fit in a tag with the real run's code and exit (2), without a write", async () => {
    env = await startSandboxEnv({ preset: 'healthy' });
    expect(await publishDemo(env.handle)).toBe('2');
    const before = await operations(env);
    const steps = Array.from({ length: 20 }, (_, i) => `${i + 1}.12345%@1m`).join(',');
    const args = ['deploy', 'demo', '--strategy', `steps:${steps},100%`, '--alarm', 'demo-errors'];
    for (const code of [['--version', '2'], []]) {
      const dry = await inProcess(env, [...args, ...code, '--dry-run']);
      expect(dry.code, dry.stderr).toBe(2);
      expect(dry.stderr).toContain('Error [RECORD_TOO_LARGE]');
    }
    await expectNoWrite(env, before);
    const real = await env.cli([...args, '--version', '2']);
    expect(real.code, real.stderr).toBe(2);
    expect(real.stderr).toContain('Error [RECORD_TOO_LARGE]');
  });

  it("refuses an image digest the alias already runs with the real run's code and exit (2), without a write", async () => {
    env = await startSandboxEnv({ preset: 'healthy', demo: { packageType: 'Image' } });
    const repo = demoImageRepo('demo');
    // The sandbox resolves an unpushed tag (version 1 runs `:v1`) to the SHA-256 of its URI.
    const running = `sha256:${createHash('sha256').update(`${repo}:v1`).digest('hex')}`;
    const before = await operations(env);
    const args = ['deploy', 'demo', '--image-uri', `${repo}@${running}`, '--alarm', 'demo-errors'];
    for (const run of [await inProcess(env, [...args, '--dry-run']), await env.cli(args)]) {
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toContain('Error [IMAGE_UNCHANGED]');
    }
    await expectNoWrite(env, before);
  });
});
