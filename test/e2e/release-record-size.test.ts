import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_SCENARIOS, type SandboxHandle, seedDemo, startSandbox } from '../../src/sandbox/index.js';
import { own } from '../../src/sandbox/own.js';
import { runCli } from '../helpers/run-cli.js';

/**
 * The record-size check before a release publishes measures the record the release writes, its
 * `rl=` (and `sg=1`) included: a strategy whose record fits only without them must be refused
 * before any function is published, not after (exit 2 means nothing changed).
 */
const FNS = ['alpha', 'beta'];

/**
 * 13 steps: the record fits a tag (248 characters, its guard fingerprints `gd=` and `jd=`
 * included, and the room kept for an operator command's verb) until a release adds ` rl=r-…`
 * (12 more).
 */
const STRATEGY = `steps:${Array.from({ length: 13 }, (_, i) => `${i + 1}%@1m`).join(',')},100%`;

describe('a release whose record fits only without its release id (built CLI against a sandbox)', () => {
  let handle: SandboxHandle | undefined;
  afterEach(async () => {
    await handle?.stop();
    handle = undefined;
  });

  it.each([
    ['a release', []],
    ['its dry run', ['--dry-run']],
  ])('%s is refused with RECORD_TOO_LARGE (exit 2) before any publish', async (_, extra) => {
    handle = await startSandbox({ speed: 600, seed: 7 });
    for (const fn of FNS) await seedDemo(handle, { functionName: fn, ...DEMO_SCENARIOS.healthy });
    const env = { LSHIFT_SANDBOX: handle.url };
    const run = await runCli(['deploy', ...FNS, '--strategy', STRATEGY, '--json', ...extra], { env });
    expect(run.code, run.stderr).toBe(2);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({ status: 'error', code: 'RECORD_TOO_LARGE', exitCode: 2 });
    // The strategy deploys each function alone: the error says the release's rl= is the excess.
    expect(result.message).toMatch(
      /the release's own field `rl=` \(its id\) adds 12 of them: a single function's record needs 248, which fits/,
    );
    expect(result.hint).toMatch(/^The same strategy works for each function deployed on its own /);
    for (const fn of FNS) {
      const f = own(handle.state.data.functions, fn)!;
      expect([fn, Object.keys(f.versions)]).toEqual([fn, ['1']]);
    }
  });
});

describe('a release of functions that publish beside one with a published --version', () => {
  let handle: SandboxHandle | undefined;
  afterEach(async () => {
    await handle?.stop();
    handle = undefined;
  });

  it("refuses the --version function's check before any other function publishes", async () => {
    handle = await startSandbox({ speed: 600, seed: 7 });
    for (const fn of FNS) await seedDemo(handle, { functionName: fn, ...DEMO_SCENARIOS.healthy });
    const dir = mkdtempSync(join(tmpdir(), 'lshift-mixed-'));
    const config = join(dir, 'lshift.config.yaml');
    // beta's version 9 does not exist: its preflight refuses (VERSION_NOT_FOUND or the like).
    writeFileSync(config, 'functions:\n  - name: alpha\n  - name: beta\n    version: "9"\n');
    try {
      const env = { LSHIFT_SANDBOX: handle.url };
      const run = await runCli(
        ['deploy', '--config', config, '--strategy', 'Canary10Percent5Minutes', '--json'],
        { env },
      );
      expect(run.code, run.stderr).not.toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({ status: 'error' });
      expect(run.stdout + run.stderr).toContain('beta');
      const alpha = own(handle.state.data.functions, 'alpha')!;
      expect(Object.keys(alpha.versions)).toEqual(['1']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
