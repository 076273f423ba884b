/**
 * Preflight building blocks: how a check passes, refuses and guards a read, plus the checks on
 * versions' configuration and on alarms. runPreflight (preflight.ts) sequences them.
 */

import { isLshiftError, type LshiftError, OperationError, PreflightError } from '../domain/errors.js';
import { shellQuote } from '../domain/shell-quote.js';
import { shortList } from '../domain/short-list.js';
import type { Clock } from '../ports/clock.js';
import type { EventSink } from '../ports/event-sink.js';
import type { FunctionInfo } from '../ports/lambda.js';
import type { AlarmState, MetricsPort } from '../ports/metrics.js';
import { describeError, emitEvent } from './emit.js';

export type CheckDeps = { clock: Clock; events: EventSink };

interface CheckRequest {
  functionName: string;
  alarms: string[];
  ignoreInitialAlarms?: boolean;
}

/**
 * Same execution role and dead-letter queue: Lambda rejects weighted routing between versions
 * whose role or DLQ differ
 * (https://docs.aws.amazon.com/lambda/latest/dg/configuring-alias-routing.html). `target` is the
 * published target, or `$LATEST` before an upload or publish: UpdateFunctionCode changes only the
 * code, so the version published from `$LATEST` carries `$LATEST`'s role and DLQ
 * (preflight-publish.ts), and a refusal then still means "nothing changed".
 */
export function checkSameConfig(
  deps: CheckDeps,
  req: Pick<CheckRequest, 'functionName'>,
  stable: FunctionInfo,
  target: FunctionInfo,
): void {
  const fn = req.functionName;
  const fromLatest = target.version === '$LATEST';
  const versions = fromLatest
    ? `stable version ${stable.version} and $LATEST, which the new version would be published from,`
    : `stable version ${stable.version} and target version ${target.version}`;
  const unchanged = fromLatest ? '; nothing was uploaded or published' : '';
  if (stable.role !== target.role) {
    refuse(
      deps,
      'same-role',
      new PreflightError(
        'ROLE_MISMATCH',
        `Function ${fn}: ${versions} have different execution roles (${stable.role} vs ${target.role}); Lambda cannot split traffic between them${unchanged}.`,
        {
          hint: fromLatest
            ? `Uploading code does not change the role: the new version would take $LATEST's. Give $LATEST version ${stable.version}'s role (\`aws lambda update-function-configuration --function-name ${fn} --role ${stable.role}\`) and deploy again; to change roles on purpose, publish with \`lshift publish\` and move the alias at once with \`lshift alias\`.`
            : 'Publish the target with the same role, or move the alias at once with `lshift alias`.',
          context: { functionName: fn },
        },
      ),
    );
  }
  pass(
    deps,
    'same-role',
    fromLatest
      ? `$LATEST (the new version) uses version ${stable.version}'s execution role`
      : 'both versions use the same execution role',
  );
  const stableDlq = stable.deadLetterTargetArn ?? 'none';
  const targetDlq = target.deadLetterTargetArn ?? 'none';
  if (stableDlq !== targetDlq) {
    refuse(
      deps,
      'same-dlq',
      new PreflightError(
        'DLQ_MISMATCH',
        `Function ${fn}: ${versions} have different dead-letter queues (${stableDlq} vs ${targetDlq}); Lambda cannot split traffic between them${unchanged}.`,
        {
          hint: fromLatest
            ? `Uploading code does not change the dead-letter queue: the new version would take $LATEST's. Give $LATEST version ${stable.version}'s DeadLetterConfig (\`aws lambda update-function-configuration --function-name ${fn} --dead-letter-config …\`) and deploy again, or publish with \`lshift publish\` and move the alias at once with \`lshift alias\`.`
            : 'Publish the target with the same DeadLetterConfig, or move the alias at once with `lshift alias`.',
          context: { functionName: fn },
        },
      ),
    );
  }
  pass(
    deps,
    'same-dlq',
    fromLatest
      ? `$LATEST (the new version) uses version ${stable.version}'s dead-letter queue`
      : 'both versions use the same dead-letter queue',
  );
}

export async function checkAlarms(
  deps: CheckDeps & { metrics: MetricsPort },
  req: CheckRequest,
): Promise<AlarmState[]> {
  const names = [...new Set(req.alarms)];
  if (names.length === 0) return [];
  const states = await guard(
    deps,
    'alarms-exist',
    () => deps.metrics.describeAlarms(names),
    (error) =>
      isCredentialFailure(error)
        ? undefined
        : new OperationError(
            'ALARMS_UNREADABLE',
            `Could not read alarms ${shortList(names)}: ${describeError(error)}`,
            {
              hint: 'lshift needs cloudwatch:DescribeAlarms; check the alarm names, --region and --profile.',
              cause: error,
            },
          ),
  );
  const found = new Set(states.map((s) => s.name));
  const missing = names.filter((n) => !found.has(n));
  if (missing.length > 0) {
    refuse(
      deps,
      'alarms-exist',
      new PreflightError(
        'ALARM_NOT_FOUND',
        `CloudWatch alarm${missing.length === 1 ? '' : 's'} not found: ${shortList(missing)}.`,
        {
          hint: 'Check the --alarm names (they are case-sensitive) and --region.',
        },
      ),
    );
  }
  pass(deps, 'alarms-exist', `${names.length} alarm${names.length === 1 ? '' : 's'} found`);
  const firing = states.filter((s) => s.state === 'ALARM');
  if (firing.length > 0 && !req.ignoreInitialAlarms) {
    refuse(
      deps,
      'alarms-quiet',
      new PreflightError(
        'ALARM_ALREADY_FIRING',
        `Alarm${firing.length === 1 ? '' : 's'} already in ALARM before any traffic moved: ${firing.map((s) => `${s.name} (${s.reason ?? 'no reason'})`).join('; ')}.`,
        {
          // Just after a rollback the alarm still weighs the rolled-back version's minutes: "fix
          // the stable version" sent a person after a healthy version (found by a hostile pass,
          // session 61). It returns to OK once its evaluation periods pass.
          hint: `If a deployment of this alias was just rolled back, the alarm may still be weighing the rolled-back version's minutes: wait until it is OK again (\`aws cloudwatch describe-alarms --alarm-names ${firing.map((s) => shellQuote(s.name)).join(' ')} --query 'MetricAlarms[].StateValue'\`). Otherwise fix the stable version first, or pass --ignore-initial-alarms to deploy anyway.`,
          context: { functionName: req.functionName },
        },
      ),
    );
  }
  const note =
    firing.length > 0
      ? `already in ALARM, ignored: ${shortList(firing.map((s) => s.name))}`
      : 'no alarm is firing';
  pass(deps, 'alarms-quiet', note);
  await checkAlarmHistoryReadable(deps, names[0] as string);
  return states;
}

/**
 * The alarm gate reads an alarm's state history when its state moved between two polls, to see
 * an alarm that fired and cleared in between (alarm-flap-check.ts). Without
 * cloudwatch:DescribeAlarmHistory every such poll could not tell, and the deployment would roll
 * back mid-shift on those errors: refused here instead, before any traffic moves. One read of the
 * last minute of one watched alarm.
 */
async function checkAlarmHistoryReadable(
  deps: CheckDeps & { metrics: MetricsPort },
  name: string,
): Promise<void> {
  const now = deps.clock.now();
  await guard(
    deps,
    'alarm-history',
    () => deps.metrics.describeAlarmHistory(name, now - 60_000, now),
    (error) =>
      isCredentialFailure(error)
        ? undefined
        : codeOf(error) === 'ACCESS_DENIED'
          ? new PreflightError(
              'ALARM_HISTORY_DENIED',
              `Could not read the state history of alarm ${name}: ${describeError(error)}`,
              {
                hint: "Grant cloudwatch:DescribeAlarmHistory (docs/iam-policy.md): lshift reads an alarm's history to see one that fired and cleared between two health polls.",
                cause: error,
              },
            )
          : new OperationError(
              'ALARMS_UNREADABLE',
              `Could not read the state history of alarm ${name}: ${describeError(error)}`,
              {
                hint: 'lshift needs cloudwatch:DescribeAlarmHistory; check --region and --profile.',
                cause: error,
              },
            ),
  );
  pass(
    deps,
    'alarm-history',
    'alarm history readable: an alarm that fires and clears between two polls is seen',
  );
}

/**
 * The same deps, saying only a refusal (a failed check): for a gate before a first write (the
 * upload, a --supersede rollback) whose checks the full preflight repeats once the version
 * exists. Each pass and each warning of those checks (a CodeDeploy hook this caller may not
 * invoke) is said once per deployment, by the full preflight, inside
 * `preflight.started`…`preflight.completed` (a pass is counted in its "passed N checks").
 */
export function sayingRefusalsOnly<D extends CheckDeps>(deps: D): D {
  const events = deps.events;
  return {
    ...deps,
    events: {
      emit(event) {
        if (event.type === 'preflight.check' && !event.ok) events.emit(event);
      },
    },
  };
}

export function pass(deps: CheckDeps, check: string, message: string): void {
  emitEvent(deps, { type: 'preflight.check', check, ok: true, message });
}

/**
 * Emits the failed check and throws. `line`: the check's own message when the error's alone would
 * not say what to do (a terminal shows the check's line under its task), else the error's.
 */
export function refuse(deps: CheckDeps, check: string, error: LshiftError, line = error.message): never {
  emitEvent(deps, { type: 'preflight.check', check, ok: false, message: line });
  throw error;
}

/**
 * The credentials failed, not the read: their own error says what to do (run the
 * credential_process by hand, log in again), where ALARMS_UNREADABLE's hint sent the user to
 * check the alarm names (found by h1's pass, session 64).
 */
const CREDENTIAL_FAILURES: ReadonlySet<string> = new Set([
  'CREDENTIALS_MISSING',
  'CREDENTIAL_PROCESS_FAILED',
  'CREDENTIALS_INVALID',
  'CREDENTIALS_TIMEOUT',
]);

function isCredentialFailure(error: unknown): boolean {
  return CREDENTIAL_FAILURES.has(codeOf(error) ?? '');
}

/** Runs a read; on failure emits the failed check and throws the mapped (or original) error. */
export async function guard<T>(
  deps: CheckDeps,
  check: string,
  read: () => Promise<T>,
  map: (error: unknown) => LshiftError | undefined = () => undefined,
): Promise<T> {
  try {
    return await read();
  } catch (error) {
    // A read abandoned by Ctrl-C says nothing about the check: report the interrupt as it is.
    if (codeOf(error) === 'INTERRUPTED') throw error;
    const mapped = map(error);
    if (mapped) refuse(deps, check, mapped);
    emitEvent(deps, { type: 'preflight.check', check, ok: false, message: describeError(error) });
    throw error;
  }
}

/** FUNCTION_NOT_FOUND is exit 1 on every path (docs/exit-codes.md), as the AWS adapter maps it. */
export function notFound(fn: string): (error: unknown) => LshiftError | undefined {
  return (error) =>
    codeOf(error) === 'FUNCTION_NOT_FOUND'
      ? new OperationError(
          'FUNCTION_NOT_FOUND',
          `Function ${fn} does not exist in this account and region.`,
          {
            hint: 'Check the function name, --region and --profile.',
            context: { functionName: fn },
            cause: error,
          },
        )
      : undefined;
}

export function codeOf(error: unknown): string | undefined {
  return isLshiftError(error) ? error.code : undefined;
}
