/**
 * seedDemo: a demo function ready for `lshift deploy`, created through the sandbox's own wire
 * API (so it works for a sandbox in another process too): version 1 healthy behind alias `live`,
 * an error alarm on the alias, and `$LATEST` holding new code with the target behaviour, so a
 * deploy publishes version 2.
 */
import { OperationError } from '../domain/errors.js';
import { type DemoHooks, HOOK_EVENTS, hookFunctionBodies, hookFunctionName } from './demo-hooks.js';
import { buildZip } from './demo-zip.js';
import type { DemoPresetName, DemoTarget } from './scenario.js';
import type { SandboxHandle } from './server.js';
import { DEFAULT_RPM, ENV_ERROR_RATE, ENV_P50, ENV_P99, RPM_TAG } from './traffic-params.js';

export interface SeedDemoOptions {
  functionName?: string;
  alias?: string;
  rpm?: number;
  target?: DemoTarget;
  /** `Image`: a container-image function; version 1 runs `<repo>:v1`, `$LATEST` holds `<repo>:v2`. */
  packageType?: 'Zip' | 'Image';
  /** CodeDeploy lifecycle hook functions to create, and what each reports (demo-hooks.ts). */
  hooks?: DemoHooks;
}

/** The demo's image repository (the sandbox's registry resolves any tag in it). */
export function demoImageRepo(functionName: string): string {
  return `123456789012.dkr.ecr.us-east-1.amazonaws.com/${functionName.toLowerCase()}`;
}

export interface DemoInfo {
  functionName: string;
  alias: string;
  alarmName: string;
  stableVersion: string;
  /** The hook functions created for `hooks`, by lifecycle event. */
  hookFunctions?: Partial<Record<(typeof HOOK_EVENTS)[number], string>>;
}

const HEALTHY = { errorRate: 0.005, p50Ms: 40, p99Ms: 120 };

export const DEMO_SCENARIOS: Record<DemoPresetName, Omit<SeedDemoOptions, 'functionName' | 'alias'>> = {
  healthy: { target: { ...HEALTHY } },
  bad: { target: { ...HEALTHY, errorRate: 0.3 } },
  slow: { target: { ...HEALTHY, p50Ms: 60, p99Ms: 180 } },
  'low-traffic': { rpm: 5, target: { ...HEALTHY } },
};

const DEMO_ROLE = 'arn:aws:iam::123456789012:role/lshift-sandbox-demo';
const CLOUDWATCH_TARGET = 'GraniteServiceVersion20100801.';

/**
 * The alarm threshold: Errors (Sum, 60 s) on the alias. A healthy version (0.5% errors: 3 a minute
 * at 600 rpm) must not reach it by chance: at 2% of the rpm (12) it did once in ~14,000 watched
 * minutes, about one e2e suite run in a hundred; at 2.25% (14) once in ~290,000. A 10% canary
 * failing 30% of its requests adds ~3% of the rpm (21 a minute) and crosses it in ~96% of its
 * whole minutes (at 2.5%, 15, it fired a minute later for some seeds: too late for a 5-minute canary).
 */
export function demoAlarmThreshold(rpm: number): number {
  return Math.max(3, Math.ceil(rpm * 0.0225));
}

export async function seedDemo(
  target: SandboxHandle | string,
  opts: SeedDemoOptions = {},
): Promise<DemoInfo> {
  const url = typeof target === 'string' ? target : target.url;
  const functionName = opts.functionName ?? 'demo';
  const alias = opts.alias ?? 'live';
  const rpm = opts.rpm ?? DEFAULT_RPM;
  const wanted = { ...HEALTHY, ...opts.target };
  const api = createApi(url);
  const info: DemoInfo = { functionName, alias, alarmName: `${functionName}-errors`, stableVersion: '1' };
  const fnPath = `/2015-03-31/functions/${encodeURIComponent(functionName)}`;
  const image = opts.packageType === 'Image';
  const created = await api.lambda('POST', '/2015-03-31/functions', {
    FunctionName: functionName,
    Role: DEMO_ROLE,
    Description: 'lshift sandbox demo function',
    ...(image
      ? { PackageType: 'Image', Code: { ImageUri: `${demoImageRepo(functionName)}:v1` } }
      : {
          Runtime: 'nodejs20.x',
          Handler: 'index.handler',
          Code: {
            ZipFile: buildZip(
              'index.js',
              'exports.handler = async () => ({ status: "Succeeded", build: 1 });\n',
            ).toString('base64'),
          },
        }),
    Environment: { Variables: behaviourEnv(HEALTHY) },
    Tags: { [RPM_TAG]: String(rpm) },
  });
  if (created.status === 409) return existingDemo(api, fnPath, info);
  expectOk(created, 'CreateFunction');
  expectOk(await api.lambda('GET', `${fnPath}/configuration`), 'GetFunctionConfiguration');
  const published = await api.lambda('POST', `${fnPath}/versions`, {
    Description: 'stable (seeded by the sandbox)',
  });
  expectOk(published, 'PublishVersion');
  info.stableVersion = String(published.json.Version);
  expectOk(
    await api.lambda('POST', `${fnPath}/aliases`, { Name: alias, FunctionVersion: info.stableVersion }),
    'CreateAlias',
  );
  expectOk(
    await api.cloudWatch('PutMetricAlarm', {
      AlarmName: info.alarmName,
      AlarmDescription: `Errors on ${functionName}:${alias} (lshift sandbox demo)`,
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Dimensions: [
        { Name: 'FunctionName', Value: functionName },
        { Name: 'Resource', Value: `${functionName}:${alias}` },
      ],
      Statistic: 'Sum',
      Period: 60,
      EvaluationPeriods: 1,
      DatapointsToAlarm: 1,
      Threshold: demoAlarmThreshold(rpm),
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    }),
    'PutMetricAlarm',
  );
  const newCode = buildZip(
    'index.js',
    'exports.handler = async () => ({ status: "Succeeded", build: 2 });\n',
  );
  const code = image
    ? { ImageUri: `${demoImageRepo(functionName)}:v2` }
    : { ZipFile: newCode.toString('base64') };
  expectOk(await api.lambda('PUT', `${fnPath}/code`, code), 'UpdateFunctionCode');
  expectOk(await api.lambda('GET', `${fnPath}/configuration`), 'GetFunctionConfiguration');
  expectOk(
    await api.lambda('PUT', `${fnPath}/configuration`, { Environment: { Variables: behaviourEnv(wanted) } }),
    'UpdateFunctionConfiguration',
  );
  expectOk(await api.lambda('GET', `${fnPath}/configuration`), 'GetFunctionConfiguration');
  if (opts.hooks) {
    for (const body of hookFunctionBodies(functionName, opts.hooks)) {
      expectOk(await api.lambda('POST', '/2015-03-31/functions', body), 'CreateFunction');
    }
    info.hookFunctions = Object.fromEntries(
      HOOK_EVENTS.filter((e) => opts.hooks?.[e] !== undefined).map((e) => [
        e,
        hookFunctionName(functionName, e),
      ]),
    );
  }
  return info;
}

async function existingDemo(api: Api, fnPath: string, info: DemoInfo): Promise<DemoInfo> {
  const alias = await api.lambda('GET', `${fnPath}/aliases/${encodeURIComponent(info.alias)}`);
  expectOk(alias, 'GetAlias');
  return { ...info, stableVersion: String(alias.json.FunctionVersion) };
}

function behaviourEnv(target: Required<DemoTarget>): Record<string, string> {
  return {
    [ENV_ERROR_RATE]: String(target.errorRate),
    [ENV_P50]: String(target.p50Ms),
    [ENV_P99]: String(Math.max(target.p99Ms, target.p50Ms)),
  };
}

interface ApiResult {
  status: number;
  json: Record<string, unknown>;
  operation: string;
}

interface Api {
  lambda(method: string, path: string, body?: unknown): Promise<ApiResult>;
  cloudWatch(operation: string, body: unknown): Promise<ApiResult>;
}

function createApi(url: string): Api {
  const call = async (operation: string, path: string, init: RequestInit): Promise<ApiResult> => {
    let lastError = '';
    let throttled = false;
    // The sandbox may inject throttling/5xx/resets, and it enforces Lambda's request rate:
    // retry like an SDK would (a throttle waits long enough for the rate's bucket to refill).
    for (let attempt = 0; attempt < 8; attempt++) {
      try {
        const response = await fetch(new URL(path, url), init);
        const text = await response.text();
        throttled = response.status === 429 || isThrottle(response);
        if (throttled || response.status >= 500) {
          lastError = `HTTP ${response.status} ${text}`;
        } else {
          return { status: response.status, json: text ? JSON.parse(text) : {}, operation };
        }
      } catch (error) {
        lastError = (error as Error).message;
      }
      await new Promise((resolve) => setTimeout(resolve, (throttled ? 200 : 10) * (attempt + 1)));
    }
    throw seedError(operation, url, lastError);
  };
  return {
    lambda: (method, path, body) =>
      call(path, path, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    cloudWatch: (operation, body) =>
      call(operation, '/', {
        method: 'POST',
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': CLOUDWATCH_TARGET + operation,
        },
        body: JSON.stringify(body),
      }),
  };
}

function isThrottle(response: Response): boolean {
  return response.headers.get('x-amzn-query-error')?.startsWith('Throttling;') ?? false;
}

function expectOk(result: ApiResult, operation: string): void {
  if (result.status >= 200 && result.status < 300) return;
  const message = String(result.json.message ?? result.json.Message ?? JSON.stringify(result.json));
  throw new OperationError(
    'SANDBOX_SEED_FAILED',
    `Seeding the sandbox demo failed at ${operation}: ${message}`,
    {
      hint: 'Start from a fresh sandbox (or another state file) and try again.',
    },
  );
}

function seedError(operation: string, url: string, detail: string): OperationError {
  return new OperationError(
    'SANDBOX_SEED_FAILED',
    `Seeding the sandbox demo at ${url} failed (${operation}): ${detail}`,
    {
      hint: 'Check that the sandbox is running and reachable.',
    },
  );
}
