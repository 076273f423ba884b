/**
 * AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN are ASCII letters, digits and
 * `+/=`. One with a control character — most often a trailing carriage return, as a file saved
 * with Windows line endings leaves (`export AWS_SESSION_TOKEN=$(cat token.txt)`), or a line break
 * pasted in — failed at the first call as `AWS_ERROR: … TypeError: Invalid character in header
 * content ["x-amz-security-token"]`, "Read the AWS message above" (there is none); a secret key
 * with one was sent and refused by AWS as a bad signature. So the variables the SDK will use are
 * looked at before any client is made, and one that cannot be a credential is named with the
 * character and its place — never its value. Characters outside ASCII (U+200B from a web page, a
 * no-break space) are refused the same way.
 */
import { UsageError } from '../domain/errors.js';
import { profileUsesEnvironmentKeys } from './profile-check.js';

export const CREDENTIAL_VARIABLES = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
] as const;

/**
 * Throws CREDENTIALS_INVALID (exit 2) when a credential variable the SDK will read holds a
 * character no credential has. The SDK reads them only with both keys set and no profile named
 * (a profile wins over them), unless the profile takes them (`credential_source = Environment`).
 */
export function assertCredentialVariables(profile?: string, env: NodeJS.ProcessEnv = process.env): void {
  if (!env['AWS_ACCESS_KEY_ID'] || !env['AWS_SECRET_ACCESS_KEY']) return;
  const named = profile?.trim() || env['AWS_PROFILE']?.trim();
  if (named && !profileUsesEnvironmentKeys(named)) return;
  for (const variable of CREDENTIAL_VARIABLES) {
    const value = env[variable];
    if (!value) continue;
    const at = value.search(/[^\x20-\x7e]/);
    if (at < 0) continue;
    throw badCharacter(variable, value, at);
  }
}

function badCharacter(variable: string, value: string, at: number): UsageError {
  const code = value.codePointAt(at) ?? 0;
  // `\r`, `\n` or `\r\n` at the end: a line ending the value was read with.
  const ending = /^[\r\n]+$/.test(value.slice(at)) ? value.slice(at) : undefined;
  const said =
    ending === '\r'
      ? 'ends with a carriage return (\\r), as a file saved with Windows line endings leaves'
      : ending === '\r\n'
        ? 'ends with a Windows line ending (\\r\\n)'
        : ending !== undefined
          ? `ends with ${ending.length === 1 ? 'a line feed (\\n, a line break)' : 'line breaks'}`
          : at === 0
            ? `starts with ${nameCharacter(code)}`
            : `holds ${nameCharacter(code)} at character ${at + 1} of ${value.length}`;
  return new UsageError(
    'CREDENTIALS_INVALID',
    `${variable} ${said}; an AWS credential is ASCII letters, digits, +, / and = only.`,
    { hint: `${fixOf(variable, ending)} Its value is not shown.` },
  );
}

function nameCharacter(code: number): string {
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  if (code === 0x0d) return 'a carriage return (\\r)';
  if (code === 0x0a) return 'a line feed (\\n, a line break)';
  if (code === 0x09) return 'a tab (\\t)';
  if (code === 0x00) return 'a NUL character (U+0000)';
  if (code < 0x20 || (code >= 0x7f && code < 0xa0)) return `a control character (${hex})`;
  if (code === 0xa0) return 'a no-break space (U+00A0)';
  return `a character outside ASCII (${hex})`;
}

function fixOf(variable: string, ending: string | undefined): string {
  if (ending === '\r')
    return `Strip it: \`export ${variable}="$(printf %s "$${variable}" | tr -d '\\r')"\`, or save the file it came from with Unix line endings (\`dos2unix\`).`;
  if (ending !== undefined)
    return `Strip the line break: \`export ${variable}="$(printf %s "$${variable}" | tr -d '\\r\\n')"\`.`;
  return `Set ${variable} again from where it came from (\`aws configure export-credentials --format env\`, your CI secret), without the stray character.`;
}
