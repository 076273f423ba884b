/**
 * How long the credentials a client signs with will last, and whether the SDK renews them
 * (src/domain/credential-lifetime.ts says why lshift asks). The SDK marks resolved credentials
 * with the providers they came through (`$source`, the user-agent "credential feature ids"); the
 * ones it calls again before the credentials expire renew, the others (keys in environment
 * variables, a profile's keys, keys given in code) are fixed. For environment variables the SDK
 * reads the expiry from AWS_CREDENTIAL_EXPIRATION, which `aws configure export-credentials` writes
 * (https://docs.aws.amazon.com/sdkref/latest/guide/feature-static-credentials.html).
 */
import type { CredentialLifetime } from '../domain/credential-lifetime.js';

/** Providers the SDK's credential chain calls again before their credentials expire. */
const RENEWING = new Set([
  'CREDENTIALS_STS_ASSUME_ROLE',
  'CREDENTIALS_STS_ASSUME_ROLE_SAML',
  'CREDENTIALS_STS_ASSUME_ROLE_WEB_ID',
  'CREDENTIALS_ENV_VARS_STS_WEB_ID_TOKEN',
  'CREDENTIALS_PROFILE_STS_WEB_ID_TOKEN',
  'CREDENTIALS_PROFILE_SOURCE_PROFILE',
  'CREDENTIALS_PROFILE_SSO',
  'CREDENTIALS_PROFILE_SSO_LEGACY',
  'CREDENTIALS_SSO',
  'CREDENTIALS_SSO_LEGACY',
  'CREDENTIALS_PROFILE_PROCESS',
  'CREDENTIALS_PROCESS',
  'CREDENTIALS_PROFILE_LOGIN',
  'CREDENTIALS_LOGIN',
  'CREDENTIALS_IMDS',
  'CREDENTIALS_HTTP',
]);

interface ResolvedIdentity {
  sessionToken?: string;
  expiration?: Date;
  $source?: Record<string, string>;
}

function describeSource(features: readonly string[]): string {
  if (features.includes('CREDENTIALS_ENV_VARS')) return 'access keys in environment variables';
  if (features.includes('CREDENTIALS_PROFILE')) return 'access keys in an AWS profile';
  return 'access keys given to the SDK';
}

/** Undefined when the credentials cannot be resolved: the first call reports why. */
export async function readCredentialLifetime(config: {
  credentials?: unknown;
}): Promise<CredentialLifetime | undefined> {
  if (typeof config.credentials !== 'function') return undefined;
  let identity: ResolvedIdentity;
  try {
    identity = (await config.credentials()) as ResolvedIdentity;
  } catch {
    return undefined;
  }
  const features = Object.keys(identity.$source ?? {});
  const given = process.env['AWS_CREDENTIAL_EXPIRATION']?.trim();
  const fromEnv = features.includes('CREDENTIALS_ENV_VARS');
  const expiresAtMs = readExpiry(identity.expiration, fromEnv ? given : undefined);
  const readable = expiresAtMs !== undefined && Number.isFinite(expiresAtMs);
  return {
    renews: features.some((f) => RENEWING.has(f)),
    ...(readable ? { expiresAtMs } : {}),
    temporary: Boolean(identity.sessionToken),
    source: describeSource(features),
    ...(fromEnv ? { fromEnvironment: true } : {}),
    // The SDK turns an unreadable value into an invalid Date and signs on regardless.
    ...(fromEnv && given && !readable ? { unreadableExpiry: given } : {}),
  };
}

/**
 * The SDK does not trim AWS_CREDENTIAL_EXPIRATION: a date with a blank around it (a CI secret
 * pasted with a newline) is an invalid Date to it. It still is when the credentials expire.
 */
function readExpiry(expiration: Date | undefined, given: string | undefined): number | undefined {
  const ms = expiration?.getTime();
  if (ms === undefined || Number.isFinite(ms) || !given) return ms;
  return new Date(given).getTime();
}
