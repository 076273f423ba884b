/**
 * Node refuses a request whose header holds a character HTTP does not allow (a line break, most
 * control characters) before sending it: `TypeError: Invalid character in header content
 * ["x-amz-security-token"]`. In the headers the SDK signs, that is a credential — the session
 * token, or the access key ID in `authorization` — with a stray character, typically a carriage
 * return from a file saved with Windows line endings. It read as an AWS_ERROR whose hint said
 * "Read the AWS message above" (there was none). Variables are checked before any call
 * (./credential-env.ts); this names the credentials that come another way (a profile, a
 * credential_process, SSO). Never with their value.
 */
import { type LshiftError, OperationError } from '../domain/errors.js';
import { type AwsErrorContext, contextOf, describeTarget, type ErrorShape } from './error-shape.js';

/** The credential each signed header carries. */
const CREDENTIAL_HEADERS: Record<string, { what: string; sources: string }> = {
  'x-amz-security-token': {
    what: 'the session token',
    sources: 'AWS_SESSION_TOKEN, the profile’s aws_session_token or what its credential_process prints',
  },
  authorization: {
    what: 'the access key ID',
    sources: 'AWS_ACCESS_KEY_ID, the profile’s aws_access_key_id or what its credential_process prints',
  },
};

/** CREDENTIALS_INVALID for a credential Node would not put in a header; undefined for anything else. */
export function mapCredentialHeaderError(
  s: ErrorShape,
  ctx: AwsErrorContext,
  error: unknown,
): LshiftError | undefined {
  if (s.code !== 'ERR_INVALID_CHAR' && !/^Invalid character in header content/.test(s.message))
    return undefined;
  const header = /\["?([\w-]+)"?\]/.exec(s.message)?.[1]?.toLowerCase();
  const credential = header === undefined ? undefined : CREDENTIAL_HEADERS[header];
  if (!credential) return undefined;
  return new OperationError(
    'CREDENTIALS_INVALID',
    `${ctx.operation} on ${describeTarget(ctx)} was not sent: ${credential.what} holds a character an HTTP header cannot carry (a line break or another control character, often a carriage return left by a file saved with Windows line endings).`,
    {
      // Node refused it before a byte went out.
      context: { ...contextOf(ctx), notApplied: true },
      cause: error,
      hint: `Set ${credential.what} again without the stray character (it comes from ${credential.sources}). Its value is not shown.`,
    },
  );
}
