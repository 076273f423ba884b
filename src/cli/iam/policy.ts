// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${…} here is Terraform/CloudFormation/ARN placeholder syntax, not a JS template.
import { expandAlarmTemplate } from '../../domain/alarm-templates.js';
import { assertAliasName, assertRegionName } from '../../domain/aws-names.js';
import { CODEDEPLOY_GROUP_ACTIONS, DEPLOY_FUNCTION_ACTIONS } from './policy-actions.js';
import { arnLiteral, type FunctionRef, parseFunctionRef } from './policy-names.js';

/**
 * The IAM policy lshift needs for given functions, alarms and hooks (`lshift iam-policy`).
 * Pure: ARNs are built from the inputs, nothing is read from AWS.
 *
 * Resource-level support per action is from the Service Authorization Reference:
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_awslambda.html and
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatch.html —
 * lambda:ListFunctions, lambda:ListEventSourceMappings and cloudwatch:GetMetricData have no
 * resource type, so they need "*";
 * cloudwatch:DescribeAlarms takes alarm ARNs, but composite alarms are only returned when it is
 * scoped to "*" (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DescribeAlarms.html).
 */

export interface PolicyInput {
  /** Function names or ARNs: no wildcard (`*`, `?`) and no `{function}`, else FUNCTION_INVALID. */
  functions: string[];
  /** Alarm names; `{function}` and `{alias}` are expanded per function, as `lshift check` does. */
  alarms: string[];
  alias: string;
  /**
   * Functions with their own alias or alarms (a config file's `functions:` entries), by function
   * name: their alarms replace `alarms` and their alias fills `{alias}` and the CodeDeploy group.
   */
  own?: ReadonlyMap<string, { alias?: string; alarms?: string[] }>;
  /** Functions that Lambda hooks invoke (names or ARNs). */
  hookFunctions: string[];
  region?: string;
  /** Where the region came from, for REGION_INVALID (`--region`, `AWS_REGION`, …). */
  regionSource?: string;
  account?: string;
  /** Watched alarms include composite alarms: DescribeAlarms must then be "*". */
  compositeAlarms: boolean;
  /** `lshift check` without function names lists functions (lambda:ListFunctions, "*" only). */
  listFunctions: boolean;
  /** `--engine codedeploy`: the applications and deployment groups lshift drives. */
  codeDeploy?: { application: string; group: string }[];
}

export interface PolicyStatement {
  Sid: string;
  Effect: 'Allow';
  Action: string[];
  Resource: string[];
}

export interface Policy {
  Version: '2012-10-17';
  Statement: PolicyStatement[];
}

export interface GeneratedPolicy {
  policy: Policy;
  /** Things the reader must know: placeholders left in ARNs, "*" resources and why. */
  notes: string[];
}

/** Placeholders used in ARNs when the region or account is unknown. */
export const REGION_PLACEHOLDER = '${region}';
export const ACCOUNT_PLACEHOLDER = '${account}';

/**
 * Throws a UsageError (exit 2) for any name that would widen the policy: a wildcard or a
 * placeholder in a function or alias name, a region that is not a region name.
 */
export function buildPolicy(input: PolicyInput): GeneratedPolicy {
  if (input.region !== undefined) assertRegionName(input.region, input.regionSource ?? 'the region');
  assertAliasName(input.alias, "--alias or the config file's alias");
  const targets = input.functions.map((f, i) => parseFunctionRef(f, `function argument ${i + 1}`));
  const hooks = input.hookFunctions.map((f) => parseFunctionRef(f, 'a lambda: hook'));
  // A function's alarms and CodeDeploy group live in its region and account (an ARN's, if given).
  const prefixOf = (service: string) => (f: FunctionRef) => arnPrefix(service, f, input);
  const fnArn = (f: FunctionRef) => `arn:${prefixOf('lambda')(f)}:function:${f.name}`;
  const functionResources = (refs: FunctionRef[]) => unique(refs.flatMap((f) => [fnArn(f), `${fnArn(f)}:*`]));
  const notes: string[] = [];
  const statements: PolicyStatement[] = [
    {
      Sid: 'LshiftDeployFunctions',
      Effect: 'Allow',
      Action: [...DEPLOY_FUNCTION_ACTIONS],
      // `:*` covers the qualified ARNs of versions and aliases (…:function:orders:7, …:orders:live).
      Resource: functionResources(targets),
    },
  ];
  if (hooks.length > 0) {
    statements.push({
      Sid: 'LshiftInvokeHooks',
      Effect: 'Allow',
      Action: ['lambda:InvokeFunction'],
      Resource: functionResources(hooks),
    });
  }
  if (input.listFunctions) {
    statements.push({
      Sid: 'LshiftFindDeployments',
      Effect: 'Allow',
      Action: ['lambda:ListFunctions'],
      Resource: ['*'],
    });
    notes.push('lambda:ListFunctions has no resource-level permissions: its Resource must be "*".');
  }
  statements.push({
    Sid: 'LshiftListEventSources',
    Effect: 'Allow',
    Action: ['lambda:ListEventSourceMappings'],
    Resource: ['*'],
  });
  notes.push('lambda:ListEventSourceMappings has no resource-level permissions: its Resource must be "*".');
  statements.push(alarmStatement(input, targets, prefixOf('cloudwatch'), notes));
  statements.push({
    Sid: 'LshiftReadMetrics',
    Effect: 'Allow',
    Action: ['cloudwatch:GetMetricData'],
    Resource: ['*'],
  });
  notes.push('cloudwatch:GetMetricData has no resource-level permissions: its Resource must be "*".');
  if (input.codeDeploy) {
    const groups = input.codeDeploy.map((t, i) => ({ ...t, prefix: prefixOf('codedeploy')(targets[i]!) }));
    statements.push(...codeDeployStatements(groups, notes));
  }
  const unknown = describeUnknown(statements);
  return { policy: { Version: '2012-10-17', Statement: statements }, notes: [...unknown, ...notes] };
}

/** `<partition>:<service>:<region>:<account>` for a function: its ARN's parts, else the command's. */
function arnPrefix(service: string, f: FunctionRef, input: Pick<PolicyInput, 'region' | 'account'>): string {
  const region = f.region ?? input.region;
  const partition = f.partition ?? partitionOf(region);
  return `${partition}:${service}:${region ?? REGION_PLACEHOLDER}:${f.account ?? input.account ?? ACCOUNT_PLACEHOLDER}`;
}

/** The note for the placeholders left in the ARNs (none when every ARN says its region and account). */
function describeUnknown(statements: PolicyStatement[]): string[] {
  const arns = statements.flatMap((s) => s.Resource).join('\n');
  const unknown = (
    [
      ['region', REGION_PLACEHOLDER],
      ['account', ACCOUNT_PLACEHOLDER],
    ] as const
  ).filter(([, holder]) => arns.includes(holder));
  if (unknown.length === 0) return [];
  return [
    `Unknown ${unknown.map(([u]) => u).join(' and ')}: replace ${unknown.map(([, h]) => h).join(' and ')} in the ARNs, or pass ${unknown.map(([u]) => `--${u}`).join(' and ')}.`,
  ];
}

/**
 * CodeDeploy resources: application, deploymentgroup (`<app>/<group>`), deploymentconfig
 * (https://docs.aws.amazon.com/codedeploy/latest/userguide/auth-and-access-control-permissions-reference.html).
 */
function codeDeployStatements(
  targets: { application: string; group: string; prefix: string }[],
  notes: string[],
): PolicyStatement[] {
  notes.push(
    'lshift codedeploy init also needs iam:PassRole on the CodeDeploy service role it is given (--role); docs/codedeploy.md#iam-roles.',
  );
  const prefixes = unique(targets.map((t) => t.prefix));
  return [
    {
      Sid: 'LshiftCodeDeployApplications',
      Effect: 'Allow',
      Action: ['codedeploy:GetApplication', 'codedeploy:CreateApplication'],
      Resource: unique(targets.map((t) => `arn:${t.prefix}:application:${arnLiteral(t.application)}`)),
    },
    {
      Sid: 'LshiftCodeDeployGroups',
      Effect: 'Allow',
      Action: [...CODEDEPLOY_GROUP_ACTIONS],
      Resource: unique(
        targets.map(
          (t) => `arn:${t.prefix}:deploymentgroup:${arnLiteral(t.application)}/${arnLiteral(t.group)}`,
        ),
      ),
    },
    {
      Sid: 'LshiftCodeDeployConfigs',
      Effect: 'Allow',
      Action: ['codedeploy:GetDeploymentConfig', 'codedeploy:CreateDeploymentConfig'],
      Resource: prefixes.flatMap((prefix) => [
        `arn:${prefix}:deploymentconfig:CodeDeployDefault.*`,
        `arn:${prefix}:deploymentconfig:lshift.*`,
      ]),
    },
  ];
}

function alarmStatement(
  input: PolicyInput,
  targets: FunctionRef[],
  prefixOf: (f: FunctionRef) => string,
  notes: string[],
): PolicyStatement {
  // DescribeAlarmHistory: an alarm that changed state between two polls (was it ALARM in between?).
  const base = {
    Sid: 'LshiftReadAlarms',
    Effect: 'Allow' as const,
    Action: ['cloudwatch:DescribeAlarms', 'cloudwatch:DescribeAlarmHistory'],
  };
  if (input.compositeAlarms) {
    notes.push(
      'Composite alarms are only returned when cloudwatch:DescribeAlarms and cloudwatch:DescribeAlarmHistory are scoped to "*".',
    );
    return { ...base, Resource: ['*'] };
  }
  const unwatched = targets.filter((fn) => ownOf(input, fn.name).alarms.length === 0);
  if (unwatched.length > 0) {
    notes.push(
      "No alarms given (--alarm or the config file): cloudwatch:DescribeAlarms is scoped to every alarm of each such function's account and region.",
    );
  }
  if (unwatched.length === targets.length) {
    return { ...base, Resource: unique(targets.map((fn) => `arn:${prefixOf(fn)}:alarm:*`)) };
  }
  const names = targets.flatMap((fn) => {
    const { alias, alarms } = ownOf(input, fn.name);
    if (alarms.length === 0) return [{ prefix: prefixOf(fn), name: '*', wildcard: true }];
    return alarms.map((t) => ({
      prefix: prefixOf(fn),
      name: expandAlarmTemplate(t, fn.name, alias),
      wildcard: false,
    }));
  });
  notes.push(
    'cloudwatch:DescribeAlarms is scoped to the named metric alarms; pass --composite-alarms if any is a composite alarm.',
  );
  if (names.some(({ name, wildcard }) => !wildcard && name !== arnLiteral(name))) {
    notes.push(
      'An alarm name holds *, ? or $: the ARN writes it as ${*}, ${?} or ${$}, so IAM matches that character literally, not as a wildcard.',
    );
  }
  return {
    ...base,
    // A `*` in an alarm name is part of the name, never a wildcard over other alarms.
    Resource: unique(
      names.map(({ prefix, name, wildcard }) => `arn:${prefix}:alarm:${wildcard ? name : arnLiteral(name)}`),
    ),
  };
}

/** The alias and alarms of one function: its entry's own, else the input's. */
export function ownOf(
  input: Pick<PolicyInput, 'alias' | 'alarms' | 'own'>,
  name: string,
): { alias: string; alarms: string[] } {
  const own = input.own?.get(name);
  return { alias: own?.alias ?? input.alias, alarms: own?.alarms ?? input.alarms };
}

/** https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html — China and GovCloud have their own partitions. */
function partitionOf(region: string | undefined): string {
  if (region?.startsWith('cn-')) return 'aws-cn';
  if (region?.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
