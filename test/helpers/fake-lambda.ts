/**
 * In-memory LambdaPort with the semantics of DESIGN.md §2: immutable increasing versions,
 * aliases whose RevisionId changes on every write (a stale one → ConflictError ALIAS_CHANGED,
 * like HTTP 412), routing validation (one additional version, weight 0–1, published, same role
 * and DLQ), PublishVersion returning the existing version when nothing changed, tags.
 * Errors are the ones src/aws/error-mapping.ts produces. Every call is logged in `calls`;
 * `fail(...)` injects failures and `moveAlias`/`moveAliasAt` play "someone else".
 */
import { ConflictError, OperationError } from '../../src/domain/errors.js';
import { digestOf } from '../../src/domain/image.js';
import type { Clock } from '../../src/ports/clock.js';
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
} from '../../src/ports/lambda.js';
import {
  type AliasTarget,
  arnOf,
  clone,
  FakeLambdaState,
  functionChanged,
  invalid,
  nameOf,
} from './fake-lambda-state.js';

export type { AliasTarget, FakeConfig } from './fake-lambda-state.js';

export type LambdaOp = keyof LambdaPort;

export interface LambdaCall {
  op: LambdaOp;
  args: unknown[];
  at: number;
  /** Error code when the call threw. */
  error?: string;
}

export interface LambdaFault {
  op: LambdaOp;
  /** 1-based index of this op's call that fails first; default: the next call. */
  nth?: number;
  /** How many calls fail (default 1; `Infinity` for always). */
  times?: number;
  /** Only calls whose args match count and fail. */
  match?: (args: unknown[]) => boolean;
  error?: Error;
}

interface ArmedFault extends LambdaFault {
  from: number;
  remaining: number;
  seen: number;
}

const LAMBDA_OPS: readonly LambdaOp[] = [
  'getFunction',
  'getAlias',
  'listVersions',
  'updateCode',
  'waitUntilUpdated',
  'waitUntilActive',
  'publishVersion',
  'createAlias',
  'updateAlias',
  'invoke',
  'checkInvoke',
  'listTags',
  'tagResource',
  'untagResource',
  'listFunctions',
  'getCodeLocation',
  'listEventInvokeConfigs',
  'listEventSourceMappings',
  'getProvisionedConcurrency',
  'putProvisionedConcurrency',
  'deleteProvisionedConcurrency',
];

export function throttled(op = 'lambda:UpdateAlias'): OperationError {
  return new OperationError('THROTTLED', `AWS throttled ${op}.`, {
    context: { action: op },
    hint: 'Retry later.',
  });
}

/**
 * A refusal no retry will pass: an actor without lambda:UpdateAlias. A rollback stops retrying
 * it after its fixed attempts, where a throttle is retried for minutes (step-restore.ts).
 */
export function aliasWriteDenied(): OperationError {
  return new OperationError('ACCESS_DENIED', 'not authorized to perform lambda:UpdateAlias.', {
    context: { action: 'lambda:UpdateAlias' },
  });
}

/**
 * The same Lambda seen by one actor whose every UpdateAlias is denied: a rollback that fails
 * for that actor only (a scheduled check), while another (a person) shares the same functions.
 */
export function failingAliasWrites(lambda: LambdaPort): LambdaPort {
  return new Proxy(lambda, {
    get(target, prop) {
      if (prop === 'updateAlias') return async () => Promise.reject(aliasWriteDenied());
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** The same Lambda whose every UpdateAlias takes `ms` of `clock` time: a rollback under way a while. */
export function slowAliasWrites(lambda: LambdaPort, clock: Clock, ms: number): LambdaPort {
  return new Proxy(lambda, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (prop === 'updateAlias')
        return async (...args: Parameters<LambdaPort['updateAlias']>) => {
          await clock.sleep(ms);
          return target.updateAlias(...args);
        };
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

export class FakeLambda extends FakeLambdaState implements LambdaPort {
  readonly calls: LambdaCall[] = [];
  /** Called after each call is logged, before it runs (e.g. to abort a deployment). */
  onCall?: (call: LambdaCall) => void;
  private faults: ArmedFault[] = [];
  private readonly counts = new Map<LambdaOp, number>();
  private moves: { at: number; functionName: string; alias: string; target: AliasTarget }[] = [];

  constructor(private readonly clock: Clock) {
    super();
    this.recordErrors();
  }

  // ---- fault injection and "someone else" ----

  fail(fault: LambdaFault): this {
    this.faults.push({
      ...fault,
      from: fault.nth ?? 1,
      remaining: fault.times ?? 1,
      seen: 0,
    });
    return this;
  }

  /** Someone else writes the alias now (new RevisionId). */
  moveAliasAt(at: number, name: string, alias: string, target: AliasTarget): void {
    this.moves.push({ at, functionName: name, alias, target });
  }

  callsOf(op: LambdaOp): LambdaCall[] {
    return this.calls.filter((c) => c.op === op);
  }

  /** The AliasWrite argument of every updateAlias call (failed ones included). */
  aliasWrites(): AliasWrite[] {
    return this.callsOf('updateAlias').map((c) => c.args[2] as AliasWrite);
  }

  // ---- LambdaPort ----

  async getFunction(functionName: string, qualifier?: string): Promise<FunctionInfo> {
    this.enter('getFunction', [functionName, qualifier]);
    return structuredClone(this.resolve(functionName, qualifier));
  }

  async getAlias(functionName: string, alias: string): Promise<AliasInfo | undefined> {
    this.enter('getAlias', [functionName, alias]);
    const found = this.fn(functionName, 'lambda:GetAlias').aliases.get(alias);
    return found ? structuredClone(found) : undefined;
  }

  async listVersions(functionName: string): Promise<FunctionInfo[]> {
    this.enter('listVersions', [functionName]);
    const fn = this.fn(functionName, 'lambda:ListVersionsByFunction');
    return [...fn.versions.values()].sort((a, b) => Number(a.version) - Number(b.version)).map(clone);
  }

  async updateCode(functionName: string, source: CodeSource, revisionId?: string): Promise<FunctionInfo> {
    this.enter('updateCode', [functionName, source, revisionId]);
    const fn = this.fn(functionName, 'lambda:UpdateFunctionCode');
    if (revisionId !== undefined && revisionId !== fn.latest.revisionId) {
      throw functionChanged(functionName, 'lambda:UpdateFunctionCode');
    }
    // Lambda's CodeSha256 of a zip is its own hash: the same package gives the same value.
    let codeSha256 = (source.kind === 'zip' ? source.codeSha256 : undefined) ?? this.nextSha();
    if (source.kind === 'image') {
      const code = this.resolveImage(source.imageUri);
      fn.code.set('$LATEST', code);
      // An image's CodeSha256 is its digest: the same image gives the same value.
      codeSha256 = digestOf(code.resolvedImageUri) ?? codeSha256;
    }
    fn.latest = {
      ...fn.latest,
      codeSha256,
      lastUpdateStatus: 'InProgress',
      revisionId: this.nextRevision(),
    };
    fn.publishedAs = undefined;
    return clone(fn.latest);
  }

  async waitUntilUpdated(functionName: string): Promise<FunctionInfo> {
    this.enter('waitUntilUpdated', [functionName]);
    const fn = this.fn(functionName, 'lambda:GetFunctionConfiguration');
    fn.latest = { ...fn.latest, lastUpdateStatus: 'Successful' };
    return clone(fn.latest);
  }

  async waitUntilActive(functionName: string, version: string): Promise<FunctionInfo> {
    this.enter('waitUntilActive', [functionName, version]);
    const info = this.resolve(functionName, version);
    if (info.state !== 'Active') {
      throw new OperationError(
        'VERSION_NOT_ACTIVE',
        `Version ${version} of ${functionName} is ${info.state}.`,
      );
    }
    return clone(info);
  }

  async publishVersion(
    functionName: string,
    opts: { codeSha256: string; revisionId: string; description?: string },
  ): Promise<PublishedVersion> {
    this.enter('publishVersion', [functionName, { ...opts }]);
    const fn = this.fn(functionName, 'lambda:PublishVersion');
    if (fn.latest.lastUpdateStatus === 'InProgress') {
      throw new ConflictError('FUNCTION_BUSY', `An update of ${functionName} is in progress.`);
    }
    if (opts.revisionId !== fn.latest.revisionId)
      throw functionChanged(functionName, 'lambda:PublishVersion');
    if (opts.codeSha256 !== fn.latest.codeSha256) {
      throw invalid(`CodeSha256 ${opts.codeSha256} does not match $LATEST of ${functionName}`);
    }
    // Lambda returns the existing version when code and config did not change.
    if (fn.publishedAs !== undefined) {
      return { functionName, version: fn.publishedAs, codeSha256: fn.latest.codeSha256, created: false };
    }
    const version = String(this.lastVersion(fn) + 1);
    fn.versions.set(version, {
      ...fn.latest,
      version,
      functionArn: `${fn.latest.functionArn}:${version}`,
      description: opts.description,
      revisionId: this.nextRevision(),
    });
    fn.publishedAs = version;
    const code = fn.code.get('$LATEST');
    if (code) fn.code.set(version, { ...code });
    return { functionName, version, codeSha256: fn.latest.codeSha256, created: true };
  }

  async createAlias(
    functionName: string,
    alias: string,
    functionVersion: string,
    description?: string,
  ): Promise<AliasInfo> {
    this.enter('createAlias', [functionName, alias, functionVersion, description]);
    const fn = this.fn(functionName, 'lambda:CreateAlias');
    if (fn.aliases.has(alias)) {
      throw new ConflictError('ALIAS_EXISTS', `Alias ${alias} already exists on function ${functionName}.`);
    }
    this.resolve(functionName, functionVersion);
    this.addAlias(functionName, alias, functionVersion);
    return structuredClone(fn.aliases.get(alias)!);
  }

  async updateAlias(functionName: string, alias: string, write: AliasWrite): Promise<AliasInfo> {
    this.enter('updateAlias', [functionName, alias, structuredClone(write)]);
    const fn = this.fn(functionName, 'lambda:UpdateAlias');
    const current = fn.aliases.get(alias);
    if (!current) {
      throw new OperationError(
        'ALIAS_NOT_FOUND',
        `Alias ${alias} of function ${functionName} does not exist.`,
      );
    }
    if (write.revisionId !== current.revisionId) {
      throw new ConflictError(
        'ALIAS_CHANGED',
        `Someone else changed function ${functionName} alias ${alias} since lshift read it (RevisionId mismatch on lambda:UpdateAlias); nothing was overwritten.`,
        { context: { functionName, alias, action: 'lambda:UpdateAlias' } },
      );
    }
    this.validateRouting(functionName, write);
    // Lambda re-allocates the alias's provisioned concurrency after a routing change.
    const pcKey = `${functionName}:${alias}`;
    if (fn.provisionedConcurrency.has(alias))
      fn.pcStatuses.set(alias, [...(this.pcAfterWrite.get(pcKey) ?? [])]);
    current.functionVersion = write.functionVersion;
    current.additionalWeights = { ...write.additionalWeights };
    current.revisionId = this.nextRevision();
    return structuredClone(current);
  }

  async invoke(functionName: string, qualifier: string, payload: string): Promise<InvokeResult> {
    this.enter('invoke', [functionName, qualifier, payload]);
    const info = this.resolve(functionName, qualifier);
    return { statusCode: 200, payload: '{"ok":true}', executedVersion: info.version };
  }

  async checkInvoke(functionName: string, qualifier?: string): Promise<void> {
    this.enter('checkInvoke', [functionName, qualifier]);
    this.resolve(nameOf(functionName), qualifier);
  }

  async listTags(functionArn: string): Promise<Record<string, string>> {
    this.enter('listTags', [functionArn]);
    return { ...this.fn(nameOf(functionArn), 'lambda:ListTags').tags };
  }

  async tagResource(functionArn: string, tags: Record<string, string>): Promise<void> {
    this.enter('tagResource', [functionArn, { ...tags }]);
    const fn = this.fn(nameOf(functionArn), 'lambda:TagResource');
    for (const [k, v] of Object.entries(tags)) {
      if (k.length > 128 || v.length > 256) throw invalid(`tag ${k} is too long`);
      fn.tags[k] = v;
    }
  }

  async untagResource(functionArn: string, keys: string[]): Promise<void> {
    this.enter('untagResource', [functionArn, [...keys]]);
    const fn = this.fn(nameOf(functionArn), 'lambda:UntagResource');
    for (const k of keys) delete fn.tags[k];
  }

  async listFunctions(): Promise<{ functionName: string; functionArn: string }[]> {
    this.enter('listFunctions', []);
    return [...this.functions.values()].map((f) => ({
      functionName: f.latest.functionName,
      functionArn: f.latest.functionArn,
    }));
  }

  async getCodeLocation(functionName: string, qualifier?: string): Promise<CodeLocation> {
    this.enter('getCodeLocation', [functionName, qualifier]);
    const info = this.resolve(functionName, qualifier);
    return { ...(this.fn(functionName).code.get(info.version) ?? { repositoryType: 'S3' }) };
  }

  async listEventInvokeConfigs(functionName: string): Promise<EventInvokeConfigInfo[]> {
    this.enter('listEventInvokeConfigs', [functionName]);
    return [
      ...this.fn(functionName, 'lambda:ListFunctionEventInvokeConfigs').eventInvokeConfigs.values(),
    ].map(clone);
  }

  /** Like the sandbox: mappings whose function ARN is exactly the one named (qualified or not). */
  async listEventSourceMappings(functionName: string): Promise<EventSourceMappingInfo[]> {
    this.enter('listEventSourceMappings', [functionName]);
    const [name, qualifier] = functionName.split(':');
    this.fn(name!, 'lambda:ListEventSourceMappings');
    const arn = qualifier ? `${arnOf(name!)}:${qualifier}` : arnOf(name!);
    return this.eventSourceMappings.filter((m) => m.functionArn === arn).map(clone);
  }

  async getProvisionedConcurrency(
    functionName: string,
    qualifier: string,
  ): Promise<ProvisionedConcurrencyInfo | undefined> {
    this.enter('getProvisionedConcurrency', [functionName, qualifier]);
    const fn = this.fn(functionName, 'lambda:GetProvisionedConcurrencyConfig');
    const pc = fn.provisionedConcurrency.get(qualifier);
    if (!pc) return undefined;
    const status = fn.pcStatuses.get(qualifier)?.shift() ?? 'READY';
    return { ...pc, status, allocated: status === 'READY' ? pc.requested : Math.floor(pc.requested / 2) };
  }

  /** Like Lambda: a new config allocates; reads return `pcAfterPut` (by `fn:qualifier`) first. */
  async putProvisionedConcurrency(functionName: string, qualifier: string, amount: number): Promise<void> {
    this.enter('putProvisionedConcurrency', [functionName, qualifier, amount]);
    const fn = this.fn(functionName, 'lambda:PutProvisionedConcurrencyConfig');
    fn.provisionedConcurrency.set(qualifier, {
      requested: amount,
      allocated: 0,
      available: 0,
      status: 'READY',
    });
    fn.pcStatuses.set(qualifier, [
      ...(this.pcAfterPut.get(`${functionName}:${qualifier}`) ?? ['IN_PROGRESS']),
    ]);
  }

  async deleteProvisionedConcurrency(functionName: string, qualifier: string): Promise<void> {
    this.enter('deleteProvisionedConcurrency', [functionName, qualifier]);
    const fn = this.fn(functionName, 'lambda:DeleteProvisionedConcurrencyConfig');
    fn.provisionedConcurrency.delete(qualifier);
  }

  // ---- internals ----

  /** Wraps every port method so `calls[i].error` also records errors from the semantics (412, 404…). */
  private recordErrors(): void {
    const self = this as unknown as Record<LambdaOp, (...args: unknown[]) => Promise<unknown>>;
    for (const op of LAMBDA_OPS) {
      const original = self[op].bind(this);
      self[op] = async (...args: unknown[]) => {
        const index = this.calls.length;
        try {
          return await original(...args);
        } catch (error) {
          const call = this.calls[index];
          if (call && call.error === undefined)
            call.error = (error as { code?: string }).code ?? String(error);
          throw error;
        }
      };
    }
  }

  private enter(op: LambdaOp, args: unknown[]): void {
    this.applyMoves();
    const count = (this.counts.get(op) ?? 0) + 1;
    this.counts.set(op, count);
    const call: LambdaCall = { op, args, at: this.clock.now() };
    this.calls.push(call);
    this.onCall?.(call);
    const error = this.takeFault(op, args);
    if (error) {
      call.error = (error as { code?: string }).code ?? error.message;
      throw error;
    }
  }

  private takeFault(op: LambdaOp, args: unknown[]): Error | undefined {
    for (const fault of this.faults) {
      if (fault.op !== op || fault.remaining <= 0) continue;
      if (fault.match && !fault.match(args)) continue;
      fault.seen++;
      if (fault.seen < fault.from) continue;
      fault.remaining--;
      return fault.error ?? throttled(`lambda:${op}`);
    }
    return undefined;
  }

  private applyMoves(): void {
    const now = this.clock.now();
    const due = this.moves.filter((m) => m.at <= now);
    this.moves = this.moves.filter((m) => m.at > now);
    for (const m of due) this.moveAlias(m.functionName, m.alias, m.target);
  }
}
