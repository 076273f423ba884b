/**
 * Where a command's AWS requests go, as the user said it: `--region`, `--profile`,
 * `--endpoint-url` (or the config file's), checked against each other and against a sandbox
 * (--sandbox, LSHIFT_SANDBOX) before any client is made.
 */
import { echoInput } from '../domain/echo.js';
import { UsageError } from '../domain/errors.js';
import { maskUserinfo } from '../domain/hook-spec.js';
import { namesPortZero, PORT_ZERO_PROBLEM } from '../domain/port-zero.js';
import { assertSandboxUrl } from './sandbox-env.js';

export interface AwsTargetFlags {
  region?: string;
  profile?: string;
  'endpoint-url'?: string;
  /** The keys whose value came from the config file (mergeAwsTarget), for errors naming them. */
  fromConfig?: readonly ('region' | 'profile' | 'endpoint-url')[];
}

/** `--profile`, or ``the config file’s `profile` `` when the value came from there. */
export function sourceName(flags: AwsTargetFlags, key: 'region' | 'profile' | 'endpoint-url'): string {
  return flags.fromConfig?.includes(key) ? `the config file’s \`${key}\`` : `--${key}`;
}

/** AWS target flags, falling back to the config file's `region`, `profile`, `endpoint-url`. */
export function mergeAwsTarget(flags: AwsTargetFlags, config: AwsTargetFlags): AwsTargetFlags {
  const keys = ['region', 'profile', 'endpoint-url'] as const;
  return {
    region: flags.region ?? config.region,
    profile: flags.profile ?? config.profile,
    'endpoint-url': flags['endpoint-url'] ?? config['endpoint-url'],
    fromConfig: keys.filter((key) => flags[key] === undefined && config[key] !== undefined),
  };
}

/** Refuses target flags that are empty, malformed, or compete with a sandbox (before any call). */
export function checkAwsTarget(flags: AwsTargetFlags, inProcessSandbox: boolean): void {
  // A malformed LSHIFT_SANDBOX says so first: beside an endpoint it read as a conflict whose hint
  // said "point it at garbage" (found by a hostile pass).
  const sandboxUrl = process.env.LSHIFT_SANDBOX?.trim();
  if (!inProcessSandbox && sandboxUrl) assertSandboxUrl(sandboxUrl);
  checkEndpointUrl(flags['endpoint-url'], inProcessSandbox, sourceName(flags, 'endpoint-url'));
  checkProfileName(flags.profile, sourceName(flags, 'profile'));
  checkProfileBesideSandbox(flags, inProcessSandbox);
  checkEndpointEnv(inProcessSandbox);
  if (flags['endpoint-url'] === undefined) checkEndpointEnvUrls();
}

/**
 * `--profile "$PROD_PROFILE"` with the variable unset: the SDK ignores an empty profile and goes
 * on with whatever else it finds (keys in the environment, an instance role), maybe another
 * account's. Refused, as `--config ""` and `--region ""` are.
 */
function checkProfileName(profile: string | undefined, source: string): void {
  if (profile === undefined || profile.trim() !== '') return;
  throw new UsageError('INVALID_FLAG', `${source} is empty.`, {
    hint: 'Name an AWS profile (`--profile prod`; `aws configure list-profiles` lists them), or drop it to use AWS_PROFILE or the keys and role the SDK finds.',
  });
}

/**
 * A typed --profile names the AWS account the operator means; beside a sandbox it would be
 * ignored without a word (the sandbox takes any credentials), and a `lshift rollback orders
 * --profile prod` in a shell that still exports LSHIFT_SANDBOX would answer from the sandbox as if
 * from prod. Refused as --endpoint-url is. The config file's `profile` and AWS_PROFILE are a
 * project's or a shell's standing default, not a choice made for this command: they stay ignored,
 * so the sandbox can be tried in a project whose config names its real profile.
 */
function checkProfileBesideSandbox(flags: AwsTargetFlags, inProcessSandbox: boolean): void {
  if (flags.profile === undefined || flags.fromConfig?.includes('profile')) return;
  const sandbox = inProcessSandbox
    ? '--sandbox'
    : process.env.LSHIFT_SANDBOX?.trim()
      ? 'LSHIFT_SANDBOX'
      : undefined;
  if (!sandbox) return;
  throw new UsageError(
    'CONFLICTING_FLAGS',
    `--profile ${echoInput(flags.profile)} names AWS credentials, but ${sandbox} sends every AWS request to a sandbox.`,
    {
      hint:
        sandbox === '--sandbox'
          ? 'Drop --profile to deploy into the in-process sandbox, or drop --sandbox to deploy with that profile.'
          : 'Unset LSHIFT_SANDBOX (`unset LSHIFT_SANDBOX`) to talk to AWS with that profile, or drop --profile to use the sandbox.',
    },
  );
}

/**
 * An --endpoint-url (or the config file's) must be an http(s) URL, and must not compete with a
 * sandbox: LSHIFT_SANDBOX or --sandbox would otherwise win silently over an explicit endpoint.
 */
function checkEndpointUrl(endpointUrl: string | undefined, inProcessSandbox: boolean, source: string): void {
  if (endpointUrl === undefined) return;
  const shown = echoInput(maskUserinfo(endpointUrl));
  if (!isHttpUrl(endpointUrl)) {
    throw new UsageError('INVALID_FLAG', `${source} \`${shown}\` is not an http(s) URL.`, {
      hint: 'Write the full URL, e.g. --endpoint-url http://localhost:4566 (LocalStack), or drop it to talk to AWS.',
    });
  }
  if (namesPortZero(endpointUrl)) {
    throw new UsageError('INVALID_FLAG', `${source} \`${shown}\` ${PORT_ZERO}.`, {
      hint: `Give the port the endpoint listens on (\`lshift sandbox --port 0\` prints the one it chose), e.g. --endpoint-url http://localhost:4566.`,
    });
  }
  const sandbox = inProcessSandbox
    ? '--sandbox'
    : process.env.LSHIFT_SANDBOX?.trim()
      ? 'LSHIFT_SANDBOX'
      : undefined;
  if (sandbox) {
    throw new UsageError(
      'CONFLICTING_FLAGS',
      `${source} ${shown} and ${sandbox} both say where AWS requests go.`,
      {
        hint:
          sandbox === '--sandbox'
            ? 'Drop --endpoint-url (or endpoint-url in the config file) to use the in-process sandbox, or drop --sandbox.'
            : 'Unset LSHIFT_SANDBOX to use --endpoint-url, or drop --endpoint-url (or endpoint-url in the config file) to use the sandbox.',
      },
    );
  }
}

/** The SDK's endpoint variables for the services lshift calls (../aws/client-config.ts). */
const ENDPOINT_ENV = [
  'AWS_ENDPOINT_URL',
  'AWS_ENDPOINT_URL_LAMBDA',
  'AWS_ENDPOINT_URL_CLOUDWATCH',
  'AWS_ENDPOINT_URL_CODEDEPLOY',
];

/**
 * An AWS_ENDPOINT_URL* beside a sandbox is refused, as --endpoint-url is, not merely warned
 * about: the sandbox would win, and a deploy reported as promoted in a sandbox by someone who
 * meant LocalStack or AWS is the surprise lshift refuses to guess about. A warning scrolls by in
 * CI logs; unsetting the variable for one command (`env -u`) is cheap. One that names the
 * LSHIFT_SANDBOX sandbox itself agrees with it (docs/sandbox.md exports both for other tools).
 * Empty counts as unset.
 */
function checkEndpointEnv(inProcessSandbox: boolean): void {
  const sandboxUrl = process.env.LSHIFT_SANDBOX?.trim();
  const sandbox = inProcessSandbox ? '--sandbox' : sandboxUrl ? 'LSHIFT_SANDBOX' : undefined;
  if (!sandbox) return;
  const variable = ENDPOINT_ENV.find((name) => {
    const value = process.env[name]?.trim();
    return value && (inProcessSandbox || !sameOrigin(value, sandboxUrl!));
  });
  if (!variable) return;
  const shown = maskUserinfo(process.env[variable]!.trim());
  throw new UsageError(
    'CONFLICTING_FLAGS',
    `${variable}=${shown} and ${sandbox} both say where AWS requests go.`,
    {
      hint:
        sandbox === '--sandbox'
          ? `Unset ${variable} for this command (\`env -u ${variable} lshift …\`) to use the in-process sandbox, or drop --sandbox to use ${variable}.`
          : `Unset LSHIFT_SANDBOX to use ${variable}, or unset ${variable} (or point it at ${maskUserinfo(sandboxUrl!)}) to use the sandbox.`,
    },
  );
}

/**
 * An AWS_ENDPOINT_URL* lshift would use (no --endpoint-url, no sandbox: checkEndpointEnv refuses
 * those beside one) must be an http(s) URL. The SDK only fails at the first call, as `TypeError:
 * Invalid URL` with a hint to read an AWS message there is none of. Empty counts as unset, and
 * AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true makes the SDK ignore them all.
 * https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html
 */
function checkEndpointEnvUrls(): void {
  if (process.env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS?.trim().toLowerCase() === 'true') return;
  for (const variable of ENDPOINT_ENV) {
    const value = process.env[variable]?.trim();
    if (!value) continue;
    const http = isHttpUrl(value);
    if (http && !namesPortZero(value)) continue;
    throw new UsageError(
      'ENDPOINT_ENV_INVALID',
      `${variable}=${maskUserinfo(value)} ${http ? PORT_ZERO : 'is not an http(s) URL'}.`,
      {
        hint: http
          ? `Give the port the endpoint listens on (\`lshift sandbox --port 0\` prints the one it chose), e.g. \`export ${variable}=http://localhost:4566\`, or unset it (\`unset ${variable}\`) to talk to AWS.`
          : `Set it to the full URL (e.g. \`export ${variable}=http://localhost:4566\` for LocalStack), or unset it (\`unset ${variable}\`) to talk to AWS.`,
      },
    );
  }
}

/**
 * Port 0 (../domain/port-zero.ts): the SDK took `http://127.0.0.1:0` for the scheme's default
 * port and reported "Could not reach http://127.0.0.1:0 … ECONNREFUSED 127.0.0.1:80".
 */
const PORT_ZERO = `${PORT_ZERO_PROBLEM} (the request would go to the default port, 80 or 443, instead)`;

function isHttpUrl(value: string): boolean {
  try {
    const { protocol } = new URL(value);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

function sameOrigin(a: string, b: string): boolean {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
}
