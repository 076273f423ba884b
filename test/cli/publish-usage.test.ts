import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { tinyZip } from '../helpers/tiny-zip.js';

/**
 * `lshift publish --description` longer than Lambda's 256 characters
 * (https://docs.aws.amazon.com/lambda/latest/api/API_PublishVersion.html) is refused before any
 * AWS call, so before any upload: no region is configured here, so reaching AWS would exit 1.
 */
describe('lshift publish --description: Lambda’s 256-character limit', () => {
  const env = { AWS_REGION: '', AWS_DEFAULT_REGION: '', LSHIFT_SANDBOX: '' };

  it('257 characters → DESCRIPTION_TOO_LONG, exit 2, before the upload', async () => {
    const zip = join(mkdtempSync(join(tmpdir(), 'lshift-publish-')), 'code.zip');
    writeFileSync(zip, tinyZip());
    const run = await runCli(
      ['publish', 'orders', '--zip', zip, '--description', 'x'.repeat(257), '--json'],
      {
        env,
      },
    );
    expect(run.code, run.stderr).toBe(2);
    const error = JSON.parse(run.stdout);
    expect(error).toMatchObject({ code: 'DESCRIPTION_TOO_LONG', exitCode: 2 });
    expect(error.message).toBe(
      '--description is 257 characters; Lambda takes a version description of at most 256 characters.',
    );
  });

  it('256 characters pass the check (and go on to AWS, here: no region, exit 1)', async () => {
    const run = await runCli(['publish', 'orders', '--description', 'x'.repeat(256), '--json'], { env });
    expect(run.code, run.stderr).toBe(1);
    expect(JSON.parse(run.stdout).code).not.toBe('DESCRIPTION_TOO_LONG');
  });

  // Seen in a hostile pass: `--description ''` published a version with no description, where
  // leaving the flag out gives it the function's own; nothing said so.
  it.each([
    ['', 'empty'],
    ['   ', 'only white space'],
  ])('%j → INVALID_FLAG, exit 2, before any AWS call', async (description, what) => {
    const run = await runCli(['publish', 'orders', '--description', description, '--json'], { env });
    expect(run.code, run.stderr).toBe(2);
    const error = JSON.parse(run.stdout);
    expect(error).toMatchObject({ code: 'INVALID_FLAG', exitCode: 2, message: `--description is ${what}.` });
    expect(error.hint).toContain(
      "leave --description out: the version then takes the function's own description",
    );
  });
});
