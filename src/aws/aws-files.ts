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
 */
import { type Stats, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { echoInput } from '../domain/echo.js';
import { UsageError } from '../domain/errors.js';
import { describeNotRegularFile } from '../domain/file-kind.js';

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
 * credentials), which is what reads a web identity token.
 */
export function assertAwsFilesRegular(defaultChain: boolean, env: NodeJS.ProcessEnv = process.env): void {
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
}

function checkFile(file: AwsFile, env: NodeJS.ProcessEnv, home: string): void {
  // As the SDK takes them: an empty variable is unset, and a leading `~/` of a shared file's
  // path is the home directory (not of the token file's: fromTokenFile reads it as written).
  const given = env[file.variable] || undefined;
  const path = given ?? file.fallback;
  if (path === undefined) return;
  const resolved = file.fallback && path.startsWith('~/') ? join(home, path.slice(2)) : path;
  let stats: Stats;
  try {
    stats = statSync(resolved);
  } catch {
    return;
  }
  if (stats.isFile() || isNullDevice(stats)) return;
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
function consequence(stats: Stats): string {
  if (stats.isFIFO()) return 'The AWS SDK would wait on the pipe for a writer, forever.';
  if (stats.isDirectory())
    return 'The AWS SDK would skip it without a word and use whatever other settings and credentials it finds.';
  return 'The AWS SDK would read it as a file (a device may never end).';
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
