/**
 * The files the AWS SDK reads on its own — the shared config and credentials files
 * (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/config and ~/.aws/credentials) and a
 * web identity token (AWS_WEB_IDENTITY_TOKEN_FILE) — must be regular files when they exist. The
 * SDK opens them without looking: a named pipe made it wait for a writer forever (a call then
 * "did not answer … within its 31 s deadline", lshift said exit 1 and never ended, since the
 * open stays pending), a directory was skipped without a word (settings and credentials the user
 * meant were not used), a device such as /dev/zero is read until memory runs out. So they are
 * looked at (stat, never opened) before any client is made, as `--config` is. /dev/null, the
 * usual way to say "no such file", stays allowed. A path that does not exist is the SDK's
 * business (no file: other sources), and so is one lshift cannot stat (it reports that itself).
 * https://docs.aws.amazon.com/sdkref/latest/guide/file-location.html
 *
 * The profile the SDK's credential chain resolves may name more files: a `web_identity_token_file`
 * (read synchronously: a pipe there stopped lshift dead, not even its deadline fired) and, for SSO,
 * the token the AWS CLI caches in ~/.aws/sso/cache/<sha1 of the sso_session name, or of the
 * sso_start_url>.json (a pipe there: the error printed, then no exit). Those are checked too, for
 * the profile and the profiles it takes credentials from (`source_profile`), in the order the SDK
 * tries them (@aws-sdk/credential-provider-ini), and no other: a cache file of another profile is
 * none of lshift's business.
 */
import { createHash } from 'node:crypto';
import { type Stats, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { echoInput } from '../domain/echo.js';
import { UsageError } from '../domain/errors.js';
import { describeNotRegularFile } from '../domain/file-kind.js';
import { type Ini, readIni } from './profile-check.js';

interface AwsFile {
  variable: string;
  /** What the file is, for the message. */
  what: string;
  /** The path the SDK reads when the variable is unset, or undefined when it reads none. */
  fallback?: string;
  /** The fix, said in the hint. */
  fix: string;
}

/**
 * Throws AWS_FILE_INVALID (exit 2) when a file the SDK would read exists and is not a regular
 * file (or /dev/null). `defaultChain`: the SDK's default credential chain is used (no static
 * credentials), which is what reads a web identity token and a profile's files. `profile`: the
 * one given to the clients (--profile or the config file's), else AWS_PROFILE, else `default`.
 */
export function assertAwsFilesRegular(
  defaultChain: boolean,
  env: NodeJS.ProcessEnv = process.env,
  profile?: string,
): void {
  const home = homeOf(env);
  const files: AwsFile[] = [
    {
      variable: 'AWS_CONFIG_FILE',
      what: 'the AWS config file',
      fallback: join(home, '.aws', 'config'),
      fix: 'the AWS config file (the INI file `aws configure` writes)',
    },
    {
      variable: 'AWS_SHARED_CREDENTIALS_FILE',
      what: 'the AWS credentials file',
      fallback: join(home, '.aws', 'credentials'),
      fix: 'the AWS credentials file (the INI file `aws configure` writes)',
    },
  ];
  // The SDK reads the token only with a role to assume (fromTokenFile wants both variables).
  if (defaultChain && env['AWS_ROLE_ARN'] && env['AWS_WEB_IDENTITY_TOKEN_FILE'])
    files.push({
      variable: 'AWS_WEB_IDENTITY_TOKEN_FILE',
      what: 'the web identity token file',
      fix: 'the file that holds the web identity (OIDC) token, as your CI or cluster writes it',
    });
  for (const file of files) checkFile(file, env, home);
  if (defaultChain) checkProfileFiles(env, home, profile, files);
}

/** The path the SDK reads for `file`. As it takes them: an empty variable is unset, and a leading
 * `~/` of a shared file's path is the home directory (not of the token file's: fromTokenFile reads
 * it as written). */
function pathOf(file: AwsFile, env: NodeJS.ProcessEnv, home: string): string | undefined {
  const path = env[file.variable] || file.fallback;
  if (path === undefined) return undefined;
  return file.fallback && path.startsWith('~/') ? join(home, path.slice(2)) : path;
}

/** The path's stats when it exists and is neither a regular file nor /dev/null. */
function irregular(path: string): Stats | undefined {
  let stats: Stats;
  try {
    stats = statSync(path);
  } catch {
    return undefined;
  }
  return stats.isFile() || isNullDevice(stats) ? undefined : stats;
}

function checkFile(file: AwsFile, env: NodeJS.ProcessEnv, home: string): void {
  const given = env[file.variable] || undefined;
  const resolved = pathOf(file, env, home);
  if (resolved === undefined) return;
  const stats = irregular(resolved);
  if (!stats) return;
  const shown = echoInput(resolved);
  const where =
    given === undefined
      ? `${capitalize(file.what)} ${shown} (read when ${file.variable} is unset)`
      : `${file.variable}=${echoInput(given)}${resolved === given ? '' : ` (${shown})`}`;
  const fix =
    given === undefined
      ? `Put ${file.fix} there instead, or point ${file.variable} at one${file.fallback ? ' (`/dev/null` for none)' : ''}.`
      : `Point ${file.variable} at ${file.fix}${file.fallback ? `, set it to /dev/null for none, or unset it to use ${file.fallback}` : ', or unset it and AWS_ROLE_ARN'}.`;
  throw new UsageError('AWS_FILE_INVALID', `${where} ${describeNotRegularFile(stats)}.`, {
    hint: `${consequence(stats)} ${fix}`,
  });
}

/** What the SDK would have done with it, so the refusal does not look like pedantry. */
function consequence(stats: Stats, skipsDirectory = true): string {
  if (stats.isFIFO()) return 'The AWS SDK would wait on the pipe for a writer, forever.';
  if (stats.isDirectory())
    return skipsDirectory
      ? 'The AWS SDK would skip it without a word and use whatever other settings and credentials it finds.'
      : 'The AWS SDK would fail to read it, with an error that does not say why.';
  return 'The AWS SDK would read it as a file (a device may never end).';
}

/** A file a profile makes the SDK read, with where the profile names it, for the message. */
interface ProfileFile {
  path: string;
  /** `The web identity token file <path> (web_identity_token_file of AWS profile ci in <file>)`. */
  what: string;
  fix: string;
}

/**
 * The files the SDK's credential chain reads for the profile it resolves, checked as the shared
 * files are. The chain (@aws-sdk/credential-provider-node): keys in the environment win when no
 * profile is named (nothing of a profile is read); else the profile, by
 * @aws-sdk/credential-provider-ini's resolveProfileData.
 */
function checkProfileFiles(
  env: NodeJS.ProcessEnv,
  home: string,
  profile: string | undefined,
  shared: readonly AwsFile[],
): void {
  const named = profile || env['AWS_PROFILE'] || undefined;
  if (!named && env['AWS_ACCESS_KEY_ID'] && env['AWS_SECRET_ACCESS_KEY']) return;
  const [configPath, credentialsPath] = shared.map((file) => pathOf(file, env, home));
  const config = configPath ? readIni(configPath, true) : new Map();
  const credentials = credentialsPath ? readIni(credentialsPath, false) : new Map();
  for (const file of filesOfProfile(
    named ?? 'default',
    { config, credentials, configPath, credentialsPath },
    home,
  )) {
    const stats = irregular(file.path);
    if (!stats) continue;
    throw new UsageError('AWS_FILE_INVALID', `${file.what} ${describeNotRegularFile(stats)}.`, {
      hint: `${consequence(stats, false)} ${file.fix}`,
    });
  }
}

interface Profiles {
  config: Ini;
  credentials: Ini;
  configPath?: string;
  credentialsPath?: string;
}

/**
 * The files resolveProfileData reads for `name`, following `source_profile` as it does: a
 * profile with keys ends it (but for the first one, which assumes its role first), an assumed
 * role goes on to its source profile, then keys, web identity, credential_process, SSO, in that
 * order. The credentials file's settings win over the config file's, as in the SDK's merge.
 */
function filesOfProfile(first: string, profiles: Profiles, home: string): ProfileFile[] {
  const visited = new Set<string>();
  let name: string | undefined = first;
  let sourced = false;
  while (name !== undefined && !visited.has(name)) {
    visited.add(name);
    const at = settingsOf(name, profiles);
    if (!at) return [];
    const has = (key: string) => at.get(key) !== undefined;
    const keys = has('aws_access_key_id') && has('aws_secret_access_key');
    if (visited.size > 1 && keys) return [];
    const sourceProfile = has('source_profile') && !has('credential_source');
    const assumesRole =
      has('role_arn') && (sourceProfile || (has('credential_source') && !has('source_profile')));
    if (sourced || assumesRole) {
      // resolveAssumeRoleCredentials: the source profile if named, else credential_source (no file).
      name = at.get('source_profile');
      if (name === undefined) return [];
      const next = settingsOf(name, profiles);
      sourced = next !== undefined && !next.get('role_arn') && next.get('credential_source') !== undefined;
      continue;
    }
    if (keys) return [];
    if (has('web_identity_token_file') && has('role_arn')) return [webIdentityFile(name, at, profiles)];
    if (has('credential_process')) return [];
    const sso = ['sso_start_url', 'sso_account_id', 'sso_session', 'sso_region', 'sso_role_name'].some(has);
    return sso ? ssoCacheFile(name, at, home) : [];
  }
  return [];
}

/** A profile's settings, the credentials file's over the config file's; undefined: no such profile. */
function settingsOf(name: string, profiles: Profiles): Map<string, string> | undefined {
  const fromConfig = profiles.config.get(name);
  const fromCredentials = profiles.credentials.get(name);
  if (!fromConfig && !fromCredentials) return undefined;
  // An empty value is no setting to the SDK (it opens a nested section).
  return new Map([...(fromConfig ?? []), ...(fromCredentials ?? [])].filter(([, value]) => value !== ''));
}

function webIdentityFile(name: string, at: Map<string, string>, profiles: Profiles): ProfileFile {
  const path = at.get('web_identity_token_file')!;
  const inFile = profiles.credentials.get(name)?.has('web_identity_token_file')
    ? profiles.credentialsPath
    : profiles.configPath;
  return {
    path,
    what: `The web identity token file ${echoInput(path)} (web_identity_token_file of AWS profile ${echoInput(name)} in ${echoInput(inFile ?? '')})`,
    fix: 'Point web_identity_token_file at the file that holds the web identity (OIDC) token, as your CI or cluster writes it.',
  };
}

/**
 * The SSO token the SDK reads (getSSOTokenFromFile): ~/.aws/sso/cache/<sha1>.json, of the
 * profile's sso_session name, or of its sso_start_url when it names no session (the legacy form).
 */
function ssoCacheFile(name: string, at: Map<string, string>, home: string): ProfileFile[] {
  const session = at.get('sso_session');
  const startUrl = at.get('sso_start_url');
  const id = session ?? startUrl;
  if (id === undefined) return [];
  const path = join(home, '.aws', 'sso', 'cache', `${createHash('sha1').update(id).digest('hex')}.json`);
  const of = session !== undefined ? `sso_session ${echoInput(session)}` : 'the sso_start_url';
  return [
    {
      path,
      what: `The SSO token cache file ${echoInput(path)} (of ${of} of AWS profile ${echoInput(name)})`,
      fix: `Remove it (the AWS CLI writes it as a file) and sign in again: \`aws sso login --profile ${echoInput(name)}\`.`,
    },
  ];
}

/** /dev/null (by its device number, so a symlink to it counts too): "no file", as tests and CI use it. */
function isNullDevice(stats: Stats): boolean {
  if (!stats.isCharacterDevice()) return false;
  try {
    return statSync('/dev/null').rdev === stats.rdev;
  } catch {
    return false;
  }
}

/** The home directory as the SDK finds it (HOME, USERPROFILE, HOMEDRIVE+HOMEPATH, then the OS's). */
function homeOf(env: NodeJS.ProcessEnv): string {
  if (env['HOME']) return env['HOME'];
  if (env['USERPROFILE']) return env['USERPROFILE'];
  if (env['HOMEPATH']) return `${env['HOMEDRIVE'] ?? 'C:\\'}${env['HOMEPATH']}`;
  return homedir();
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
