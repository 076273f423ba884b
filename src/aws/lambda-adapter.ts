/**
 * LambdaPort over the real SDK client. Every call maps its errors with mapAwsError; ctx names
 * the IAM action and the function/alias/version so messages say what to grant or fix.
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
import {
  type FeatureReads,
  readCodeLocation,
  readEventInvokeConfigs,
  readEventSourceMappings,
  readProvisionedConcurrency,
  removeProvisionedConcurrency,
  writeProvisionedConcurrency,
} from './lambda-feature-reads.js';
import {
  anySignal,
  functionNameOf,
  qualifierContext,
  sortPublishedVersions,
  toAliasInfo,
  toCodeInput,
  toFunctionInfo,
} from './lambda-mappers.js';
import { type WaitKind, waitForFunction } from './lambda-waiters.js';
import { loadLambdaSdk } from './sdk-modules.js';
import type { TimeBounds } from './time-bounds.js';

const {
  CreateAliasCommand,
  GetAliasCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  InvokeCommand,
  ListTagsCommand,
  PublishVersionCommand,
  paginateListFunctions,
  paginateListVersionsByFunction,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateAliasCommand,
  UpdateFunctionCodeCommand,
} = loadLambdaSdk();

export interface LambdaAdapterOptions extends CallerOptions {
  waiter?: WaiterOptions;
}

/** Lambda runs a function for at most 15 minutes; an Invoke without a hook timeout waits that long. */
const MAX_INVOKE_MS = 900_000;
/** Room for the Invoke round trip beyond the function's own run time. */
const INVOKE_MARGIN_MS = 30_000;

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

  private get bounds(): TimeBounds {
    return this.caller.bounds;
  }

  readCredentialLifetime(): Promise<CredentialLifetime | undefined> {
    return readCredentialLifetime(this.client.config);
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
    return this.caller.call(
      'ListVersionsByFunction',
      { functionName },
      async (o) => {
        const versions: FunctionInfo[] = [];
        const pages = paginateListVersionsByFunction(
          { client: this.client },
          { FunctionName: functionName, MaxItems: 50 },
          o,
        );
        for await (const page of pages) {
          for (const v of page.Versions ?? []) versions.push(toFunctionInfo(v));
        }
        return sortPublishedVersions(versions);
      },
      { deadlineMs: this.bounds.listMs },
    );
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

  waitUntilUpdated(functionName: string, timeoutSeconds = DEFAULT_WAIT_SECONDS): Promise<FunctionInfo> {
    return this.waitFor('updated', functionName, undefined, timeoutSeconds);
  }

  waitUntilActive(
    functionName: string,
    version: string,
    timeoutSeconds = DEFAULT_WAIT_SECONDS,
  ): Promise<FunctionInfo> {
    return this.waitFor('active', functionName, version, timeoutSeconds);
  }

  private async waitFor(
    kind: WaitKind,
    functionName: string,
    qualifier: string | undefined,
    timeoutSeconds: number,
  ): Promise<FunctionInfo> {
    // Read once ourselves first, with the API the waiter polls: the SDK waiter treats every
    // exception (404, 403 on lambda:GetFunction…) as "retry" and would poll until the timeout;
    // this read fails fast with a mapped error instead.
    const ctx = qualifierContext(functionName, qualifier);
    const first = await this.caller.call('GetFunction', ctx, (o) =>
      this.client.send(new GetFunctionCommand({ FunctionName: functionName, Qualifier: qualifier }), o),
    );
    const current = toFunctionInfo(first.Configuration);
    return waitForFunction({
      client: this.client,
      kind,
      functionName,
      qualifier,
      current,
      timeoutSeconds,
      delays: this.options.waiter ?? {},
      readRaw: () =>
        this.caller.call('GetFunctionConfiguration', qualifierContext(functionName, qualifier), (o) =>
          this.client.send(
            new GetFunctionConfigurationCommand({ FunctionName: functionName, Qualifier: qualifier }),
            o,
          ),
        ),
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

  /**
   * A hook's synchronous Invoke: bounded by the hook's own timeout (`opts.timeoutMs`, else
   * Lambda's 15-minute maximum) plus a margin, not by the control-plane bound.
   */
  async invoke(
    functionName: string,
    qualifier: string,
    payload: string,
    opts: { timeoutMs?: number; signal?: AbortSignal } = {},
  ): Promise<InvokeResult> {
    const runMs = Math.min(opts.timeoutMs ?? MAX_INVOKE_MS, MAX_INVOKE_MS) + INVOKE_MARGIN_MS;
    const out = await this.caller.call(
      'InvokeFunction',
      qualifierContext(functionName, qualifier),
      (o) =>
        this.client.send(
          new InvokeCommand({
            FunctionName: functionName,
            Qualifier: qualifier,
            InvocationType: 'RequestResponse',
            Payload: new TextEncoder().encode(payload),
          }),
          { ...o, abortSignal: anySignal(o.abortSignal, opts.signal) },
        ),
      { requestTimeout: runMs, deadlineMs: runMs + this.bounds.callMs },
    );
    const result: InvokeResult = {
      statusCode: out.StatusCode ?? 0,
      payload: out.Payload ? new TextDecoder().decode(out.Payload) : '',
    };
    if (out.FunctionError) result.functionError = out.FunctionError;
    if (out.ExecutedVersion) result.executedVersion = out.ExecutedVersion;
    return result;
  }

  async checkInvoke(functionName: string, qualifier?: string): Promise<void> {
    await this.caller.call('InvokeFunction', qualifierContext(functionName, qualifier), (o) =>
      this.client.send(
        new InvokeCommand({ FunctionName: functionName, Qualifier: qualifier, InvocationType: 'DryRun' }),
        o,
      ),
    );
  }

  async listTags(functionArn: string, opts: RequestUrgency = {}): Promise<Record<string, string>> {
    const out = await this.caller.call(
      'ListTags',
      { functionName: functionNameOf(functionArn) },
      (o) => this.client.send(new ListTagsCommand({ Resource: functionArn }), o),
      { urgent: opts.urgent },
    );
    return { ...(out.Tags ?? {}) };
  }

  async tagResource(
    functionArn: string,
    tags: Record<string, string>,
    opts: RequestUrgency = {},
  ): Promise<void> {
    if (Object.keys(tags).length === 0) return;
    await this.caller.call(
      'TagResource',
      { functionName: functionNameOf(functionArn) },
      (o) => this.client.send(new TagResourceCommand({ Resource: functionArn, Tags: tags }), o),
      { urgent: opts.urgent },
    );
  }

  async untagResource(functionArn: string, keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.caller.call('UntagResource', { functionName: functionNameOf(functionArn) }, (o) =>
      this.client.send(new UntagResourceCommand({ Resource: functionArn, TagKeys: keys }), o),
    );
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
    return this.caller.call(
      'ListFunctions',
      { resource: 'the functions of this account and region' },
      async (o) => {
        const out: { functionName: string; functionArn: string }[] = [];
        for await (const page of paginateListFunctions({ client: this.client }, { MaxItems: 50 }, o)) {
          for (const f of page.Functions ?? []) {
            out.push({ functionName: f.FunctionName ?? '', functionArn: f.FunctionArn ?? '' });
          }
        }
        return out;
      },
      { deadlineMs: this.bounds.listMs },
    );
  }
}
