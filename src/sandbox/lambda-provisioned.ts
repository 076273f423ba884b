/**
 * Provisioned concurrency on an alias or version: PutProvisionedConcurrencyConfig and
 * GetProvisionedConcurrencyConfig (https://docs.aws.amazon.com/lambda/latest/api/API_GetProvisionedConcurrencyConfig.html).
 * Allocation takes time: after a Put, and after every UpdateAlias of an alias that has some
 * (Lambda re-allocates it across the versions by weight), the config is IN_PROGRESS with half
 * allocated until it has been read once or PC_ALLOCATION_MS of simulated time pass, then READY.
 * The read rule makes "the first read after a weight write sees IN_PROGRESS" hold on any machine.
 */
import { ApiError, lambdaErrors } from './api-error.js';
import { jsonBody, type LambdaCall, type LambdaReply, label } from './lambda-call.js';
import { lambdaDate } from './lambda-config-out.js';
import { parseFunctionRef, qualifierOf, requireFunction, resolveQualifier } from './lambda-names.js';
import { own, setOwn } from './own.js';
import type { Sandbox } from './sandbox.js';
import type { FunctionData, ProvisionedConcurrencyData } from './types.js';

/** Simulated ms an allocation takes when nobody reads it. */
export const PC_ALLOCATION_MS = 120_000;

export function putProvisionedConcurrencyConfig(call: LambdaCall): LambdaReply {
  const { sb } = call;
  const { fn, qualifier } = target(call);
  const requested = Number(jsonBody(call).ProvisionedConcurrentExecutions);
  if (!Number.isInteger(requested) || requested < 1)
    throw lambdaErrors.validation(
      "1 validation error detected: Value at 'provisionedConcurrentExecutions' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
  const pc: ProvisionedConcurrencyData = {
    requested,
    lastModifiedMs: sb.simNow(),
    readsLeft: 0,
    readyAtMs: 0,
  };
  startAllocating(sb, pc);
  fn.provisionedConcurrency ??= {};
  setOwn(fn.provisionedConcurrency, qualifier, pc);
  sb.markDirty();
  return { status: 202, json: pcOut(pc, 'IN_PROGRESS') };
}

export function getProvisionedConcurrencyConfig(call: LambdaCall): LambdaReply {
  const { sb } = call;
  const { fn, qualifier } = target(call);
  const pc = own(fn.provisionedConcurrency ?? {}, qualifier);
  if (!pc)
    throw new ApiError(
      404,
      'ProvisionedConcurrencyConfigNotFoundException',
      'No Provisioned Concurrency Config found for this function',
      {
        fields: { Type: 'User' },
      },
    );
  const allocating = pc.readsLeft > 0 && sb.simNow() < pc.readyAtMs;
  if (allocating) pc.readsLeft--;
  else pc.readsLeft = 0;
  sb.markDirty();
  return { status: 200, json: pcOut(pc, allocating ? 'IN_PROGRESS' : 'READY') };
}

/** UpdateAlias changed the alias's routing: Lambda re-allocates its provisioned concurrency. */
export function reallocateAfterAliasWrite(sb: Sandbox, fn: FunctionData, alias: string): void {
  const pc = own(fn.provisionedConcurrency ?? {}, alias);
  if (pc) startAllocating(sb, pc);
}

function startAllocating(sb: Sandbox, pc: ProvisionedConcurrencyData): void {
  pc.readsLeft = 1;
  pc.readyAtMs = sb.simNow() + PC_ALLOCATION_MS;
}

function target(call: LambdaCall): { fn: FunctionData; qualifier: string } {
  const { sb } = call;
  const ref = parseFunctionRef(label(call, 'FunctionName'));
  const fn = requireFunction(sb, ref.name);
  const qualifier = qualifierOf(ref, call.query.get('Qualifier'));
  if (qualifier === undefined || qualifier === '$LATEST')
    throw lambdaErrors.invalidParameter(
      'Provisioned Concurrency Configs cannot be applied to unpublished function versions.',
    );
  resolveQualifier(sb, fn, qualifier);
  return { fn, qualifier };
}

function pcOut(pc: ProvisionedConcurrencyData, status: 'IN_PROGRESS' | 'READY') {
  const allocated = status === 'READY' ? pc.requested : Math.floor(pc.requested / 2);
  return {
    RequestedProvisionedConcurrentExecutions: pc.requested,
    AllocatedProvisionedConcurrentExecutions: allocated,
    AvailableProvisionedConcurrentExecutions: allocated,
    Status: status,
    LastModified: lambdaDate(pc.lastModifiedMs),
  };
}
