/**
 * The flags that decide WHERE and AS WHOM a command lshift prints acts: `--profile`, `--region`,
 * `--endpoint-url`, as the run was given them (a flag, or the config file's), added to every
 * `lshift …` and `aws …` fix command it offers. lshift and the AWS CLI spell the three alike.
 * Copied as printed after a `--profile prod --region eu-west-1` run, `lshift rollback demo --alias
 * live` acted on the default account and region (found by h1's pass, session 64). A value the
 * shell already has (AWS_PROFILE, AWS_REGION, AWS_ENDPOINT_URL) is not repeated: the shell that
 * runs the fix has it too.
 */
import { maskUserinfo } from './hook-spec.js';
import { shellQuote } from './shell-quote.js';

export interface CommandTarget {
  profile?: string;
  region?: string;
  'endpoint-url'?: string;
  /**
   * The endpoint of an `aws …` command only: a kept sandbox's (LSHIFT_SANDBOX). lshift reads that
   * variable itself (and refuses `--endpoint-url` beside it), the AWS CLI does not: with `--region`
   * alone an offered `aws lambda update-alias …` went to AWS, to the shell's default account (found
   * by h1's pass, session 65).
   */
  awsEndpointUrl?: string;
  /**
   * The region of an `aws …` command only, when the run named none: a kept sandbox's run used
   * us-east-1 (its own default), and an offered `aws lambda …` beside it named the endpoint alone,
   * so the AWS CLI took the shell's region, or refused for want of one (session 66). lshift
   * commands in that shell take the same default themselves.
   */
  awsRegion?: string;
}

const KEYS = ['profile', 'region', 'endpoint-url'] as const;

/**
 * `aws` commands that reach no Lambda, CloudWatch or CodeDeploy endpoint (a sign-in, the caller's
 * identity): an `--endpoint-url` naming one would send them where they cannot be answered.
 */
const NOT_AT_THE_ENDPOINT = /^aws (?:sso|sts|configure) /;

/** True when the run named any flag to add: the passes do nothing otherwise. */
export function hasTargetFlags(target: CommandTarget): boolean {
  return [...KEYS.map((key) => target[key]), target.awsEndpointUrl, target.awsRegion].some(
    (v) => v !== undefined && v.trim() !== '',
  );
}

function valueFor(target: CommandTarget, key: (typeof KEYS)[number], command: string): string | undefined {
  if (key === 'region') return target.region ?? (/^aws /.test(command) ? target.awsRegion : undefined);
  if (key !== 'endpoint-url') return target[key];
  if (NOT_AT_THE_ENDPOINT.test(command)) return undefined;
  return target['endpoint-url'] ?? (/^aws /.test(command) ? target.awsEndpointUrl : undefined);
}

/**
 * ` --profile prod --region eu-west-1`: each value quoted for a POSIX shell; '' when none was given.
 * A flag `command` already names is not added again: a hint made with its own `--region`, or a
 * line targeted twice on its way out (the renderers and the output's last pass, run-target.ts).
 */
export function describeTargetFlags(target: CommandTarget, command = ''): string {
  let flags = '';
  for (const key of KEYS) {
    const value = valueFor(target, key, command);
    if (value === undefined || value.trim() === '') continue;
    if (new RegExp(` --${key}(?:[ =]|$)`).test(unquoted(command))) continue;
    // A password in the endpoint's userinfo is a secret: masked (`http://***@host`), as in every
    // other message naming the endpoint. The command then needs it typed in again; printed, it
    // went to the terminal, --json, the step summary (found by h3's pass, session 64).
    const shown = key === 'endpoint-url' ? maskEndpoint(value) : value;
    flags += ` --${key} ${shellQuote(shown)}`;
  }
  return flags;
}

/**
 * `command` with every shell-quoted word emptied (`'…'`, `"…"`): a flag named inside one is a
 * value's words, not the flag. `lshift rollback fn --reason "moved --region by hand"` was taken to
 * name its region, and was offered without the run's (session 66).
 */
function unquoted(command: string): string {
  return command.replace(/'[^']*'|"(?:[^"\\]|\\.)*"/g, "''");
}

/**
 * An `aws …` command inside another, as a command substitution: the record's untag command looks
 * up the function's ARN with `$(aws lambda get-function …)` (record-tag.ts). With the flags only at
 * the end, the lookup asked the shell's default account and region (or AWS, beside a sandbox) for
 * the ARN the untag then used (found by h1's pass, session 65): both halves get them.
 */
const SUBSTITUTED_AWS = /\$\((aws [^()]*)\)/g;

/**
 * `command` with the run's target flags after it, when it is an `lshift` or `aws` command (both
 * take flags after their arguments), and after each `$(aws …)` inside it; any other text is
 * returned as it is.
 */
export function withTargetFlags(command: string, target: CommandTarget): string;
export function withTargetFlags(command: string | undefined, target: CommandTarget): string | undefined;
export function withTargetFlags(command: string | undefined, target: CommandTarget): string | undefined {
  if (command === undefined || !/^(lshift|aws) /.test(command)) return command;
  const inner = command.replace(
    SUBSTITUTED_AWS,
    (_all, sub: string) => `$(${sub}${describeTargetFlags(target, sub)})`,
  );
  // The flags an inner command names are not the outer one's.
  return inner + describeTargetFlags(target, inner.replace(SUBSTITUTED_AWS, ''));
}

/**
 * The endpoint as every message shows one: its userinfo masked, and its query's values
 * (`?token=***`, a part without `=` as `***`) as a hook's URL shows them (hook-spec.ts: redactUrl);
 * a fragment is not sent and not shown.
 */
function maskEndpoint(url: string): string {
  const masked = maskUserinfo(url).replace(/#.*$/s, '');
  const at = masked.indexOf('?');
  if (at < 0) return masked;
  const parts = masked
    .slice(at + 1)
    .split('&')
    .filter((part) => part !== '')
    .map((part) => (part.includes('=') ? `${part.slice(0, part.indexOf('='))}=***` : '***'));
  return masked.slice(0, at) + (parts.length === 0 ? '' : `?${parts.join('&')}`);
}
