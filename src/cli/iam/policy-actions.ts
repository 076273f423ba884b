/**
 * The IAM actions lshift calls, by AWS SDK call and by the resource they act on (policy.ts builds
 * the statements from these). Resource-level support per action: the Service Authorization
 * Reference, https://docs.aws.amazon.com/service-authorization/latest/reference/list_awslambda.html
 */

/** Which IAM action each AWS SDK call in src/aws/ needs (test/cli/iam-policy-coverage.test.ts keeps it complete). */
export const ACTION_FOR_SDK_CALL: Readonly<Record<string, string>> = {
  'lambda:GetFunctionConfigurationCommand': 'lambda:GetFunctionConfiguration',
  'lambda:GetFunctionCommand': 'lambda:GetFunction',
  // The SDK waiters (function updated / version active) poll GetFunction.
  'lambda:waitUntilFunctionUpdatedV2': 'lambda:GetFunction',
  'lambda:waitUntilFunctionActiveV2': 'lambda:GetFunction',
  'lambda:UpdateFunctionCodeCommand': 'lambda:UpdateFunctionCode',
  'lambda:PublishVersionCommand': 'lambda:PublishVersion',
  'lambda:paginateListVersionsByFunction': 'lambda:ListVersionsByFunction',
  'lambda:GetAliasCommand': 'lambda:GetAlias',
  'lambda:CreateAliasCommand': 'lambda:CreateAlias',
  'lambda:UpdateAliasCommand': 'lambda:UpdateAlias',
  'lambda:ListTagsCommand': 'lambda:ListTags',
  'lambda:TagResourceCommand': 'lambda:TagResource',
  'lambda:UntagResourceCommand': 'lambda:UntagResource',
  'lambda:InvokeCommand': 'lambda:InvokeFunction',
  'lambda:paginateListFunctions': 'lambda:ListFunctions',
  // Issue 14's preflight reads (docs/lambda-features.md).
  'lambda:paginateListFunctionEventInvokeConfigs': 'lambda:ListFunctionEventInvokeConfigs',
  'lambda:paginateListEventSourceMappings': 'lambda:ListEventSourceMappings',
  'lambda:GetProvisionedConcurrencyConfigCommand': 'lambda:GetProvisionedConcurrencyConfig',
  // `deploy --warm`: a temporary config on the new version, removed on every ending.
  'lambda:PutProvisionedConcurrencyConfigCommand': 'lambda:PutProvisionedConcurrencyConfig',
  'lambda:DeleteProvisionedConcurrencyConfigCommand': 'lambda:DeleteProvisionedConcurrencyConfig',
  'cloudwatch:DescribeAlarmsCommand': 'cloudwatch:DescribeAlarms',
  'cloudwatch:DescribeAlarmHistoryCommand': 'cloudwatch:DescribeAlarmHistory',
  'cloudwatch:paginateGetMetricData': 'cloudwatch:GetMetricData',
  // Issue 12: `--engine codedeploy` and `lshift codedeploy init`.
  'codedeploy:GetApplicationCommand': 'codedeploy:GetApplication',
  'codedeploy:CreateApplicationCommand': 'codedeploy:CreateApplication',
  'codedeploy:GetDeploymentGroupCommand': 'codedeploy:GetDeploymentGroup',
  'codedeploy:CreateDeploymentGroupCommand': 'codedeploy:CreateDeploymentGroup',
  'codedeploy:UpdateDeploymentGroupCommand': 'codedeploy:UpdateDeploymentGroup',
  'codedeploy:GetDeploymentConfigCommand': 'codedeploy:GetDeploymentConfig',
  'codedeploy:CreateDeploymentConfigCommand': 'codedeploy:CreateDeploymentConfig',
  'codedeploy:CreateDeploymentCommand': 'codedeploy:CreateDeployment',
  'codedeploy:GetDeploymentCommand': 'codedeploy:GetDeployment',
  'codedeploy:ListDeploymentsCommand': 'codedeploy:ListDeployments',
  'codedeploy:StopDeploymentCommand': 'codedeploy:StopDeployment',
  'codedeploy:GetDeploymentTargetCommand': 'codedeploy:GetDeploymentTarget',
  'codedeploy:ListDeploymentTargetsCommand': 'codedeploy:ListDeploymentTargets',
};

/** On the deployment group (CodeDeploy's resource types: API reference, "Actions defined by CodeDeploy"). */
export const CODEDEPLOY_GROUP_ACTIONS = [
  'codedeploy:GetDeploymentGroup',
  'codedeploy:CreateDeploymentGroup',
  'codedeploy:UpdateDeploymentGroup',
  'codedeploy:CreateDeployment',
  'codedeploy:GetDeployment',
  // After a lost CreateDeployment answer, and before lshift writes an alias CodeDeploy may move.
  'codedeploy:ListDeployments',
  'codedeploy:StopDeployment',
  'codedeploy:GetDeploymentTarget',
  'codedeploy:ListDeploymentTargets',
] as const;

export const DEPLOY_FUNCTION_ACTIONS = [
  'lambda:GetFunction',
  'lambda:GetFunctionConfiguration',
  'lambda:UpdateFunctionCode',
  'lambda:PublishVersion',
  'lambda:ListVersionsByFunction',
  'lambda:GetAlias',
  'lambda:CreateAlias',
  'lambda:UpdateAlias',
  'lambda:ListTags',
  'lambda:TagResource',
  'lambda:UntagResource',
  'lambda:ListFunctionEventInvokeConfigs',
  'lambda:GetProvisionedConcurrencyConfig',
  'lambda:PutProvisionedConcurrencyConfig',
  'lambda:DeleteProvisionedConcurrencyConfig',
] as const;
