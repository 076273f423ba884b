/**
 * Invoke: routes an alias call by its weights (seeded, per call), fails with the version's
 * error rate, and returns LSHIFT_SANDBOX_RESPONSE (default `{"status":"Succeeded"}`).
 * Invokes do not add to the generated metrics (the traffic model is the metrics' only source).
 */
import { lambdaErrors } from './api-error.js';
import type { LambdaCall, LambdaReply } from './lambda-call.js';
import { label } from './lambda-call.js';
import { refreshStatus } from './lambda-config-out.js';
import { parseFunctionRef, qualifierOf, requireFunction, resolveQualifier } from './lambda-names.js';
import { pickVersion } from './traffic.js';
import { ENV_ERROR_RATE, ENV_RESPONSE, paramsAt } from './traffic-params.js';

const SYNC_LIMIT = 6_291_456;
const ASYNC_LIMIT = 262_144;
const DEFAULT_RESPONSE = '{"status":"Succeeded"}';

export function invoke(call: LambdaCall): LambdaReply {
  const { sb } = call;
  const ref = parseFunctionRef(label(call, 'FunctionName'));
  const fn = requireFunction(sb, ref.name);
  const qualifier = qualifierOf(ref, call.query.get('Qualifier'));
  const resolved = resolveQualifier(sb, fn, qualifier);
  const type = String(call.headers['x-amz-invocation-type'] ?? 'RequestResponse');
  const limit = type === 'Event' ? ASYNC_LIMIT : SYNC_LIMIT;
  if (call.body.length > limit) throw lambdaErrors.tooLarge(limit, 'Invoke');
  if (call.body.length > 0) {
    try {
      JSON.parse(call.body.toString('utf8'));
    } catch {
      throw lambdaErrors.badJson();
    }
  }
  refreshStatus(sb, fn, false);
  if (fn.status.state !== 'Active' && resolved.config.version === '$LATEST') {
    throw lambdaErrors.conflict(
      `The operation cannot be performed at this time. The function is currently in the following state: ${fn.status.state}`,
    );
  }
  // A DryRun runs nothing, so it draws no random number: a check must not change later invokes.
  if (type === 'DryRun') return { status: 204, headers: {} };
  const version = resolved.alias
    ? pickVersion(
        { version: resolved.alias.functionVersion, weights: resolved.alias.weights },
        sb.nextUniform('invoke'),
      )
    : resolved.config.version;
  const config = version === '$LATEST' ? fn.latest : fn.versions[version]!;
  const now = sb.simNow();
  const params = paramsAt(fn, version, now, sb.faults.versions);
  const failed = sb.nextUniform('invoke') < (params?.errorRate ?? 0);
  const headers: Record<string, string> = { 'X-Amz-Executed-Version': version };
  if (type === 'Event') return { status: 202, headers, raw: Buffer.alloc(0) };
  if (call.headers['x-amz-log-type'] === 'Tail') {
    headers['X-Amz-Log-Result'] = Buffer.from(
      fakeLog(version, params?.p50Ms ?? 1, config.memorySize, failed),
    ).toString('base64');
  }
  if (failed) {
    headers['X-Amz-Function-Error'] = 'Unhandled';
    const payload = {
      errorType: 'Error',
      errorMessage: `Simulated failure (${ENV_ERROR_RATE}=${params?.errorRate})`,
      trace: [],
    };
    return { status: 200, headers, raw: Buffer.from(JSON.stringify(payload)) };
  }
  return { status: 200, headers, raw: Buffer.from(config.environment[ENV_RESPONSE] ?? DEFAULT_RESPONSE) };
}

function fakeLog(version: string, durationMs: number, memory: number, failed: boolean): string {
  const id = '00000000-0000-4000-8000-000000000000';
  return [
    `START RequestId: ${id} Version: ${version}`,
    ...(failed ? [`ERROR Invoke Error {"errorType":"Error","errorMessage":"Simulated failure"}`] : []),
    `END RequestId: ${id}`,
    `REPORT RequestId: ${id}\tDuration: ${durationMs.toFixed(2)} ms\tBilled Duration: ${Math.ceil(durationMs)} ms\tMemory Size: ${memory} MB\tMax Memory Used: ${Math.min(memory, 64)} MB`,
    '',
  ].join('\n');
}
