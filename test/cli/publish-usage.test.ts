import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectSameAsBuiltCli, runCliInProcess } from '../helpers/run-cli-in-process.js';
import { tinyZip } from '../helpers/tiny-zip.js';

/**
 * `lshift publish --description` longer than Lambda's 256 characters
 * (https://docs.aws.amazon.com/lambda/latest/api/API_PublishVersion.html) is refused before any
 * AWS call, so before any upload: no region is configured here, so reaching AWS would exit 1.
 */
describe('lshift publish --description: Lambda’s 256-character limit', () => {
  const env = { AWS_REGION: '', AWS_DEFAULT_REGION: '', LSHIFT_SANDBOX: undefined };

  it('257 characters → DESCRIPTION_TOO_LONG, exit 2, before the upload', async () => {
    const zip = join(mkdtempSync(join(tmpdir(), 'lshift-publish-')), 'code.zip');
    writeFileSync(zip, tinyZip());
    const run = await runCliInProcess(
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
    const run = await runCliInProcess(['publish', 'orders', '--description', 'x'.repeat(256), '--json'], {
      env,
    });
    expect(run.code, run.stderr).toBe(1);
    expect(JSON.parse(run.stdout).code).not.toBe('DESCRIPTION_TOO_LONG');
  });

  // Seen in a hostile pass: `--description ''` published a version with no description, where
  // leaving the flag out gives it the function's own; nothing said so.
  it.each([
    ['', 'empty'],
    ['   ', 'only white space'],
  ])('%j → INVALID_FLAG, exit 2, before any AWS call', async (description, what) => {
    const run = await runCliInProcess(['publish', 'orders', '--description', description, '--json'], { env });
    expect(run.code, run.stderr).toBe(2);
    const error = JSON.parse(run.stdout);
    expect(error).toMatchObject({ code: 'INVALID_FLAG', exitCode: 2, message: `--description is ${what}.` });
    expect(error.hint).toContain(
      "leave --description out: the version then takes the function's own description",
    );
  });
});

/**
 * `lshift publish` has no --version and deploys nothing: its hints name what it takes (found by a
 * hostile pass: `publish --zip x --s3-bucket b --s3-key k` hinted "--version of an already
 * published version", which publish refuses; `publish --image-uri ""` hinted "publish and deploy").
 */
describe('lshift publish: code flag hints name what publish takes', () => {
  const env = { AWS_REGION: '', AWS_DEFAULT_REGION: '', LSHIFT_SANDBOX: undefined };

  it('two code sources → CONFLICTING_FLAGS, a hint without --version', async () => {
    const run = await runCliInProcess(
      ['publish', 'demo', '--zip', 'x.zip', '--s3-bucket', 'bucket', '--s3-key', 'k.zip', '--json'],
      { env },
    );
    expect(run.code, run.stderr).toBe(2);
    const error = JSON.parse(run.stdout);
    expect(error.code).toBe('CONFLICTING_FLAGS');
    expect(error.hint).toBe(
      'Use one of --zip, --s3-bucket with --s3-key, or --image-uri (none: publish $LATEST as it is).',
    );
  });

  it('an empty code flag → INVALID_FLAG, a hint that does not speak of deploying', async () => {
    const run = await runCliInProcess(['publish', 'demo', '--image-uri', '', '--json'], { env });
    expect(run.code, run.stderr).toBe(2);
    const error = JSON.parse(run.stdout);
    expect(error.code).toBe('INVALID_FLAG');
    expect(error.hint).toBe(
      'Give --image-uri a value (an unset variable?), or drop the code flags to publish $LATEST as it is.',
    );
  });

  it('deploy keeps its own hints (--version, publish and deploy)', async () => {
    const run = await runCliInProcess(['deploy', 'demo', '--zip', 'x.zip', '--version', '3', '--json'], {
      env,
    });
    expect(run.code, run.stderr).toBe(2);
    expect(JSON.parse(run.stdout).hint).toContain('--version of an already published version');
  });
  it('the built CLI, started as a user would, gives the same for a sample of these', async () => {
    await expectSameAsBuiltCli([
      { args: ['publish', 'orders', '--description', 'x'.repeat(256), '--json'], env },
    ]);
  });
});
