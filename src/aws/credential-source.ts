/**
 * What the AWS SDK is doing while it resolves a client's credentials, in words, for a call whose
 * time went to that rather than to the endpoint (./credential-wait.ts): a profile's
 * `credential_process` that never exits, an SSO portal or STS that does not answer, an instance
 * metadata endpoint that is not there. Read from the same files and in the same order as the SDK
 * (a profile's keys, `role_arn`, `credential_process`, SSO); the command of a credential_process
 * is shown by its program only — its arguments and the variables set before it may carry a secret
 * (./credential-program.ts).
 */
import { echoInput } from '../domain/echo.js';
import { maskUserinfo } from '../domain/hook-spec.js';
import { credentialProgram } from './credential-program.js';
import { profileSettings } from './profile-check.js';

export interface CredentialSource {
  /** `the credential_process of AWS profile p4 (/bin/sleep …)` */
  what: string;
  /** How to see what hangs or fails (a timeout, an endpoint out of reach), and what to do about it. */
  fix: string;
  /** Set when the source is a web identity token exchanged at STS (./credential-refused.ts). */
  webIdentity?: WebIdentity;
  /** Set when the source is a profile's role assumed at STS (./credential-role-refused.ts). */
  assumeRole?: AssumedRole;
}

/** A profile's `role_arn` the SDK assumes at AWS STS (AssumeRole), as shown to a person. */
export interface AssumedRole {
  /** The role's ARN, echoed. */
  role: string;
  /** The profile, echoed. */
  profile: string;
  /** Whose credentials call AssumeRole: `its source_profile base`, `its credential_source Ec2InstanceMetadata`. */
  via: string;
  /** The source profile's name, echoed, when there is one (`aws sts … --profile <it>`). */
  sourceProfile?: string;
}

/** A web identity the SDK exchanges at AWS STS (AssumeRoleWithWebIdentity), as shown to a person. */
export interface WebIdentity {
  /** The token file's path, echoed. */
  tokenFile: string;
  /** The role's ARN, echoed. */
  role: string;
  /** Where both come from: `AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN`, `AWS profile ci`. */
  from: string;
}

/** The source the SDK's default chain resolves for `--profile`/AWS_PROFILE (else `default`). */
export function describeCredentialSource(
  flagProfile?: string,
  env: NodeJS.ProcessEnv = process.env,
): CredentialSource {
  const named = flagProfile?.trim() || env['AWS_PROFILE']?.trim();
  const profile = named ?? 'default';
  const shown = echoInput(profile);
  const check = named ? `aws sts get-caller-identity --profile ${shown}` : 'aws sts get-caller-identity';
  const settingOf = profileSettings();
  const has = (key: string) => Boolean(settingOf(profile, key));
  const of = `of AWS profile ${shown}`;
  if (has('aws_access_key_id'))
    return { what: `the access keys ${of}`, fix: `See what hangs or fails with \`${check}\`.` };
  // The SDK takes a role_arn with a web_identity_token_file (and no source) as web identity, not
  // AssumeRole: described as AssumeRole and a source profile before (h3's pass, session 66).
  const profileWebIdentity = webIdentityOfProfile(profile, settingOf, env);
  if (profileWebIdentity) return profileWebIdentity;
  if (has('role_arn'))
    return {
      assumeRole: assumedRoleOf(profile, settingOf),
      what: `the role AWS profile ${shown} assumes (an AWS STS AssumeRole call, or the credentials of its source profile)`,
      fix: `See what hangs or fails with \`${check}\`: STS not answering or out of reach (the network, a proxy, AWS_ENDPOINT_URL_STS), or the source profile's credential_process or SSO.`,
    };
  const command = settingOf(profile, 'credential_process');
  if (command) {
    return {
      what: `the credential_process ${of} (\`${credentialProgram(command)}\`)`,
      fix: `Run that command by hand to see why it does not finish: it must print its credentials as JSON and exit (\`${check}\` runs it as lshift does). lshift cannot stop it: the AWS SDK starts it and gives no handle on it, so it may still be running.`,
    };
  }
  if (has('sso_session') || has('sso_start_url'))
    return {
      what: `the SSO credentials ${of} (a token refresh or the SSO portal's GetRoleCredentials)`,
      fix: `See what hangs or fails with \`${check}\`, or log in again: \`aws sso login --profile ${shown}\`.`,
    };
  const webIdentity = webIdentityOfEnvironment(env);
  if (webIdentity) return webIdentity;
  if (!named)
    return {
      what: 'the AWS SDK’s default credential chain (with no access keys and no profile, it asks the container or EC2 instance metadata endpoint)',
      fix: 'Give lshift credentials (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, --profile, AWS_PROFILE), or see what hangs or fails with `aws sts get-caller-identity`.',
    };
  return { what: `the credentials ${of}`, fix: `See what hangs or fails with \`${check}\`.` };
}

/** The role a `role_arn` profile assumes, and whose credentials it assumes it with. */
function assumedRoleOf(
  profile: string,
  settingOf: (profile: string, key: string) => string | undefined,
): AssumedRole {
  const role = echoInput(settingOf(profile, 'role_arn')?.trim() ?? '');
  const source = settingOf(profile, 'source_profile')?.trim();
  const via = source
    ? `its source_profile ${echoInput(source)}`
    : `its credential_source ${echoInput(settingOf(profile, 'credential_source')?.trim() ?? '(none)')}`;
  return { role, profile: echoInput(profile), via, ...(source ? { sourceProfile: echoInput(source) } : {}) };
}

/**
 * Web identity (AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN: CI with OIDC, EKS), which the chain
 * reaches once the profile gives none: the token is exchanged at AWS STS for the role's
 * credentials. Said as "the default credential chain … metadata endpoint" before (session 66).
 */
function webIdentityOfEnvironment(env: NodeJS.ProcessEnv): CredentialSource | undefined {
  const token = env['AWS_WEB_IDENTITY_TOKEN_FILE']?.trim();
  const role = env['AWS_ROLE_ARN']?.trim();
  if (!token || !role) return undefined;
  return describeWebIdentity(
    {
      tokenFile: echoInput(token),
      role: echoInput(role),
      from: 'AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN',
    },
    'the web identity token of AWS_WEB_IDENTITY_TOKEN_FILE',
    `role ${echoInput(role)} (AWS_ROLE_ARN; AssumeRoleWithWebIdentity)`,
    'aws sts get-caller-identity',
    env,
  );
}

/** A profile with `role_arn` and `web_identity_token_file`, and no source_profile/credential_source. */
function webIdentityOfProfile(
  profile: string,
  settingOf: (profile: string, key: string) => string | undefined,
  env: NodeJS.ProcessEnv,
): CredentialSource | undefined {
  const token = settingOf(profile, 'web_identity_token_file')?.trim();
  const role = settingOf(profile, 'role_arn')?.trim();
  if (!token || !role || settingOf(profile, 'source_profile') || settingOf(profile, 'credential_source'))
    return undefined;
  const shown = echoInput(profile);
  return describeWebIdentity(
    { tokenFile: echoInput(token), role: echoInput(role), from: `AWS profile ${shown}` },
    `the web identity token of AWS profile ${shown} (its web_identity_token_file)`,
    `its role ${echoInput(role)} (AssumeRoleWithWebIdentity)`,
    `aws sts get-caller-identity --profile ${shown}`,
    env,
  );
}

function describeWebIdentity(
  webIdentity: WebIdentity,
  token: string,
  role: string,
  check: string,
  env: NodeJS.ProcessEnv,
): CredentialSource {
  const sts = env['AWS_ENDPOINT_URL_STS']?.trim()
    ? `AWS_ENDPOINT_URL_STS, ${echoInput(maskUserinfo(env['AWS_ENDPOINT_URL_STS'].trim()))}`
    : 'sts.<region>.amazonaws.com';
  return {
    what: `AWS STS, which exchanges ${token} for the credentials of ${role}`,
    fix: `This machine must reach STS (${sts}): check the network, HTTPS_PROXY / NO_PROXY and AWS_ENDPOINT_URL_STS. \`${check}\` makes the same exchange.`,
    webIdentity,
  };
}
