import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeRecord } from '../../src/domain/deployment-record.js';
import { DEMO_SCENARIOS, type SandboxHandle, seedDemo, startSandbox } from '../../src/sandbox/index.js';
import { own } from '../../src/sandbox/own.js';
import { RUN_JS, runCli } from '../helpers/run-cli.js';
import { tinyZip } from '../helpers/tiny-zip.js';
import { DRY_RUN_READS } from './sandbox-env.js';

const PTY_RUN = fileURLToPath(new URL('../helpers/pty-run.py', import.meta.url));

/**
 * `lshift deploy alpha beta gamma --dry-run` (issue 13): every read-only check for every function,
 * the release program as `lshift plan` prints it, and no write — the sandbox's own count of the
 * operations it served (`GET /__lshift/operations`) shows reads only.
 */
const FNS = ['alpha', 'beta', 'gamma'];

const cli = (handle: SandboxHandle, args: string[]) => runCli(args, { env: { LSHIFT_SANDBOX: handle.url } });

async function operations(handle: SandboxHandle): Promise<Record<string, number>> {
  return (await (await fetch(`${handle.url}/__lshift/operations`)).json()) as Record<string, number>;
}

async function callsSince(handle: SandboxHandle, before: Record<string, number>): Promise<string[]> {
  const now = await operations(handle);
  return Object.keys(now).filter((op) => now[op] !== before[op]);
}

/** Reads only since `before`, and every alias still all on version 1 without a record. */
async function expectNoWrite(handle: SandboxHandle, before: Record<string, number>): Promise<void> {
  const called = await callsSince(handle, before);
  expect(called.length).toBeGreaterThan(0);
  expect(called.filter((op) => !DRY_RUN_READS.includes(op))).toEqual([]);
  for (const fn of FNS) {
    const f = own(handle.state.data.functions, fn)!;
    const alias = own(f.aliases, 'live')!;
    expect([fn, alias.functionVersion, { ...alias.weights }]).toEqual([fn, '1', {}]);
    const tag = f.tags['lshift:live'];
    expect(tag && decodeRecord(tag), fn).toBeFalsy();
  }
}

describe('lshift deploy fnA fnB fnC --dry-run (built CLI against a sandbox)', () => {
  let handle: SandboxHandle | undefined;
  afterEach(async () => {
    await handle?.stop();
    handle = undefined;
  });

  async function startFleet(): Promise<SandboxHandle> {
    const h = await startSandbox({ speed: 600, seed: 7 });
    for (const fn of FNS) await seedDemo(h, { functionName: fn, ...DEMO_SCENARIOS.healthy });
    return h;
  }

  it('--version: every function preflighted, the program `lshift plan` prints, and the sandbox saw only reads', async () => {
    handle = await startFleet();
    const start = await operations(handle);
    for (const fn of FNS) expect((await cli(handle, ['publish', fn, '--json'])).code).toBe(0);
    // The count sees writes (so the check below would catch one): the publishes are in it.
    expect(await callsSince(handle, start)).toContain('PublishVersion');
    const before = await operations(handle);
    const flags = ['linear:25%:1m', '--pre-hook', 'cmd:true', '--post-hook', 'cmd:echo {function}', '--json'];
    const run = await cli(handle, [
      'deploy',
      ...FNS,
      '--dry-run',
      '--version',
      '2',
      '--alarm',
      '{function}-errors',
      '--interval',
      '1m',
      '--strategy',
      ...flags,
    ]);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ status: 'dry_run', mode: 'lockstep', strategy: 'linear:25%:1m' });
    // As the release says before its first write.
    expect(report.warnings).toEqual([
      expect.stringContaining('the poll interval (--interval 1m) is not shorter than the shortest hold (1m)'),
      expect.stringContaining("steps of 1m are shorter than CloudWatch's metric delay"),
    ]);
    // Once: in the report, not again among the progress lines on stderr.
    expect(run.stderr).not.toContain("steps of 1m are shorter than CloudWatch's metric delay");
    expect(report.functions).toEqual(
      FNS.map((fn) => ({
        functionName: fn,
        alias: 'live',
        stableVersion: '1',
        targetVersion: '2',
        nothingToDeploy: false,
      })),
    );
    const plan = JSON.parse(
      (await runCli(['plan', ...flags, ...FNS.flatMap((fn) => ['--function', fn])])).stdout,
    );
    expect(report.program).toEqual(plan.program);
    const postHooks = report.program.filter((s: { kind: string; phase?: string }) => s.phase === 'post');
    expect(postHooks.map((s: { target?: { functionName: string } }) => s.target?.functionName)).toEqual(FNS);
    await expectNoWrite(handle, before);
  });

  it('a refused function: every function is still checked, exit 2 names each refusal, nothing written', async () => {
    handle = await startFleet();
    const before = await operations(handle);
    const run = await cli(handle, [
      'deploy',
      ...FNS,
      '--dry-run',
      '--alarm',
      '{function}-errors',
      '--alarm',
      'beta-missing',
    ]);
    expect(run.code, run.stderr).toBe(2);
    for (const fn of FNS)
      expect(run.stderr).toMatch(new RegExp(`${fn}: preflight: FAILED alarms-exist: .*beta-missing`));
    expect(run.stderr).toContain('Error [ALARM_NOT_FOUND]');
    await expectNoWrite(handle, before);
  });

  it("--zip 'build/{function}.zip': describes each function's package and uploads none", async () => {
    handle = await startFleet();
    const dir = mkdtempSync(join(tmpdir(), 'lshift-release-dry-'));
    const shas = FNS.map((fn) => {
      const bytes = tinyZip(`// ${fn}, never uploaded`);
      writeFileSync(join(dir, `${fn}.zip`), bytes);
      return createHash('sha256').update(bytes).digest('base64');
    });
    const before = await operations(handle);
    const run = await cli(handle, [
      'deploy',
      ...FNS,
      '--dry-run',
      '--stagger',
      '--zip',
      join(dir, '{function}.zip'),
      '--strategy',
      'all-at-once',
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Dry run of a release of 3 functions (stagger)');
    FNS.forEach((fn, i) => {
      expect(run.stdout).toMatch(
        new RegExp(
          `${fn}:live +stable 1; would upload ${fn}\\.zip \\(\\d+ bytes, CodeSha256 ${shas[i]!.replace(/[+/]/g, '\\$&')}\\)`,
        ),
      );
      expect(run.stdout).toMatch(new RegExp(`promote ${fn}:live`));
      // Each function's preflight, opened and closed on the progress lines (stderr), naming it.
      expect(run.stderr).toContain(`${fn}: preflight: checking ${fn}:live`);
      expect(run.stderr).toMatch(
        new RegExp(`${fn}: preflight: passed \\d+ checks before the upload \\(stable 1; `),
      );
    });
    await expectNoWrite(handle, before);
  });
  it('at a terminal too, every refused function is shown, not only the first', async () => {
    handle = await startFleet();
    const { CI: _ci, ...rest } = process.env;
    const args = ['deploy', ...FNS, '--dry-run', '--alarm', '{function}-missing'];
    const screen = await new Promise<string>((resolve, reject) => {
      const child = spawn('python3', [PTY_RUN, process.execPath, RUN_JS, ...args], {
        env: {
          ...rest,
          TERM: 'xterm-256color',
          // A UTF-8 terminal whatever the runner's locale: these tests read its glyphs (→, ✔).
          LC_ALL: 'C.UTF-8',
          LSHIFT_SANDBOX: handle!.url,
        },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.on('error', reject);
      child.on('close', () => resolve(out));
    });
    for (const fn of FNS)
      expect(screen).toMatch(new RegExp(`${fn}: preflight: FAILED alarms-exist: .*${fn}-missing`));
    expect(screen).toContain('Error [ALARM_NOT_FOUND]');
  });
});
