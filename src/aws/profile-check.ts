/**
 * `--profile nope`: the SDK says only "Could not load credentials from any providers" (or
 * "Region is missing"), never that the profile does not exist. So before building clients,
 * look for the profile in the two files the SDK reads, as the AWS CLI does
 * (https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-files.html).
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../domain/errors.js';

function fileOf(envName: string, fallback: string): string {
  return process.env[envName]?.trim() || join(homedir(), '.aws', fallback);
}

/** Section names of an INI file (`[profile x]` counts as `x` in the config file); none if unreadable. */
function sections(path: string, isConfig: boolean): Set<string> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return new Set();
  }
  const names = new Set<string>();
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*\[\s*([^\]]+?)\s*\]\s*$/.exec(line);
    if (!m?.[1]) continue;
    const name = m[1];
    if (isConfig && name.startsWith('profile ')) names.add(name.slice('profile '.length).trim());
    else names.add(name);
  }
  return names;
}

/**
 * Throws PROFILE_NOT_FOUND (exit 2) when the named profile (`--profile` or AWS_PROFILE) is in
 * neither the config nor the credentials file. It is checked even when access keys are in the
 * environment: the SDK's default chain skips those keys whenever a profile is named
 * (@aws-sdk/credential-provider-node, "This SDK will proceed with the AWS_PROFILE value"), so
 * they never rescue a missing profile.
 */
export function assertProfileExists(flagProfile?: string): void {
  const fromFlag = flagProfile?.trim();
  const profile = fromFlag || process.env['AWS_PROFILE']?.trim();
  if (!profile) return;
  const configFile = fileOf('AWS_CONFIG_FILE', 'config');
  const credentialsFile = fileOf('AWS_SHARED_CREDENTIALS_FILE', 'credentials');
  if (sections(configFile, true).has(profile) || sections(credentialsFile, false).has(profile)) return;
  const source = fromFlag ? `--profile ${profile}` : `AWS_PROFILE=${profile}`;
  const keysInEnv = Boolean(process.env['AWS_ACCESS_KEY_ID']?.trim());
  throw new UsageError(
    'PROFILE_NOT_FOUND',
    `AWS profile ${profile} (${source}) is not defined in ${configFile} or ${credentialsFile}.`,
    {
      hint: keysInEnv
        ? `A named profile wins over the access keys in the environment: to use those keys, ${fromFlag ? 'drop --profile (and the config file’s profile)' : 'unset AWS_PROFILE'}; or fix the profile name (\`aws configure list-profiles\`).`
        : 'List the profiles with `aws configure list-profiles`, fix the name, or create it with `aws configure --profile <name>` (`aws configure sso` for SSO).',
    },
  );
}

/**
 * With a profile named and access keys in the environment, the SDK prints a nine-line warning
 * ("Multiple credential sources detected … will proceed with the AWS_PROFILE value") before
 * every command. lshift documents that the profile wins (docs/exit-codes.md) and checks it
 * above, so only for that case the clients get a logger that drops this one warning. Otherwise
 * it acts as the SDK's default NoOpLogger, except that other warnings still reach stderr.
 */
export function quietProfileWarningLogger(flagProfile?: string): object | undefined {
  const profile = flagProfile?.trim() || process.env['AWS_PROFILE']?.trim();
  if (!profile || !process.env['AWS_ACCESS_KEY_ID']?.trim()) return undefined;
  return {
    trace: () => {},
    debug: () => {},
    info: () => {},
    error: () => {},
    warn: (...args: unknown[]) => {
      if (!String(args[0]).includes('Multiple credential sources detected')) console.warn(...args);
    },
  };
}
