import { describe, expect, it } from 'vitest';
import { resolveCodeChoice } from '../../src/cli/code-choice.js';
import type { DeployFlags } from '../../src/cli/deploy-options.js';
import { UsageError } from '../../src/domain/errors.js';
import { runCli } from '../helpers/run-cli.js';

/**
 * `--zip "$ZIP"` with ZIP unset is `--zip ''`: it counted as no code source, so lshift published
 * and shifted to whatever $LATEST held (an old upload, someone's work in progress) instead of the
 * build the pipeline meant. A code flag given empty is refused, as `--config ""` is.
 */
function errorOf(flags: DeployFlags): UsageError {
  try {
    resolveCodeChoice(flags);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return error as UsageError;
  }
  throw new Error('no error');
}

describe('a code flag given an empty value', () => {
  it.each<[string, DeployFlags]>([
    ['--zip', { zip: '' }],
    ['--image-uri', { 'image-uri': ' ' }],
    ['--version', { version: '' }],
    ['--s3-bucket', { 's3-bucket': '', 's3-key': 'build/fn.zip' }],
    ['--s3-key', { 's3-bucket': 'artifacts', 's3-key': '' }],
    ['--s3-bucket', { 's3-bucket': '', 's3-key': '' }],
  ])('%s: INVALID_FLAG naming it, not a deploy of $LATEST', (flag, flags) => {
    const error = errorOf(flags);
    expect(error.code).toBe('INVALID_FLAG');
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe(`${flag} was given an empty value.`);
    expect(error.hint).toContain('$LATEST');
  });

  it('no code flag at all still deploys $LATEST', () => {
    expect(resolveCodeChoice({})).toEqual({ kind: 'latest' });
  });

  it('lshift deploy --zip "" --dry-run: exit 2 before the sandbox is asked anything', async () => {
    const run = await runCli(['deploy', 'demo', '--sandbox', '--dry-run', '--zip', '', '--json'], {
      env: { LSHIFT_SANDBOX: undefined },
    });
    expect(run.code, run.stdout + run.stderr).toBe(2);
    expect(JSON.parse(run.stdout)).toMatchObject({
      code: 'INVALID_FLAG',
      message: '--zip was given an empty value.',
    });
  });
});

/**
 * `--s3-bucket` with an escape sequence, a space or 70 characters passed every check, the dry run
 * said "every read-only check passed", and the sandbox published it; Lambda refuses such a bucket
 * in UpdateFunctionCode (S3Bucket: 3–63 characters of `[0-9A-Za-z.\-_]`, not ending in a dot;
 * S3Key: 1–1024 characters: https://docs.aws.amazon.com/lambda/latest/api/API_FunctionCode.html).
 * Refused before any AWS call, naming the flag, the value made printable.
 */
describe('an S3 location Lambda would refuse', () => {
  it.each<[string, DeployFlags, string]>([
    ['an escape sequence', { 's3-bucket': 'b\u001b[2J', 's3-key': 'k.zip' }, '`b\uFFFD[2J`'],
    ['a space', { 's3-bucket': 'my bucket', 's3-key': 'k.zip' }, '`my bucket`'],
    ['two characters', { 's3-bucket': 'ab', 's3-key': 'k.zip' }, '`ab`'],
    ['64 characters', { 's3-bucket': 'a'.repeat(64), 's3-key': 'k.zip' }, '(64 characters)'],
    ['a trailing dot', { 's3-bucket': 'artifacts.', 's3-key': 'k.zip' }, '`artifacts.`'],
  ])('--s3-bucket with %s: INVALID_FLAG, exit 2', (_name, flags, shown) => {
    const error = errorOf(flags);
    expect(error).toMatchObject({ code: 'INVALID_FLAG', exitCode: 2 });
    expect(error.message).toMatch(/^--s3-bucket .* is not an S3 bucket name Lambda takes/);
    expect(error.message).toContain(shown);
  });

  it('--s3-key of 1025 characters: INVALID_FLAG, exit 2', () => {
    const error = errorOf({ 's3-bucket': 'artifacts', 's3-key': 'k'.repeat(1025) });
    expect(error).toMatchObject({ code: 'INVALID_FLAG', exitCode: 2 });
    expect(error.message).toContain('--s3-key is 1025 characters; Lambda takes an S3 key of at most 1024');
  });

  it('takes the bucket names S3 and Lambda allow', () => {
    for (const bucket of ['abc', 'my-artifacts.eu-west-1', 'Legacy_Bucket', 'a'.repeat(63)]) {
      expect(resolveCodeChoice({ 's3-bucket': bucket, 's3-key': 'builds/fn 1.zip' })).toEqual({
        kind: 's3',
        bucket,
        key: 'builds/fn 1.zip',
      });
    }
  });
});
