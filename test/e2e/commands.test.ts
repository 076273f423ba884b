import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../src/domain/error-codes.js';
import { expectBuiltCliRunsAlike, runCliInProcess } from '../helpers/run-cli-in-process.js';
import { tinyZip } from '../helpers/tiny-zip.js';
import { freshSandbox, type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

/** publish, alias, status, rollback with --json and their exit codes, against one sandbox, in order. */
describe('lshift publish / alias / status / rollback (built CLI against a sandbox)', () => {
  let env: SandboxEnv;
  beforeAll(async () => {
    env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'healthy' });
  });
  afterAll(async () => env.stop());

  it('publish: a new version, then "nothing changed" returns the same version', async () => {
    const first = await env.cli(['publish', 'demo', '--json']);
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ functionName: 'demo', version: '2', created: true });
    expect(JSON.parse(first.stdout).codeSha256).toMatch(/.+/);
    const again = await env.cli(['publish', 'demo']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Nothing changed since version 2');
  });

  it('publish --zip uploads new code first and rejects a missing file with exit 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lshift-zip-'));
    const zip = join(dir, 'code.zip');
    writeFileSync(zip, tinyZip());
    const run = await env.cli(['publish', 'demo', '--zip', zip, '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ version: '3', created: true });
    const missing = await env.cli(['publish', 'demo', '--zip', join(dir, 'nope.zip')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('ZIP_NOT_READABLE');
  });

  it('alias: moves the alias now (RevisionId-checked) and says when nothing changed', async () => {
    const run = await env.cli(['alias', 'demo', 'live', '2', '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ version: '2', previousVersion: '1', changed: true });
    const again = await env.cli(['alias', 'demo', 'live', '2']);
    expect(again.stdout).toContain('already points at version 2');
    const missing = await env.cli(['alias', 'demo', 'staging', '2']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--create');
    const created = await env.cli(['alias', 'demo', 'staging', '2', '--create', '--json']);
    expect(created.code).toBe(0);
    expect(JSON.parse(created.stdout).created).toBe(true);
    const unknownVersion = await env.cli(['alias', 'demo', 'live', '99']);
    expect(unknownVersion.code).toBe(2);
  });

  it('status: routing and alarm states as data', async () => {
    const run = await env.cli(['status', 'demo', '--alarm', 'demo-errors', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const status = JSON.parse(run.stdout);
    expect(status).toMatchObject({ functionName: 'demo', alias: 'live', functionVersion: '2', split: false });
    expect(status.alarms[0]).toMatchObject({ name: 'demo-errors' });
    expect(['OK', 'INSUFFICIENT_DATA']).toContain(status.alarms[0].state);
    const human = await env.cli(['status', 'demo', '--alarm', 'no-such-alarm']);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/UNKNOWN\s+no-such-alarm/);
  });

  it('rollback --to: all traffic on the given version, exit 0; nothing to roll back without a record', async () => {
    const run = await env.cli(['rollback', 'demo', '--to', '1', '--reason', 'p99 doubled']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(
      /Rolled back demo:live from version 2 to 1 \(p99 doubled\): all traffic is on version 1/,
    );
    expect((await env.status()).functionVersion).toBe('1');
    // This run went through this worker's process (run-cli-in-process.ts; the file is in
    // IN_PROCESS_E2E, vitest.config.ts): the built CLI, on a sandbox of its own with the alias on
    // version 2 as here, rolls back and says the same.
    const fresh = freshSandbox({ inProcess: runCliInProcess, preset: 'healthy' }, async (sandbox) => {
      expect((await sandbox.cli(['publish', 'demo'])).code).toBe(0);
      expect((await sandbox.cli(['alias', 'demo', 'live', '2'])).code).toBe(0);
      return undefined;
    });
    await expectBuiltCliRunsAlike(run, ['rollback', 'demo', '--to', '1', '--reason', 'p99 doubled'], {
      fresh,
    });
    const escaped = await env.cli(['rollback', 'demo', '--reason', 'x\u001b[31m\n::error::y']);
    expect(escaped.code).toBe(2);
    expect(escaped.stderr).toContain(
      '--reason may not hold control characters (found U+001B at character 2)',
    );
    // A reason is printed in the result (text and --json): 5 KB of it is refused before any AWS call.
    const long = await env.cli(['rollback', 'demo', '--to', '2', '--reason', 'why '.repeat(1250)]);
    expect(long.code).toBe(2);
    expect(long.stderr).toContain('--reason must be 1 to 200 characters (got 4999).');
    expect(long.stderr.length).toBeLessThan(1000);
    // Only invisible characters (a zero-width space, a joiner): it would read as empty wherever printed.
    for (const reason of ['\u200b', ' \u200d\ufeff ']) {
      const invisible = await env.cli(['rollback', 'demo', '--to', '2', '--reason', reason]);
      expect(invisible.code).toBe(2);
      expect(invisible.stderr).toContain(
        '--reason shows nothing: it holds only blanks or invisible characters',
      );
    }
    const invisibleAbort = await env.cli(['abort', 'demo', '--reason', '\u200b']);
    expect(invisibleAbort.code).toBe(2);
    expect(invisibleAbort.stderr).toContain('--reason shows nothing');
    expect((await env.status()).functionVersion).toBe('1');
    const nothing = await env.cli(['rollback', 'demo']);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toContain('NOTHING_TO_ROLL_BACK');
  });

  it('unknown function: exit 1 naming the function', async () => {
    const run = await env.cli(['status', 'no-such-fn', '--json']);
    expect(run.code).toBe(1);
    const error = JSON.parse(run.stdout);
    expect(error.code).toBe('FUNCTION_NOT_FOUND');
    expect(error.message).toContain('no-such-fn');
  });

  it('unknown function: deploy exits 1 too, dry run, preflight and release alike, as docs/exit-codes.md says', async () => {
    expect(ERROR_CODES.FUNCTION_NOT_FOUND.exits).toEqual([1]);
    for (const args of [
      ['deploy', 'no-such-fn'],
      ['deploy', 'no-such-fn', '--version', '1'],
      ['deploy', 'no-such-fn', '--dry-run'],
      ['deploy', 'no-such-fn', '--dry-run', '--version', '1'],
      ['deploy', 'no-such-fn', 'demo', '--dry-run'],
    ]) {
      const run = await env.cli([...args, '--json']);
      expect(run.code, args.join(' ')).toBe(1);
      expect(JSON.parse(run.stdout)).toMatchObject({ code: 'FUNCTION_NOT_FOUND', exitCode: 1 });
    }
  });
});
