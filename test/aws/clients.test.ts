import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createLambdaClient,
  createLambdaPort,
  createMetricsPort,
  describeEndpoint,
} from '../../src/aws/clients.js';
import {
  aliasConfiguration,
  cloudWatchCall,
  cloudWatchJson,
  fnPath,
  lambdaJson,
  TEST_CREDENTIALS,
  testClientOptions,
  useNock,
} from '../helpers/aws-nock.js';

const ENV_KEYS = [
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
  'AWS_CONFIG_FILE',
  'AWS_SHARED_CREDENTIALS_FILE',
  'AWS_PROFILE',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_ENDPOINT_URL',
  'AWS_ENDPOINT_URL_LAMBDA',
  'HTTPS_PROXY',
  'https_proxy',
  'HTTP_PROXY',
  'http_proxy',
  'NO_PROXY',
  'no_proxy',
];

describe('client factory', () => {
  useNock();
  let saved: Record<string, string | undefined> = {};
  let dir = '';

  beforeEach(() => {
    saved = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));
    for (const k of ENV_KEYS) delete process.env[k];
    process.env['AWS_CONFIG_FILE'] = '/dev/null';
    process.env['AWS_SHARED_CREDENTIALS_FILE'] = '/dev/null';
    dir = mkdtempSync(join(tmpdir(), 'lshift-clients-'));
  });

  afterEach(() => {
    for (const k of ENV_KEYS) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('throws REGION_MISSING (exit 1) with a hint when no region is configured', async () => {
    await expect(createLambdaClient({ credentials: TEST_CREDENTIALS })).rejects.toMatchObject({
      code: 'REGION_MISSING',
      exitCode: 1,
      hint: expect.stringContaining('--region'),
    });
  });

  it.each([
    [{ region: 'us east 1' }, {}, 'Invalid AWS region `us east 1` (from --region'],
    [{}, { AWS_REGION: 'us east 1' }, 'Invalid AWS region `us east 1` (from AWS_REGION)'],
    [{}, { AWS_DEFAULT_REGION: '*' }, 'Invalid AWS region `*` (from AWS_DEFAULT_REGION)'],
    // Only the source in use counts: a good --region makes a bad AWS_REGION irrelevant.
    [{ region: 'US-EAST-1' }, { AWS_REGION: 'us-east-1' }, '`US-EAST-1` (from --region'],
  ])(
    'a malformed region %j %j is REGION_INVALID (exit 2) naming its source, not REGION_MISSING',
    async (options, env, says) => {
      Object.assign(process.env, env);
      await expect(createLambdaClient({ credentials: TEST_CREDENTIALS, ...options })).rejects.toMatchObject({
        code: 'REGION_INVALID',
        exitCode: 2,
        message: expect.stringContaining(says),
      });
    },
  );

  it('an empty AWS_REGION is no region (REGION_MISSING), not a malformed one', async () => {
    process.env['AWS_REGION'] = '';
    await expect(createLambdaClient({ credentials: TEST_CREDENTIALS })).rejects.toMatchObject({
      code: 'REGION_MISSING',
    });
  });

  it.each([
    ['AWS_REGION=', { AWS_REGION: '' }],
    ['AWS_REGION=" "', { AWS_REGION: ' ' }],
    ['AWS_REGION= AWS_DEFAULT_REGION=', { AWS_REGION: '', AWS_DEFAULT_REGION: '' }],
    ['AWS_REGION= AWS_PROFILE=', { AWS_REGION: '', AWS_PROFILE: '' }],
  ])("%s counts as unset, as in a shell: the default profile's region is used", async (_, env) => {
    const config = join(dir, 'config');
    writeFileSync(config, '[default]\nregion = eu-west-3\n');
    process.env['AWS_CONFIG_FILE'] = config;
    Object.assign(process.env, env);
    nock('https://lambda.eu-west-3.amazonaws.com')
      .get(fnPath('my-fn', '/aliases/live'))
      .reply(...lambdaJson(aliasConfiguration()));
    const { lambda, region } = await createLambdaPort({ credentials: TEST_CREDENTIALS });
    expect(region).toBe('eu-west-3');
    await expect(lambda.getAlias('my-fn', 'live')).resolves.toMatchObject({ functionVersion: '1' });
  });

  it('an empty AWS_REGION leaves a named profile its region (--profile), and AWS_DEFAULT_REGION its turn', async () => {
    const config = join(dir, 'config');
    writeFileSync(config, '[profile staging]\nregion = eu-west-2\n');
    process.env['AWS_CONFIG_FILE'] = config;
    process.env['AWS_REGION'] = '';
    const client = await createLambdaClient({ profile: 'staging', credentials: TEST_CREDENTIALS });
    await expect(client.config.region()).resolves.toBe('eu-west-2');
    process.env['AWS_DEFAULT_REGION'] = 'ap-southeast-2';
    const fromDefault = await createLambdaClient({ profile: 'staging', credentials: TEST_CREDENTIALS });
    await expect(fromDefault.config.region()).resolves.toBe('ap-southeast-2');
  });

  it('a malformed region in the profile is REGION_INVALID naming the profile', async () => {
    const config = join(dir, 'config');
    writeFileSync(config, '[profile spaced]\nregion = us east 1\n');
    process.env['AWS_CONFIG_FILE'] = config;
    await expect(
      createLambdaClient({ profile: 'spaced', credentials: TEST_CREDENTIALS }),
    ).rejects.toMatchObject({
      code: 'REGION_INVALID',
      exitCode: 2,
      message: expect.stringContaining('`us east 1` (from the region of AWS profile spaced)'),
    });
  });

  it('takes the region from AWS_REGION', async () => {
    process.env['AWS_REGION'] = 'eu-central-1';
    const client = await createLambdaClient({ credentials: TEST_CREDENTIALS });
    await expect(client.config.region()).resolves.toBe('eu-central-1');
  });

  it('honours AWS_DEFAULT_REGION like the AWS CLI, below AWS_REGION', async () => {
    process.env['AWS_DEFAULT_REGION'] = 'ap-southeast-2';
    const client = await createLambdaClient({ credentials: TEST_CREDENTIALS });
    await expect(client.config.region()).resolves.toBe('ap-southeast-2');
    process.env['AWS_REGION'] = 'eu-central-1';
    const both = await createLambdaClient({ credentials: TEST_CREDENTIALS });
    await expect(both.config.region()).resolves.toBe('eu-central-1');
  });

  it('names a --profile (or AWS_PROFILE) that neither AWS file defines: PROFILE_NOT_FOUND, exit 2', async () => {
    const config = join(dir, 'config');
    writeFileSync(config, '[profile staging]\nregion = eu-west-2\n');
    process.env['AWS_CONFIG_FILE'] = config;
    await expect(createLambdaClient({ profile: 'nope', region: 'us-east-1' })).rejects.toMatchObject({
      code: 'PROFILE_NOT_FOUND',
      exitCode: 2,
      message: expect.stringContaining(`AWS profile nope (--profile nope) is not defined in ${config}`),
      hint: expect.stringContaining('aws configure list-profiles'),
    });
    process.env['AWS_PROFILE'] = 'gone';
    await expect(createLambdaClient({ region: 'us-east-1' })).rejects.toMatchObject({
      code: 'PROFILE_NOT_FOUND',
      message: expect.stringContaining('AWS_PROFILE=gone'),
    });
  });

  it('checks a named profile even with access keys in the environment: the SDK would skip those keys', async () => {
    process.env['AWS_ACCESS_KEY_ID'] = 'AKIDENVVALUE';
    process.env['AWS_SECRET_ACCESS_KEY'] = 'ENVSECRETVALUE';
    process.env['AWS_PROFILE'] = 'foo';
    const fromEnv = createLambdaClient({ region: 'us-east-1' });
    await expect(fromEnv).rejects.toMatchObject({
      code: 'PROFILE_NOT_FOUND',
      exitCode: 2,
      message: expect.stringContaining('AWS_PROFILE=foo'),
      hint: expect.stringContaining('unset AWS_PROFILE'),
    });
    delete process.env['AWS_PROFILE'];
    const error = await createLambdaClient({ profile: 'foo', region: 'us-east-1' }).catch((e: Error) => e);
    expect(error).toMatchObject({
      code: 'PROFILE_NOT_FOUND',
      hint: expect.stringContaining('drop --profile'),
    });
    const shown = `${(error as Error).message} ${(error as unknown as { hint: string }).hint}`;
    expect(shown).not.toMatch(/AKIDENVVALUE|ENVSECRETVALUE/);
  });

  it("a defined profile and keys in the environment: the profile is used, without the SDK's nine-line warning", async () => {
    const credentials = join(dir, 'credentials');
    writeFileSync(credentials, '[ci]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = secret\n');
    process.env['AWS_SHARED_CREDENTIALS_FILE'] = credentials;
    process.env['AWS_ACCESS_KEY_ID'] = 'AKIDENVVALUE';
    process.env['AWS_SECRET_ACCESS_KEY'] = 'ENVSECRETVALUE';
    process.env['AWS_PROFILE'] = 'ci';
    // The request is signed with the profile's key, not the environment's.
    nock('https://lambda.us-east-1.amazonaws.com')
      .matchHeader('authorization', /Credential=AKIDPROFILE\//)
      .get(fnPath('my-fn', '/aliases/live'))
      .reply(...lambdaJson(aliasConfiguration()));
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const { lambda } = await createLambdaPort({ region: 'us-east-1' });
      await expect(lambda.getAlias('my-fn', 'live')).resolves.toMatchObject({ name: 'live' });
      expect(warn.mock.calls.flat().join('\n')).not.toContain('Multiple credential sources');
    } finally {
      warn.mockRestore();
    }
  });

  it("the SDK's other warnings go to the caller's onSdkWarning (the CLI's printable stderr), not raw to console.warn", async () => {
    const credentials = join(dir, 'credentials');
    writeFileSync(credentials, '[ci]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = secret\n');
    process.env['AWS_SHARED_CREDENTIALS_FILE'] = credentials;
    process.env['AWS_ACCESS_KEY_ID'] = 'AKIDENVVALUE';
    process.env['AWS_PROFILE'] = 'ci';
    const seen: string[] = [];
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const client = await createLambdaClient({ region: 'us-east-1', onSdkWarning: (t) => seen.push(t) });
      const logger = client.config.logger;
      logger.warn('Multiple credential sources detected: nine lines');
      logger.warn('endpoint says \u001b[2Jcleared', { code: 7 });
      expect(seen).toEqual(['endpoint says \u001b[2Jcleared { code: 7 }']);
      expect(warn).not.toHaveBeenCalled();
      // Without a callback a warning is still shown, made printable: no escape reaches the terminal.
      const bare = await createLambdaClient({ region: 'us-east-1' });
      bare.config.logger.warn('endpoint says \u001b[2Jcleared');
      expect(warn.mock.calls).toEqual([['endpoint says \uFFFD[2Jcleared']]);
    } finally {
      warn.mockRestore();
    }
  });

  it('accepts a profile that only the credentials file defines', async () => {
    const credentials = join(dir, 'credentials');
    writeFileSync(credentials, '[ci]\naws_access_key_id = AKIDTEST\naws_secret_access_key = secret\n');
    process.env['AWS_SHARED_CREDENTIALS_FILE'] = credentials;
    const client = await createLambdaClient({ profile: 'ci', region: 'us-east-1' });
    await expect(client.config.region()).resolves.toBe('us-east-1');
  });

  it('passes --profile to the SDK, which reads the region from that profile', async () => {
    const config = join(dir, 'config');
    writeFileSync(config, '[profile staging]\nregion = eu-west-2\n');
    process.env['AWS_CONFIG_FILE'] = config;
    nock('https://lambda.eu-west-2.amazonaws.com')
      .get(fnPath('my-fn', '/aliases/live'))
      .reply(...lambdaJson(aliasConfiguration()));
    const { lambda } = await createLambdaPort({ profile: 'staging', credentials: TEST_CREDENTIALS });
    await expect(lambda.getAlias('my-fn', 'live')).resolves.toMatchObject({ functionVersion: '1' });
  });

  it('sends requests to --endpoint-url when given', async () => {
    nock('http://127.0.0.1:4566')
      .get(fnPath('my-fn', '/aliases/live'))
      .reply(...lambdaJson(aliasConfiguration()));
    const { lambda } = await createLambdaPort(testClientOptions({ endpointUrl: 'http://127.0.0.1:4566' }));
    await expect(lambda.getAlias('my-fn', 'live')).resolves.toMatchObject({ name: 'live' });
  });

  it('leaves AWS_ENDPOINT_URL_LAMBDA to the SDK when no endpoint is given', async () => {
    process.env['AWS_ENDPOINT_URL_LAMBDA'] = 'http://127.0.0.1:4567';
    nock('http://127.0.0.1:4567')
      .get(fnPath('my-fn', '/aliases/live'))
      .reply(...lambdaJson(aliasConfiguration()));
    const { lambda } = await createLambdaPort(testClientOptions());
    await expect(lambda.getAlias('my-fn', 'live')).resolves.toMatchObject({ name: 'live' });
  });

  it('createMetricsPort returns a working CloudWatch adapter', async () => {
    cloudWatchCall('DescribeAlarms').reply(
      ...cloudWatchJson({ MetricAlarms: [{ AlarmName: 'a', StateValue: 'OK' }] }),
    );
    const metrics = await createMetricsPort(testClientOptions());
    await expect(metrics.describeAlarms(['a'])).resolves.toEqual([{ name: 'a', state: 'OK' }]);
  });

  // The configuration time tells an alarm created after a deployment from a history that lags
  // (alarm-flaps.ts judgeFlap).
  it('reads when an alarm changed state and when its configuration changed', async () => {
    cloudWatchCall('DescribeAlarms').reply(
      ...cloudWatchJson({
        MetricAlarms: [
          {
            AlarmName: 'a',
            StateValue: 'INSUFFICIENT_DATA',
            StateTransitionedTimestamp: 1_767_261_600,
            AlarmConfigurationUpdatedTimestamp: 1_767_261_600,
          },
        ],
      }),
    );
    const metrics = await createMetricsPort(testClientOptions());
    await expect(metrics.describeAlarms(['a'])).resolves.toEqual([
      {
        name: 'a',
        state: 'INSUFFICIENT_DATA',
        transitionedAt: 1_767_261_600_000,
        configUpdatedAt: 1_767_261_600_000,
      },
    ]);
  });

  it('describeEndpoint names the configured endpoint, the env override or the default host', async () => {
    const custom = await createLambdaClient(testClientOptions({ endpointUrl: 'http://localhost:4566' }));
    const plain = await createLambdaClient(testClientOptions());
    const lambda = { envSuffix: 'LAMBDA', host: 'lambda' };
    await expect(describeEndpoint(custom.config, lambda)).resolves.toBe('http://localhost:4566');
    await expect(describeEndpoint(plain.config, lambda)).resolves.toBe(
      'https://lambda.us-east-1.amazonaws.com',
    );
    process.env['AWS_ENDPOINT_URL'] = 'http://sandbox:9000';
    await expect(describeEndpoint(plain.config, lambda)).resolves.toBe('http://sandbox:9000');
  });

  it('describeEndpoint names the proxy the calls go through and its variable, never its password', async () => {
    const plain = await createLambdaClient(testClientOptions());
    const local = await createLambdaClient(testClientOptions({ endpointUrl: 'http://localhost:4566' }));
    const lambda = { envSuffix: 'LAMBDA', host: 'lambda' };
    process.env['https_proxy'] = 'http://me:hunter2@proxy.corp:3128';
    process.env['HTTPS_PROXY'] = 'http://other:3128';
    await expect(describeEndpoint(plain.config, lambda)).resolves.toBe(
      'https://lambda.us-east-1.amazonaws.com through the proxy http://***@proxy.corp:3128 (https_proxy)',
    );
    // A raw password with a space (a URL takes it; maskUserinfo's user part ends there) or an `@`.
    process.env['https_proxy'] = 'http://me:hun ter2@proxy.corp:3128';
    await expect(describeEndpoint(plain.config, lambda)).resolves.toBe(
      'https://lambda.us-east-1.amazonaws.com through the proxy http://***@proxy.corp:3128 (https_proxy)',
    );
    process.env['https_proxy'] = 'http://me:hun@ter2@proxy.corp:3128';
    await expect(describeEndpoint(plain.config, lambda)).resolves.toBe(
      'https://lambda.us-east-1.amazonaws.com through the proxy http://***@proxy.corp:3128 (https_proxy)',
    );
    // Loopback, NO_PROXY: direct, and said so by naming no proxy.
    await expect(describeEndpoint(local.config, lambda)).resolves.toBe('http://localhost:4566');
    process.env['NO_PROXY'] = '.amazonaws.com';
    await expect(describeEndpoint(plain.config, lambda)).resolves.toBe(
      'https://lambda.us-east-1.amazonaws.com',
    );
    // A proxy lshift cannot use was refused when the client was made: the endpoint alone.
    delete process.env['NO_PROXY'];
    process.env['https_proxy'] = 'socks5://me:hunter2@proxy.corp:1080';
    await expect(describeEndpoint(plain.config, lambda)).resolves.toBe(
      'https://lambda.us-east-1.amazonaws.com',
    );
  });

  it('a client whose endpoint the proxy variable covers is refused when that proxy is SOCKS (PROXY_INVALID, exit 2)', async () => {
    process.env['HTTPS_PROXY'] = 'socks5://me:hunter2@proxy.corp:1080';
    process.env['HTTP_PROXY'] = 'socks5://me:hunter2@proxy.corp:1080';
    const error = await createLambdaClient(testClientOptions()).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'PROXY_INVALID', exitCode: 2 });
    expect(String((error as Error).message)).not.toContain('hunter2');
    // Nor does it touch a loopback endpoint.
    await expect(
      createLambdaClient(testClientOptions({ endpointUrl: 'http://127.0.0.1:4566' })),
    ).resolves.toBeDefined();
  });
});

describe('lazy SDK loading', () => {
  // `--help` and `plan` import the composition root, which imports clients.ts statically:
  // any value import of @aws-sdk/* there would cost ~170 ms per client at every start.
  it.each(['src/aws/clients.ts', 'src/aws/error-mapping.ts'])(
    '%s has no value import of @aws-sdk',
    (file) => {
      const source = readFileSync(join(import.meta.dirname, '../..', file), 'utf8');
      const valueImports = source.match(/^import\s+(?!type\b)[^;]*from\s+'@aws-sdk\/[^']+';/gm) ?? [];
      expect(valueImports).toEqual([]);
      expect(source).not.toMatch(/require\(['"]@aws-sdk/);
    },
  );
});
