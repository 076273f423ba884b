/**
 * `--profile nope`: the SDK says only "Could not load credentials from any providers" (or
 * "Region is missing"), never that the profile does not exist. So before building clients,
 * look for the profile in the two files the SDK reads, as the AWS CLI does
 * (https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-files.html).
 */
import { readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { format } from 'node:util';
import { echoInput } from '../domain/echo.js';
import { UsageError } from '../domain/errors.js';
import { printableLines } from '../domain/printable.js';
import { shellQuote } from '../domain/shell-quote.js';
import { sdkProfileOf, sectionHeaders } from './profile-names.js';

function fileOf(envName: string, fallback: string): string {
  return process.env[envName]?.trim() || join(homedir(), '.aws', fallback);
}

export type Ini = Map<string, Map<string, string>>;

/**
 * The sections of an INI file with their `key = value` settings (`[profile x]` counts as `x` in
 * the config file; keys lower-case; a value's ` # comment` or ` ; comment` dropped, as the SDK
 * drops it); empty if unreadable. Nested (indented) sub-settings are not read.
 */
export function readIni(path: string, isConfig: boolean): Ini {
  return parseIni(readText(path), isConfig);
}

/** A regular file's text; '' if unreadable. */
function readText(path: string): string {
  try {
    // Never open a named pipe (it blocks until a writer comes, here synchronously) or a device:
    // ./aws-files.ts refuses those as the SDK finds them, but this path is trimmed and the SDK's is not.
    if (!statSync(path).isFile()) return '';
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function parseIni(text: string, isConfig: boolean): Ini {
  const ini: Ini = new Map();
  let current: Map<string, string> | undefined;
  for (const line of text.split(/\r?\n/)) {
    const section = /^\s*\[\s*([^\]]+?)\s*\]\s*$/.exec(line)?.[1];
    if (section !== undefined) {
      const name =
        isConfig && section.startsWith('profile ') ? section.slice('profile '.length).trim() : section;
      current = ini.get(name) ?? new Map();
      ini.set(name, current);
      continue;
    }
    const setting = /^([^\s=#;][^=]*?)\s*=\s*(.*?)\s*$/.exec(line);
    if (current && setting?.[1]) current.set(setting[1].toLowerCase(), withoutComment(setting[2] ?? ''));
  }
  return ini;
}

/** `value # note` → `value`: the SDK's INI parser cuts a line at a `#` or `;` after a space. */
function withoutComment(value: string): string {
  return value.split(/(?:^|\s)[;#]/)[0]!.trim();
}

function sharedFiles(): { configFile: string; credentialsFile: string } {
  return {
    configFile: fileOf('AWS_CONFIG_FILE', 'config'),
    credentialsFile: fileOf('AWS_SHARED_CREDENTIALS_FILE', 'credentials'),
  };
}

/**
 * Throws PROFILE_NOT_FOUND (exit 2) when the named profile (`--profile` or the config file's,
 * named by `flagSource`, or AWS_PROFILE) is in
 * neither the config nor the credentials file. It is checked even when access keys are in the
 * environment: the SDK's default chain skips those keys whenever a profile is named
 * (@aws-sdk/credential-provider-node, "This SDK will proceed with the AWS_PROFILE value"), so
 * they never rescue a missing profile.
 */
export function assertProfileExists(flagProfile?: string, flagSource = '--profile'): void {
  const fromFlag = flagProfile?.trim();
  const profile = fromFlag || process.env['AWS_PROFILE']?.trim();
  if (!profile) return;
  const { configFile, credentialsFile } = sharedFiles();
  const shown = echoInput(profile);
  const source = fromFlag ? `${flagSource} ${shown}` : `AWS_PROFILE=${shown}`;
  const config = readText(configFile);
  const credentials = readText(credentialsFile);
  const inConfig = parseIni(config, true).has(profile);
  if (inConfig || parseIni(credentials, false).has(profile)) {
    if (sdkReads(profile, config, credentials)) return;
    // Quoted for a shell: the name has a space (`--profile 'sb x'`, as the offered commands quote it).
    const quoted = shellQuote(echoInput(profile));
    const given = fromFlag ? `${flagSource} ${quoted}` : `AWS_PROFILE=${quoted}`;
    throw unreadableProfile(`"${shown}"`, given, inConfig ? configFile : credentialsFile, inConfig);
  }
  const keysInEnv = Boolean(process.env['AWS_ACCESS_KEY_ID']?.trim());
  throw new UsageError(
    'PROFILE_NOT_FOUND',
    `AWS profile ${shown} (${source}) is not defined in ${configFile} or ${credentialsFile}.`,
    {
      hint: keysInEnv
        ? `A named profile wins over the access keys in the environment: to use those keys, ${fromFlag ? 'drop --profile (and the config file’s profile)' : 'unset AWS_PROFILE'}; or fix the profile name (\`aws configure list-profiles\`).`
        : 'List the profiles with `aws configure list-profiles`, fix the name, or create it with `aws configure --profile <name>` (`aws configure sso` for SSO).',
    },
  );
}

/** Whether the SDK finds the profile in either file (profile-names.ts). */
function sdkReads(profile: string, config: string, credentials: string): boolean {
  return (
    sectionHeaders(config).some((header) => sdkProfileOf(header, true) === profile) ||
    sectionHeaders(credentials).some((header) => sdkProfileOf(header, false) === profile)
  );
}

/**
 * Found by lshift's reading of the files, not by the SDK's: its name has a space (or a character
 * the SDK's parser does not take). Without this the SDK found no credentials and lshift said "Pass
 * --profile" to someone who had.
 */
function unreadableProfile(shown: string, source: string, file: string, inConfig: boolean): UsageError {
  const name = shown.slice(1, -1);
  const header = inConfig ? `[profile ${name}]` : `[${name}]`;
  return new UsageError(
    'PROFILE_UNREADABLE',
    `AWS profile ${shown} (${source}) is in ${file} as ${header}, but the AWS SDK lshift runs on does not read a profile of that name (a space, or a character other than letters, digits and _ - @ + . % : /), so it would find none of its settings or credentials.`,
    {
      hint: `Rename the profile in ${file} to a name of those characters (e.g. ${inConfig ? '[profile sb-x]' : '[sb-x]'}) and pass that name.`,
    },
  );
}

/**
 * With a profile named and access keys in the environment, the SDK prints a nine-line warning
 * ("Multiple credential sources detected … will proceed with the AWS_PROFILE value") before
 * every command. lshift documents that the profile wins (docs/exit-codes.md) and checks it
 * above, so only for that case the clients get a logger that drops this one warning. Otherwise
 * it acts as the SDK's default NoOpLogger, except that other warnings still reach the user:
 * through `onWarning` (the CLI's stderr, which makes them printable), else made printable here —
 * an SDK warning may quote an endpoint's or a file's text, never written raw to a terminal.
 */
export function quietProfileWarningLogger(
  flagProfile?: string,
  onWarning: (text: string) => void = (text) => console.warn(printableLines(text)),
): object | undefined {
  const profile = flagProfile?.trim() || process.env['AWS_PROFILE']?.trim();
  if (!profile || !process.env['AWS_ACCESS_KEY_ID']?.trim()) return undefined;
  return {
    trace: () => {},
    debug: () => {},
    info: () => {},
    error: () => {},
    warn: (...args: unknown[]) => {
      if (!String(args[0]).includes('Multiple credential sources detected')) onWarning(format(...args));
    },
  };
}

/**
 * Whether a profile gets its credentials from the AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY of the
 * environment: `credential_source = Environment` on it or on a `source_profile` it assumes a
 * role from (https://docs.aws.amazon.com/sdkref/latest/guide/feature-assume-role-credentials.html).
 * A `cmd:` hook run with such a profile needs those keys.
 */
export function profileUsesEnvironmentKeys(profile: string): boolean {
  const settingOf = profileSettings();
  const seen = new Set<string>();
  let name: string | undefined = profile;
  while (name !== undefined && !seen.has(name)) {
    seen.add(name);
    if (settingOf(name, 'credential_source')?.toLowerCase() === 'environment') return true;
    name = settingOf(name, 'source_profile');
  }
  return false;
}

/**
 * A reader of the profiles' settings, the credentials file's first (as the SDK merges them):
 * `settingOf('dev', 'credential_process')`.
 */
export function profileSettings(): (profile: string, key: string) => string | undefined {
  const { configFile, credentialsFile } = sharedFiles();
  const config = readIni(configFile, true);
  const credentials = readIni(credentialsFile, false);
  return (name, key) => credentials.get(name)?.get(key) ?? config.get(name)?.get(key);
}
