import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertAwsFilesRegular } from '../../src/aws/aws-files.js';
import { UsageError } from '../../src/domain/errors.js';

/**
 * The files the AWS SDK reads by itself must be regular files when they exist: it opened a named
 * pipe and waited for a writer forever (lshift hung after a wrong NETWORK_ERROR), and skipped a
 * directory without a word (hostile pass).
 */
function refusal(env: NodeJS.ProcessEnv, defaultChain = true): UsageError {
  try {
    assertAwsFilesRegular(defaultChain, env);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return error as UsageError;
  }
  throw new Error('assertAwsFilesRegular did not refuse');
}

function world(): { home: string; fifo: string; dir: string; file: string } {
  const root = mkdtempSync(join(tmpdir(), 'lshift-aws-files-'));
  const home = join(root, 'home');
  mkdirSync(home);
  const fifo = join(root, 'fifo');
  execFileSync('mkfifo', [fifo]);
  const dir = join(root, 'dir');
  mkdirSync(dir);
  const file = join(root, 'config');
  writeFileSync(file, '[default]\nregion = eu-west-1\n');
  return { home, fifo, dir, file };
}

describe('assertAwsFilesRegular', () => {
  it.each(['AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE'])(
    '%s naming a named pipe: AWS_FILE_INVALID, exit 2, naming the variable',
    (variable) => {
      const { home, fifo } = world();
      const error = refusal({ HOME: home, [variable]: fifo });
      expect(error.code).toBe('AWS_FILE_INVALID');
      expect(error.exitCode).toBe(2);
      expect(error.message).toBe(`${variable}=${fifo} is a named pipe (FIFO), not a regular file.`);
      expect(error.hint).toContain('would wait on the pipe for a writer, forever');
      expect(error.hint).toContain(`Point ${variable} at`);
      expect(error.hint).toContain('/dev/null for none');
    },
  );

  it('a directory, a device other than /dev/null: refused with what the SDK would do', () => {
    const { home, dir } = world();
    const asDir = refusal({ HOME: home, AWS_CONFIG_FILE: dir });
    expect(asDir.message).toBe(`AWS_CONFIG_FILE=${dir} is a directory, not a regular file.`);
    expect(asDir.hint).toContain('skip it without a word');
    const zero = refusal({ HOME: home, AWS_SHARED_CREDENTIALS_FILE: '/dev/zero' });
    expect(zero.message).toBe('AWS_SHARED_CREDENTIALS_FILE=/dev/zero is a device, not a regular file.');
  });

  it('the defaults ~/.aws/config and ~/.aws/credentials when the variables are unset (or empty)', () => {
    const { home } = world();
    mkdirSync(join(home, '.aws'));
    execFileSync('mkfifo', [join(home, '.aws', 'config')]);
    const config = refusal({ HOME: home, AWS_CONFIG_FILE: '' });
    expect(config.message).toBe(
      `The AWS config file ${join(home, '.aws', 'config')} (read when AWS_CONFIG_FILE is unset) is a named pipe (FIFO), not a regular file.`,
    );
    mkdirSync(join(home, '.aws', 'credentials'));
    const credentials = refusal({ HOME: home, AWS_CONFIG_FILE: '/dev/null' });
    expect(credentials.message).toContain(
      `The AWS credentials file ${join(home, '.aws', 'credentials')} (read when AWS_SHARED_CREDENTIALS_FILE is unset) is a directory`,
    );
  });

  it('a `~/` path is the home directory, as the SDK reads it', () => {
    const { home } = world();
    execFileSync('mkfifo', [join(home, 'pipe')]);
    const error = refusal({ HOME: home, AWS_CONFIG_FILE: '~/pipe' });
    expect(error.message).toBe(
      `AWS_CONFIG_FILE=~/pipe (${join(home, 'pipe')}) is a named pipe (FIFO), not a regular file.`,
    );
  });

  it('a web identity token file that is a pipe, when the SDK would read it (AWS_ROLE_ARN beside it)', () => {
    const { home, fifo } = world();
    const env = {
      HOME: home,
      AWS_WEB_IDENTITY_TOKEN_FILE: fifo,
      AWS_ROLE_ARN: 'arn:aws:iam::123456789012:role/ci',
    };
    const error = refusal(env);
    expect(error.message).toBe(
      `AWS_WEB_IDENTITY_TOKEN_FILE=${fifo} is a named pipe (FIFO), not a regular file.`,
    );
    expect(error.hint).toContain('unset it and AWS_ROLE_ARN');
    // Without a role, or with static credentials (the sandbox), the SDK never reads it.
    expect(() => assertAwsFilesRegular(true, { ...env, AWS_ROLE_ARN: '' })).not.toThrow();
    expect(() => assertAwsFilesRegular(false, env)).not.toThrow();
  });

  it('accepts regular files, /dev/null (and a link to it), missing files and the unset defaults', () => {
    const { home, file, dir } = world();
    const toNull = join(dir, 'null');
    symlinkSync('/dev/null', toNull);
    for (const env of [
      { HOME: home },
      { HOME: home, AWS_CONFIG_FILE: file, AWS_SHARED_CREDENTIALS_FILE: file },
      { HOME: home, AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: toNull },
      { HOME: home, AWS_CONFIG_FILE: join(dir, 'missing'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'a', 'b') },
      { HOME: home, AWS_WEB_IDENTITY_TOKEN_FILE: file, AWS_ROLE_ARN: 'arn:aws:iam::123456789012:role/ci' },
    ])
      expect(() => assertAwsFilesRegular(true, env)).not.toThrow();
  });
});
