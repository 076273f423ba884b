/**
 * Session 63's garbage-input pass (#8): a profile's credential_process that exits non-zero, prints
 * garbage or prints JSON of the wrong shape was CREDENTIALS_MISSING, "No AWS credentials were
 * found" — the SDK's chain hides why. It is CREDENTIAL_PROCESS_FAILED, naming the profile, the
 * program and what was wrong, never what the process printed. Real SDK clients and processes;
 * nock keeps the network off.
 */
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  credentialsOutsideProfile,
  readCredentialProcessFailure,
} from '../../src/aws/credential-process-failure.js';
import { credentialProgram } from '../../src/aws/credential-program.js';
import type { LshiftError } from '../../src/domain/errors.js';
import {
  aliasConfiguration,
  createTestLambdaAdapter,
  fnPath,
  lambdaNock,
  useNock,
} from '../helpers/aws-nock.js';

const ENV_KEYS = [
  'AWS_CONFIG_FILE',
  'AWS_SHARED_CREDENTIALS_FILE',
  'AWS_PROFILE',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_EC2_METADATA_DISABLED',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_ROLE_ARN',
];
let saved: Record<string, string | undefined> = {};
beforeEach(() => {
  saved = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));
  for (const k of ENV_KEYS) delete process.env[k];
  process.env['AWS_EC2_METADATA_DISABLED'] = 'true';
});
afterEach(() => {
  for (const k of ENV_KEYS) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
});

/**
 * A profile `p` whose credential_process is a script with `body`, with a secret argument (and
 * `prefix` before it on the line: the variables the shell sets for it).
 */
function useProcess(body: string, prefix = '', profile = 'p'): string {
  const dir = mkdtempSync(join(tmpdir(), 'lshift-credproc-'));
  const script = join(dir, 'creds.sh');
  writeFileSync(script, `#!/bin/sh\n${body}\n`);
  chmodSync(script, 0o755);
  writeFileSync(
    join(dir, 'config'),
    `[${profile === 'default' ? 'default' : `profile ${profile}`}]\nregion = us-east-1\ncredential_process = ${prefix}${script} --token ARGSECRET\n`,
  );
  writeFileSync(join(dir, 'credentials'), '');
  process.env['AWS_CONFIG_FILE'] = join(dir, 'config');
  process.env['AWS_SHARED_CREDENTIALS_FILE'] = join(dir, 'credentials');
  return script;
}

describe('a credential_process that fails', () => {
  useNock();

  it.each([
    [
      'exits non-zero',
      'echo OUTSECRET; echo ERRSECRET >&2; exit 3',
      'exited with a failure (a non-zero exit status)',
    ],
    ['prints garbage', 'echo "OUTSECRET is not json"', 'printed something that is not JSON'],
    [
      'prints JSON without Version 1',
      'echo \'{"AccessKeyId":"OUTSECRET","SecretAccessKey":"x"}\'',
      'printed JSON without `"Version": 1`',
    ],
    [
      'prints JSON without keys',
      'echo \'{"Version":1,"Foo":"OUTSECRET"}\'',
      'printed JSON without AccessKeyId and SecretAccessKey',
    ],
    [
      "prints more than the 1 MiB the SDK reads (h1's pass: CREDENTIALS_MISSING)",
      'echo OUTSECRET; head -c 1100000 /dev/zero | tr "\\0" a',
      'printed more than 1 MiB (on stdout or stderr)',
    ],
    [
      'writes more than 1 MiB to stderr',
      'head -c 1100000 /dev/zero | tr "\\0" a >&2; echo ERRSECRET >&2; exit 0',
      'printed more than 1 MiB (on stdout or stderr)',
    ],
  ])('%s: CREDENTIAL_PROCESS_FAILED naming profile, program and fault, no secret', async (_, body, fault) => {
    const script = useProcess(body);
    const lambda = await createTestLambdaAdapter({ credentials: undefined, profile: 'p' });
    const error = (await lambda.getAlias('demo', 'live').catch((e: unknown) => e)) as LshiftError;
    expect(error.code).toBe('CREDENTIAL_PROCESS_FAILED');
    expect(error.exitCode).toBe(1);
    expect(error.message).toContain(`the credential_process of AWS profile p (\`${script} …\`) ${fault}`);
    expect(error.message).toMatch(/^lambda:GetAlias on function demo alias live was not sent/);
    expect(error.hint).toContain('`aws sts get-caller-identity --profile p`');
    expect(error.context.notApplied).toBe(true);
    const said = `${error.message}\n${error.hint}\n${JSON.stringify(error.context)}`;
    for (const secret of ['OUTSECRET', 'ERRSECRET', 'ARGSECRET']) expect(said).not.toContain(secret);
  });
});

/**
 * h1's pass (session 64): with a container credentials endpoint (ECS, CodeBuild) or an EC2
 * instance role, the SDK's chain goes on past the named profile whose credential_process failed
 * and signs with the host's role — lshift deployed as the host, with no word.
 */
describe('a named profile whose credential_process fails, on a host with a role', () => {
  useNock();
  const CONTAINER = 'http://127.0.0.1:4915';
  const containerCredentials = () =>
    nock(CONTAINER)
      .get('/creds')
      .reply(200, {
        AccessKeyId: 'AKIACONTAINER',
        SecretAccessKey: 'containersecret',
        Token: 'tok',
        Expiration: new Date(Date.now() + 3_600_000).toISOString(),
      });
  beforeEach(() => {
    process.env['AWS_CONTAINER_CREDENTIALS_FULL_URI'] = `${CONTAINER}/creds`;
  });

  it('is CREDENTIAL_PROCESS_FAILED saying the host’s credentials were refused, not a call as the host', async () => {
    const script = useProcess('exit 3');
    containerCredentials();
    const lambda = await createTestLambdaAdapter({ credentials: undefined, profile: 'p' });
    const error = (await lambda.getAlias('demo', 'live').catch((e: unknown) => e)) as LshiftError;
    expect(error.code).toBe('CREDENTIAL_PROCESS_FAILED');
    expect(error.message).toContain(
      `the credential_process of AWS profile p (\`${script} …\`) exited with a failure`,
    );
    expect(error.message).toContain(
      'The AWS SDK went on to the credentials of the container credentials endpoint',
    );
    expect(error.message).toContain('lshift refuses them, because AWS profile p was named');
    expect(error.context.notApplied).toBe(true);
  });

  it('on EC2 (instance metadata, which marks nothing): the instance role is refused the same', async () => {
    delete process.env['AWS_CONTAINER_CREDENTIALS_FULL_URI'];
    delete process.env['AWS_EC2_METADATA_DISABLED'];
    useProcess('exit 3');
    const role = '/latest/meta-data/iam/security-credentials/';
    nock('http://169.254.169.254')
      .put('/latest/api/token')
      .reply(200, 'imds-token')
      .get(role)
      .reply(200, 'host-role')
      .get(`${role}host-role`)
      .reply(200, {
        Code: 'Success',
        AccessKeyId: 'AKIAINSTANCE',
        SecretAccessKey: 'instancesecret',
        Token: 'tok',
        Expiration: new Date(Date.now() + 3_600_000).toISOString(),
      });
    const lambda = await createTestLambdaAdapter({ credentials: undefined, profile: 'p' });
    const error = (await lambda.getAlias('demo', 'live').catch((e: unknown) => e)) as LshiftError;
    expect(error.code).toBe('CREDENTIAL_PROCESS_FAILED');
    expect(error.message).toContain(
      'went on to the credentials of the host (its container or EC2 instance role',
    );
  });

  it('AWS_PROFILE names it the same', async () => {
    useProcess('exit 3');
    process.env['AWS_PROFILE'] = 'p';
    containerCredentials();
    const lambda = await createTestLambdaAdapter({ credentials: undefined });
    const error = (await lambda.getAlias('demo', 'live').catch((e: unknown) => e)) as LshiftError;
    expect(error.code).toBe('CREDENTIAL_PROCESS_FAILED');
    expect(error.message).toContain('lshift refuses them');
  });

  // No profile named: the `default` profile's failing process fell through to the host's role,
  // no word (h3's notes, session 64); the AWS CLI stops there.
  it('the default profile (none named): the host’s credentials are refused the same', async () => {
    const script = useProcess('exit 3', '', 'default');
    containerCredentials();
    const lambda = await createTestLambdaAdapter({ credentials: undefined });
    const error = (await lambda.getAlias('demo', 'live').catch((e: unknown) => e)) as LshiftError;
    expect(error.code).toBe('CREDENTIAL_PROCESS_FAILED');
    expect(error.message).toContain(
      `the credential_process of AWS profile default (\`${script} …\`) exited with a failure`,
    );
    expect(error.message).toContain('lshift refuses them, because the `default` profile is the one used');
    expect(error.message).toContain('remove that line from [default]');
    expect(error.message).not.toContain('containersecret');
  });

  // h2's pass: web identity (CI with OIDC, EKS) comes BEFORE a profile's process in the AWS CLI's
  // chain: with no profile named, the CLI signs with it and never runs [default]'s process.
  it.each([
    ['no profile named: signs with them, as the AWS CLI does', undefined, true],
    ['a named profile: refused, as before', 'p', false],
  ])('web identity credentials after a failed process, %s', async (_name, profile, signs) => {
    useProcess('exit 3', '', profile === undefined ? 'default' : profile);
    const dir = mkdtempSync(join(tmpdir(), 'lshift-webid-'));
    writeFileSync(join(dir, 'token'), 'oidc-token');
    process.env['AWS_WEB_IDENTITY_TOKEN_FILE'] = join(dir, 'token');
    process.env['AWS_ROLE_ARN'] = 'arn:aws:iam::123456789012:role/ci';
    nock(/sts\..*amazonaws\.com/)
      .post('/')
      .reply(
        200,
        '<AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult><Credentials><AccessKeyId>AKIAWEBID</AccessKeyId><SecretAccessKey>webidsecret</SecretAccessKey><SessionToken>t</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials></AssumeRoleWithWebIdentityResult></AssumeRoleWithWebIdentityResponse>',
        { 'content-type': 'text/xml' },
      );
    if (signs)
      lambdaNock()
        .get(fnPath('demo', '/aliases/live'))
        .matchHeader('authorization', /Credential=AKIAWEBID\//)
        .reply(200, aliasConfiguration());
    const lambda = await createTestLambdaAdapter({
      credentials: undefined,
      ...(profile === undefined ? {} : { profile }),
    });
    const read = lambda.getAlias('demo', 'live');
    if (signs) {
      await expect(read).resolves.toBeDefined();
      return;
    }
    const error = (await read.catch((e: unknown) => e)) as LshiftError;
    expect(error.code).toBe('CREDENTIAL_PROCESS_FAILED');
    expect(error.message).toContain('web identity credentials');
  });

  it('a process that fails once and succeeds when the chain runs it again signs the call', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lshift-flaky-'));
    const ran = join(dir, 'ran');
    useProcess(
      `if [ -f ${ran} ]; then echo '{"Version":1,"AccessKeyId":"AKIAPROFILE","SecretAccessKey":"s"}'; else touch ${ran}; exit 3; fi`,
    );
    lambdaNock()
      .get(fnPath('demo', '/aliases/live'))
      .matchHeader('authorization', /Credential=AKIAPROFILE\//)
      .reply(200, aliasConfiguration());
    const lambda = await createTestLambdaAdapter({ credentials: undefined, profile: 'p' });
    await expect(lambda.getAlias('demo', 'live')).resolves.toBeDefined();
  });
});

describe('credentialsOutsideProfile (the SDK’s $source marks)', () => {
  it.each([
    [{ CREDENTIALS_PROFILE_PROCESS: 'v', CREDENTIALS_PROCESS: 'w' }, undefined],
    [{ CREDENTIALS_PROCESS: 'w' }, undefined],
    [{ CREDENTIALS_PROFILE_SOURCE_PROFILE: 'o', CREDENTIALS_STS_ASSUME_ROLE: 'i' }, undefined],
    [{ CREDENTIALS_SSO: 's' }, undefined],
    [{ CREDENTIALS_HTTP: 'z' }, /container credentials endpoint/],
    [{ CREDENTIALS_ENV_VARS_STS_WEB_ID_TOKEN: 'h', CREDENTIALS_STS_ASSUME_ROLE_WEB_ID: 'k' }, /web identity/],
    [undefined, /EC2 instance role, from the metadata endpoint/],
  ])('%j → %s', (source, said) => {
    const outside = credentialsOutsideProfile({ accessKeyId: 'A', secretAccessKey: 'S', $source: source });
    if (said === undefined) expect(outside).toBeUndefined();
    else expect(outside).toMatch(said);
  });
});

describe('a credential_process line that sets variables for its program', () => {
  useNock();

  it.each(['TOKEN=ENVSECRET-222 ', 'TOKEN="ENVSECRET-222 two" A=1 ', "env -i TOKEN='ENVSECRET-222' "])(
    '%j: names the program, never the variables',
    async (prefix) => {
      const script = useProcess('exit 3', prefix);
      const lambda = await createTestLambdaAdapter({ credentials: undefined, profile: 'p' });
      const error = (await lambda.getAlias('demo', 'live').catch((e: unknown) => e)) as LshiftError;
      expect(error.code).toBe('CREDENTIAL_PROCESS_FAILED');
      expect(error.message).toContain(`the credential_process of AWS profile p (\`${script} …\`) exited`);
      expect(`${error.message}\n${error.hint}`).not.toContain('ENVSECRET');
    },
  );
});

describe('credentialProgram', () => {
  it.each([
    ['/opt/bin/creds', '/opt/bin/creds'],
    ['  /opt/bin/creds --key s3cret ', '/opt/bin/creds …'],
    ['TOKEN=s3cret /opt/bin/creds', '/opt/bin/creds …'],
    ['A=1 B="x y" "/opt/my creds/run" --k', '/opt/my creds/run …'],
    ["env -i TOKEN='s 3' python3 get.py", 'python3 …'],
    ['TOKEN=s3cret', ''],
    ['', ''],
  ])('%j → %j', (line, shown) => {
    expect(credentialProgram(line)).toBe(shown);
  });
});

describe('readCredentialProcessFailure', () => {
  it.each([
    [
      '@smithy/property-provider -> Profile dev credential_process returned invalid JSON.',
      { fault: 'not-json', profile: 'dev' },
    ],
    [
      '@smithy/property-provider -> Profile a b credential_process did not return Version 1.',
      { fault: 'no-version', profile: 'a b' },
    ],
    [
      '@smithy/property-provider -> Profile x credential_process returned expired credentials.',
      { fault: 'expired', profile: 'x' },
    ],
    ['@smithy/property-provider -> Command failed: /bin/creds s3cret\nstderr text\n', { fault: 'exit' }],
    ['@smithy/property-provider -> stdout maxBuffer length exceeded', { fault: 'too-much' }],
    ['@smithy/property-provider -> AWS_PROFILE is set, skipping fromEnv provider.', undefined],
    ['@smithy/property-provider (!) Could not load credentials from any providers', undefined],
    ['Profile x credential_process returned invalid JSON.', undefined],
  ])('%j → %j', (line, failure) => {
    expect(readCredentialProcessFailure(line)).toEqual(failure);
  });
});
