/**
 * `deploy --dry-run --json` prints `{"status":"dry_run", …}`: for one function and for a release
 * of several. It matched none of schemas/result.schema.json's results (it fell through to
 * result:error's required fields), so a consumer validating the output refused a dry run that
 * passed. Run by the built CLI against its in-process sandbox, as a pipeline would, and checked
 * against `$defs/result:dryRun` / `result:releaseDryRun` and the root `anyOf`.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectValidResult, expectValidResultOf } from '../helpers/contract.js';
import { runCli } from '../helpers/run-cli.js';
import { tinyZip } from '../helpers/tiny-zip.js';

async function dryRun(args: string[]): Promise<Record<string, unknown>> {
  const run = await runCli(['deploy', ...args, '--sandbox', '--dry-run', '--json']);
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as Record<string, unknown>;
}

function zipFile(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'lshift-dry-run-schema-')), 'fn.zip');
  writeFileSync(file, tinyZip('exports.handler = async () => 2;\n'));
  return file;
}

describe('deploy --dry-run --json matches schemas/result.schema.json', () => {
  it('one function: a zip to publish, hooks, a bake and warnings', async () => {
    const result = await dryRun([
      'demo',
      '--zip',
      zipFile(),
      '--strategy',
      'Linear10PercentEvery1Minute',
      '--pre-hook',
      'cmd:true',
      '--bake',
      '5m',
    ]);
    expect(result).toMatchObject({ status: 'dry_run', functionName: 'demo', nothingToDeploy: false });
    expect(result.publish).toMatchObject({ kind: 'zip', forecast: { outcome: 'new' } });
    expect(result.warnings).toEqual(expect.arrayContaining([expect.any(String)]));
    const kinds = (result.program as { kind: string }[]).map((s) => s.kind);
    expect(kinds).toEqual(expect.arrayContaining(['hook', 'setWeight', 'hold', 'promote', 'bake', 'done']));
    expectValidResultOf('dryRun', result);
    expectValidResult(result);
  });

  it('one function already on --version: nothing to deploy; under --engine codedeploy', async () => {
    const idle = await dryRun(['demo', '--version', '1']);
    expect(idle).toMatchObject({ status: 'dry_run', targetVersion: '1', nothingToDeploy: true });
    expectValidResultOf('dryRun', idle);
    expectValidResult(idle);
    const codeDeploy = await dryRun(['demo', '--engine', 'codedeploy']);
    expect(codeDeploy.codeDeploy).toMatchObject({ application: expect.any(String) });
    expectValidResultOf('dryRun', codeDeploy);
    expectValidResult(codeDeploy);
  });

  it('a release of two functions, staggered, with a step hook', async () => {
    const result = await dryRun([
      'a',
      'b',
      '--stagger',
      '--step-hook',
      'cmd:true',
      '--strategy',
      'linear:50%:1m',
    ]);
    expect(result).toMatchObject({ status: 'dry_run', mode: 'stagger' });
    expect((result.functions as unknown[]).length).toBe(2);
    expectValidResultOf('releaseDryRun', result);
    expectValidResult(result);
    // Each shape is its own: a release's dry run is not a single function's, nor the reverse.
    expect(() => expectValidResultOf('dryRun', result)).toThrow();
  });
});
