/**
 * The Lambda reads issue 14 added (image digest, async configs, event source mappings,
 * provisioned concurrency), each one bounded call through the adapter's BoundedCaller with its
 * errors mapped (AccessDenied names the IAM action). LambdaAdapter delegates to these.
 */
import type { EventSourceMappingConfiguration, LambdaClient } from '@aws-sdk/client-lambda';
import type {
  CodeLocation,
  EventInvokeConfigInfo,
  EventSourceMappingInfo,
  ProvisionedConcurrencyInfo,
} from '../ports/lambda.js';
import { type PagedReads, readAllPages } from './all-pages.js';
import { qualifierContext, toCodeLocation, toEventInvokeConfig } from './lambda-mappers.js';
import { loadLambdaSdk } from './sdk-modules.js';

// Through sdk-modules.ts as the other Lambda modules: a value import of the SDK here put it in
// the main bundle of every start (scripts/build.mjs bundles the SDK on its own).
const {
  DeleteProvisionedConcurrencyConfigCommand,
  GetFunctionCommand,
  GetProvisionedConcurrencyConfigCommand,
  PutProvisionedConcurrencyConfigCommand,
  paginateListEventSourceMappings,
  paginateListFunctionEventInvokeConfigs,
} = loadLambdaSdk();

export interface FeatureReads extends PagedReads {
  client: LambdaClient;
}

/** GetFunction: only its `Code` carries ResolvedImageUri (GetFunctionConfiguration does not). */
export async function readCodeLocation(
  r: FeatureReads,
  functionName: string,
  qualifier?: string,
): Promise<CodeLocation> {
  const out = await r.caller.call('GetFunction', qualifierContext(functionName, qualifier), (o) =>
    r.client.send(new GetFunctionCommand({ FunctionName: functionName, Qualifier: qualifier }), o),
  );
  return toCodeLocation(out.Code);
}

export async function readEventInvokeConfigs(
  r: FeatureReads,
  functionName: string,
): Promise<EventInvokeConfigInfo[]> {
  return readAllPages(
    r,
    'ListFunctionEventInvokeConfigs',
    { functionName },
    (o) =>
      paginateListFunctionEventInvokeConfigs(
        { client: r.client },
        // 50 is the most Lambda returns per page.
        { FunctionName: functionName, MaxItems: 50 },
        o,
      ),
    (page) => (page.FunctionEventInvokeConfigs ?? []).map(toEventInvokeConfig),
  );
}

export async function readEventSourceMappings(
  r: FeatureReads,
  functionName: string,
): Promise<EventSourceMappingInfo[]> {
  const [name, qualifier] = functionName.split(':');
  return readAllPages(
    r,
    'ListEventSourceMappings',
    qualifierContext(name ?? functionName, qualifier),
    (o) =>
      paginateListEventSourceMappings({ client: r.client }, { FunctionName: functionName, MaxItems: 100 }, o),
    (page) => (page.EventSourceMappings ?? []).map(toEventSourceMapping),
  );
}

function toEventSourceMapping(m: EventSourceMappingConfiguration): EventSourceMappingInfo {
  const info: EventSourceMappingInfo = { uuid: m.UUID ?? '', functionArn: m.FunctionArn ?? '' };
  if (m.EventSourceArn) info.eventSourceArn = m.EventSourceArn;
  if (m.State) info.state = m.State;
  return info;
}

export async function readProvisionedConcurrency(
  r: FeatureReads,
  functionName: string,
  qualifier: string,
): Promise<ProvisionedConcurrencyInfo | undefined> {
  const out = await r.caller.call(
    'GetProvisionedConcurrencyConfig',
    qualifierContext(functionName, qualifier),
    async (o) => {
      try {
        return await r.client.send(
          new GetProvisionedConcurrencyConfigCommand({ FunctionName: functionName, Qualifier: qualifier }),
          o,
        );
      } catch (error) {
        // "No provisioned concurrency on this qualifier" is an answer, not an error.
        if ((error as { name?: string }).name === 'ProvisionedConcurrencyConfigNotFoundException')
          return undefined;
        throw error;
      }
    },
  );
  if (!out) return undefined;
  const info: ProvisionedConcurrencyInfo = {
    requested: out.RequestedProvisionedConcurrentExecutions ?? 0,
    allocated: out.AllocatedProvisionedConcurrentExecutions ?? 0,
    available: out.AvailableProvisionedConcurrentExecutions ?? 0,
    status: out.Status ?? 'IN_PROGRESS',
  };
  if (out.StatusReason) info.statusReason = out.StatusReason;
  return info;
}

/** `--warm`'s temporary config on the new version (docs/lambda-features.md#provisioned-concurrency). */
export async function writeProvisionedConcurrency(
  r: FeatureReads,
  functionName: string,
  qualifier: string,
  amount: number,
): Promise<void> {
  await r.caller.call('PutProvisionedConcurrencyConfig', qualifierContext(functionName, qualifier), (o) =>
    r.client.send(
      new PutProvisionedConcurrencyConfigCommand({
        FunctionName: functionName,
        Qualifier: qualifier,
        ProvisionedConcurrentExecutions: amount,
      }),
      o,
    ),
  );
}

export async function removeProvisionedConcurrency(
  r: FeatureReads,
  functionName: string,
  qualifier: string,
): Promise<void> {
  await r.caller.call(
    'DeleteProvisionedConcurrencyConfig',
    qualifierContext(functionName, qualifier),
    async (o) => {
      try {
        await r.client.send(
          new DeleteProvisionedConcurrencyConfigCommand({ FunctionName: functionName, Qualifier: qualifier }),
          o,
        );
      } catch (error) {
        // Already gone (removed by an earlier run, or by hand): what the caller wanted.
        const name = (error as { name?: string }).name;
        if (name === 'ProvisionedConcurrencyConfigNotFoundException' || name === 'ResourceNotFoundException')
          return;
        throw error;
      }
    },
  );
}
