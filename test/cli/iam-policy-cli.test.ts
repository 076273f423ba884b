// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${…} here is Terraform/CloudFormation/ARN placeholder syntax, not a JS template.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectSameAsBuiltCli, runCliInProcess } from '../helpers/run-cli-in-process.js';

const NO_AWS_ENV = { AWS_REGION: '', AWS_DEFAULT_REGION: '', AWS_ACCOUNT_ID: '' };

describe('lshift iam-policy (built CLI)', () => {
  it('prints a JSON policy scoped to the function, with placeholders and a note when region/account are unknown', async () => {
    const run = await runCliInProcess(['iam-policy', 'demo', '--alarm', '{function}-errors'], {
      env: NO_AWS_ENV,
    });
    expect(run.code, run.stderr).toBe(0);
    const policy = JSON.parse(run.stdout);
    expect(policy.Statement[0].Resource).toEqual([
      'arn:aws:lambda:${region}:${account}:function:demo',
      'arn:aws:lambda:${region}:${account}:function:demo:*',
    ]);
    expect(run.stderr).toContain('Unknown region and account: replace ${region} and ${account}');
  });

  // Found by a hostile pass: `--format terraform --json` answered the raw policy, no Terraform.
  it('--json with --format terraform or cloudformation carries that text (what it prints without --json) beside the policy', async () => {
    const args = ['iam-policy', 'demo', '--region', 'eu-west-1', '--account', '123456789012'];
    for (const format of ['terraform', 'cloudformation', 'json']) {
      const plain = await runCliInProcess([...args, '--format', format], { env: NO_AWS_ENV });
      const json = await runCliInProcess([...args, '--format', format, '--json'], { env: NO_AWS_ENV });
      expect(json.code, json.stderr).toBe(0);
      const result = JSON.parse(json.stdout);
      expect(result.format).toBe(format);
      expect(result.text).toBe(plain.stdout.trimEnd());
      expect(result.policy.Statement[0].Resource).toContain(
        'arn:aws:lambda:eu-west-1:123456789012:function:demo',
      );
    }
    const tf = JSON.parse(
      (await runCliInProcess([...args, '--format', 'terraform', '--json'], { env: NO_AWS_ENV })).stdout,
    );
    expect(tf.text).toContain('resource "aws_iam_policy" "lshift"');
  });

  it('takes region, account, alarms and lambda hooks from the config file; --format terraform / cloudformation', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lshift-iam-'));
    const config = join(dir, 'lshift.config.json');
    writeFileSync(
      config,
      JSON.stringify({
        region: 'eu-west-1',
        alarms: ['orders-errors'],
        hooks: { pre: ['lambda:orders-smoke'] },
      }),
    );
    const env = { ...NO_AWS_ENV, AWS_ACCOUNT_ID: '123456789012' };
    const tf = await runCliInProcess(['iam-policy', 'orders', '--config', config, '--format', 'terraform'], {
      env,
    });
    expect(tf.code, tf.stderr).toBe(0);
    expect(tf.stdout).toContain('resource "aws_iam_policy" "lshift"');
    expect(tf.stdout).toContain('arn:aws:lambda:eu-west-1:123456789012:function:orders-smoke');
    expect(tf.stdout).toContain('arn:aws:cloudwatch:eu-west-1:123456789012:alarm:orders-errors');
    const cfn = await runCliInProcess(['iam-policy', 'orders', '--format', 'cloudformation'], {
      env: NO_AWS_ENV,
    });
    expect(cfn.code, cfn.stderr).toBe(0);
    const template = JSON.parse(cfn.stdout);
    expect(template.Resources.LshiftPolicy.Type).toBe('AWS::IAM::ManagedPolicy');
    expect(template.Resources.LshiftPolicy.Properties.PolicyDocument.Statement[0].Resource[0]).toEqual({
      'Fn::Sub': 'arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:orders',
    });
  });

  it('refuses a wildcard function or region with exit 2 instead of granting every function', async () => {
    const star = await runCliInProcess([
      'iam-policy',
      '*',
      '--account',
      '123456789012',
      '--region',
      'us-east-1',
    ]);
    expect(star.code).toBe(2);
    expect(star.stdout).toBe('');
    // Refused with every function argument, right after parsing (src/cli/function-args.ts).
    expect(star.stderr).toContain('FUNCTION_INVALID');
    expect(star.stderr).toContain('Function argument `*` is not a Lambda function name or ARN');
    const region = await runCliInProcess(['iam-policy', 'demo', '--region', '*'], { env: NO_AWS_ENV });
    expect(region.code).toBe(2);
    expect(region.stderr).toContain('Invalid AWS region `*` (from --region)');
  });

  // Before, `--region ''` (an unset shell variable, `--region "$REGION"`) was skipped for the
  // next source, or for the ${region} placeholder with exit 0, while every other command refused it.
  it.each(['', '  '])(
    'refuses --region %j with REGION_INVALID, as every other command does',
    async (given) => {
      const run = await runCliInProcess(
        ['iam-policy', 'demo', '--region', given, '--account', '123456789012'],
        {
          env: { ...NO_AWS_ENV, AWS_REGION: 'eu-west-1' },
        },
      );
      expect(run.code, run.stderr).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain(`Error [REGION_INVALID]: Invalid AWS region \`${given}\` (from --region)`);
    },
  );

  it('fills {function} in a lambda hook for each function, as deploy does; a "*" alarm stays literal', async () => {
    const run = await runCliInProcess(
      ['iam-policy', 'orders', 'pay', '--hook', 'lambda:{function}-smoke', '--alarm', '*', '--json'],
      { env: { ...NO_AWS_ENV, AWS_REGION: 'us-east-1', AWS_ACCOUNT_ID: '123456789012' } },
    );
    expect(run.code, run.stderr).toBe(0);
    const statements = JSON.parse(run.stdout).policy.Statement as { Sid: string; Resource: string[] }[];
    expect(statements.find((s) => s.Sid === 'LshiftInvokeHooks')?.Resource).toEqual([
      'arn:aws:lambda:us-east-1:123456789012:function:orders-smoke',
      'arn:aws:lambda:us-east-1:123456789012:function:orders-smoke:*',
      'arn:aws:lambda:us-east-1:123456789012:function:pay-smoke',
      'arn:aws:lambda:us-east-1:123456789012:function:pay-smoke:*',
    ]);
    expect(statements.find((s) => s.Sid === 'LshiftReadAlarms')?.Resource).toEqual([
      'arn:aws:cloudwatch:us-east-1:123456789012:alarm:${*}',
    ]);
  });

  it('refuses a malformed account with exit 2', async () => {
    const bad = await runCliInProcess(['iam-policy', 'demo', '--account', '12345']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('ACCOUNT_INVALID');
  });

  it('--engine codedeploy adds the CodeDeploy actions on the application, group and configs', async () => {
    const run = await runCliInProcess([
      'iam-policy',
      'demo',
      '--engine',
      'codedeploy',
      '--region',
      'us-east-1',
      '--account',
      '123456789012',
      '--json',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const statements = JSON.parse(run.stdout).policy.Statement as {
      Sid: string;
      Action: string[];
      Resource: string[];
    }[];
    const groups = statements.find((s) => s.Sid === 'LshiftCodeDeployGroups');
    expect(groups?.Action).toContain('codedeploy:CreateDeployment');
    expect(groups?.Action).toContain('codedeploy:StopDeployment');
    expect(groups?.Resource).toEqual([
      'arn:aws:codedeploy:us-east-1:123456789012:deploymentgroup:lshift-demo/demo-live',
    ]);
    expect(statements.find((s) => s.Sid === 'LshiftCodeDeployApplications')?.Resource).toEqual([
      'arn:aws:codedeploy:us-east-1:123456789012:application:lshift-demo',
    ]);
  });

  it('a config file entry’s own alias, alarms and hooks: in its alarm ARNs, CodeDeploy group and InvokeFunction', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'lshift-iam-entries-')), 'lshift.config.yaml');
    writeFileSync(
      file,
      'alarms: ["{function}-{alias}-5xx"]\nfunctions:\n  - name: alpha\n    alias: prod\n    alarms: ["{function}-{alias}-errors"]\n    hooks:\n      pre: ["lambda:{function}-smoke"]\n  - beta\n',
    );
    const args = [
      'iam-policy',
      'alpha',
      'beta',
      '--config',
      file,
      '--account',
      '123456789012',
      '--region',
      'us-east-1',
    ];
    const run = await runCliInProcess([...args, '--engine', 'codedeploy', '--json'], { env: NO_AWS_ENV });
    expect(run.code, run.stderr).toBe(0);
    const statements: { Sid: string; Resource: string[] }[] = JSON.parse(run.stdout).policy.Statement;
    const resources = (sid: string) => statements.find((st) => st.Sid === sid)?.Resource;
    const arn = (service: string, rest: string) => `arn:aws:${service}:us-east-1:123456789012:${rest}`;
    expect(resources('LshiftReadAlarms')).toEqual([
      arn('cloudwatch', 'alarm:alpha-prod-errors'),
      arn('cloudwatch', 'alarm:beta-live-5xx'),
    ]);
    expect(resources('LshiftInvokeHooks')).toEqual([
      arn('lambda', 'function:alpha-smoke'),
      arn('lambda', 'function:alpha-smoke:*'),
    ]);
    expect(resources('LshiftCodeDeployGroups')).toEqual([
      arn('codedeploy', 'deploymentgroup:lshift-alpha/alpha-prod'),
      arn('codedeploy', 'deploymentgroup:lshift-beta/beta-live'),
    ]);
    // --alias and --alarm apply to every function, as in a deploy.
    const flagged = await runCliInProcess(
      [...args, '--alias', 'canary', '--alarm', '{function}-{alias}', '--json'],
      {
        env: NO_AWS_ENV,
      },
    );
    const alarms = JSON.parse(flagged.stdout).policy.Statement.find(
      (st: { Sid: string }) => st.Sid === 'LshiftReadAlarms',
    );
    expect(alarms.Resource).toEqual([
      arn('cloudwatch', 'alarm:alpha-canary'),
      arn('cloudwatch', 'alarm:beta-canary'),
    ]);
  });

  // Moved from test/e2e: the built CLI's commands run in this process (run-cli-in-process.ts);
  // a sample of them started as a user would gives the same exit code, stdout and stderr.
  it('the built CLI, started as a user would, gives the same for a sample of these', async () => {
    await expectSameAsBuiltCli([
      { args: ['iam-policy', 'demo', '--alarm', '{function}-errors'], env: NO_AWS_ENV },
      { args: ['iam-policy', 'demo', '--format', 'terraform', '--json'], env: NO_AWS_ENV },
      { args: ['iam-policy', '*', '--account', '123456789012', '--region', 'us-east-1'] },
      {
        args: [
          'iam-policy',
          'demo',
          '--engine',
          'codedeploy',
          '--account',
          '123456789012',
          '--region',
          'us-east-1',
        ],
      },
    ]);
  });
});
