import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
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
function refusal(env: NodeJS.ProcessEnv, defaultChain = true, profile?: string): UsageError {
  try {
    assertAwsFilesRegular(defaultChain, env, profile);
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

/**
 * The files a profile makes the SDK read: its web_identity_token_file (read synchronously: lshift
 * stopped dead on a pipe there, printing nothing) and the SSO token cache of its sso_session or
 * sso_start_url (a pipe there: the error printed, then no exit). Hostile pass.
 */
describe('assertAwsFilesRegular: the files the chosen profile makes the SDK read', () => {
  function profileWorld(
    config: string,
    credentials = '',
  ): { home: string; fifo: string; dir: string; env: NodeJS.ProcessEnv } {
    const { home, fifo, dir } = world();
    mkdirSync(join(home, '.aws', 'sso', 'cache'), { recursive: true });
    const configFile = join(home, '.aws', 'config');
    writeFileSync(configFile, config.replaceAll('<fifo>', fifo).replaceAll('<dir>', dir));
    writeFileSync(join(home, '.aws', 'credentials'), credentials.replaceAll('<fifo>', fifo));
    return { home, fifo, dir, env: { HOME: home } };
  }
  function cacheOf(home: string, id: string): string {
    return join(home, '.aws', 'sso', 'cache', `${createHash('sha1').update(id).digest('hex')}.json`);
  }
  const ROLE = 'role_arn = arn:aws:iam::123456789012:role/ci';

  it('a web_identity_token_file that is a pipe, for --profile, AWS_PROFILE or the default profile', () => {
    const { home, fifo, env } = profileWorld(
      `[profile ci]\n${ROLE}\nweb_identity_token_file = <fifo> # from the runner\n[default]\n${ROLE}\nweb_identity_token_file = <fifo>\n`,
    );
    const config = join(home, '.aws', 'config');
    const error = refusal(env, true, 'ci');
    expect(error.code).toBe('AWS_FILE_INVALID');
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe(
      `The web identity token file ${fifo} (web_identity_token_file of AWS profile ci in ${config}) is a named pipe (FIFO), not a regular file.`,
    );
    expect(error.hint).toBe(
      'The AWS SDK would wait on the pipe for a writer, forever. Point web_identity_token_file at the file that holds the web identity (OIDC) token, as your CI or cluster writes it.',
    );
    expect(refusal({ ...env, AWS_PROFILE: 'ci' }).message).toContain('of AWS profile ci in');
    expect(refusal(env).message).toContain('of AWS profile default in');
  });

  it('the SSO token cache of the profile’s sso_session, and of a legacy sso_start_url', () => {
    const { home, env } = profileWorld(
      '[profile dev]\nsso_session = my-sso\nsso_account_id = 123456789012\nsso_role_name = Dev\n' +
        '[sso-session my-sso]\nsso_start_url = https://example.awsapps.com/start\nsso_region = us-east-1\n' +
        '[profile old]\nsso_start_url = https://old.awsapps.com/start\nsso_region = us-east-1\nsso_account_id = 123456789012\nsso_role_name = Dev\n',
    );
    const session = cacheOf(home, 'my-sso');
    execFileSync('mkfifo', [session]);
    const error = refusal(env, true, 'dev');
    expect(error.message).toBe(
      `The SSO token cache file ${session} (of sso_session my-sso of AWS profile dev) is a named pipe (FIFO), not a regular file.`,
    );
    expect(error.hint).toContain(
      'Remove it (the AWS CLI writes it as a file) and sign in again: `aws sso login --profile dev`.',
    );
    // The legacy form names the cache by its start URL; a directory there is refused too.
    const legacy = cacheOf(home, 'https://old.awsapps.com/start');
    mkdirSync(legacy);
    const old = refusal(env, true, 'old');
    expect(old.message).toBe(
      `The SSO token cache file ${legacy} (of the sso_start_url of AWS profile old) is a directory, not a regular file.`,
    );
    expect(old.hint).toContain('would fail to read it, with an error that does not say why');
  });

  it('follows source_profile to the profile that gives the credentials (settings of the credentials file win)', () => {
    const { home, fifo, env } = profileWorld(
      `[profile deploy]\n${ROLE}\nsource_profile = base\n[profile base]\n${ROLE}\nweb_identity_token_file = /nonexistent\n`,
      '[base]\nweb_identity_token_file = <fifo>\n',
    );
    expect(refusal(env, true, 'deploy').message).toBe(
      `The web identity token file ${fifo} (web_identity_token_file of AWS profile base in ${join(home, '.aws', 'credentials')}) is a named pipe (FIFO), not a regular file.`,
    );
  });

  it('refuses nothing the SDK would not read', () => {
    const { home, env } = profileWorld(
      `[profile keys]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = x\n${ROLE}\nweb_identity_token_file = <fifo>\n` +
        `[profile chained]\n${ROLE}\nsource_profile = keys\n` +
        `[profile proc]\ncredential_process = /bin/true\nsso_session = my-sso\n` +
        `[profile other]\n${ROLE}\nweb_identity_token_file = <fifo>\n` +
        '[profile dev]\nsso_session = my-sso\n[profile nosso]\nregion = us-east-1\n' +
        `[profile ec2]\n${ROLE}\ncredential_source = Ec2InstanceMetadata\nweb_identity_token_file = <fifo>\n`,
    );
    execFileSync('mkfifo', [cacheOf(home, 'my-sso')]);
    // Keys win over the profile's token (resolveStaticCredentials comes before web identity).
    expect(() => assertAwsFilesRegular(true, env, 'keys')).not.toThrow();
    // The source profile's keys end the chain.
    expect(() => assertAwsFilesRegular(true, env, 'chained')).not.toThrow();
    // credential_process comes before SSO.
    expect(() => assertAwsFilesRegular(true, env, 'proc')).not.toThrow();
    // An assumed role from instance metadata reads no file.
    expect(() => assertAwsFilesRegular(true, env, 'ec2')).not.toThrow();
    // Another profile's files are not looked at.
    expect(() => assertAwsFilesRegular(true, env, 'nosso')).not.toThrow();
    expect(() => assertAwsFilesRegular(true, env, 'missing')).not.toThrow();
    // Static credentials given to the clients (the sandbox, tests): the SDK reads no profile.
    expect(() => assertAwsFilesRegular(false, env, 'other')).not.toThrow();
    expect(() => assertAwsFilesRegular(false, env, 'dev')).not.toThrow();
    // Keys in the environment and no profile named: the chain stops at them.
    const keys = { ...env, AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE', AWS_SECRET_ACCESS_KEY: 'x' };
    writeFileSync(
      join(home, '.aws', 'config'),
      `[default]\n${ROLE}\nweb_identity_token_file = ${cacheOf(home, 'my-sso')}\n`,
    );
    expect(() => assertAwsFilesRegular(true, keys)).not.toThrow();
    // …but a named profile wins over them.
    expect(refusal({ ...keys, AWS_PROFILE: 'default' }).code).toBe('AWS_FILE_INVALID');
  });
});
