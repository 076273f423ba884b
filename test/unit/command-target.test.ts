import { describe, expect, it } from 'vitest';
import { describeTargetFlags, hasTargetFlags, withTargetFlags } from '../../src/domain/command-target.js';
import { describeClearRecordCommand } from '../../src/domain/record-tag.js';

describe('describeTargetFlags', () => {
  it.each([
    [{}, ''],
    [{ region: 'eu-west-1' }, ' --region eu-west-1'],
    [{ profile: 'prod', region: 'eu-west-1' }, ' --profile prod --region eu-west-1'],
    [{ 'endpoint-url': 'http://127.0.0.1:4566' }, ' --endpoint-url http://127.0.0.1:4566'],
    // Each value as the shell reads it back: a space, a quote, `$(…)` stay words.
    [{ profile: "ops team's $(id)" }, ` --profile 'ops team'\\''s $(id)'`],
    // A password in the endpoint's userinfo is never printed (h3's pass, session 64).
    [{ 'endpoint-url': 'http://user:SECRET@127.0.0.1:4931' }, " --endpoint-url 'http://***@127.0.0.1:4931'"],
    // Nor a query's values, as a hook's URL shows them (h1's pass, session 65).
    [
      { 'endpoint-url': 'http://127.0.0.1:4931/?X-Token=abc123&tok#frag' },
      " --endpoint-url 'http://127.0.0.1:4931/?X-Token=***&***'",
    ],
    // An empty value was never a target (checkAwsTarget refuses an empty profile): none added.
    [{ profile: '', region: ' ' }, ''],
  ])('%j → %j', (target, flags) => {
    expect(describeTargetFlags(target)).toBe(flags);
  });
});

describe('withTargetFlags', () => {
  const target = { profile: 'prod', region: 'eu-west-1', 'endpoint-url': 'https://lambda.example' };
  const flags = ' --profile prod --region eu-west-1 --endpoint-url https://lambda.example';
  it.each([
    ['lshift rollback demo --alias live', `lshift rollback demo --alias live${flags}`],
    ['lshift rollback --release r-1 a b', `lshift rollback --release r-1 a b${flags}`],
    [
      `aws lambda update-alias --function-name demo --name live --function-version 1 --routing-config '{"AdditionalVersionWeights":{}}'`,
      `aws lambda update-alias --function-name demo --name live --function-version 1 --routing-config '{"AdditionalVersionWeights":{}}'${flags}`,
    ],
    [
      'aws deploy stop-deployment --deployment-id d-1 --auto-rollback-enabled',
      `aws deploy stop-deployment --deployment-id d-1 --auto-rollback-enabled${flags}`,
    ],
    // Not a command: left as it is.
    ['see the logs', 'see the logs'],
  ])('%s', (command, expected) => {
    expect(withTargetFlags(command, target)).toBe(expected);
  });

  it('leaves a command alone when the run named no target', () => {
    expect(withTargetFlags('lshift rollback demo --alias live', {})).toBe(
      'lshift rollback demo --alias live',
    );
  });

  // A text targeted by its renderer and again by the output's pass (run-target.ts), or a hint
  // made with its own --region: no flag twice, none over the command's own.
  it('adds no flag the command already names', () => {
    const once = withTargetFlags('lshift rollback demo --alias live', target);
    expect(withTargetFlags(once, target)).toBe(once);
    expect(withTargetFlags('aws lambda get-alias --region=us-west-2', target)).toBe(
      'aws lambda get-alias --region=us-west-2 --profile prod --endpoint-url https://lambda.example',
    );
  });

  it('keeps an absent command absent', () => {
    expect(withTargetFlags(undefined, target)).toBeUndefined();
  });
});

// Under a kept sandbox (LSHIFT_SANDBOX) an offered `aws …` line named `--region` alone and went to
// AWS: the AWS CLI does not read LSHIFT_SANDBOX (h1's pass, session 65). lshift does, and refuses
// `--endpoint-url` beside it: its own lines get none.
describe('a kept sandbox: the endpoint of the aws lines only', () => {
  const sandbox = { region: 'us-east-1', awsEndpointUrl: 'http://127.0.0.1:4911' };
  it.each([
    [
      'aws lambda update-alias --function-name demo --name live --function-version 1',
      'aws lambda update-alias --function-name demo --name live --function-version 1 --region us-east-1 --endpoint-url http://127.0.0.1:4911',
    ],
    ['lshift rollback demo --alias live', 'lshift rollback demo --alias live --region us-east-1'],
    // A sign-in or the caller's identity is not asked of a Lambda endpoint.
    ['aws sts get-caller-identity', 'aws sts get-caller-identity --region us-east-1'],
    ['aws sso login', 'aws sso login --region us-east-1'],
  ])('%s', (command, expected) => {
    expect(withTargetFlags(command, sandbox)).toBe(expected);
  });

  it('is a target even without a region (the passes run)', () => {
    expect(hasTargetFlags({ awsEndpointUrl: 'http://127.0.0.1:4911' })).toBe(true);
    expect(hasTargetFlags({ region: ' ' })).toBe(false);
    expect(
      withTargetFlags('aws lambda get-alias --function-name demo --name live', {
        awsEndpointUrl: 'http://h:1',
      }),
    ).toBe('aws lambda get-alias --function-name demo --name live --endpoint-url http://h:1');
  });
});

// `aws sso login` and `aws sts get-caller-identity` name the account and region, never an
// endpoint (a run's --endpoint-url is a Lambda one): the profile is what they need.
it('a sign-in gets the profile and region, not the Lambda endpoint', () => {
  const target = { profile: 'prod', region: 'eu-west-1', 'endpoint-url': 'https://lambda.example' };
  expect(withTargetFlags('aws sso login', target)).toBe('aws sso login --profile prod --region eu-west-1');
  expect(withTargetFlags('aws sts get-caller-identity', target)).toBe(
    'aws sts get-caller-identity --profile prod --region eu-west-1',
  );
});

// The untag command looks its ARN up with `$(aws lambda get-function …)`: with the flags only at
// the end, the lookup asked the default account and region for the ARN (h1's pass, session 65).
describe('an aws command substituted inside another gets the flags too', () => {
  const target = { profile: 'prod', region: 'eu-west-1', 'endpoint-url': 'https://lambda.example' };
  const flags = ' --profile prod --region eu-west-1 --endpoint-url https://lambda.example';
  it('both halves of the record untag name the same account, region and endpoint', () => {
    const once = withTargetFlags(describeClearRecordCommand('demo', 'live'), target);
    expect(once).toBe(
      `aws lambda untag-resource --resource $(aws lambda get-function --function-name demo --query Configuration.FunctionArn --output text${flags}) --tag-keys lshift:live${flags}`,
    );
    expect(withTargetFlags(once, target)).toBe(once);
  });

  it('beside a kept sandbox, both halves name it', () => {
    const once = withTargetFlags(describeClearRecordCommand('demo', 'live'), {
      awsEndpointUrl: 'http://h:1',
    });
    expect(once.match(/--endpoint-url http:\/\/h:1/g)).toHaveLength(2);
  });

  it("a flag the inner command names is not the outer's", () => {
    expect(
      withTargetFlags(
        'aws lambda untag-resource --resource $(aws lambda get-function --region us-west-2) --tag-keys k',
        { region: 'eu-west-1' },
      ),
    ).toBe(
      'aws lambda untag-resource --resource $(aws lambda get-function --region us-west-2) --tag-keys k --region eu-west-1',
    );
  });
});

// The "flag already there" check read inside quoted values: a reason naming `--region` was taken
// for the flag, and the command offered without the run's region (session 66).
describe('a flag named only inside a quoted value is not the flag', () => {
  const target = { profile: 'prod', region: 'eu-west-1' };
  it('double quotes', () => {
    expect(withTargetFlags('lshift rollback fn --reason "moved --region by hand"', target)).toBe(
      'lshift rollback fn --reason "moved --region by hand" --profile prod --region eu-west-1',
    );
  });
  it('single quotes (as lshift quotes values), and a flag outside them still counts', () => {
    expect(withTargetFlags("lshift rollback fn --reason 'see --profile x' --region us-west-2", target)).toBe(
      "lshift rollback fn --reason 'see --profile x' --region us-west-2 --profile prod",
    );
  });
});

// Beside a kept sandbox a run naming no region used us-east-1; its `aws …` lines named the
// endpoint alone and took the shell's region (or none) (session 66).
describe('awsRegion: the region of aws commands only', () => {
  const target = { awsEndpointUrl: 'http://h:1', awsRegion: 'us-east-1' };
  it('an aws command gets it beside the endpoint; an lshift one neither', () => {
    expect(withTargetFlags('aws lambda get-alias --function-name f --name live', target)).toBe(
      'aws lambda get-alias --function-name f --name live --region us-east-1 --endpoint-url http://h:1',
    );
    expect(withTargetFlags('lshift status f', target)).toBe('lshift status f');
  });
  it("the run's own --region wins", () => {
    expect(withTargetFlags('aws lambda get-alias', { ...target, region: 'eu-west-1' })).toBe(
      'aws lambda get-alias --region eu-west-1 --endpoint-url http://h:1',
    );
  });
});
