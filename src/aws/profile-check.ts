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
 * neither the config nor the credentials file. Access keys in the environment take precedence
 * over a profile in the SDK's chain, so then nothing is checked.
 */
export function assertProfileExists(flagProfile?: string): void {
  const fromFlag = flagProfile?.trim();
  const profile = fromFlag || process.env['AWS_PROFILE']?.trim();
  if (!profile || process.env['AWS_ACCESS_KEY_ID']?.trim()) return;
  const configFile = fileOf('AWS_CONFIG_FILE', 'config');
  const credentialsFile = fileOf('AWS_SHARED_CREDENTIALS_FILE', 'credentials');
  if (sections(configFile, true).has(profile) || sections(credentialsFile, false).has(profile)) return;
  const source = fromFlag ? `--profile ${profile}` : `AWS_PROFILE=${profile}`;
  throw new UsageError(
    'PROFILE_NOT_FOUND',
    `AWS profile ${profile} (${source}) is not defined in ${configFile} or ${credentialsFile}.`,
    {
      hint: 'List the profiles with `aws configure list-profiles`, fix the name, or create it with `aws configure --profile <name>` (`aws configure sso` for SSO).',
    },
  );
}
