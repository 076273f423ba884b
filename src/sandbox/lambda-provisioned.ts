/**
 * Provisioned concurrency on an alias or version: PutProvisionedConcurrencyConfig and
 * GetProvisionedConcurrencyConfig (https://docs.aws.amazon.com/lambda/latest/api/API_GetProvisionedConcurrencyConfig.html).
 * Allocation takes time: after a Put, and after every UpdateAlias of an alias that has some
 * (Lambda re-allocates it across the versions by weight), the config is IN_PROGRESS with half
 * allocated until it has been read once or PC_ALLOCATION_MS of simulated time pass, then READY.
 * The read rule makes "the first read after a weight write sees IN_PROGRESS" hold on any machine.
 *
 * "Each version of a function can only have one provisioned concurrency configuration. This can
 * be directly on the version itself, or on an alias that points to the version. Two aliases can't
 * allocate provisioned concurrency for the same version."
 * (https://docs.aws.amazon.com/lambda/latest/dg/provisioned-concurrency.html): a Put that would
 * break that rule is a ResourceConflictException here. The exact message Lambda returns is not
 * documented; this one says what collides.
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
  refuseSecondConfig(fn, qualifier);
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
  if (!pc) throw notFound();
  const allocating = pc.readsLeft > 0 && sb.simNow() < pc.readyAtMs;
  if (allocating) pc.readsLeft--;
  else pc.readsLeft = 0;
  sb.markDirty();
  return { status: 200, json: pcOut(pc, allocating ? 'IN_PROGRESS' : 'READY') };
}

/** DeleteProvisionedConcurrencyConfig: 204, or 404 when the qualifier has none. */
export function deleteProvisionedConcurrencyConfig(call: LambdaCall): LambdaReply {
  const { sb } = call;
  const { fn, qualifier } = target(call);
  if (!own(fn.provisionedConcurrency ?? {}, qualifier)) throw notFound();
  delete (fn.provisionedConcurrency as Record<string, ProvisionedConcurrencyData>)[qualifier];
  sb.markDirty();
  return { status: 204 };
}

/** The versions an alias points to: its version and the one its routing names. */
function versionsOf(alias: { functionVersion: string; weights: Record<string, number> }): string[] {
  return [alias.functionVersion, ...Object.keys(alias.weights)];
}

function refuseSecondConfig(fn: FunctionData, qualifier: string): void {
  const configs = fn.provisionedConcurrency ?? {};
  const alias = own(fn.aliases, qualifier);
  const clash = alias
    ? versionsOf(alias).find((v) => own(configs, v))
    : Object.values(fn.aliases).find(
        (a) => a.name !== qualifier && own(configs, a.name) && versionsOf(a).includes(qualifier),
      )?.name;
  if (clash === undefined) return;
  throw lambdaErrors.conflict(
    alias
      ? `Alias ${qualifier} can't be given provisioned concurrency: version ${clash}, which it points to, has its own`
      : `Version ${qualifier} can't be given provisioned concurrency: alias ${clash}, which points to it, has its own`,
  );
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

function notFound(): ApiError {
  return new ApiError(
    404,
    'ProvisionedConcurrencyConfigNotFoundException',
    'No Provisioned Concurrency Config found for this function',
    { fields: { Type: 'User' } },
  );
}
