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

/** 22 steps: the record fits a tag (250 characters) until a release adds ` rl=r-…` (12 more). */
const STRATEGY = `steps:${Array.from({ length: 22 }, (_, i) => `${i + 1}%@1m`).join(',')},100%`;

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
    expect(JSON.parse(run.stdout)).toMatchObject({ status: 'error', code: 'RECORD_TOO_LARGE', exitCode: 2 });
    for (const fn of FNS) {
      const f = own(handle.state.data.functions, fn)!;
      expect([fn, Object.keys(f.versions)]).toEqual([fn, ['1']]);
    }
  });
});
