import { describe, expect, it } from 'vitest';
import { type DeployFlags, resolveCodeChoice } from '../../src/cli/deploy-options.js';
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
      env: { LSHIFT_SANDBOX: '' },
    });
    expect(run.code, run.stdout + run.stderr).toBe(2);
    expect(JSON.parse(run.stdout)).toMatchObject({
      code: 'INVALID_FLAG',
      message: '--zip was given an empty value.',
    });
  });
});
