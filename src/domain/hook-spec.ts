/**
 * Hook specs as users write them in `--pre-hook`/`--step-hook`/`--post-hook`/`--rollback-hook`
 * and in the config file (docs/hooks.md). Pure: no file or network access; the runners in
 * src/hooks/ check what only I/O can (a payload file exists, a function answers).
 *
 * `raw` keeps the text as typed and may hold secrets (URL tokens); show `formatHookSpec` instead.
 */
import { ACCOUNT_ID, FUNCTION_NAME, PARTITION, QUALIFIER, REGION_NAME } from './aws-names.js';
import { maskCommandSecrets } from './command-secrets.js';
import { echoInput } from './echo.js';
import { UsageError } from './errors.js';
import { isFetchBlockedPort } from './fetch-blocked-ports.js';
import { parseBoundedDuration } from './limits.js';
import { namesPortZero, PORT_ZERO_PROBLEM } from './port-zero.js';
import { printable } from './printable.js';
import { maskWebhookPaths } from './webhook-secrets.js';

export type HookPhase = 'pre' | 'step' | 'post' | 'rollback';

export type HookSpec =
  | { kind: 'lambda'; raw: string; functionName: string; qualifier?: string; timeoutSeconds?: number }
  | { kind: 'http'; raw: string; url: string; timeoutSeconds?: number }
  | { kind: 'cmd'; raw: string; command: string; timeoutSeconds?: number }
  | { kind: 'invoke-target'; raw: string; payloadFile: string; count: number; timeoutSeconds?: number };

/** Every form a hook spec may take, with an example; listed in usage errors and `--help`. */
export const ACCEPTED_HOOK_FORMS: readonly string[] = [
  'lambda:<function name or ARN>[:<qualifier>]  e.g. lambda:smoke-test, lambda:smoke-test:live, lambda:arn:aws:lambda:us-east-1:123456789012:function:smoke-test:3',
  'https://<host>/<path> or http://…  e.g. https://ci.example.com/hooks/lshift (POST of the JSON payload; 2xx passes)',
  'cmd:<command line>  e.g. cmd:./scripts/smoke.sh (run with /bin/sh -c; exit 0 passes)',
  'invoke-target:<payload file>[x<count>]  e.g. invoke-target:smoke.json, invoke-target:smoke.json x5',
];

/** Upper bound for `invoke-target:<file>x<count>`: a smoke test, not a load test. */
export const MAX_INVOKE_TARGET_COUNT = 1000;

// A greedy file part keeps `payload.x5x2` readable as file `payload.x5`, count 2.
const COUNT_SUFFIX = /^(.*\S)\s*x(\d+)$/;

/** Parses one hook spec. Throws UsageError `HOOK_INVALID` naming `where` (e.g. `--pre-hook`). */
export function parseHookSpec(text: string, where: string): HookSpec {
  const raw = text.trim();
  if (raw === '') throw hookError(where, 'is empty');
  const lower = raw.toLowerCase();
  if (lower.startsWith('lambda:')) return parseLambdaSpec(raw, raw.slice('lambda:'.length).trim(), where);
  if (lower.startsWith('http://') || lower.startsWith('https://')) return parseHttpSpec(raw, where);
  if (lower.startsWith('cmd:')) return parseCommandSpec(raw, where);
  if (lower.startsWith('invoke-target:')) {
    return parseInvokeTargetSpec(raw, raw.slice('invoke-target:'.length).trim(), where);
  }
  throw unknownKindError(raw, where);
}

/** A hook as the config file may list it: a spec string, or `{ spec, timeout }` (timeout like `2m`). */
export type HookConfigEntry = string | { spec: string; timeout?: string | number };

/**
 * Parses a config-file hook entry (`hooks: { pre: ["cmd:./a.sh", { spec: "cmd:./b.sh", timeout: "2m" }] }`).
 * `where` names the entry, e.g. `hooks.pre[1]` in lshift.config.yaml.
 */
export function parseHookConfigEntry(entry: unknown, where: string): HookSpec {
  if (typeof entry === 'string') return parseHookSpec(entry, where);
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
    throw hookError(where, 'must be a hook spec string or an object `{ spec, timeout }`');
  }
  const { spec, timeout, ...rest } = entry as Record<string, unknown>;
  const unknownKeys = Object.keys(rest);
  if (unknownKeys.length > 0) {
    throw hookError(where, `has unknown key(s) ${unknownKeys.map((k) => `\`${k}\``).join(', ')}`, {
      hint: 'A hook entry takes `spec` (required) and `timeout` (optional, e.g. "2m").',
    });
  }
  if (typeof spec !== 'string')
    throw hookError(where, 'needs a `spec` string, e.g. { spec: "cmd:./smoke.sh" }');
  const parsed = parseHookSpec(spec, where);
  if (timeout === undefined) return parsed;
  if (typeof timeout !== 'string' && typeof timeout !== 'number') {
    throw hookError(where, '`timeout` must be a duration such as "90s" or "2m"');
  }
  return {
    ...parsed,
    timeoutSeconds: parseBoundedDuration(String(timeout), 'hookTimeout', `${where} timeout`),
  };
}

/**
 * A hook for display (progress, events, errors) without secrets: URLs lose their userinfo,
 * query values and fragment (`https://host/path?token=***`); a command keeps its text but for what
 * looks secret in it (command-secrets.ts: `cmd:curl https://***@ci.example.com/x?token=***`,
 * `cmd:GITHUB_TOKEN=*** ./notify.sh`). The command run is `spec.command`, unmasked.
 */
export function formatHookSpec(spec: HookSpec): string {
  // A multi-line `cmd:` from a config file is shown on one line: its second line would start a
  // line of its own in the CI log, where `::error::…` is a workflow command.
  return printable(formatRawHookSpec(spec));
}

function formatRawHookSpec(spec: HookSpec): string {
  switch (spec.kind) {
    case 'lambda':
      return `lambda:${spec.functionName}${spec.qualifier === undefined ? '' : `:${spec.qualifier}`}`;
    case 'http':
      return redactUrl(spec.url);
    case 'cmd':
      return `cmd:${maskCommandSecrets(spec.command)}`;
    case 'invoke-target':
      return `invoke-target:${spec.payloadFile}${spec.count === 1 ? '' : ` x${spec.count}`}`;
  }
}

/**
 * `https://user:pw@host/p?token=abc#x` → `https://host/p?token=***`; `…/p?abc123` → `…/p?***`.
 * Unparseable URLs are hidden.
 */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return '<invalid URL>';
  }
  // A part without `=` (`?abc123`) may be the token itself: it shows as `***`, not as a name.
  const parts = parsed.search
    .slice(1)
    .split('&')
    .filter((part) => part !== '')
    .map((part) => (part.includes('=') ? `${part.slice(0, part.indexOf('='))}=***` : '***'));
  const shown = [...new Set(parts)];
  const query = shown.length === 0 ? '' : `?${shown.join('&')}`;
  // A Slack, Discord or Teams webhook's secret is its path (webhook-secrets.ts).
  return maskWebhookPaths(`${parsed.protocol}//${parsed.host}${parsed.pathname}${query}`);
}

/**
 * Text with the userinfo of every URL in it masked (`http://u:pw@host:1` → `http://***@host:1`),
 * everything else kept: for endpoints (LSHIFT_SANDBOX, --endpoint-url, AWS_ENDPOINT_URL*) and for
 * messages that may quote one, where the host and port are what the user needs to see.
 * Like redactUrl, but it never hides a whole value, so a malformed one can still be diagnosed.
 */
export function maskUserinfo(text: string): string {
  // The scheme starts where no scheme character stands before it: tried from inside a long run of
  // letters, the scheme scan made a 120,000-character path cost 11 s of CPU (found by a hostile pass).
  const masked = text.replace(/(?<![a-z0-9+.-])([a-z][a-z0-9+.-]*:\/\/)[^/?#\s]*@/gi, '$1***@');
  // A URL typed without a scheme (`u:pw@127.0.0.1:4566`) still carries a password.
  return masked.includes('://') ? masked : masked.replace(/^[^/?#\s]*@/, '***@');
}

function parseLambdaSpec(raw: string, rest: string, where: string): HookSpec {
  const parts = rest.split(':');
  if (parts[0] === 'arn') return parseLambdaArn(raw, parts, where);
  // Lambda also accepts a partial ARN: `123456789012:function:name[:qualifier]`.
  if (parts.length >= 3 && ACCOUNT_ID.test(parts[0]!) && parts[1] === 'function') {
    if (parts.length > 4) throw lambdaError(raw, where, 'has too many `:` parts');
    return lambdaSpec(raw, parts.slice(0, 3).join(':'), parts[2]!, parts[3], where);
  }
  if (parts.length > 2) throw lambdaError(raw, where, 'has too many `:` parts');
  return lambdaSpec(raw, parts[0]!, parts[0]!, parts[1], where);
}

function parseLambdaArn(raw: string, parts: string[], where: string): HookSpec {
  // arn:<partition>:lambda:<region>:<account>:function:<name>[:<qualifier>]
  const [, partition = '', service, region = '', account = '', resource, name = ''] = parts;
  const wellFormed =
    (parts.length === 7 || parts.length === 8) &&
    PARTITION.test(partition) &&
    service === 'lambda' &&
    REGION_NAME.test(region) &&
    ACCOUNT_ID.test(account) &&
    resource === 'function';
  if (!wellFormed) {
    throw lambdaError(raw, where, 'is not a Lambda function ARN', {
      hint: 'A function ARN looks like arn:aws:lambda:us-east-1:123456789012:function:my-hook, optionally followed by :<version or alias>.',
    });
  }
  return lambdaSpec(raw, parts.slice(0, 7).join(':'), name, parts[7], where);
}

function lambdaSpec(
  raw: string,
  functionName: string,
  name: string,
  qualifier: string | undefined,
  where: string,
): HookSpec {
  if (!FUNCTION_NAME.test(name)) {
    throw lambdaError(raw, where, `has an invalid function name \`${echoInput(name)}\``, {
      hint: 'Function names are 1–64 letters, digits, hyphens or underscores.',
    });
  }
  if (qualifier !== undefined && !QUALIFIER.test(qualifier)) {
    throw lambdaError(raw, where, `has an invalid qualifier \`${echoInput(qualifier)}\``, {
      hint: 'The qualifier is a version number, an alias name or $LATEST, e.g. lambda:my-hook:live.',
    });
  }
  return qualifier === undefined
    ? { kind: 'lambda', raw, functionName }
    : { kind: 'lambda', raw, functionName, qualifier };
}

function parseHttpSpec(raw: string, where: string): HookSpec {
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    // The text may carry a token; do not echo it.
    throw hookError(where, 'is not a valid http(s) URL', {
      hint: 'Write a full URL such as https://hooks.example.com/lshift.',
    });
  }
  if (parsed.hostname === '') throw hookError(where, `\`${echoInput(redactUrl(raw))}\` has no host`);
  // fetch took port 0 as given and failed when the hook ran ("connect ECONNREFUSED"): for a
  // post-traffic hook, after the whole shift (hostile pass).
  if (namesPortZero(parsed)) {
    throw hookError(
      where,
      `\`${echoInput(redactUrl(raw))}\` ${PORT_ZERO_PROBLEM}; the hook could never be called`,
      {
        hint: 'Give the port the hook’s server listens on, e.g. http://127.0.0.1:8080/hook (`lshift sandbox` serves none).',
      },
    );
  }
  // Node's fetch refuses these ports ("bad port") whatever listens there: found when the hook
  // ran, which for a post-traffic hook is after the whole shift.
  if (parsed.port !== '' && isFetchBlockedPort(Number(parsed.port))) {
    throw hookError(
      where,
      `\`${echoInput(redactUrl(raw))}\` is on port ${parsed.port}, which Node's fetch refuses (the Fetch standard blocks it: https://fetch.spec.whatwg.org/#port-blocking); the hook could never be called`,
      { hint: 'Serve the hook on another port (8080, 8443, …) or behind a proxy on one.' },
    );
  }
  return { kind: 'http', raw, url: raw };
}

function parseCommandSpec(raw: string, where: string): HookSpec {
  const command = raw.slice('cmd:'.length).trim();
  if (command === '') {
    throw hookError(where, '`cmd:` has no command', {
      hint: 'Write the command after `cmd:`, e.g. cmd:./smoke.sh.',
    });
  }
  return { kind: 'cmd', raw, command };
}

function parseInvokeTargetSpec(raw: string, rest: string, where: string): HookSpec {
  const match = COUNT_SUFFIX.exec(rest);
  const payloadFile = match ? match[1]! : rest;
  const count = match ? Number(match[2]) : 1;
  if (payloadFile === '') {
    throw hookError(where, '`invoke-target:` has no payload file', {
      hint: 'Name a JSON file to send to the new version, e.g. invoke-target:smoke.json x5.',
    });
  }
  if (!Number.isSafeInteger(count) || count < 1 || count > MAX_INVOKE_TARGET_COUNT) {
    throw hookError(where, `\`${echoInput(raw)}\` asks for ${match?.[2]} invocations`, {
      hint: `The count after x is 1 to ${MAX_INVOKE_TARGET_COUNT}, e.g. invoke-target:smoke.json x5.`,
    });
  }
  return { kind: 'invoke-target', raw, payloadFile, count };
}

function unknownKindError(raw: string, where: string): UsageError {
  const lower = raw.toLowerCase();
  if (lower.startsWith('arn:') && lower.includes(':lambda:')) {
    return hookError(where, `\`${echoInput(raw)}\` has no hook kind`, {
      hint: `Did you mean \`lambda:${echoInput(raw)}\`?`,
    });
  }
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(raw);
  if (scheme) {
    return hookError(where, `uses an unsupported URL scheme \`${echoInput(scheme[1]!)}\``, {
      hint: 'HTTP hooks take an http:// or https:// URL.',
    });
  }
  if (/^[a-z][a-z-]*:/i.test(raw)) {
    return hookError(where, `has an unknown hook kind \`${echoInput(raw.slice(0, raw.indexOf(':')))}:\``);
  }
  // Most likely a command line typed without `cmd:`: shown as a `cmd:` hook would be.
  const masked = maskCommandSecrets(raw);
  const shown = echoInput(masked);
  return hookError(where, `\`${shown}\` has no hook kind`, {
    hint:
      masked === raw
        ? `To run it as a command, write \`cmd:${shown}\`.`
        : 'To run it as a command, write `cmd:` in front of it (its secrets are not repeated here).',
  });
}

function lambdaError(raw: string, where: string, problem: string, opts: { hint?: string } = {}): UsageError {
  return hookError(where, `\`${echoInput(raw)}\` ${problem}`, opts);
}

function hookError(where: string, problem: string, opts: { hint?: string } = {}): UsageError {
  const forms = ACCEPTED_HOOK_FORMS.map((form) => `  ${form}`).join('\n');
  const hint =
    opts.hint === undefined ? `Accepted forms:\n${forms}` : `${opts.hint}\nAccepted forms:\n${forms}`;
  return new UsageError('HOOK_INVALID', `${where} ${problem}`, { hint });
}
