/**
 * Web identity credentials (AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN, or a profile's
 * web_identity_token_file and role_arn: CI with OIDC, EKS) that the SDK could not get: the token
 * file cannot be read (not written yet, a wrong path), or AWS STS refused the exchange
 * (InvalidIdentityToken, an expired token, a role whose trust policy does not allow it). The SDK
 * fails inside the Lambda call, and lshift said `AWS_ERROR: lambda:GetAlias … failed: Error:
 * ENOENT …`, "Read the AWS message above": nothing was sent to Lambda, and the words named no token
 * file, role or STS (h3's pass, session 66). The credential wrapper (./credential-wait.ts) marks
 * the failure as the web identity's; it is mapped here.
 */
import { type LshiftError, OperationError } from '../domain/errors.js';
import { shellQuote } from '../domain/shell-quote.js';
import { isRefusal } from './credential-role-refused.js';
import type { CredentialSource, WebIdentity } from './credential-source.js';
import { type AwsErrorContext, contextOf, describeTarget, readShape } from './error-shape.js';

/** A web identity's failure that is not the network's: the token file, or STS's refusal. */
export class WebIdentityRefusedError extends Error {
  constructor(
    readonly failure: unknown,
    readonly webIdentity: WebIdentity,
  ) {
    super(readShape(failure).message || 'the web identity credentials could not be fetched');
    this.name = 'WebIdentityRefused';
  }
}

/**
 * The error to throw for a failure of `source`'s provider when `source` is a web identity and the
 * failure is the token file's or STS's refusal (a 4xx other than throttling); else undefined
 * (the network's failures: ./credential-network.ts; STS's own errors and throttling go on as AWS's).
 */
export function webIdentityRefusal(failure: unknown, source: CredentialSource): Error | undefined {
  if (!source.webIdentity) return undefined;
  // STS's throttling (HTTP 400 `Throttling`) passes: no refusal (./credential-role-refused.ts).
  if (fileErrorCode(failure) === undefined && !isRefusal(failure)) return undefined;
  return new WebIdentityRefusedError(failure, source.webIdentity);
}

/** A Node file system error (`ENOENT`, `EACCES`, `EISDIR`…) reading the token file. */
function fileErrorCode(failure: unknown): string | undefined {
  const e = failure as { code?: unknown; syscall?: unknown } | undefined;
  return typeof e?.code === 'string' && typeof e.syscall === 'string' ? e.code : undefined;
}

/**
 * CREDENTIALS_MISSING (the token file cannot be read) or CREDENTIALS_INVALID (STS refused), exit 1,
 * unsent: names the token file, the role and where both come from, with what to check.
 */
export function mapWebIdentityRefused(error: WebIdentityRefusedError, ctx: AwsErrorContext): LshiftError {
  const { tokenFile, role, from } = error.webIdentity;
  const unsent = `${ctx.operation} on ${describeTarget(ctx)} was not sent`;
  const context = { ...contextOf(ctx), notApplied: true };
  const s = readShape(error.failure);
  const fileCode = fileErrorCode(error.failure);
  if (fileCode !== undefined) {
    const why = fileCode === 'ENOENT' ? 'it does not exist' : `${fileCode}: ${s.message}`;
    return new OperationError(
      'CREDENTIALS_MISSING',
      `${unsent}: its AWS credentials are a web identity (${from}: token file ${tokenFile}, role ${role}), and the token file could not be read (${why}).`,
      {
        context,
        cause: error.failure,
        hint: `Write the web identity (OIDC) token to ${tokenFile} before lshift runs, or fix the path: in CI, the step that gets the OIDC token comes first (GitHub Actions needs \`permissions: id-token: write\`); on EKS, the pod's service account needs its role annotation. To use other credentials, ${from.startsWith('AWS profile') ? 'pick another --profile' : 'unset AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN'}.`,
      },
    );
  }
  const said = [s.name, s.message].filter(Boolean).join(': ');
  return new OperationError(
    'CREDENTIALS_INVALID',
    `${unsent}: AWS STS refused to exchange the web identity token of ${tokenFile} for the credentials of role ${role} (${from}; AssumeRoleWithWebIdentity): ${said}.`,
    {
      context,
      cause: error.failure,
      hint: `Check the token (not expired; its audience and issuer as the role expects: the issuer registered as an IAM OIDC identity provider) and the role's trust policy (it must allow sts:AssumeRoleWithWebIdentity for this token's issuer and subject). \`aws sts assume-role-with-web-identity --role-arn ${shellQuote(role)} --role-session-name check --web-identity-token "$(cat ${shellQuote(tokenFile)})"\` makes the same exchange.`,
    },
  );
}
