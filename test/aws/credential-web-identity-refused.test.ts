/**
 * Web identity credentials the SDK cannot get for a reason that is not the network's: the token
 * file is not there, or AWS STS refuses the exchange (InvalidIdentityToken). Both were
 * `AWS_ERROR: lambda:GetAlias … failed: …`, "Read the AWS message above" (h3's pass, session 66,
 * F4/F5): nothing was sent to Lambda, and no word named the token file, the role or STS. A
 * profile with role_arn and web_identity_token_file was described as AssumeRole with a source
 * profile, "See what hangs" (F14). Real SDK clients; nock stands in for STS.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LshiftError } from '../../src/domain/errors.js';
import { createTestLambdaAdapter, useNock } from '../helpers/aws-nock.js';

const ROLE = 'arn:aws:iam::123456789012:role/deployer';
const ENV_KEYS = [
  'AWS_CONFIG_FILE',
  'AWS_SHARED_CREDENTIALS_FILE',
  'AWS_PROFILE',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_ROLE_ARN',
  'AWS_ENDPOINT_URL_STS',
];
const STS = 'https://sts.test.invalid';
let saved: Record<string, string | undefined> = {};
let dir = '';
beforeEach(() => {
  saved = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));
  for (const k of ENV_KEYS) delete process.env[k];
  dir = mkdtempSync(join(tmpdir(), 'lshift-webid-refused-'));
  writeFileSync(join(dir, 'credentials'), '');
  writeFileSync(join(dir, 'token'), 'eyJhbGciOiJub25lIn0.e30.');
  writeFileSync(
    join(dir, 'config'),
    `[profile wi]\nrole_arn = ${ROLE}\nweb_identity_token_file = ${join(dir, 'missing-token')}\n`,
  );
  process.env['AWS_CONFIG_FILE'] = join(dir, 'config');
  process.env['AWS_SHARED_CREDENTIALS_FILE'] = join(dir, 'credentials');
  process.env['AWS_ENDPOINT_URL_STS'] = STS;
});
afterEach(() => {
  for (const k of ENV_KEYS) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
});

async function getAliasError(profile?: string): Promise<LshiftError> {
  const lambda = await createTestLambdaAdapter({ credentials: undefined, ...(profile ? { profile } : {}) });
  return (await lambda.getAlias('my-fn', 'live').catch((e: unknown) => e)) as LshiftError;
}

function expectUnsentNotAws(error: LshiftError): void {
  expect(error.message).toMatch(/^lambda:GetAlias on function my-fn alias live was not sent: /);
  expect(error.message).not.toContain('failed:');
  expect(error.context.notApplied).toBe(true);
  expect(error.hint).not.toContain('Read the AWS message above');
}

describe('web identity credentials the SDK cannot get', () => {
  useNock();

  it('a token file that does not exist is CREDENTIALS_MISSING naming the file, the role and the variables', async () => {
    process.env['AWS_WEB_IDENTITY_TOKEN_FILE'] = join(dir, 'nonexistent');
    process.env['AWS_ROLE_ARN'] = ROLE;
    const error = await getAliasError();
    expect(error.code).toBe('CREDENTIALS_MISSING');
    expectUnsentNotAws(error);
    expect(error.message).toContain(
      `its AWS credentials are a web identity (AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN: token file ${join(dir, 'nonexistent')}, role ${ROLE}), and the token file could not be read (it does not exist).`,
    );
    expect(error.hint).toContain(`Write the web identity (OIDC) token to ${join(dir, 'nonexistent')}`);
    expect(error.hint).toContain('unset AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN');
  });

  it("a profile's web_identity_token_file that does not exist names the profile", async () => {
    const error = await getAliasError('wi');
    expect(error.code).toBe('CREDENTIALS_MISSING');
    expectUnsentNotAws(error);
    expect(error.message).toContain(
      `a web identity (AWS profile wi: token file ${join(dir, 'missing-token')}`,
    );
    expect(error.hint).toContain('pick another --profile');
  });

  it('STS refusing the token (InvalidIdentityToken) is CREDENTIALS_INVALID naming STS, the token file and the role', async () => {
    process.env['AWS_WEB_IDENTITY_TOKEN_FILE'] = join(dir, 'token');
    process.env['AWS_ROLE_ARN'] = ROLE;
    nock(STS)
      .post('/')
      .reply(
        400,
        '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>InvalidIdentityToken</Code><Message>No OpenIDConnect provider found in your account for https://token.example</Message></Error><RequestId>r-1</RequestId></ErrorResponse>',
        { 'Content-Type': 'text/xml' },
      );
    const error = await getAliasError();
    expect(error.code).toBe('CREDENTIALS_INVALID');
    expectUnsentNotAws(error);
    expect(error.message).toContain(
      `AWS STS refused to exchange the web identity token of ${join(dir, 'token')} for the credentials of role ${ROLE} (AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN; AssumeRoleWithWebIdentity): InvalidIdentityTokenException: No OpenIDConnect provider found`,
    );
    expect(error.hint).toContain("the role's trust policy");
    expect(error.hint).toContain('aws sts assume-role-with-web-identity');
  });

  it('a web identity profile with STS out of reach is described as web identity, not AssumeRole (F14)', async () => {
    writeFileSync(
      join(dir, 'config'),
      `[profile wi]\nrole_arn = ${ROLE}\nweb_identity_token_file = ${join(dir, 'token')}\n`,
    );
    // No interceptor: nock refuses the connection to STS.
    const error = await getAliasError('wi');
    expect(error.code).toBe('NETWORK_ERROR');
    expect(error.message).toContain(
      `from AWS STS, which exchanges the web identity token of AWS profile wi (its web_identity_token_file) for the credentials of its role ${ROLE} (AssumeRoleWithWebIdentity)`,
    );
    expect(error.message).not.toContain('source profile');
    expect(error.hint).not.toContain('hangs');
    expect(error.hint).toContain('`aws sts get-caller-identity --profile wi` makes the same exchange');
  });

  it('a role profile (source_profile) with STS out of reach: the hint says hangs or fails, not only hangs (F14)', async () => {
    writeFileSync(
      join(dir, 'config'),
      `[profile src]\nregion = us-east-1\n[profile ar]\nrole_arn = ${ROLE}\nsource_profile = src\n`,
    );
    writeFileSync(
      join(dir, 'credentials'),
      '[src]\naws_access_key_id = AKIDTEST\naws_secret_access_key = secret\n',
    );
    const error = await getAliasError('ar');
    expect(error.code).toBe('NETWORK_ERROR');
    expect(error.message).toContain('from the role AWS profile ar assumes');
    expect(error.hint).toContain('See what hangs or fails with `aws sts get-caller-identity --profile ar`');
    expect(error.hint).toContain('out of reach');
  });
});
