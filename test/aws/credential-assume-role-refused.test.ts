/**
 * A profile with `role_arn` and `source_profile` (not web identity) whose AssumeRole AWS STS
 * refuses (AccessDenied: the source identity may not assume the role; an ExpiredToken of the
 * source's keys). The SDK fails inside the Lambda call; the refusal read as AWS's answer to the
 * Lambda call (session 67's note). Now CREDENTIALS_INVALID naming STS, the role and the profiles,
 * as web identity's refusal (./credential-web-identity-refused.test.ts). Real SDK clients; nock
 * stands in for STS.
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
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY';
let saved: Record<string, string | undefined> = {};
let dir = '';
beforeEach(() => {
  saved = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));
  for (const k of ENV_KEYS) delete process.env[k];
  dir = mkdtempSync(join(tmpdir(), 'lshift-assume-refused-'));
  writeFileSync(
    join(dir, 'credentials'),
    `[base]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = ${SECRET}\n`,
  );
  writeFileSync(join(dir, 'config'), `[profile deploy]\nrole_arn = ${ROLE}\nsource_profile = base\n`);
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

async function getAliasError(profile: string): Promise<LshiftError> {
  const lambda = await createTestLambdaAdapter({ credentials: undefined, profile });
  return (await lambda.getAlias('my-fn', 'live').catch((e: unknown) => e)) as LshiftError;
}

function stsRefuses(code: string, message: string, status = 403) {
  nock(STS)
    .post('/')
    .reply(
      status,
      `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>r-1</RequestId></ErrorResponse>`,
      { 'Content-Type': 'text/xml' },
    );
}

describe('a role profile (role_arn + source_profile) whose AssumeRole STS refuses', () => {
  useNock();

  it('AccessDenied: CREDENTIALS_INVALID naming STS, the role and both profiles; unsent, no secret', async () => {
    stsRefuses(
      'AccessDenied',
      `User: arn:aws:iam::123456789012:user/ci is not authorized to perform: sts:AssumeRole on resource: ${ROLE}`,
    );
    const error = await getAliasError('deploy');
    expect(error.code).toBe('CREDENTIALS_INVALID');
    expect(error.message).toMatch(/^lambda:GetAlias on function my-fn alias live was not sent: /);
    expect(error.context.notApplied).toBe(true);
    expect(error.message).toContain(
      `AWS STS refused to let AWS profile deploy assume role ${ROLE} (its role_arn, with the credentials of its source_profile base; AssumeRole): AccessDenied`,
    );
    expect(error.message).toContain('is not authorized to perform: sts:AssumeRole');
    expect(error.hint).toContain("the role's trust policy");
    expect(error.hint).toContain('aws sts get-caller-identity --profile base');
    expect(`${error.message} ${error.hint}`).not.toContain(SECRET);
    expect(`${error.message} ${error.hint}`).not.toContain('Read the AWS message above');
  });

  it('the source key refused (InvalidClientTokenId): the same CREDENTIALS_INVALID, naming the source profile', async () => {
    stsRefuses('InvalidClientTokenId', 'The security token included in the request is invalid.');
    const error = await getAliasError('deploy');
    expect(error.code).toBe('CREDENTIALS_INVALID');
    expect(error.message).toContain(
      'with the credentials of its source_profile base; AssumeRole): InvalidClientTokenId: The security token included in the request is invalid.',
    );
  });

  it('STS throttling is not a refusal: not CREDENTIALS_INVALID', async () => {
    nock(STS)
      .post('/')
      .times(3)
      .reply(
        400,
        '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>r-1</RequestId></ErrorResponse>',
        { 'Content-Type': 'text/xml' },
      );
    const error = await getAliasError('deploy');
    expect(error.code).not.toBe('CREDENTIALS_INVALID');
  });

  it('web identity: STS throttling the exchange is no refusal either (it read CREDENTIALS_INVALID)', async () => {
    writeFileSync(join(dir, 'token'), 'eyJhbGciOiJub25lIn0.e30.');
    process.env['AWS_WEB_IDENTITY_TOKEN_FILE'] = join(dir, 'token');
    process.env['AWS_ROLE_ARN'] = ROLE;
    nock(STS)
      .post('/')
      .times(3)
      .reply(
        400,
        '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>r-1</RequestId></ErrorResponse>',
        { 'Content-Type': 'text/xml' },
      );
    const lambda = await createTestLambdaAdapter({ credentials: undefined });
    const error = (await lambda.getAlias('my-fn', 'live').catch((e: unknown) => e)) as LshiftError;
    expect(error.code).not.toBe('CREDENTIALS_INVALID');
  });
});
