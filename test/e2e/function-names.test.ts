import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SCENARIOS, type SandboxHandle, seedDemo, startSandbox } from '../../src/sandbox/index.js';
import { own } from '../../src/sandbox/own.js';
import type { CliRun } from '../helpers/run-cli.js';
import { expectBuiltCliRunsAlike, runCliInProcess } from '../helpers/run-cli-in-process.js';

/**
 * Function arguments, end to end: the built CLI against a sandbox with a function `beta`. A
 * qualified name, or one function named twice in a release (name and ARN), is a usage error
 * (exit 2) before any request reaches the sandbox; the three spellings Lambda takes all work.
 */
describe('function names on the command line (built CLI against a sandbox)', () => {
  let handle: SandboxHandle;
  let arn: string;
  let partial: string;
  let configFile: string;
  beforeAll(async () => {
    handle = await startSandbox({ speed: 600, seed: 7 });
    await seedDemo(handle, { functionName: 'beta', ...DEMO_SCENARIOS.healthy });
    const { region, accountId } = handle.state.data;
    arn = `arn:aws:lambda:${region}:${accountId}:function:beta`;
    partial = `${accountId}:function:beta`;
    configFile = join(mkdtempSync(join(tmpdir(), 'lshift-names-')), 'lshift.config.json');
    writeFileSync(configFile, JSON.stringify({ functions: ['beta', { name: arn }] }));
  });
  afterAll(async () => handle.stop());

  /**
   * Every run here refuses or only reads the sandbox: it runs in this worker's process
   * (run-cli-in-process.ts; the file is in IN_PROCESS_E2E, vitest.config.ts), not in a started
   * CLI each (~0.4 CPU-s a start, 23 of them). The refusals named in `TWINNED` and the status of
   * the partial ARN are checked against the built CLI started for the same argv on the same sandbox
   * (nothing is written): their own runs, once here.
   */
  const sandboxEnv = () => ({ LSHIFT_SANDBOX: handle.url });
  const cli = (args: string[]) => runCliInProcess(args, { env: sandboxEnv() });
  const requests = () => [...handle.state.operationCounts.values()].reduce((a, b) => a + b, 0);
  const betaTags = () => ({ ...own(handle.state.data.functions, 'beta')!.tags });
  const twinned = (run: CliRun, args: string[]) => expectBuiltCliRunsAlike(run, args, { env: sandboxEnv() });
  const TWINNED = new Set(['deploy of beta and its ARN', 'history of a name Lambda refuses']);

  const refusals: [string, () => string[], RegExp][] = [
    [
      'deploy of beta and its ARN',
      () => ['deploy', 'beta', arn, '--version', '1', '--strategy', 'canary:10%:2m'],
      /FUNCTION_NAMED_TWICE.*Function beta is named twice in this release: as `beta` and as `arn:aws:lambda:/,
    ],
    [
      'deploy --dry-run of beta and its partial ARN',
      () => ['deploy', partial, 'beta', '--dry-run'],
      /FUNCTION_NAMED_TWICE.*as `\d{12}:function:beta` and as `beta`/,
    ],
    [
      'deploy of a config file naming beta twice',
      () => ['deploy', '--config', configFile],
      /FUNCTION_NAMED_TWICE/,
    ],
    [
      'rollback --release of beta and its ARN',
      () => ['rollback', '--release', 'r-abc123', 'beta', arn],
      /FUNCTION_NAMED_TWICE/,
    ],
    [
      'abort --release of beta and its partial ARN',
      () => ['abort', '--release', 'r-abc123', 'beta', partial],
      /FUNCTION_NAMED_TWICE/,
    ],
    [
      'deploy beta:live',
      () => ['deploy', 'beta:live'],
      /FUNCTION_INVALID.*names alias live of function beta/,
    ],
    ['status beta:2', () => ['status', 'beta:2'], /FUNCTION_INVALID.*names version 2/],
    [
      'rollback beta:$LATEST',
      () => ['rollback', 'beta:$LATEST'],
      /FUNCTION_INVALID.*names version \$LATEST[\s\S]*--to/,
    ],
    [
      'pause of a qualified ARN',
      () => ['pause', `${arn}:live`],
      /FUNCTION_INVALID[\s\S]*Write `arn:aws:lambda:/,
    ],
    [
      'the second function of a release',
      () => ['deploy', 'alpha', 'beta:live'],
      /FUNCTION_INVALID.*`beta:live`/,
    ],
    ['check beta:live', () => ['check', 'beta:live'], /FUNCTION_INVALID/],
    [
      'history of a name Lambda refuses',
      () => ['history', 'be.ta'],
      /FUNCTION_INVALID.*not a Lambda function/,
    ],
  ];

  it.each(refusals)('%s: exit 2 before any request, nothing written', async (name, args, message) => {
    const [before, tags] = [requests(), betaTags()];
    const run = await cli(args());
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr.replace(/\n\s+/g, ' ')).toMatch(message);
    expect(run.stderr).toContain('Hint:');
    expect(requests()).toBe(before);
    expect(betaTags()).toEqual(tags);
    if (TWINNED.has(name)) await twinned(run, args());
  });

  it('the name, the ARN and the partial ARN all work', async () => {
    for (const spelling of ['beta', arn, partial]) {
      const before = requests();
      const run = await cli(['status', spelling, '--json']);
      expect(run.code, `${spelling}: ${run.stderr}`).toBe(0);
      expect(requests()).toBeGreaterThan(before);
      expect(JSON.parse(run.stdout)).toMatchObject({ alias: 'live', functionVersion: '1' });
      if (spelling === partial) await twinned(run, ['status', spelling, '--json']);
    }
  });

  it("one function of the config file's functions:, alone or named, is deployed with its entry's alias", async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'lshift-entry-')), 'lshift.config.json');
    writeFileSync(file, JSON.stringify({ functions: [{ name: 'beta', alias: 'prod' }, 'gamma'] }));
    const single = join(mkdtempSync(join(tmpdir(), 'lshift-entry-')), 'lshift.config.json');
    writeFileSync(single, JSON.stringify({ functions: [{ name: 'beta', alias: 'prod' }] }));
    for (const args of [
      ['deploy', '--config', single],
      ['deploy', 'beta', '--config', file],
      ['deploy', arn, '--config', file],
    ]) {
      const tags = betaTags();
      // beta has no alias prod: the refusal shows which alias the deploy would move.
      const run = await cli([...args, '--version', '1', '--dry-run', '--json']);
      expect(run.code, run.stderr).toBe(2);
      expect(JSON.parse(run.stdout)).toMatchObject({
        code: 'ALIAS_NOT_FOUND',
        message: expect.stringMatching(/^Alias prod of function (beta|arn:.*:function:beta) does not exist/),
      });
      expect(betaTags()).toEqual(tags);
    }
    // The verbs on one function read its entry too; --alias still wins.
    for (const verb of ['status', 'history', 'rollback', 'pause']) {
      const run = await cli([verb, 'beta', '--config', file, '--json']);
      expect(run.code, `${verb}: ${run.stderr}`).toBe(2);
      expect(JSON.parse(run.stdout).message, verb).toMatch(/alias prod of function beta/i);
    }
    const live = await cli(['status', 'beta', '--config', file, '--alias', 'live', '--json']);
    expect(live.code, live.stderr).toBe(0);
  });
});
