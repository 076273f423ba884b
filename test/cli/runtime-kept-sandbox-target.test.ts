/**
 * `lshift wait` reads LSHIFT_SANDBOX itself (before a signal can abandon that read) and hands it to
 * createRuntime, which took it for `deploy --sandbox`'s in-process sandbox: every command wait
 * offered named `--endpoint-url <the LSHIFT_SANDBOX url>`, refused CONFLICTING_FLAGS (exit 2) when
 * copied into that same shell, and `--endpoint-url` beside LSHIFT_SANDBOX was not refused (h2's
 * pass, session 65). A kept sandbox's commands name the region only (docs/sandbox.md).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { forgetRunTarget, runTarget } from '../../src/cli/run-target.js';
import { createRuntime } from '../../src/cli/runtime.js';
import { withTargetFlags } from '../../src/domain/command-target.js';

const URL = 'http://127.0.0.1:4921';
const clock = { simOriginMs: 0, realOriginMs: 0, speed: 1 };

describe('createRuntime with a sandbox read from LSHIFT_SANDBOX by its caller', () => {
  const saved = process.env['LSHIFT_SANDBOX'];
  afterEach(() => {
    forgetRunTarget();
    if (saved === undefined) delete process.env['LSHIFT_SANDBOX'];
    else process.env['LSHIFT_SANDBOX'] = saved;
  });

  it('notes the run target as for any command under LSHIFT_SANDBOX: lshift commands the region only, aws ones the sandbox too', async () => {
    process.env['LSHIFT_SANDBOX'] = URL;
    await createRuntime({ region: 'us-east-1' }, { functions: [] }, { url: URL, clock, fromEnv: true });
    // No `endpoint-url`: lshift refuses it beside LSHIFT_SANDBOX; the AWS CLI needs it (h1's pass).
    expect(runTarget()).toEqual({ region: 'us-east-1', awsEndpointUrl: URL });
  });

  it('named no region: its aws commands name the one it used (us-east-1), its lshift ones none', async () => {
    process.env['LSHIFT_SANDBOX'] = URL;
    await createRuntime({}, { functions: [] }, { url: URL, clock, fromEnv: true });
    expect(runTarget()).toEqual({ region: undefined, awsEndpointUrl: URL, awsRegion: 'us-east-1' });
    expect(withTargetFlags('aws lambda get-alias --function-name f --name live', runTarget())).toBe(
      `aws lambda get-alias --function-name f --name live --region us-east-1 --endpoint-url ${URL}`,
    );
  });

  it('refuses --endpoint-url beside it (CONFLICTING_FLAGS), as other commands do', async () => {
    process.env['LSHIFT_SANDBOX'] = URL;
    const refused = await createRuntime(
      { region: 'us-east-1', 'endpoint-url': 'http://127.0.0.1:4566' },
      { functions: [] },
      { url: URL, clock, fromEnv: true },
    ).then(
      () => undefined,
      (e: unknown) => e as { code: string },
    );
    expect(refused?.code).toBe('CONFLICTING_FLAGS');
  });

  it("deploy --sandbox's in-process sandbox still names its endpoint", async () => {
    delete process.env['LSHIFT_SANDBOX'];
    await createRuntime({ region: 'us-east-1' }, { functions: [] }, { url: URL, clock });
    expect(runTarget()).toEqual({ region: 'us-east-1', 'endpoint-url': URL });
  });
});

// The run's endpoint serves Lambda, CloudWatch and CodeDeploy, not STS (h2's pass, session 65:
// CREDENTIAL_PROCESS_FAILED offered `aws sts get-caller-identity … --endpoint-url <the sandbox>`).
describe('withTargetFlags: aws sts', () => {
  const target = { profile: 'ops', region: 'us-east-1', 'endpoint-url': URL };
  it('keeps the profile and region, not the endpoint', () => {
    expect(withTargetFlags('aws sts get-caller-identity', target)).toBe(
      'aws sts get-caller-identity --profile ops --region us-east-1',
    );
  });
  it('other aws commands keep the endpoint', () => {
    expect(withTargetFlags('aws lambda get-alias --function-name f --name live', target)).toBe(
      `aws lambda get-alias --function-name f --name live --profile ops --region us-east-1 --endpoint-url ${URL}`,
    );
  });
});
