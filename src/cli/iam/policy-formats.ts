// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${…} here is Terraform/CloudFormation/ARN placeholder syntax, not a JS template.
/**
 * `lshift iam-policy --format json|terraform|cloudformation`. Where the region or account is
 * unknown, each format uses its own way to fill it in: placeholders in JSON, variables in
 * Terraform, pseudo parameters (Fn::Sub) in CloudFormation.
 */
import { ACCOUNT_PLACEHOLDER, type GeneratedPolicy, type Policy, REGION_PLACEHOLDER } from './policy.js';

export const POLICY_FORMATS = ['json', 'terraform', 'cloudformation'] as const;
export type PolicyFormat = (typeof POLICY_FORMATS)[number];

export function formatPolicy(generated: GeneratedPolicy, format: PolicyFormat): string {
  switch (format) {
    case 'json':
      return JSON.stringify(generated.policy, null, 2);
    case 'terraform':
      return terraform(generated);
    case 'cloudformation':
      return cloudFormation(generated.policy);
  }
}

function terraform(generated: GeneratedPolicy): string {
  const text = JSON.stringify(generated.policy, null, 2);
  const variables: string[] = [];
  // Terraform reads ${…} and %{…} in a heredoc as its own templates: every one that is IAM's
  // (an escaped alarm name: ${*}) is written $${…}; only the variables below stay live.
  let body = text.replaceAll('${', () => '$${').replaceAll('%{', '%%{');
  if (text.includes(REGION_PLACEHOLDER)) {
    variables.push(
      'variable "lshift_region" {\n  type        = string\n  description = "AWS region of the functions lshift deploys"\n}\n',
    );
    body = body.replaceAll(`$${REGION_PLACEHOLDER}`, '${var.lshift_region}');
  }
  if (text.includes(ACCOUNT_PLACEHOLDER)) {
    variables.push(
      'variable "lshift_account_id" {\n  type        = string\n  description = "AWS account ID of the functions lshift deploys"\n}\n',
    );
    body = body.replaceAll(`$${ACCOUNT_PLACEHOLDER}`, '${var.lshift_account_id}');
  }
  const comments = generated.notes.map((n) => `# ${n}`).join('\n');
  // A heredoc keeps the policy byte-for-byte the JSON one; Terraform interpolates ${var.…} inside it.
  return [
    comments,
    ...variables,
    'resource "aws_iam_policy" "lshift" {',
    '  name        = "lshift"',
    '  description = "What lshift needs to deploy these functions (lshift iam-policy)"',
    '  policy      = <<-POLICY',
    ...body.split('\n').map((l) => `    ${l}`),
    '  POLICY',
    '}',
  ]
    .filter((l) => l !== '')
    .join('\n');
}

const subLiteral = (text: string) => text.replaceAll('${', () => '${!');

function cloudFormation(policy: Policy): string {
  const sub = (arn: string) =>
    arn.includes(REGION_PLACEHOLDER) || arn.includes(ACCOUNT_PLACEHOLDER)
      ? {
          // Fn::Sub writes a literal ${…} (IAM's ${*}) as ${!…}.
          'Fn::Sub': subLiteral(arn)
            .replace(/^arn:aws:/, 'arn:${AWS::Partition}:')
            .replaceAll(subLiteral(REGION_PLACEHOLDER), '${AWS::Region}')
            .replaceAll(subLiteral(ACCOUNT_PLACEHOLDER), '${AWS::AccountId}'),
        }
      : arn;
  const template = {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: 'What lshift needs to deploy these functions (lshift iam-policy)',
    Resources: {
      LshiftPolicy: {
        Type: 'AWS::IAM::ManagedPolicy',
        Properties: {
          PolicyDocument: {
            Version: policy.Version,
            Statement: policy.Statement.map((s) => ({ ...s, Resource: s.Resource.map(sub) })),
          },
        },
      },
    },
    Outputs: { LshiftPolicyArn: { Value: { Ref: 'LshiftPolicy' } } },
  };
  return JSON.stringify(template, null, 2);
}
