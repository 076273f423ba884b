/**
 * The base environment of `cmd:` hooks: lshift's own, told where lshift's AWS is. A hook's
 * `aws lambda invoke --function-name "$LSHIFT_FUNCTION"` must reach the account, region and
 * endpoint lshift deploys to; --region, --profile and --endpoint-url (or the config file's) are
 * not in lshift's environment, so without this the hook would call whatever the shell points at —
 * against LocalStack or a sandbox, real AWS. The values are only passed to the command, never
 * printed (docs/hooks.md).
 */

/** Credentials the sandbox accepts; it never checks signatures. */
export const SANDBOX_CREDENTIALS = { accessKeyId: 'sandbox', secretAccessKey: 'sandbox' };

/** Access keys in the environment: what a named profile wins over in lshift's SDK. */
const STATIC_KEYS = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_SECURITY_TOKEN',
  'AWS_CREDENTIAL_EXPIRATION',
];

/** Variables that pick real credentials; a static key pair in the environment alone remains. */
const CREDENTIAL_SOURCES = [
  'AWS_PROFILE',
  'AWS_DEFAULT_PROFILE',
  'AWS_SESSION_TOKEN',
  'AWS_SECURITY_TOKEN',
  'AWS_CREDENTIAL_EXPIRATION',
  'AWS_ROLE_ARN',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN',
];

/**
 * Variables that would send a hook's calls somewhere other than an endpoint lshift was given:
 * the per-service endpoints of the services lshift calls (they win over AWS_ENDPOINT_URL in the
 * AWS CLI and SDKs, but not over lshift's --endpoint-url), and the switch that makes tools ignore
 * AWS_ENDPOINT_URL
 * (https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html).
 */
const ENDPOINT_OVERRIDES = [
  'AWS_ENDPOINT_URL_LAMBDA',
  'AWS_ENDPOINT_URL_CLOUDWATCH',
  'AWS_ENDPOINT_URL_CODEDEPLOY',
  'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS',
];

export interface HookAwsTarget {
  /** The region lshift's clients resolved (--region, AWS_REGION, AWS_DEFAULT_REGION or the profile's). */
  region: string;
  /** --profile (or the config file's); AWS_PROFILE from the environment when not given. */
  profile?: string;
  /** --endpoint-url (or the config file's); the environment's AWS_ENDPOINT_URL* stay when not given. */
  endpointUrl?: string;
  /** The profile takes its keys from this environment (`credential_source = Environment`). */
  profileUsesEnvironmentKeys?: boolean;
}

/**
 * Against AWS or a custom endpoint: lshift's environment with AWS_REGION/AWS_DEFAULT_REGION,
 * AWS_PROFILE and AWS_ENDPOINT_URL set to what lshift uses. With a profile, the access keys of
 * the environment are removed: lshift's SDK signs with the profile then, while the AWS CLI would
 * prefer the keys (https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-envvars.html) —
 * unless the profile's credentials are those very keys (credential_source = Environment).
 * AWS_DEFAULT_PROFILE is removed too: lshift ignores it, and the AWS CLI v1 would prefer it.
 */
export function awsHookEnv(target: HookAwsTarget, env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const profile = target.profile?.trim() || env.AWS_PROFILE?.trim() || undefined;
  const endpointUrl = target.endpointUrl?.trim() || undefined;
  const dropped = new Set(['AWS_DEFAULT_PROFILE']);
  if (profile && !target.profileUsesEnvironmentKeys) for (const name of STATIC_KEYS) dropped.add(name);
  if (endpointUrl) for (const name of ENDPOINT_OVERRIDES) dropped.add(name);
  return {
    ...omit(env, dropped),
    ...(profile ? { AWS_PROFILE: profile } : {}),
    ...(endpointUrl ? { AWS_ENDPOINT_URL: endpointUrl } : {}),
    AWS_REGION: target.region,
    AWS_DEFAULT_REGION: target.region,
  };
}

/**
 * A `cmd:` hook run against a sandbox would otherwise inherit the operator's real credentials and
 * no endpoint: `aws lambda invoke --function-name "$LSHIFT_FUNCTION"` in the hook would invoke the
 * function of that name in the real account. It gets the sandbox's endpoint and credentials
 * instead, so a tool that ignores AWS_ENDPOINT_URL fails to sign in rather than touch AWS.
 */
export function sandboxHookEnv(
  url: string,
  region: string,
  env: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv {
  return {
    ...omit(env, new Set([...CREDENTIAL_SOURCES, ...ENDPOINT_OVERRIDES])),
    AWS_ENDPOINT_URL: url,
    AWS_ACCESS_KEY_ID: SANDBOX_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: SANDBOX_CREDENTIALS.secretAccessKey,
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    LSHIFT_SANDBOX: url,
  };
}

function omit(env: NodeJS.ProcessEnv, names: ReadonlySet<string>): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !names.has(name)));
}
