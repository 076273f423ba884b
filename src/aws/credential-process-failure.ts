/**
 * A profile's `credential_process` that exits non-zero, prints something that is not JSON, or
 * prints JSON of the wrong shape: the SDK's default chain records why (a CredentialsProviderError
 * it logs at debug level), then tries the next provider and ends with "Could not load
 * credentials from any providers". lshift said "No AWS credentials were found" (found by a
 * garbage-input pass), which sends the user to set credentials the profile already names.
 *
 * So the clients get a logger whose debug lines are read for the credential_process failure,
 * and the credential wrapper (./credential-wait.ts) throws CredentialProcessError with it. What
 * the process printed — its output, its stderr (in the SDK's "Command failed: …" text), its
 * arguments — is never kept: any of them may carry a secret. Only the kind of failure and the
 * profile are.
 */
import { echoInput } from '../domain/echo.js';
import { type LshiftError, OperationError } from '../domain/errors.js';
import { credentialProgram } from './credential-program.js';
import { type AwsErrorContext, contextOf, describeTarget } from './error-shape.js';
import { profileSettings } from './profile-check.js';

export type CredentialProcessFault = 'exit' | 'not-json' | 'no-version' | 'no-keys' | 'expired' | 'too-much';

export interface CredentialProcessFailure {
  fault: CredentialProcessFault;
  /** The profile the SDK named (absent for a process that failed: its message names the command). */
  profile?: string;
}

const NAMED_FAULTS: readonly [RegExp, CredentialProcessFault][] = [
  [/credential_process returned invalid JSON/, 'not-json'],
  [/credential_process did not return Version 1/, 'no-version'],
  [/credential_process returned invalid credentials/, 'no-keys'],
  [/credential_process returned expired credentials/, 'expired'],
  // child_process.exec's own error (ERR_CHILD_PROCESS_STDIO_MAXBUFFER), with no profile named.
  [/^(?:stdout|stderr) maxBuffer length exceeded/, 'too-much'],
];

/**
 * The failure a debug line of the SDK's provider chain reports, or undefined. Lines look like
 * `@smithy/property-provider -> Profile p credential_process returned invalid JSON.` and
 * `@smithy/property-provider -> Command failed: /path/to/cmd …` (child_process.exec's error).
 */
export function readCredentialProcessFailure(line: string): CredentialProcessFailure | undefined {
  const said = /^@smithy\/property-provider (?:->|\(!\)) ([\s\S]*)$/.exec(line)?.[1];
  if (said === undefined) return undefined;
  for (const [pattern, fault] of NAMED_FAULTS) {
    if (!pattern.test(said)) continue;
    const profile = /^Profile (.+?) credential_process /.exec(said)?.[1];
    return profile === undefined ? { fault } : { fault, profile };
  }
  return /^Command failed: /.test(said) ? { fault: 'exit' } : undefined;
}

/** The last credential_process failure of a client's provider chain, read from its debug lines. */
export interface CredentialProcessWatch {
  debug(...args: unknown[]): void;
  lastCredentialProcessFailure(): CredentialProcessFailure | undefined;
  forgetCredentialProcessFailure(): void;
}

export function watchCredentialProcess(): CredentialProcessWatch {
  let last: CredentialProcessFailure | undefined;
  return {
    debug: (...args) => {
      last = readCredentialProcessFailure(String(args[0])) ?? last;
    },
    lastCredentialProcessFailure: () => last,
    forgetCredentialProcessFailure: () => {
      last = undefined;
    },
  };
}

/**
 * Where the SDK's chain found credentials, as the marks it sets on them (`$source`, from
 * setCredentialFeature): CREDENTIALS_PROFILE_* (the profile's keys, role, SSO, credential_process),
 * CREDENTIALS_PROCESS and CREDENTIALS_SSO (the profile's credential_process and SSO, read again by
 * the chain's later links) are the named profile's. The others are not: CREDENTIALS_HTTP (the
 * container credentials endpoint), the web identity token file of the environment, and nothing at
 * all (the container or EC2 instance metadata endpoint marks nothing).
 */
export function credentialsOutsideProfile(credentials: unknown): string | undefined {
  const marks = Object.keys((credentials as { $source?: object } | undefined)?.$source ?? {});
  if (marks.some((mark) => /^CREDENTIALS_(PROFILE|PROCESS$|SSO)/.test(mark))) return undefined;
  if (marks.includes('CREDENTIALS_HTTP'))
    return 'the credentials of the container credentials endpoint (AWS_CONTAINER_CREDENTIALS_FULL_URI or _RELATIVE_URI: the host’s role)';
  if (isWebIdentityCredentials(credentials))
    return 'the web identity credentials of AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN';
  return 'the credentials of the host (its container or EC2 instance role, from the metadata endpoint)';
}

/**
 * Web identity credentials (AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN: CI with OIDC, EKS): the
 * AWS CLI takes them BEFORE a profile's credential_process (its chain: environment, assume role,
 * web identity, SSO, shared credentials, process, …, container, instance metadata), so with no
 * profile named it never runs the `default` profile's process there; the JS SDK runs it first.
 */
export function isWebIdentityCredentials(credentials: unknown): boolean {
  const marks = Object.keys((credentials as { $source?: object } | undefined)?.$source ?? {});
  return marks.some((mark) => mark.includes('WEB_ID'));
}

/** What the credential wrapper throws instead of the chain's "Could not load credentials…". */
export class CredentialProcessError extends Error {
  constructor(
    readonly failure: CredentialProcessFailure,
    /** The profile lshift named (--profile, AWS_PROFILE), else the SDK's `default`. */
    readonly namedProfile: string | undefined,
    /** The credentials the SDK's chain went on to and lshift refused, in words (./credential-wait.ts). */
    readonly refused?: string,
  ) {
    super(`a credential_process failed (${failure.fault})`);
    this.name = 'CredentialProcessFailed';
  }
}

const FAULT_WORDS: Record<CredentialProcessFault, string> = {
  exit: 'exited with a failure (a non-zero exit status)',
  'not-json': 'printed something that is not JSON',
  'no-version': 'printed JSON without `"Version": 1`',
  'no-keys': 'printed JSON without AccessKeyId and SecretAccessKey',
  expired: 'printed credentials whose Expiration has passed',
  'too-much':
    'printed more than 1 MiB (on stdout or stderr), more than the AWS SDK reads of it (Node’s exec maxBuffer), and was stopped',
};

/**
 * The profile whose credential_process ran: the one the SDK named, else the first along the
 * named profile's source_profile chain that has one.
 */
function profileWithProcess(error: CredentialProcessError): string {
  if (error.failure.profile !== undefined) return error.failure.profile;
  const settingOf = profileSettings();
  const seen = new Set<string>();
  let name: string | undefined = error.namedProfile ?? 'default';
  while (name !== undefined && !seen.has(name)) {
    if (settingOf(name, 'credential_process')) return name;
    seen.add(name);
    name = settingOf(name, 'source_profile');
  }
  return error.namedProfile ?? 'default';
}

/** CREDENTIAL_PROCESS_FAILED (exit 1): which profile's process, what was wrong, how to see why. */
export function mapCredentialProcessError(error: CredentialProcessError, ctx: AwsErrorContext): LshiftError {
  const profile = profileWithProcess(error);
  const shown = echoInput(profile);
  const program = credentialProgram(profileSettings()(profile, 'credential_process') ?? '');
  const named = program ? ` (\`${program}\`)` : '';
  const check =
    profile === 'default' ? 'aws sts get-caller-identity' : `aws sts get-caller-identity --profile ${shown}`;
  const meant =
    error.namedProfile === undefined
      ? `the \`default\` profile is the one used when none is named, and it has a credential_process: its credentials are the ones meant, as the AWS CLI stops there too (to sign as the host's role instead, remove that line from [default])`
      : `AWS profile ${shown} was named and its credentials are the ones meant`;
  const refused = error.refused
    ? ` The AWS SDK went on to ${error.refused} and would have used them instead: lshift refuses them, because ${meant}.`
    : '';
  return new OperationError(
    'CREDENTIAL_PROCESS_FAILED',
    `${ctx.operation} on ${describeTarget(ctx)} was not sent: the credential_process of AWS profile ${shown}${named} ${FAULT_WORDS[error.failure.fault]}, so it gave no credentials.${refused} What it printed is not shown (it may hold a secret).`,
    {
      context: { ...contextOf(ctx), notApplied: true },
      cause: error,
      hint: `Run that command by hand: it must exit 0 and print only JSON like {"Version": 1, "AccessKeyId": "…", "SecretAccessKey": "…", "SessionToken": "…", "Expiration": "…"} on stdout (\`${check}\` runs it as lshift does). Fix the command or the profile's credential_process line in ~/.aws/config (AWS_CONFIG_FILE).`,
    },
  );
}
