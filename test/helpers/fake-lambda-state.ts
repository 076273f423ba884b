/**
 * The stored state of FakeLambda (functions, versions, aliases, tags) with its setup helpers
 * and the Lambda rules about routing. FakeLambda (fake-lambda.ts) adds the port, call log and faults.
 */
import { createHash } from 'node:crypto';
import { ConflictError, OperationError } from '../../src/domain/errors.js';
import { digestOf } from '../../src/domain/image.js';
import type {
  AliasInfo,
  AliasWrite,
  CodeLocation,
  EventInvokeConfigInfo,
  EventSourceMappingInfo,
  FunctionInfo,
  ImageConfig,
  ProvisionedConcurrencyInfo,
} from '../../src/ports/lambda.js';

export interface FakeConfig {
  role?: string;
  deadLetterTargetArn?: string;
  state?: string;
  codeSha256?: string;
  description?: string;
  architectures?: string[];
  imageConfig?: ImageConfig;
  /** Makes an Image function (addFunction) or sets the version's image (addVersion). */
  imageUri?: string;
}

export type AliasTarget = Pick<AliasWrite, 'functionVersion' | 'additionalWeights'>;

export interface FakeFunction {
  latest: FunctionInfo;
  /** Version number `$LATEST` was last published as, while unchanged. */
  publishedAs?: string;
  versions: Map<string, FunctionInfo>;
  aliases: Map<string, AliasInfo>;
  tags: Record<string, string>;
  /** GetFunction's Code per version (`$LATEST` included), for Image functions. */
  code: Map<string, CodeLocation>;
  /** Provisioned concurrency by qualifier; `pcStatuses` are the statuses the next reads return. */
  provisionedConcurrency: Map<string, ProvisionedConcurrencyInfo>;
  pcStatuses: Map<string, string[]>;
  /** Asynchronous-invocation configs by qualifier. */
  eventInvokeConfigs: Map<string, EventInvokeConfigInfo>;
}

export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';

export class FakeLambdaState {
  protected readonly functions = new Map<string, FakeFunction>();
  /** Event source mappings of every function (their functionArn says which qualifier). */
  protected readonly eventSourceMappings: EventSourceMappingInfo[] = [];
  private revision = 0;
  private sha = 0;
  /** The registry: tag URI → `sha256:<hex>` it points at now. */
  private readonly imageTags = new Map<string, string>();

  /** Points a tag at a digest, as `docker push` would; the next image deploy of it resolves there. */
  pushImage(tagUri: string, digest: string): this {
    this.imageTags.set(tagUri, digest);
    return this;
  }

  /** A tag or digest URI → the digest URI Lambda would resolve it to. */
  resolveImage(uri: string): CodeLocation {
    const repo = uri.replace(/@sha256:.*$/, '').replace(/:[^:/]+$/, '');
    const digest =
      digestOf(uri) ?? this.imageTags.get(uri) ?? `sha256:${createHash('sha256').update(uri).digest('hex')}`;
    return { repositoryType: 'ECR', imageUri: uri, resolvedImageUri: `${repo}@${digest}` };
  }

  // ---- setup (not logged) ----

  addFunction(name: string, config: FakeConfig = {}): this {
    this.functions.set(name, {
      latest: {
        functionName: name,
        functionArn: arnOf(name),
        version: '$LATEST',
        state: 'Active',
        lastUpdateStatus: 'Successful',
        codeSha256: config.codeSha256 ?? this.nextSha(),
        role: config.role ?? `arn:aws:iam::${ACCOUNT}:role/${name}-role`,
        deadLetterTargetArn: config.deadLetterTargetArn,
        revisionId: this.nextRevision(),
        packageType: config.imageUri ? 'Image' : 'Zip',
        description: config.description,
        ...(config.architectures ? { architectures: config.architectures } : {}),
        ...(config.imageConfig ? { imageConfig: config.imageConfig } : {}),
      },
      versions: new Map(),
      aliases: new Map(),
      tags: {},
      code: new Map(config.imageUri ? [['$LATEST', this.resolveImage(config.imageUri)]] : []),
      eventInvokeConfigs: new Map(),
      provisionedConcurrency: new Map(),
      pcStatuses: new Map(),
    });
    return this;
  }

  /** Publishes a version whose config is `$LATEST`'s with `config` applied; returns its number. */
  addVersion(name: string, config: FakeConfig = {}): string {
    const fn = this.fn(name);
    const version = String(this.lastVersion(fn) + 1);
    const { imageUri, ...rest } = config;
    const code = imageUri ? this.resolveImage(imageUri) : fn.code.get('$LATEST');
    if (code) fn.code.set(version, code);
    fn.versions.set(version, {
      ...fn.latest,
      ...definedOnly(rest),
      version,
      functionArn: `${fn.latest.functionArn}:${version}`,
      state: config.state ?? 'Active',
      codeSha256: config.codeSha256 ?? this.nextSha(),
      revisionId: this.nextRevision(),
    });
    return version;
  }

  /**
   * Publishes `$LATEST` as it is, as Lambda's PublishVersion would (its code and configuration,
   * and Lambda then gives this version back to a publish while `$LATEST` is unchanged); returns
   * its number. Setup: not logged.
   */
  publishLatest(name: string): string {
    const fn = this.fn(name);
    const version = String(this.lastVersion(fn) + 1);
    const code = fn.code.get('$LATEST');
    if (code) fn.code.set(version, { ...code });
    fn.versions.set(version, {
      ...fn.latest,
      version,
      functionArn: `${fn.latest.functionArn}:${version}`,
      revisionId: this.nextRevision(),
    });
    fn.publishedAs = version;
    return version;
  }

  /** Someone else's UpdateFunctionConfiguration of `$LATEST`: `change` applied, a new RevisionId. */
  configureLatest(name: string, change: Omit<FakeConfig, 'imageUri' | 'codeSha256'>): void {
    const fn = this.fn(name);
    fn.latest = { ...fn.latest, ...definedOnly(change), revisionId: this.nextRevision() };
    fn.publishedAs = undefined;
  }

  addAlias(name: string, alias: string, version: string, weights: Record<string, number> = {}): this {
    this.fn(name).aliases.set(alias, {
      name: alias,
      aliasArn: `${arnOf(name)}:${alias}`,
      functionVersion: version,
      additionalWeights: { ...weights },
      revisionId: this.nextRevision(),
    });
    return this;
  }

  /**
   * PutProvisionedConcurrencyConfig on a qualifier; `afterWrite` are the statuses reads return
   * after each alias write (e.g. IN_PROGRESS, IN_PROGRESS, then READY from then on).
   */
  setProvisionedConcurrency(
    name: string,
    qualifier: string,
    requested: number,
    afterWrite: string[] = [],
  ): this {
    const fn = this.fn(name);
    fn.provisionedConcurrency.set(qualifier, {
      requested,
      allocated: requested,
      available: requested,
      status: 'READY',
    });
    this.pcAfterWrite.set(`${name}:${qualifier}`, afterWrite);
    return this;
  }

  protected readonly pcAfterWrite = new Map<string, string[]>();

  /** The statuses reads of `name:qualifier` return after a PutProvisionedConcurrencyConfig. */
  setPcAfterPut(name: string, qualifier: string, statuses: string[]): this {
    this.pcAfterPut.set(`${name}:${qualifier}`, statuses);
    return this;
  }

  protected readonly pcAfterPut = new Map<string, string[]>();

  /** CreateEventSourceMapping for `name` or `name:qualifier`. */
  addEventSourceMapping(target: string, eventSourceArn: string): this {
    const [name, qualifier] = target.split(':');
    this.fn(name!);
    this.eventSourceMappings.push({
      uuid: `esm-${this.eventSourceMappings.length + 1}`,
      eventSourceArn,
      functionArn: qualifier ? `${arnOf(name!)}:${qualifier}` : arnOf(name!),
      state: 'Enabled',
    });
    return this;
  }

  /** PutFunctionEventInvokeConfig on a qualifier (`$LATEST`, a version or an alias). */
  setEventInvokeConfig(name: string, config: EventInvokeConfigInfo): this {
    this.fn(name).eventInvokeConfigs.set(config.qualifier, { ...config });
    return this;
  }

  /** The alias as stored now (not logged). */
  peekAlias(name: string, alias: string): AliasInfo | undefined {
    const found = this.functions.get(name)?.aliases.get(alias);
    return found ? structuredClone(found) : undefined;
  }

  peekTags(name: string): Record<string, string> {
    return { ...this.fn(name).tags };
  }

  /** Someone deletes the function (its versions, aliases and tags go with it), as DeleteFunction does. */
  deleteFunction(name: string): void {
    this.functions.delete(name);
  }

  /** Someone deletes a version (pruning old ones), as DeleteFunction with a Qualifier does. */
  deleteVersion(name: string, version: string): void {
    this.fn(name).versions.delete(version);
  }

  /** Someone deletes the alias, as DeleteAlias does. */
  deleteAlias(name: string, alias: string): void {
    this.fn(name).aliases.delete(alias);
  }

  moveAlias(name: string, alias: string, target: AliasTarget): void {
    const current = this.fn(name).aliases.get(alias);
    if (!current) throw new Error(`FakeLambda: no alias ${alias}`);
    current.functionVersion = target.functionVersion;
    current.additionalWeights = { ...target.additionalWeights };
    current.revisionId = this.nextRevision();
  }

  /** Someone else writes the alias when clock time reaches `at` (applied before the next call). */
  protected validateRouting(functionName: string, write: AliasWrite): void {
    const primary = this.resolve(functionName, write.functionVersion);
    const entries = Object.entries(write.additionalWeights);
    if (entries.length > 1) throw invalid('RoutingConfig supports only one additional version');
    for (const [version, weight] of entries) {
      if (!/^[0-9]+$/.test(version))
        throw invalid(`additional version ${version} must be a published version`);
      if (write.functionVersion === '$LATEST') throw invalid('$LATEST cannot have routing');
      if (version === write.functionVersion)
        throw invalid('the additional version equals the primary version');
      if (!(weight >= 0 && weight <= 1)) throw invalid(`weight ${weight} is outside [0.0, 1.0]`);
      const extra = this.resolve(functionName, version);
      if (extra.role !== primary.role) throw invalid('both versions must have the same execution role');
      if (extra.deadLetterTargetArn !== primary.deadLetterTargetArn) {
        throw invalid('both versions must have the same dead-letter queue');
      }
    }
  }

  protected resolve(functionName: string, qualifier?: string): FunctionInfo {
    const fn = this.fn(functionName, 'lambda:GetFunctionConfiguration');
    if (qualifier === undefined || qualifier === '$LATEST') return fn.latest;
    const version =
      fn.versions.get(qualifier) ?? fn.versions.get(fn.aliases.get(qualifier)?.functionVersion ?? '');
    if (!version) {
      throw new OperationError(
        'VERSION_NOT_FOUND',
        `Version ${qualifier} of function ${functionName} does not exist (or the function does not exist).`,
        { context: { functionName, version: qualifier } },
      );
    }
    return version;
  }

  protected fn(name: string, action = 'lambda:GetFunction'): FakeFunction {
    const fn = this.functions.get(name);
    if (!fn) {
      throw new OperationError(
        'FUNCTION_NOT_FOUND',
        `Function ${name} does not exist in this account and region (${action}).`,
        {
          context: { functionName: name, action },
          hint: 'Check the function name, --region and --profile.',
        },
      );
    }
    return fn;
  }

  protected lastVersion(fn: FakeFunction): number {
    return Math.max(0, ...[...fn.versions.keys()].map(Number));
  }

  protected nextRevision(): string {
    this.revision++;
    return `rev-${this.revision}`;
  }

  protected nextSha(): string {
    this.sha++;
    return `sha-${this.sha}`;
  }
}

export function arnOf(name: string): string {
  return `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;
}

export function nameOf(nameOrArn: string): string {
  return nameOrArn.startsWith('arn:') ? (nameOrArn.split(':')[6] ?? nameOrArn) : nameOrArn;
}

export function clone<T>(value: T): T {
  return structuredClone(value);
}

export function definedOnly(config: FakeConfig): Partial<FunctionInfo> {
  return Object.fromEntries(
    Object.entries(config).filter(([, v]) => v !== undefined),
  ) as Partial<FunctionInfo>;
}

export function invalid(message: string): OperationError {
  return new OperationError('INVALID_PARAMETER', `AWS rejected a parameter: ${message}`);
}

export function functionChanged(functionName: string, op: string): ConflictError {
  return new ConflictError('FUNCTION_CHANGED', `Someone else changed function ${functionName} (${op}).`);
}
