/**
 * Web identity credentials (AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN: CI with OIDC, EKS) with
 * AWS STS out of reach: the SDK fetches them inside the Lambda call, and the error was
 * NETWORK_ERROR "Could not reach https://lambda.us-east-1.amazonaws.com for lambda:GetAlias …
 * Check the network, proxy, --endpoint-url", blaming an endpoint never asked (session 65's notes).
 * Now it names STS, the web identity and the role, unsent, with how to check. Real SDK clients;
 * nock keeps the network off, so STS cannot be reached (and Lambda is never asked).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CredentialsUnreachableError } from '../../src/aws/credential-network.js';
import { describeCredentialSource } from '../../src/aws/credential-source.js';
import { mapAwsError } from '../../src/aws/error-mapping.js';
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
let saved: Record<string, string | undefined> = {};
beforeEach(() => {
  saved = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));
  for (const k of ENV_KEYS) delete process.env[k];
  const dir = mkdtempSync(join(tmpdir(), 'lshift-webid-'));
  for (const f of ['config', 'credentials']) writeFileSync(join(dir, f), '');
  writeFileSync(join(dir, 'token'), 'eyJhbGciOiJub25lIn0.e30.');
  process.env['AWS_CONFIG_FILE'] = join(dir, 'config');
  process.env['AWS_SHARED_CREDENTIALS_FILE'] = join(dir, 'credentials');
  process.env['AWS_WEB_IDENTITY_TOKEN_FILE'] = join(dir, 'token');
  process.env['AWS_ROLE_ARN'] = ROLE;
});
afterEach(() => {
  for (const k of ENV_KEYS) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
});

describe('web identity credentials with STS out of reach', () => {
  useNock();

  it('names STS, the web identity and the role — not the Lambda endpoint — unsent, with the check', async () => {
    const lambda = await createTestLambdaAdapter({ credentials: undefined });
    const error = (await lambda.getAlias('my-fn', 'live').catch((e: unknown) => e)) as LshiftError;
    expect(error.code).toBe('NETWORK_ERROR');
    expect(error.message).toMatch(
      /^lambda:GetAlias on function my-fn alias live was not sent: its AWS credentials could not be fetched, from AWS STS, which exchanges the web identity token of AWS_WEB_IDENTITY_TOKEN_FILE for the credentials of role arn:aws:iam::123456789012:role\/deployer /,
    );
    expect(error.message).not.toContain('lambda.us-east-1.amazonaws.com');
    expect(error.context.notApplied).toBe(true);
    expect(error.hint).toContain('This machine must reach STS (sts.<region>.amazonaws.com)');
    expect(error.hint).toContain('`aws sts get-caller-identity`');
    expect(error.hint).not.toContain('--endpoint-url');
  });
});

// h3's pass (session 66, F6): an STS that accepts and never answers was NETWORK_ERROR after 31 s
// (the SDK's own attempts at STS timed out just before the call's deadline), where
// docs/exit-codes.md says CREDENTIALS_TIMEOUT. The SDK's timeout, shaped as it throws it.
describe('web identity credentials with STS not answering', () => {
  it('is CREDENTIALS_TIMEOUT naming STS, unsent, not NETWORK_ERROR', () => {
    const timeout = Object.assign(new Error('Request timed out after 10000 ms (requestTimeout)'), {
      name: 'TimeoutError',
      code: 'ETIMEDOUT',
      $metadata: { attempts: 3 },
    });
    const error = mapAwsError(new CredentialsUnreachableError(timeout, describeCredentialSource()), {
      operation: 'lambda:GetAlias',
      functionName: 'my-fn',
      alias: 'live',
    });
    expect(error.code).toBe('CREDENTIALS_TIMEOUT');
    expect(error.message).toMatch(
      /^lambda:GetAlias on function my-fn alias live was not sent: its AWS credentials were not fetched in time, from AWS STS, which exchanges the web identity token of AWS_WEB_IDENTITY_TOKEN_FILE /,
    );
    expect(error.message).toContain('which did not answer (ETIMEDOUT: Request timed out');
    expect(error.context.notApplied).toBe(true);
    expect(error.hint).toContain('This machine must reach STS');
  });
});
