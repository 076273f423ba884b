/**
 * LambdaPort over the real SDK client. Every call maps its errors with mapAwsError; ctx names
 * the IAM action and the function/alias/version so messages say what to grant or fix. The
 * single-request calls of a deploy live here; Invoke (lambda-invoke.ts), the record tags
 * (lambda-tags.ts), the paginated listings (lambda-listings.ts) and the Lambda-feature reads
 * (lambda-feature-reads.ts) are delegated.
 */
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { CredentialLifetime } from '../domain/credential-lifetime.js';
import type {
  AliasInfo,
  AliasWrite,
  CodeLocation,
  CodeSource,
  EventInvokeConfigInfo,
  EventSourceMappingInfo,
  FunctionInfo,
  InvokeResult,
  LambdaPort,
  ProvisionedConcurrencyInfo,
  PublishedVersion,
  RequestUrgency,
} from '../ports/lambda.js';
import { BoundedCaller, type CallerOptions } from './bounded-caller.js';
import type { WaiterOptions } from './client-config.js';
import { readCredentialLifetime } from './credential-lifetime.js';
import { readCredentialsWithin } from './credential-wait.js';
import {
  type FeatureReads,
  readCodeLocation,
  readEventInvokeConfigs,
  readEventSourceMappings,
  readProvisionedConcurrency,
  removeProvisionedConcurrency,
  writeProvisionedConcurrency,
} from './lambda-feature-reads.js';
import { dryRunInvoke, invokeFunction } from './lambda-invoke.js';
import { readFunctions, readVersions } from './lambda-listings.js';
import { qualifierContext, toAliasInfo, toCodeInput, toFunctionInfo } from './lambda-mappers.js';
import { readTags, removeTags, writeTags } from './lambda-tags.js';
import { readThenWait } from './lambda-waiters.js';
import { loadLambdaSdk } from './sdk-modules.js';
import type { TimeBounds } from './time-bounds.js';

const {
  CreateAliasCommand,
  GetAliasCommand,
  GetFunctionConfigurationCommand,
  PublishVersionCommand,
  UpdateAliasCommand,
  UpdateFunctionCodeCommand,
} = loadLambdaSdk();

export interface LambdaAdapterOptions extends CallerOptions {
  waiter?: WaiterOptions;
}

const DEFAULT_WAIT_SECONDS = 300;

export class LambdaAdapter implements LambdaPort {
  private readonly caller: BoundedCaller;

  constructor(
    private readonly client: LambdaClient,
    private readonly options: LambdaAdapterOptions = {},
  ) {
    this.caller = new BoundedCaller(
      client.config,
      { prefix: 'lambda', envSuffix: 'LAMBDA', host: 'lambda' },
      options,
    );
  }

  /** What the feature reads (lambda-feature-reads.ts) need. */
  private get reads(): FeatureReads {
    return { client: this.client, caller: this.caller, listMs: this.bounds.listMs };
  }

  private get delays(): WaiterOptions {
    return this.options.waiter ?? {};
  }

  private get bounds(): TimeBounds {
    return this.caller.bounds;
  }

  readCredentialLifetime(): Promise<CredentialLifetime | undefined> {
    return readCredentialsWithin(
      () => readCredentialLifetime(this.client.config),
      this.bounds,
      this.options.interrupt,
    );
  }

  async getFunction(functionName: string, qualifier?: string): Promise<FunctionInfo> {
    const out = await this.caller.call(
      'GetFunctionConfiguration',
      qualifierContext(functionName, qualifier),
      (o) =>
        this.client.send(
          new GetFunctionConfigurationCommand({ FunctionName: functionName, Qualifier: qualifier }),
          o,
        ),
    );
    return toFunctionInfo(out);
  }

  async getAlias(functionName: string, alias: string): Promise<AliasInfo | undefined> {
    const out = await this.caller.call('GetAlias', { functionName, alias }, async (o) => {
      try {
        return await this.client.send(new GetAliasCommand({ FunctionName: functionName, Name: alias }), o);
      } catch (error) {
        // A missing alias is an answer, not an error; a missing function still is one.
        const e = error as { name?: string; message?: string };
        if (e.name === 'ResourceNotFoundException' && !/^function not found/i.test(e.message ?? '')) {
          return undefined;
        }
        throw error;
      }
    });
    return out ? toAliasInfo(out) : undefined;
  }

  async listVersions(functionName: string): Promise<FunctionInfo[]> {
    return readVersions(this.reads, functionName);
  }

  async updateCode(functionName: string, source: CodeSource, revisionId?: string): Promise<FunctionInfo> {
    const { uploadMs } = this.bounds;
    const out = await this.caller.call(
      'UpdateFunctionCode',
      { functionName },
      (o) =>
        this.client.send(
          new UpdateFunctionCodeCommand({
            FunctionName: functionName,
            ...toCodeInput(source),
            Publish: false,
            RevisionId: revisionId,
          }),
          o,
        ),
      // A zip of up to 50 MB goes up in the request: give the upload its own bound.
      { requestTimeout: uploadMs, deadlineMs: 2 * uploadMs },
    );
    return toFunctionInfo(out);
  }

  async waitUntilUpdated(functionName: string, timeoutSeconds = DEFAULT_WAIT_SECONDS): Promise<FunctionInfo> {
    return readThenWait(this.reads, { kind: 'updated', functionName, timeoutSeconds, delays: this.delays });
  }

  async waitUntilActive(
    functionName: string,
    version: string,
    timeoutSeconds = DEFAULT_WAIT_SECONDS,
  ): Promise<FunctionInfo> {
    return readThenWait(this.reads, {
      kind: 'active',
      functionName,
      qualifier: version,
      timeoutSeconds,
      delays: this.delays,
    });
  }

  async publishVersion(
    functionName: string,
    opts: { codeSha256: string; revisionId: string; description?: string },
  ): Promise<PublishedVersion> {
    // When code and config are unchanged Lambda returns the latest existing version instead of
    // creating one; only the list taken before publishing tells the two apart.
    const before = await this.listVersions(functionName);
    const out = await this.caller.call('PublishVersion', { functionName }, (o) =>
      this.client.send(
        new PublishVersionCommand({
          FunctionName: functionName,
          CodeSha256: opts.codeSha256,
          RevisionId: opts.revisionId,
          Description: opts.description,
        }),
        o,
      ),
    );
    const version = out.Version ?? '';
    return {
      functionName,
      version,
      codeSha256: out.CodeSha256 ?? opts.codeSha256,
      created: !before.some((v) => v.version === version),
    };
  }

  async createAlias(
    functionName: string,
    alias: string,
    functionVersion: string,
    description?: string,
  ): Promise<AliasInfo> {
    const out = await this.caller.call(
      'CreateAlias',
      { functionName, alias, version: functionVersion },
      (o) =>
        this.client.send(
          new CreateAliasCommand({
            FunctionName: functionName,
            Name: alias,
            FunctionVersion: functionVersion,
            Description: description,
          }),
          o,
        ),
    );
    return toAliasInfo(out);
  }

  async updateAlias(functionName: string, alias: string, write: AliasWrite): Promise<AliasInfo> {
    // No `version` in the context: a 412 is about the alias, not the version being written.
    const out = await this.caller.call('UpdateAlias', { functionName, alias }, (o) =>
      this.client.send(
        new UpdateAliasCommand({
          FunctionName: functionName,
          Name: alias,
          FunctionVersion: write.functionVersion,
          // Always sent: an empty map is how Lambda clears routing; leaving it out keeps the old split.
          RoutingConfig: { AdditionalVersionWeights: { ...write.additionalWeights } },
          RevisionId: write.revisionId,
          Description: write.description,
        }),
        o,
      ),
    );
    return toAliasInfo(out);
  }

  async invoke(
    functionName: string,
    qualifier: string,
    payload: string,
    opts: { timeoutMs?: number; signal?: AbortSignal } = {},
  ): Promise<InvokeResult> {
    return invokeFunction(this.reads, functionName, qualifier, payload, opts);
  }

  async checkInvoke(functionName: string, qualifier?: string): Promise<void> {
    return dryRunInvoke(this.reads, functionName, qualifier);
  }

  async listTags(functionArn: string, opts: RequestUrgency = {}): Promise<Record<string, string>> {
    return readTags(this.reads, functionArn, opts);
  }

  async tagResource(
    functionArn: string,
    tags: Record<string, string>,
    opts: RequestUrgency = {},
  ): Promise<void> {
    return writeTags(this.reads, functionArn, tags, opts);
  }

  async untagResource(functionArn: string, keys: string[]): Promise<void> {
    return removeTags(this.reads, functionArn, keys);
  }

  getCodeLocation(functionName: string, qualifier?: string): Promise<CodeLocation> {
    return readCodeLocation(this.reads, functionName, qualifier);
  }

  listEventInvokeConfigs(functionName: string): Promise<EventInvokeConfigInfo[]> {
    return readEventInvokeConfigs(this.reads, functionName);
  }

  listEventSourceMappings(functionName: string): Promise<EventSourceMappingInfo[]> {
    return readEventSourceMappings(this.reads, functionName);
  }

  getProvisionedConcurrency(
    functionName: string,
    qualifier: string,
  ): Promise<ProvisionedConcurrencyInfo | undefined> {
    return readProvisionedConcurrency(this.reads, functionName, qualifier);
  }

  putProvisionedConcurrency(functionName: string, qualifier: string, amount: number): Promise<void> {
    return writeProvisionedConcurrency(this.reads, functionName, qualifier, amount);
  }

  deleteProvisionedConcurrency(functionName: string, qualifier: string): Promise<void> {
    return removeProvisionedConcurrency(this.reads, functionName, qualifier);
  }

  async listFunctions(): Promise<{ functionName: string; functionArn: string }[]> {
    return readFunctions(this.reads);
  }
}
