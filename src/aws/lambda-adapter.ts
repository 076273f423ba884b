/**
 * LambdaPort over the real SDK client. Every call maps its errors with mapAwsError; ctx names
 * the IAM action and the function/alias/version so messages say what to grant or fix.
 */
import {
  CreateAliasCommand,
  GetAliasCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  InvokeCommand,
  type LambdaClient,
  ListTagsCommand,
  PublishVersionCommand,
  paginateListFunctions,
  paginateListVersionsByFunction,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateAliasCommand,
  UpdateFunctionCodeCommand,
} from '@aws-sdk/client-lambda';
import type {
  AliasInfo,
  AliasWrite,
  CodeSource,
  FunctionInfo,
  InvokeResult,
  LambdaPort,
  PublishedVersion,
} from '../ports/lambda.js';
import { describeEndpoint, type WaiterOptions } from './client-config.js';
import { type AwsErrorContext, isNetworkError, mapAwsError } from './error-mapping.js';
import {
  functionNameOf,
  sortPublishedVersions,
  toAliasInfo,
  toCodeInput,
  toFunctionInfo,
} from './lambda-mappers.js';
import { type WaitKind, waitForFunction } from './lambda-waiters.js';

export interface LambdaAdapterOptions {
  waiter?: WaiterOptions;
}

const DEFAULT_WAIT_SECONDS = 300;

/** A qualifier is a version (`7`, `$LATEST`) or an alias name; errors should name the right one. */
function qualifierContext(
  functionName: string,
  qualifier?: string,
): { functionName: string; version?: string; alias?: string } {
  if (!qualifier) return { functionName };
  return /^(\d+|\$LATEST)$/.test(qualifier)
    ? { functionName, version: qualifier }
    : { functionName, alias: qualifier };
}

export class LambdaAdapter implements LambdaPort {
  constructor(
    private readonly client: LambdaClient,
    private readonly options: LambdaAdapterOptions = {},
  ) {}

  /** Runs one SDK call and maps whatever it throws. `operation` is the Lambda API/IAM action name. */
  private async call<T>(
    operation: string,
    ctx: Omit<AwsErrorContext, 'operation' | 'endpoint'>,
    run: () => Promise<T>,
  ): Promise<T> {
    try {
      return await run();
    } catch (error) {
      const endpoint = isNetworkError(error)
        ? await describeEndpoint(this.client.config, { envSuffix: 'LAMBDA', host: 'lambda' })
        : undefined;
      throw mapAwsError(error, { ...ctx, operation: `lambda:${operation}`, endpoint });
    }
  }

  async getFunction(functionName: string, qualifier?: string): Promise<FunctionInfo> {
    const out = await this.call('GetFunctionConfiguration', qualifierContext(functionName, qualifier), () =>
      this.client.send(
        new GetFunctionConfigurationCommand({ FunctionName: functionName, Qualifier: qualifier }),
      ),
    );
    return toFunctionInfo(out);
  }

  async getAlias(functionName: string, alias: string): Promise<AliasInfo | undefined> {
    try {
      const out = await this.client.send(new GetAliasCommand({ FunctionName: functionName, Name: alias }));
      return toAliasInfo(out);
    } catch (error) {
      // A missing alias is an answer, not an error; a missing function still is one.
      const e = error as { name?: string; message?: string };
      if (e.name === 'ResourceNotFoundException' && !/^function not found/i.test(e.message ?? '')) {
        return undefined;
      }
      return this.call('GetAlias', { functionName, alias }, () => Promise.reject(error));
    }
  }

  async listVersions(functionName: string): Promise<FunctionInfo[]> {
    return this.call('ListVersionsByFunction', { functionName }, async () => {
      const versions: FunctionInfo[] = [];
      const pages = paginateListVersionsByFunction(
        { client: this.client },
        { FunctionName: functionName, MaxItems: 50 },
      );
      for await (const page of pages) {
        for (const v of page.Versions ?? []) versions.push(toFunctionInfo(v));
      }
      return sortPublishedVersions(versions);
    });
  }

  async updateCode(functionName: string, source: CodeSource, revisionId?: string): Promise<FunctionInfo> {
    const out = await this.call('UpdateFunctionCode', { functionName }, () =>
      this.client.send(
        new UpdateFunctionCodeCommand({
          FunctionName: functionName,
          ...toCodeInput(source),
          Publish: false,
          RevisionId: revisionId,
        }),
      ),
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
    const first = await this.call('GetFunction', ctx, () =>
      this.client.send(new GetFunctionCommand({ FunctionName: functionName, Qualifier: qualifier })),
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
        this.call('GetFunctionConfiguration', qualifierContext(functionName, qualifier), () =>
          this.client.send(
            new GetFunctionConfigurationCommand({ FunctionName: functionName, Qualifier: qualifier }),
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
    const out = await this.call('PublishVersion', { functionName }, () =>
      this.client.send(
        new PublishVersionCommand({
          FunctionName: functionName,
          CodeSha256: opts.codeSha256,
          RevisionId: opts.revisionId,
          Description: opts.description,
        }),
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
    const out = await this.call('CreateAlias', { functionName, alias, version: functionVersion }, () =>
      this.client.send(
        new CreateAliasCommand({
          FunctionName: functionName,
          Name: alias,
          FunctionVersion: functionVersion,
          Description: description,
        }),
      ),
    );
    return toAliasInfo(out);
  }

  async updateAlias(functionName: string, alias: string, write: AliasWrite): Promise<AliasInfo> {
    // No `version` in the context: a 412 is about the alias, not the version being written.
    const out = await this.call('UpdateAlias', { functionName, alias }, () =>
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
      ),
    );
    return toAliasInfo(out);
  }

  async invoke(functionName: string, qualifier: string, payload: string): Promise<InvokeResult> {
    const out = await this.call('InvokeFunction', qualifierContext(functionName, qualifier), () =>
      this.client.send(
        new InvokeCommand({
          FunctionName: functionName,
          Qualifier: qualifier,
          InvocationType: 'RequestResponse',
          Payload: new TextEncoder().encode(payload),
        }),
      ),
    );
    const result: InvokeResult = {
      statusCode: out.StatusCode ?? 0,
      payload: out.Payload ? new TextDecoder().decode(out.Payload) : '',
    };
    if (out.FunctionError) result.functionError = out.FunctionError;
    if (out.ExecutedVersion) result.executedVersion = out.ExecutedVersion;
    return result;
  }

  async listTags(functionArn: string): Promise<Record<string, string>> {
    const out = await this.call('ListTags', { functionName: functionNameOf(functionArn) }, () =>
      this.client.send(new ListTagsCommand({ Resource: functionArn })),
    );
    return { ...(out.Tags ?? {}) };
  }

  async tagResource(functionArn: string, tags: Record<string, string>): Promise<void> {
    if (Object.keys(tags).length === 0) return;
    await this.call('TagResource', { functionName: functionNameOf(functionArn) }, () =>
      this.client.send(new TagResourceCommand({ Resource: functionArn, Tags: tags })),
    );
  }

  async untagResource(functionArn: string, keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.call('UntagResource', { functionName: functionNameOf(functionArn) }, () =>
      this.client.send(new UntagResourceCommand({ Resource: functionArn, TagKeys: keys })),
    );
  }

  async listFunctions(): Promise<{ functionName: string; functionArn: string }[]> {
    return this.call('ListFunctions', { resource: 'the functions of this account and region' }, async () => {
      const out: { functionName: string; functionArn: string }[] = [];
      for await (const page of paginateListFunctions({ client: this.client }, { MaxItems: 50 })) {
        for (const f of page.Functions ?? []) {
          out.push({ functionName: f.FunctionName ?? '', functionArn: f.FunctionArn ?? '' });
        }
      }
      return out;
    });
  }
}
