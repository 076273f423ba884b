import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { profileUsesEnvironmentKeys } from '../../src/aws/profile-check.js';
import { awsHookEnv, sandboxHookEnv } from '../../src/cli/hook-env.js';

/** What a `cmd:` hook's AWS tools see: the endpoint, region and identity lshift itself uses. */
describe('awsHookEnv', () => {
  const shell = {
    PATH: '/usr/bin',
    AWS_ACCESS_KEY_ID: 'AKIASHELL',
    AWS_SECRET_ACCESS_KEY: 'shell-secret',
    AWS_SESSION_TOKEN: 'shell-token',
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
  };

  it('sets the region lshift resolved, and keeps the keys lshift signs with when no profile is named', () => {
    expect(awsHookEnv({ region: 'eu-west-1' }, shell)).toEqual({
      ...shell,
      AWS_REGION: 'eu-west-1',
      AWS_DEFAULT_REGION: 'eu-west-1',
    });
  });

  it('passes --endpoint-url as AWS_ENDPOINT_URL, without the overrides that would send the calls elsewhere', () => {
    const env = awsHookEnv(
      { region: 'us-east-1', endpointUrl: 'http://localhost:4566' },
      {
        ...shell,
        AWS_ENDPOINT_URL: 'https://other.example',
        AWS_ENDPOINT_URL_LAMBDA: 'https://lambda.other.example',
        AWS_ENDPOINT_URL_CLOUDWATCH: 'https://cw.other.example',
        AWS_ENDPOINT_URL_CODEDEPLOY: 'https://cd.other.example',
        AWS_ENDPOINT_URL_S3: 'https://s3.example',
        AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true',
      },
    );
    expect(env).toMatchObject({
      AWS_ENDPOINT_URL: 'http://localhost:4566',
      AWS_ENDPOINT_URL_S3: 'https://s3.example',
    });
    for (const name of [
      'AWS_ENDPOINT_URL_LAMBDA',
      'AWS_ENDPOINT_URL_CLOUDWATCH',
      'AWS_ENDPOINT_URL_CODEDEPLOY',
      'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS',
    ]) {
      expect(env).not.toHaveProperty(name);
    }
  });

  it('keeps the environment’s endpoints when lshift was given none (lshift used them too)', () => {
    const env = awsHookEnv(
      { region: 'us-east-1' },
      { ...shell, AWS_ENDPOINT_URL_LAMBDA: 'http://localhost:4566' },
    );
    expect(env.AWS_ENDPOINT_URL_LAMBDA).toBe('http://localhost:4566');
    expect(env).not.toHaveProperty('AWS_ENDPOINT_URL');
  });

  it('names the profile lshift uses and drops the keys beside it (the AWS CLI would prefer them)', () => {
    const env = awsHookEnv(
      { region: 'eu-central-1', profile: 'ci' },
      { ...shell, AWS_DEFAULT_PROFILE: 'old' },
    );
    expect(env).toMatchObject({ AWS_PROFILE: 'ci', AWS_REGION: 'eu-central-1', PATH: '/usr/bin' });
    for (const name of [
      'AWS_ACCESS_KEY_ID',
      'AWS_SECRET_ACCESS_KEY',
      'AWS_SESSION_TOKEN',
      'AWS_DEFAULT_PROFILE',
    ]) {
      expect(env).not.toHaveProperty(name);
    }
  });

  it('treats AWS_PROFILE from the environment as the profile lshift uses', () => {
    const env = awsHookEnv({ region: 'us-east-1' }, { ...shell, AWS_PROFILE: 'dev' });
    expect(env.AWS_PROFILE).toBe('dev');
    expect(env).not.toHaveProperty('AWS_ACCESS_KEY_ID');
  });

  it('keeps the keys when the profile takes its credentials from them (credential_source = Environment)', () => {
    const env = awsHookEnv(
      { region: 'us-east-1', profile: 'deployer', profileUsesEnvironmentKeys: true },
      shell,
    );
    expect(env).toMatchObject({
      AWS_PROFILE: 'deployer',
      AWS_ACCESS_KEY_ID: 'AKIASHELL',
      AWS_SECRET_ACCESS_KEY: 'shell-secret',
      AWS_SESSION_TOKEN: 'shell-token',
    });
  });
});

describe('sandboxHookEnv', () => {
  it('points every tool at the sandbox, even one told to ignore AWS_ENDPOINT_URL', () => {
    const env = sandboxHookEnv('http://127.0.0.1:4566', 'us-east-1', {
      AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true',
      AWS_PROFILE: 'prod',
    });
    expect(env).toEqual({
      AWS_ENDPOINT_URL: 'http://127.0.0.1:4566',
      AWS_ACCESS_KEY_ID: 'sandbox',
      AWS_SECRET_ACCESS_KEY: 'sandbox',
      AWS_REGION: 'us-east-1',
      AWS_DEFAULT_REGION: 'us-east-1',
      LSHIFT_SANDBOX: 'http://127.0.0.1:4566',
    });
  });
});

describe('profileUsesEnvironmentKeys', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  function useFiles(config: string, credentials = ''): void {
    const dir = mkdtempSync(join(tmpdir(), 'lshift-profile-'));
    writeFileSync(join(dir, 'config'), config);
    writeFileSync(join(dir, 'credentials'), credentials);
    vi.stubEnv('AWS_CONFIG_FILE', join(dir, 'config'));
    vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', join(dir, 'credentials'));
  }

  it.each([
    [
      'on the profile itself',
      '[profile deployer]\nrole_arn = arn:aws:iam::1:role/d\ncredential_source = Environment\n',
      true,
    ],
    [
      'on the source profile of its role',
      '[profile deployer]\nrole_arn = arn:aws:iam::1:role/d\nsource_profile = base\n[profile base]\nrole_arn = arn:aws:iam::1:role/b\ncredential_source=environment\n',
      true,
    ],
    [
      'another source (an instance role)',
      '[profile deployer]\ncredential_source = Ec2InstanceMetadata\n',
      false,
    ],
    ['keys of its own', '[profile deployer]\nregion = eu-west-1\n', false],
    [
      'a source_profile loop',
      '[profile deployer]\nsource_profile = base\n[profile base]\nsource_profile = deployer\n',
      false,
    ],
    ['no such profile', '[default]\ncredential_source = Environment\n', false],
  ])('%s', (_, config, expected) => {
    useFiles(config);
    expect(profileUsesEnvironmentKeys('deployer')).toBe(expected);
  });

  it('reads the credentials file too ([name], no "profile " prefix)', () => {
    useFiles('', '[deployer]\ncredential_source = Environment\n');
    expect(profileUsesEnvironmentKeys('deployer')).toBe(true);
  });
});
