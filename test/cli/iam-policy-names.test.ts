// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${…} here is IAM/Terraform/CloudFormation syntax, not a JS template.
import { describe, expect, it } from 'vitest';
import { buildPolicy, type PolicyInput } from '../../src/cli/iam/policy.js';
import { formatPolicy } from '../../src/cli/iam/policy-formats.js';
import { arnLiteral, parseFunctionRef } from '../../src/cli/iam/policy-names.js';
import { assertAliasName, assertRegionName } from '../../src/domain/aws-names.js';

const INPUT: PolicyInput = {
  functions: ['orders'],
  alarms: [],
  alias: 'live',
  hookFunctions: [],
  region: 'us-east-1',
  account: '123456789012',
  compositeAlarms: false,
  listFunctions: false,
};

const resources = (input: PolicyInput, sid: string) =>
  buildPolicy(input).policy.Statement.find((s) => s.Sid === sid)?.Resource;

describe('iam-policy: function names', () => {
  it('quotes an invalid function cut to 200 characters', () => {
    const text = `a*${'x'.repeat(600)}`;
    expect(() => parseFunctionRef(text, 'function argument 1')).toThrow(
      /^Invalid function `a\*x{198}… \(602 characters\)` \(function argument 1\)/,
    );
  });

  it.each([
    ['orders', { name: 'orders' }],
    ['orders:live', { name: 'orders' }],
    ['orders:$LATEST', { name: 'orders' }],
    ['123456789012:function:orders', { name: 'orders', account: '123456789012' }],
    [
      'arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:orders:7',
      { name: 'orders', partition: 'aws-us-gov', region: 'us-gov-west-1', account: '123456789012' },
    ],
  ])('reads %s', (text, ref) => {
    const read = parseFunctionRef(text, 'function argument 1');
    expect(read).toMatchObject(ref);
    for (const key of ['partition', 'region', 'account'] as const)
      expect(read[key]).toBe(ref[key as keyof typeof ref]);
  });

  it.each([
    ['*', 'never holds "*" or "?"'],
    ['demo*', 'never holds "*" or "?"'],
    ['de?mo', 'never holds "*" or "?"'],
    ['orders:*', 'never holds "*" or "?"'],
    ['123456789012:function:*', 'never holds "*" or "?"'],
    ['arn:aws:lambda:us-east-1:123456789012:function:*', 'never holds "*" or "?"'],
    ['arn:aws:lambda:*:123456789012:function:orders', 'never holds "*" or "?"'],
    ['{function}', '`{function}` and `{alias}` stand for each function'],
    ['{alias}-x', '`{function}` and `{alias}` stand for each function'],
    ['a'.repeat(65), 'never holds'],
    ['', 'never holds'],
  ])('refuses %s with exit 2, naming the value and the rule', (text, rule) => {
    let error: unknown;
    try {
      parseFunctionRef(text, 'function argument 1');
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({
      exitCode: 2,
      message: expect.stringContaining(rule),
    });
    expect((error as Error).message).toContain(`\`${text}\``);
  });

  it('buildPolicy refuses a wildcard function, hook function or alias instead of granting it', () => {
    expect(() => buildPolicy({ ...INPUT, functions: ['*'] })).toThrow(
      expect.objectContaining({ code: 'FUNCTION_INVALID', exitCode: 2 }),
    );
    expect(() => buildPolicy({ ...INPUT, hookFunctions: ['smoke*'] })).toThrow(
      expect.objectContaining({ code: 'FUNCTION_INVALID' }),
    );
    expect(() => buildPolicy({ ...INPUT, alias: '*' })).toThrow(
      expect.objectContaining({
        code: 'ALIAS_INVALID',
        message: expect.stringContaining('alias `*`'),
      }),
    );
  });

  it.each(['live', 'blue_green-2'])('accepts the alias %s', (alias) => {
    expect(() => assertAliasName(alias, '--alias')).not.toThrow();
  });

  it.each(['*', 'li?e', '7', '', '{alias}'])('refuses the alias %s', (alias) => {
    expect(() => assertAliasName(alias, '--alias')).toThrow(
      expect.objectContaining({ code: 'ALIAS_INVALID', exitCode: 2 }),
    );
  });
});

describe('iam-policy: regions', () => {
  it.each([
    'us-east-1',
    'eu-central-2',
    'us-gov-west-1',
    'cn-northwest-1',
    'ap-southeast-5',
    'eusc-de-east-1',
  ])('accepts %s', (region) => {
    expect(() => assertRegionName(region, '--region')).not.toThrow();
    expect(resources({ ...INPUT, region }, 'LshiftDeployFunctions')?.[0]).toContain(`:${region}:`);
  });

  it.each(['*', 'us-*', 'us-east-?', 'us east 1', 'US-EAST-1', 'useast1', 'us-east-1 ', '${region}'])(
    'refuses %j with REGION_INVALID naming its source',
    (region) => {
      expect(() => buildPolicy({ ...INPUT, region, regionSource: 'AWS_REGION' })).toThrow(
        expect.objectContaining({
          code: 'REGION_INVALID',
          exitCode: 2,
          message: expect.stringContaining(`\`${region}\` (from AWS_REGION)`),
        }),
      );
    },
  );
});

describe('iam-policy: a function given as an ARN in another region', () => {
  const ORDERS = 'arn:aws:lambda:eu-west-1:210987654321:function:orders';
  const input = { ...INPUT, functions: [ORDERS, 'payments'] };

  it("scopes that function's alarms to its own region and account (CloudWatch alarms are regional)", () => {
    expect(resources({ ...input, alarms: ['{function}-errors', 'shared'] }, 'LshiftReadAlarms')).toEqual([
      'arn:aws:cloudwatch:eu-west-1:210987654321:alarm:orders-errors',
      'arn:aws:cloudwatch:eu-west-1:210987654321:alarm:shared',
      'arn:aws:cloudwatch:us-east-1:123456789012:alarm:payments-errors',
      'arn:aws:cloudwatch:us-east-1:123456789012:alarm:shared',
    ]);
  });

  it("without alarms: every alarm of each function's region and account, not only --region's", () => {
    expect(resources(input, 'LshiftReadAlarms')).toEqual([
      'arn:aws:cloudwatch:eu-west-1:210987654321:alarm:*',
      'arn:aws:cloudwatch:us-east-1:123456789012:alarm:*',
    ]);
  });

  it('puts its CodeDeploy application, group and configs in its region too', () => {
    const groups = [
      { application: 'lshift-orders', group: 'orders-live' },
      { application: 'lshift-payments', group: 'payments-live' },
    ];
    const withGroups = { ...input, codeDeploy: groups };
    expect(resources(withGroups, 'LshiftCodeDeployGroups')).toEqual([
      'arn:aws:codedeploy:eu-west-1:210987654321:deploymentgroup:lshift-orders/orders-live',
      'arn:aws:codedeploy:us-east-1:123456789012:deploymentgroup:lshift-payments/payments-live',
    ]);
    expect(resources(withGroups, 'LshiftCodeDeployConfigs')).toContain(
      'arn:aws:codedeploy:eu-west-1:210987654321:deploymentconfig:lshift.*',
    );
  });

  it('takes the partition from the ARN (China, GovCloud) and leaves no placeholder to replace', () => {
    const cn = 'arn:aws-cn:lambda:cn-north-1:210987654321:function:orders';
    const generated = buildPolicy({ ...INPUT, functions: [cn], region: undefined, account: undefined });
    expect(resources({ ...INPUT, functions: [cn], alarms: ['e'] }, 'LshiftReadAlarms')).toEqual([
      'arn:aws-cn:cloudwatch:cn-north-1:210987654321:alarm:e',
    ]);
    expect(JSON.stringify(generated.policy)).not.toContain('${');
    expect(generated.notes.join('\n')).not.toContain('Unknown');
  });
});

describe('iam-policy: alarm names are literals', () => {
  it.each([
    ['orders-errors', 'orders-errors'],
    ['*', '${*}'],
    ['errors-?', 'errors-${?}'],
    ['cost-$5', 'cost-${$}5'],
    ['a${aws:username}', 'a${$}{aws:username}'],
    ['*?$', '${*}${?}${$}'],
  ])('%s is written %s', (name, written) => {
    expect(arnLiteral(name)).toBe(written);
  });

  it('a "*" alarm name becomes ${*}, never a bare "*" that matches every alarm', () => {
    const generated = buildPolicy({ ...INPUT, alarms: ['*', '{function}-p99?'] });
    const alarms = generated.policy.Statement.find((s) => s.Sid === 'LshiftReadAlarms')?.Resource;
    expect(alarms).toEqual([
      'arn:aws:cloudwatch:us-east-1:123456789012:alarm:${*}',
      'arn:aws:cloudwatch:us-east-1:123456789012:alarm:orders-p99${?}',
    ]);
    expect(alarms?.some((arn) => /(^|[^{])[*?]/.test(arn))).toBe(false);
    expect(generated.notes.join('\n')).toContain('${*}');
  });

  it('CodeDeploy application and group names are literals too', () => {
    const input = { ...INPUT, codeDeploy: [{ application: 'app*', group: 'g?' }] };
    expect(resources(input, 'LshiftCodeDeployGroups')).toEqual([
      'arn:aws:codedeploy:us-east-1:123456789012:deploymentgroup:app${*}/g${?}',
    ]);
  });

  it('Terraform gets $${*} (its own escape), CloudFormation Fn::Sub gets ${!*}', () => {
    const known = buildPolicy({ ...INPUT, alarms: ['*'] });
    const unknown = buildPolicy({ ...INPUT, region: undefined, account: undefined, alarms: ['*'] });
    const tf = formatPolicy(unknown, 'terraform');
    expect(tf).toContain('alarm:$${*}');
    expect(tf).toContain('arn:aws:cloudwatch:${var.lshift_region}:${var.lshift_account_id}:alarm:$${*}');
    expect(formatPolicy(known, 'terraform')).toContain(
      '"arn:aws:cloudwatch:us-east-1:123456789012:alarm:$${*}"',
    );
    const cfn = JSON.parse(formatPolicy(unknown, 'cloudformation'));
    const alarmArn = cfn.Resources.LshiftPolicy.Properties.PolicyDocument.Statement.find(
      (s: { Sid: string }) => s.Sid === 'LshiftReadAlarms',
    ).Resource[0];
    expect(alarmArn).toEqual({
      'Fn::Sub': 'arn:${AWS::Partition}:cloudwatch:${AWS::Region}:${AWS::AccountId}:alarm:${!*}',
    });
    const literal = JSON.parse(formatPolicy(known, 'cloudformation'));
    expect(JSON.stringify(literal)).toContain('"arn:aws:cloudwatch:us-east-1:123456789012:alarm:${*}"');
  });
});
