/**
 * What the engine needs from Lambda. Implemented by src/aws/lambda-adapter.ts (real SDK)
 * and by in-memory fakes in tests. Adapters map AWS errors to LshiftError subclasses
 * (ResourceNotFound → OperationError/PreflightError `FUNCTION_NOT_FOUND`/`ALIAS_NOT_FOUND`,
 * 412 → ConflictError `ALIAS_CHANGED` / `FUNCTION_CHANGED`, AccessDenied → `ACCESS_DENIED` naming the action).
 */
import type { CredentialLifetime } from '../domain/credential-lifetime.js';

export interface FunctionInfo {
  functionName: string;
  functionArn: string;
  /** `$LATEST` or a published version number as a string. */
  version: string;
  /** Pending | Active | Inactive | Failed (undefined when Lambda did not say). */
  state?: string;
  /** InProgress | Successful | Failed. */
  lastUpdateStatus?: string;
  lastUpdateStatusReason?: string;
  codeSha256: string;
  role: string;
  /** DeadLetterConfig.TargetArn, undefined when the function has none. */
  deadLetterTargetArn?: string;
  revisionId: string;
  packageType: 'Zip' | 'Image';
  description?: string;
  /** Architectures (`x86_64` or `arm64`); undefined when Lambda did not say. */
  architectures?: string[];
  /** ImageConfigResponse.ImageConfig of an Image function (overrides of the image's Dockerfile). */
  imageConfig?: ImageConfig;
  /**
   * The configuration a version freezes (runtime, memory, environment, layers, VPC…), one
   * comparable string per setting, keyed by its name as a user says it. Environment variables
   * are secrets: only a digest of them. Lets a dry run tell whether PublishVersion would find
   * `$LATEST` unchanged since a version; undefined when the adapter did not read it.
   */
  settings?: Record<string, string>;
}

/** https://docs.aws.amazon.com/lambda/latest/api/API_ImageConfig.html */
export interface ImageConfig {
  entryPoint?: string[];
  command?: string[];
  workingDirectory?: string;
}

/**
 * GetFunction's `Code` (FunctionCodeLocation,
 * https://docs.aws.amazon.com/lambda/latest/api/API_FunctionCodeLocation.html): for an Image
 * function the URI it was given (tag or digest) and the digest Lambda resolved it to.
 * GetFunctionConfiguration does not return these.
 */
export interface CodeLocation {
  repositoryType?: string;
  imageUri?: string;
  resolvedImageUri?: string;
}

/**
 * One asynchronous-invocation config (FunctionEventInvokeConfig,
 * https://docs.aws.amazon.com/lambda/latest/api/API_FunctionEventInvokeConfig.html).
 */
export interface EventInvokeConfigInfo {
  /** `$LATEST` for the unqualified function, a version number or an alias name. */
  qualifier: string;
  maximumRetryAttempts?: number;
  maximumEventAgeInSeconds?: number;
  onSuccess?: string;
  onFailure?: string;
}

/** One event source mapping (EventSourceMappingConfiguration), as much as preflight needs. */
export interface EventSourceMappingInfo {
  uuid: string;
  eventSourceArn?: string;
  /** The function ARN it invokes, qualified (`…:function:fn:live`, `…:fn:7`) or not. */
  functionArn: string;
  state?: string;
}

/**
 * GetProvisionedConcurrencyConfig of an alias or version
 * (https://docs.aws.amazon.com/lambda/latest/api/API_GetProvisionedConcurrencyConfig.html).
 */
export interface ProvisionedConcurrencyInfo {
  requested: number;
  allocated: number;
  available: number;
  /** IN_PROGRESS | READY | FAILED. */
  status: string;
  statusReason?: string;
}

export interface AliasInfo {
  name: string;
  aliasArn?: string;
  /** The primary version (all traffic not routed elsewhere). */
  functionVersion: string;
  /** RoutingConfig.AdditionalVersionWeights: version → weight in [0, 1]. Empty when not split. */
  additionalWeights: Record<string, number>;
  revisionId: string;
}

export type CodeSource =
  | {
      kind: 'zip';
      zipFile: Uint8Array;
      fileName: string;
      /**
       * Lambda's CodeSha256 of the package (its base64 SHA-256), computed where the file is read
       * (the engine cannot hash): how a lost UpdateFunctionCode answer is recognised as lshift's
       * own upload (src/engine/code-answer.ts). Without it, such an answer stays unknown.
       */
      codeSha256?: string;
    }
  | { kind: 's3'; bucket: string; key: string; objectVersion?: string }
  | { kind: 'image'; imageUri: string };

export interface PublishedVersion {
  functionName: string;
  version: string;
  codeSha256: string;
  /** false when Lambda returned an already existing version because nothing changed. */
  created: boolean;
}

export interface AliasWrite {
  functionVersion: string;
  /** Additional version → weight. `{}` clears routing. */
  additionalWeights: Record<string, number>;
  /** The last seen alias RevisionId. Required: lshift never writes an alias blind. */
  revisionId: string;
  description?: string;
}

export interface InvokeResult {
  statusCode: number;
  /** `Handled` / `Unhandled` when the function errored (Lambda's X-Amz-Function-Error). */
  functionError?: string;
  /** Response payload decoded as UTF-8. */
  payload: string;
  executedVersion?: string;
}

export interface LambdaPort {
  /**
   * How long the credentials the calls are signed with last (src/domain/credential-lifetime.ts);
   * undefined when unknown. Throws CREDENTIALS_TIMEOUT when resolving them takes longer than a
   * call may (a hung credential_process). Optional: fakes without it are never refused for their
   * credentials.
   */
  readCredentialLifetime?(): Promise<CredentialLifetime | undefined>;
  /** GetFunctionConfiguration for `$LATEST` or a qualifier (version). Throws when missing. */
  getFunction(functionName: string, qualifier?: string): Promise<FunctionInfo>;
  /** GetAlias; resolves undefined when the alias does not exist. */
  getAlias(functionName: string, alias: string): Promise<AliasInfo | undefined>;
  /** ListVersionsByFunction, all pages, published versions only (no `$LATEST`), ascending. */
  listVersions(functionName: string): Promise<FunctionInfo[]>;
  /** UpdateFunctionCode (does not publish). */
  updateCode(functionName: string, source: CodeSource, revisionId?: string): Promise<FunctionInfo>;
  /** Waits (SDK waiter) until LastUpdateStatus is Successful; throws when it is Failed or the wait times out. */
  waitUntilUpdated(functionName: string, timeoutSeconds?: number): Promise<FunctionInfo>;
  /** Waits until a version's State is Active. */
  waitUntilActive(functionName: string, version: string, timeoutSeconds?: number): Promise<FunctionInfo>;
  /**
   * PublishVersion with CodeSha256 and RevisionId of `$LATEST`. `created` is false when Lambda
   * returned an existing version (the caller compares with the versions listed before).
   */
  publishVersion(
    functionName: string,
    opts: { codeSha256: string; revisionId: string; description?: string },
  ): Promise<PublishedVersion>;
  createAlias(
    functionName: string,
    alias: string,
    functionVersion: string,
    description?: string,
  ): Promise<AliasInfo>;
  /** UpdateAlias with RevisionId. A 412 throws ConflictError `ALIAS_CHANGED`. */
  updateAlias(functionName: string, alias: string, write: AliasWrite): Promise<AliasInfo>;
  /**
   * Synchronous Invoke. `timeoutMs` is how long the caller will wait (a hook's timeout): the
   * adapter bounds the request by it rather than by the short control-plane bound.
   */
  invoke(
    functionName: string,
    qualifier: string,
    payload: string,
    opts?: { timeoutMs?: number; signal?: AbortSignal },
  ): Promise<InvokeResult>;
  /**
   * Invoke with InvocationType DryRun: resolves when the function (and qualifier) exists and the
   * caller may invoke it, without running it. Throws as `invoke` would (FUNCTION_NOT_FOUND…).
   */
  checkInvoke(functionName: string, qualifier?: string): Promise<void>;
  /** Tags of the function (by name or ARN). */
  listTags(functionArn: string, opts?: RequestUrgency): Promise<Record<string, string>>;
  tagResource(functionArn: string, tags: Record<string, string>, opts?: RequestUrgency): Promise<void>;
  untagResource(functionArn: string, keys: string[]): Promise<void>;
  /** GetFunction's Code of `$LATEST` or a version: the image URI and its resolved digest. */
  getCodeLocation(functionName: string, qualifier?: string): Promise<CodeLocation>;
  /** ListFunctionEventInvokeConfigs, all pages: the configs of the function, its versions and aliases. */
  listEventInvokeConfigs(functionName: string): Promise<EventInvokeConfigInfo[]>;
  /**
   * ListEventSourceMappings with FunctionName = `functionName` (a name, or `name:qualifier`),
   * all pages.
   */
  listEventSourceMappings(functionName: string): Promise<EventSourceMappingInfo[]>;
  /** GetProvisionedConcurrencyConfig; undefined when the alias or version has none. */
  getProvisionedConcurrency(
    functionName: string,
    qualifier: string,
  ): Promise<ProvisionedConcurrencyInfo | undefined>;
  /**
   * PutProvisionedConcurrencyConfig on a published version or an alias (`--warm` puts a temporary
   * one on the new version; https://docs.aws.amazon.com/lambda/latest/api/API_PutProvisionedConcurrencyConfig.html).
   */
  putProvisionedConcurrency(functionName: string, qualifier: string, amount: number): Promise<void>;
  /**
   * DeleteProvisionedConcurrencyConfig; a qualifier that has none is already done (no error), so
   * removing the temporary config twice is harmless.
   */
  deleteProvisionedConcurrency(functionName: string, qualifier: string): Promise<void>;
  /** Every function in the account/region (ListFunctions, all pages): names and ARNs. */
  listFunctions(): Promise<{ functionName: string; functionArn: string }[]>;
}

/**
 * A request that must not wait behind routine ones in Lambda's control-plane queue: the record
 * write that marks a failed release as rolling back, which every alias restore waits for
 * (src/aws/rate-limit.ts gives it a token before queued heartbeats and record writes).
 */
export interface RequestUrgency {
  urgent?: boolean;
}
