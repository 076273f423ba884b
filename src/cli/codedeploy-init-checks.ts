/**
 * What `lshift codedeploy init` reads before it creates anything: the function and its alias
 * (the defaults `lshift-<function>` and `<function>-<alias>` are named after them, so a typo would
 * otherwise leave an application and a group no deploy can use) and the alarms the group is to
 * watch. CreateDeploymentGroup checks neither: CodeDeploy only finds a missing alarm when a
 * deployment starts, and then fails it
 * (https://docs.aws.amazon.com/codedeploy/latest/userguide/monitoring-create-alarms.html).
 */
import { assertAlarmNames } from '../domain/aws-names.js';
import { PreflightError } from '../domain/errors.js';
import { shortList } from '../domain/short-list.js';
import type { LambdaPort } from '../ports/lambda.js';
import type { MetricsPort } from '../ports/metrics.js';

export interface InitTargets {
  functionName: string;
  alias: string;
  alarms: readonly string[];
}

/** Throws FUNCTION_NOT_FOUND (exit 1), ALIAS_NOT_FOUND or ALARM_NOT_FOUND / ALARM_NAME_INVALID (exit 2). */
export async function checkInitTargets(
  deps: { lambda: LambdaPort; metrics: MetricsPort },
  targets: InitTargets,
): Promise<void> {
  assertAlarmNames(targets.alarms, '--alarm');
  // GetAlias throws FUNCTION_NOT_FOUND itself when the function is missing.
  const alias = await deps.lambda.getAlias(targets.functionName, targets.alias);
  if (!alias) {
    throw new PreflightError(
      'ALIAS_NOT_FOUND',
      `Alias ${targets.alias} of function ${targets.functionName} does not exist.`,
      {
        hint: 'Check --alias, or create the alias first (`lshift alias <function> <alias> <version> --create`).',
        context: { functionName: targets.functionName, alias: targets.alias },
      },
    );
  }
  await checkAlarmsExist(deps.metrics, targets.alarms);
}

async function checkAlarmsExist(metrics: MetricsPort, alarms: readonly string[]): Promise<void> {
  const names = [...new Set(alarms)];
  if (names.length === 0) return;
  const found = new Set((await metrics.describeAlarms(names)).map((state) => state.name));
  const missing = names.filter((name) => !found.has(name));
  if (missing.length === 0) return;
  throw new PreflightError(
    'ALARM_NOT_FOUND',
    `CloudWatch alarm${missing.length === 1 ? '' : 's'} not found: ${shortList(missing)}.`,
    {
      hint: 'Check the --alarm names (they are case-sensitive) and --region; CodeDeploy would fail every deployment of the group on them.',
    },
  );
}
