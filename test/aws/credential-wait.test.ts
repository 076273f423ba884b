/**
 * h4's pass, MEDIUM #6: a profile's `credential_process = /bin/sleep 300` made `lshift status`
 * fail after 34 s with NETWORK_ERROR "http://… did not answer lambda:GetAlias … within its 31 s
 * deadline", blaming a healthy endpoint that was never asked. A call whose deadline passes while
 * the SDK still resolves credentials is CREDENTIALS_TIMEOUT, naming what hung. Real SDK clients;
 * nock keeps the network off (no request may go out); deadlines are a few hundred ms.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeCredentialSource } from '../../src/aws/credential-source.js';
import { timeBounds } from '../../src/aws/time-bounds.js';
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
];
let saved: Record<string, string | undefined> = {};
beforeEach(() => {
  saved = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));
  for (const k of ENV_KEYS) delete process.env[k];
});
afterEach(() => {
  for (const k of ENV_KEYS) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
});

/** Writes an AWS config file with `text` and points the SDK (and lshift) at it. */
function useConfigFile(text: string): void {
  const dir = mkdtempSync(join(tmpdir(), 'lshift-cred-'));
  writeFileSync(join(dir, 'config'), text);
  writeFileSync(join(dir, 'credentials'), '');
  process.env['AWS_CONFIG_FILE'] = join(dir, 'config');
  process.env['AWS_SHARED_CREDENTIALS_FILE'] = join(dir, 'credentials');
}

/** A call deadline of 300 ms: the SDK's attempts are not what is under test. */
const bounds = { ...timeBounds(100), callMs: 300 };
const never = () => new Promise<never>(() => {});

describe('a call whose time goes to resolving credentials', () => {
  useNock();

  it('is CREDENTIALS_TIMEOUT, unsent, and does not name the endpoint', async () => {
    const lambda = await createTestLambdaAdapter({ credentials: never, bounds });
    const error = (await lambda.getAlias('demo', 'live').catch((e: unknown) => e)) as LshiftError;
    expect(error.code).toBe('CREDENTIALS_TIMEOUT');
    expect(error.exitCode).toBe(1);
    expect(error.message).toMatch(
      /^lambda:GetAlias on .*demo.* waited 300 ms \(its deadline\) for the AWS credentials to sign it with: the credential provider given to the AWS client did not finish, so it was not sent, and the endpoint was never asked\.$/,
    );
    expect(error.message).not.toContain('amazonaws.com');
    expect(error.context.notApplied).toBe(true);
  });

  it('is said so to every call waiting on the same resolution (the SDK shares it)', async () => {
    const lambda = await createTestLambdaAdapter({ credentials: never, bounds });
    const errors = (await Promise.all([
      lambda.getAlias('demo', 'live').catch((e: unknown) => e),
      lambda.getAlias('demo', 'beta').catch((e: unknown) => e),
    ])) as LshiftError[];
    expect(errors.map((e) => e.code)).toEqual(['CREDENTIALS_TIMEOUT', 'CREDENTIALS_TIMEOUT']);
  });

  it('names a profile’s credential_process by its program and says how to see why (real SDK chain)', async () => {
    // A real process: the SDK's own credential_process provider, from the default chain.
    useConfigFile('[profile p4]\nregion = us-east-1\ncredential_process = /bin/sh -c "sleep 2" s3cr3t\n');
    const lambda = await createTestLambdaAdapter({ credentials: undefined, profile: 'p4', bounds });
    const error = (await lambda.getAlias('demo', 'live').catch((e: unknown) => e)) as LshiftError;
    expect(error.code).toBe('CREDENTIALS_TIMEOUT');
    expect(error.message).toContain('the credential_process of AWS profile p4 (`/bin/sh …`) did not finish');
    expect(error.hint).toContain('`aws sts get-caller-identity --profile p4`');
    expect(error.hint).toContain('it may still be running');
    expect(`${error.message} ${error.hint}`).not.toContain('s3cr3t');
  });

  it('leaves a call whose credentials came and whose endpoint did not answer a NETWORK_ERROR', async () => {
    lambdaNock().get(fnPath('demo', '/aliases/live')).delay(2_000).reply(200, aliasConfiguration());
    const lambda = await createTestLambdaAdapter({ bounds });
    const error = (await lambda.getAlias('demo', 'live').catch((e: unknown) => e)) as LshiftError;
    expect(error.code).toBe('NETWORK_ERROR');
    nock.abortPendingRequests();
  });
});

describe('describeCredentialSource', () => {
  it.each([
    [
      '[profile s]\nsso_session = corp\n',
      's',
      /^the SSO credentials of AWS profile s /,
      /aws sso login --profile s/,
    ],
    [
      '[profile r]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = d\n',
      'r',
      /^the role AWS profile r assumes/,
      /--profile r/,
    ],
    [
      '[profile c]\ncredential_process = /opt/bin/creds\n',
      'c',
      /^the credential_process of AWS profile c \(`\/opt\/bin\/creds`\)$/,
      /--profile c/,
    ],
    [
      '[profile e]\ncredential_process = TOKEN=ENVSECRET-222 /opt/bin/creds\n',
      'e',
      /^the credential_process of AWS profile e \(`\/opt\/bin\/creds …`\)$/,
      /--profile e/,
    ],
    ['', undefined, /default credential chain/, /aws sts get-caller-identity/],
  ])('%j as %s', (config, profile, what, fix) => {
    useConfigFile(config);
    const source = describeCredentialSource(profile);
    expect(source.what).toMatch(what);
    expect(source.fix).toMatch(fix);
  });
});

describe('reading the credentials before any call (how long they last)', () => {
  useNock();

  it('ends at a call’s deadline with CREDENTIALS_TIMEOUT instead of waiting on the provider', async () => {
    const lambda = await createTestLambdaAdapter({ credentials: never, bounds });
    const error = (await lambda.readCredentialLifetime().catch((e: unknown) => e)) as LshiftError;
    expect(error.code).toBe('CREDENTIALS_TIMEOUT');
    expect(error.message).toBe(
      'Reading the AWS credentials, before any AWS call, took longer than 300 ms: the credential provider given to the AWS client did not finish. Nothing was sent or changed.',
    );
  });

  it('still reads credentials that come', async () => {
    const lambda = await createTestLambdaAdapter({ bounds });
    await expect(lambda.readCredentialLifetime()).resolves.toMatchObject({ renews: false });
  });
});
