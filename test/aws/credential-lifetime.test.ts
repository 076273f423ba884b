/**
 * What the SDK's resolved credentials say about their lifetime: from its own credential chain
 * (keys in environment variables with AWS_CREDENTIAL_EXPIRATION, a profile's keys), and from the
 * providers it renews (marked in `$source`).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLambdaClient } from '../../src/aws/clients.js';
import { readCredentialLifetime } from '../../src/aws/credential-lifetime.js';

const BLANK = [
  'AWS_PROFILE',
  'AWS_SESSION_TOKEN',
  'AWS_CREDENTIAL_EXPIRATION',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
];

function chainClient() {
  return createLambdaClient({ region: 'us-east-1' });
}

describe('readCredentialLifetime', () => {
  let dir: string | undefined;
  afterEach(() => {
    vi.unstubAllEnvs();
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });
  const blank = () => {
    for (const name of BLANK) vi.stubEnv(name, '');
  };

  it('reads fixed, temporary keys from environment variables with their expiry', async () => {
    blank();
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'ASIAEXAMPLE');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'secret');
    vi.stubEnv('AWS_SESSION_TOKEN', 'token');
    vi.stubEnv('AWS_CREDENTIAL_EXPIRATION', '2026-11-30T21:00:00Z');
    const client = await chainClient();
    expect(await readCredentialLifetime(client.config)).toEqual({
      renews: false,
      expiresAtMs: Date.UTC(2026, 10, 30, 21),
      temporary: true,
      source: 'access keys in environment variables',
      fromEnvironment: true,
    });
  });

  it('keeps an AWS_CREDENTIAL_EXPIRATION that is not a date, as given, and no expiry', async () => {
    blank();
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'ASIAEXAMPLE');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'secret');
    vi.stubEnv('AWS_SESSION_TOKEN', 'token');
    vi.stubEnv('AWS_CREDENTIAL_EXPIRATION', 'tomorrow');
    const client = await chainClient();
    const lifetime = await readCredentialLifetime(client.config);
    expect(lifetime).toMatchObject({ renews: false, temporary: true, unreadableExpiry: 'tomorrow' });
    expect(lifetime).not.toHaveProperty('expiresAtMs');
  });

  it('reads an AWS_CREDENTIAL_EXPIRATION with blanks around it (which the SDK takes for no date) as its date', async () => {
    blank();
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'ASIAEXAMPLE');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'secret');
    vi.stubEnv('AWS_SESSION_TOKEN', 'token');
    vi.stubEnv('AWS_CREDENTIAL_EXPIRATION', ' 2026-11-30T21:00:00Z\n');
    const client = await chainClient();
    const lifetime = await readCredentialLifetime(client.config);
    expect(lifetime).toMatchObject({ expiresAtMs: Date.UTC(2026, 10, 30, 21) });
    expect(lifetime).not.toHaveProperty('unreadableExpiry');
  });

  it("reads a profile's long-term keys as fixed, with no expiry", async () => {
    blank();
    dir = mkdtempSync(join(tmpdir(), 'lshift-creds-'));
    const file = join(dir, 'credentials');
    writeFileSync(file, '[ci]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = secret\n');
    vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', file);
    vi.stubEnv('AWS_CONFIG_FILE', join(dir, 'config'));
    const client = await createLambdaClient({ region: 'us-east-1', profile: 'ci' });
    expect(await readCredentialLifetime(client.config)).toEqual({
      renews: false,
      temporary: false,
      source: 'access keys in an AWS profile',
    });
  });

  it('marks credentials the SDK fetches again (SSO, an assumed role) as renewing', async () => {
    const expiration = new Date(Date.UTC(2026, 10, 30, 13));
    for (const feature of ['CREDENTIALS_PROFILE_SSO', 'CREDENTIALS_STS_ASSUME_ROLE', 'CREDENTIALS_IMDS']) {
      const credentials = async () => ({
        accessKeyId: 'ASIA',
        secretAccessKey: 's',
        sessionToken: 't',
        expiration,
        $source: { [feature]: 'x', CREDENTIALS_PROFILE: 'n' },
      });
      expect(await readCredentialLifetime({ credentials }), feature).toMatchObject({
        renews: true,
        temporary: true,
      });
    }
  });

  it('says nothing when the credentials cannot be resolved (the first call reports why)', async () => {
    const credentials = async () => {
      throw new Error('Could not load credentials from any providers');
    };
    expect(await readCredentialLifetime({ credentials })).toBeUndefined();
    expect(await readCredentialLifetime({})).toBeUndefined();
  });
});
