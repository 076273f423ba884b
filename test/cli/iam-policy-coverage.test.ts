import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildPolicy } from '../../src/cli/iam/policy.js';
import { ACTION_FOR_SDK_CALL } from '../../src/cli/iam/policy-actions.js';

const AWS_DIR = fileURLToPath(new URL('../../src/aws/', import.meta.url));

/**
 * Every AWS SDK call in src/aws/ (commands, paginators, waiters) as `<service>:<identifier>`:
 * the identifiers a file takes from an SDK client package — `const { … } = loadLambdaSdk()` /
 * `loadCloudWatchSdk()` (src/aws/sdk-modules.ts) or an `import { … } from '@aws-sdk/client-…'` —
 * and calls.
 */
function sdkCallsInAdapters(): Set<string> {
  const calls = new Set<string>();
  const sources: [RegExp, (m: RegExpMatchArray) => string][] = [
    [
      /const\s*\{([^}]*)\}\s*=\s*load(Lambda|CloudWatch|CodeDeploy)Sdk\(\)/g,
      (m) => (m[2] ?? '').toLowerCase(),
    ],
    [/import\s*\{([^}]*)\}\s*from\s*'@aws-sdk\/client-(\w+)'/g, (m) => m[2] ?? ''],
  ];
  for (const file of readdirSync(AWS_DIR).filter((f) => f.endsWith('.ts'))) {
    const text = readFileSync(join(AWS_DIR, file), 'utf8');
    for (const [pattern, serviceOf] of sources) {
      for (const m of text.matchAll(pattern)) {
        const names = (m[1] ?? '')
          .split(',')
          .map((n) => n.trim())
          .filter((n) => n && !n.startsWith('type '));
        for (const id of names.filter((n) => /Command$|^paginate|^waitUntil/.test(n))) {
          if (new RegExp(`\\b${id}\\(`).test(text)) calls.add(`${serviceOf(m)}:${id}`);
        }
      }
    }
  }
  return calls;
}

describe('lshift iam-policy covers every AWS call lshift makes', () => {
  const calls = sdkCallsInAdapters();

  it('finds the calls of the adapters (the scan itself works)', () => {
    expect(calls.size).toBe(Object.keys(ACTION_FOR_SDK_CALL).length);
    expect(calls).toContain('lambda:UpdateAliasCommand');
    expect(calls).toContain('cloudwatch:DescribeAlarmsCommand');
    expect(calls).toContain('cloudwatch:paginateGetMetricData');
    expect(calls).toContain('codedeploy:CreateDeploymentCommand');
  });

  it('every SDK call in src/aws/ has its IAM action in the generated policy', () => {
    const { policy } = buildPolicy({
      functions: ['demo'],
      alarms: ['demo-errors'],
      alias: 'live',
      hookFunctions: ['smoke-test'],
      region: 'us-east-1',
      account: '123456789012',
      compositeAlarms: false,
      listFunctions: true,
      codeDeploy: [{ application: 'lshift-demo', group: 'demo-live' }],
    });
    const granted = new Set(policy.Statement.flatMap((s) => s.Action));
    const missing = [...calls].filter((call) => {
      const action = ACTION_FOR_SDK_CALL[call];
      return action === undefined || !granted.has(action);
    });
    expect(
      missing,
      'add the call to ACTION_FOR_SDK_CALL (src/cli/iam/policy-actions.ts) and the policy (src/cli/iam/policy.ts)',
    ).toEqual([]);
  });

  it('the deploy path needs no "*" except ListEventSourceMappings and GetMetricData (no resource-level permissions)', () => {
    const { policy } = buildPolicy({
      functions: ['demo'],
      alarms: ['{function}-errors'],
      alias: 'live',
      hookFunctions: [],
      region: 'eu-west-1',
      account: '123456789012',
      compositeAlarms: false,
      listFunctions: false,
    });
    const star = policy.Statement.filter((s) => s.Resource.includes('*')).flatMap((s) => s.Action);
    expect(star).toEqual(['lambda:ListEventSourceMappings', 'cloudwatch:GetMetricData']);
    expect(policy.Statement.find((s) => s.Sid === 'LshiftReadAlarms')?.Resource).toEqual([
      'arn:aws:cloudwatch:eu-west-1:123456789012:alarm:demo-errors',
    ]);
  });

  it('a function or hook named by partial ARN is scoped to that function, in its own account', () => {
    const { policy } = buildPolicy({
      functions: ['210987654321:function:orders', 'arn:aws:lambda:eu-west-1:123456789012:function:billing'],
      alarms: [],
      alias: 'live',
      hookFunctions: ['210987654321:function:smoke'],
      region: 'us-east-1',
      compositeAlarms: false,
      listFunctions: false,
    });
    const resources = (sid: string) => policy.Statement.find((s) => s.Sid === sid)?.Resource;
    expect(resources('LshiftDeployFunctions')).toEqual([
      'arn:aws:lambda:us-east-1:210987654321:function:orders',
      'arn:aws:lambda:us-east-1:210987654321:function:orders:*',
      'arn:aws:lambda:eu-west-1:123456789012:function:billing',
      'arn:aws:lambda:eu-west-1:123456789012:function:billing:*',
    ]);
    expect(resources('LshiftInvokeHooks')).toEqual([
      'arn:aws:lambda:us-east-1:210987654321:function:smoke',
      'arn:aws:lambda:us-east-1:210987654321:function:smoke:*',
    ]);
  });
});
