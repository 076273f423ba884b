/**
 * A profile whose name has a space (`[profile sb x]` in ~/.aws/config, `[sb x]` in
 * ~/.aws/credentials): the SDK does not read it, lshift's own reading found it, and the SDK's "no
 * credentials" became "Pass --profile" said to someone who had (h4's list, session 68). The names
 * the SDK reads are pinned against its own parser, so an SDK that starts reading them shows here.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSharedConfigFiles } from '@smithy/core/config';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLambdaClient } from '../../src/aws/clients.js';
import { mapAwsError } from '../../src/aws/error-mapping.js';
import { noteNamedProfile } from '../../src/aws/named-profile.js';
import { sdkProfileOf, sectionHeaders } from '../../src/aws/profile-names.js';

const HEADERS = [
  'default',
  'profile dev',
  'profile sb x',
  'profile "quoted"',
  "profile 'sb x'",
  'profile a@b+c.d%e:f/g-h_i',
  'profile  two-spaces',
  'dev',
  'sb x',
  'a b c',
  'sso-session corp',
  'services local',
  'profile',
];

describe('the profile names the AWS SDK reads', () => {
  it('match the SDK’s own parser, header by header, in both files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lshift-profile-names-'));
    const text = HEADERS.map((h, i) => `[${h}]\nkey${i} = v\n`).join('');
    const config = join(dir, 'config');
    const credentials = join(dir, 'credentials');
    writeFileSync(config, text);
    writeFileSync(credentials, text);
    const sdk = await loadSharedConfigFiles({
      configFilepath: config,
      filepath: credentials,
      ignoreCache: true,
    });
    const ours = (isConfig: boolean) =>
      sectionHeaders(text)
        .map((h) => sdkProfileOf(h, isConfig))
        .filter((name): name is string => name !== undefined)
        .sort();
    const sdkProfiles = (file: Record<string, unknown>) =>
      Object.keys(file)
        .filter((name) => !name.includes('.') || !/^(sso-session|services)\./.test(name))
        .filter((name) => !/^profile\./.test(name))
        .sort();
    expect(ours(true)).toEqual(sdkProfiles(sdk.configFile));
    expect(ours(false)).toEqual(sdkProfiles(sdk.credentialsFile));
    expect(ours(true)).not.toContain('sb x');
    expect(ours(false)).not.toContain('sb x');
  });
});

describe('a profile the SDK does not read: PROFILE_UNREADABLE, naming the profile and the file', () => {
  const saved = { ...process.env };
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lshift-profile-space-'));
    for (const key of ['AWS_PROFILE', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'])
      delete process.env[key];
    process.env['AWS_SHARED_CREDENTIALS_FILE'] = join(dir, 'credentials');
    process.env['AWS_CONFIG_FILE'] = join(dir, 'config');
    writeFileSync(join(dir, 'credentials'), '');
    writeFileSync(join(dir, 'config'), '');
  });
  afterEach(() => {
    process.env = { ...saved };
  });

  it('[profile sb x] in the config file (it said "Pass --profile" once the SDK found no credentials)', async () => {
    const config = join(dir, 'config');
    writeFileSync(
      config,
      '[profile sb x]\nregion = us-east-1\naws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = s\n',
    );
    await expect(createLambdaClient({ profile: 'sb x', region: 'us-east-1' })).rejects.toMatchObject({
      code: 'PROFILE_UNREADABLE',
      exitCode: 2,
      message: expect.stringContaining(
        `AWS profile "sb x" (--profile 'sb x') is in ${config} as [profile sb x]`,
      ),
      hint: expect.stringContaining('[profile sb-x]'),
    });
  });

  it('[sb x] in the credentials file, named by AWS_PROFILE', async () => {
    const credentials = join(dir, 'credentials');
    writeFileSync(credentials, '[sb x]\naws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = s\n');
    process.env['AWS_PROFILE'] = 'sb x';
    await expect(createLambdaClient({ region: 'us-east-1' })).rejects.toMatchObject({
      code: 'PROFILE_UNREADABLE',
      message: expect.stringContaining(`(AWS_PROFILE='sb x') is in ${credentials} as [sb x]`),
    });
  });

  it('a name the SDK reads goes ahead', async () => {
    writeFileSync(join(dir, 'config'), '[profile sb-x]\nregion = us-east-1\n');
    await expect(createLambdaClient({ profile: 'sb-x', region: 'us-east-1' })).resolves.toBeDefined();
  });
});

describe('no credentials from a profile given by --profile (not AWS_PROFILE)', () => {
  it('names that profile, not "Pass --profile" (the SDK gets it as client config)', () => {
    const saved = ['AWS_PROFILE', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'].map(
      (k) => [k, process.env[k]] as const,
    );
    for (const [k] of saved) delete process.env[k];
    try {
      noteNamedProfile('ops/prod');
      const error = Object.assign(new Error('Could not load credentials from any providers'), {
        name: 'CredentialsProviderError',
      });
      const mapped = mapAwsError(error, { operation: 'lambda:GetAlias', functionName: 'demo' });
      expect(mapped.code).toBe('CREDENTIALS_MISSING');
      expect(mapped.hint).not.toContain('Pass --profile');
      expect(mapped.hint).toContain('Profile ops/prod');
      expect(mapped.hint).toContain('`aws configure list --profile ops/prod`');
      noteNamedProfile(undefined);
      expect(mapAwsError(error, { operation: 'lambda:GetAlias', functionName: 'demo' }).hint).toContain(
        'Pass --profile',
      );
    } finally {
      noteNamedProfile(undefined);
      for (const [k, v] of saved)
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
    }
  });
});
