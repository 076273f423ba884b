/**
 * A stateful "mini AWS" served through nock, for tests that drive a whole deploy through the
 * REAL SDK clients (test/helpers/aws-nock.ts builds them). It models one function, `my-fn`:
 * - $LATEST (CodeSha256 + RevisionId) and published versions, all Active/Successful so the SDK
 *   waiters never poll; PublishVersion checks both and, like Lambda, returns the newest version
 *   again when the code has not changed;
 * - the alias `live`, whose RevisionId changes on every write; a stale RevisionId gets Lambda's
 *   412 PreconditionFailedException, and `changeAliasBehindBack` plays "someone else moved it";
 * - the function's tags (ListTags/TagResource, where the deployment record lives);
 * - CloudWatch alarms whose state follows a timeline read from the FakeClock, DescribeAlarms
 *   failures in a time window, and GetMetricData answering empty series.
 * Every request is logged with the operation it was routed to, the FakeClock time and the reply.
 * The interceptors are persisted and optional, so they suit `useNock()`; a request no route
 * knows is answered 501 and listed in `unrouted` (tests assert it stays empty).
 */
import nock from 'nock';
import type { AlarmStateValue } from '../../src/ports/metrics.js';
import {
  CLOUDWATCH_ENDPOINT,
  cloudWatchError,
  cloudWatchJson,
  FUNCTION_ARN,
  fnPath,
  LAMBDA_ENDPOINT,
  lambdaError,
  lambdaJson,
  type ReplyTuple,
  tagsPath,
} from './aws-nock.js';
import type { FakeClock } from './fake-clock.js';

export const WORLD_FN = 'my-fn';
export const WORLD_ALIAS = 'live';
/** An environment variable of the function: a secret that must never reach events or results. */
export const WORLD_SECRET = 'hunter2-do-not-print';

/**
 * One request as lshift's SDK client sent it: `op` is the operation it was routed to (e.g.
 * `UpdateAlias`), `path` is still URL-encoded, `body`/`reply` are parsed JSON (`undefined` when
 * empty) and `at` is the FakeClock time it arrived.
 */
export interface LoggedRequest {
  op: string;
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  at: number;
  status: number;
  reply: unknown;
}

export interface AliasModel {
  functionVersion: string;
  weights: Record<string, number>;
  revisionId: string;
  description?: string;
}

type VersionModel = { version: string; codeSha256: string; revisionId: string };
type AlarmChange = { at: number; state: AlarmStateValue; reason: string };

type Body = Record<string, unknown>;
type Handler = (body: Body, query: Record<string, string>) => ReplyTuple;

const CONFIG_PATH = fnPath(WORLD_FN, '/configuration');
const ALIAS_PATH = fnPath(WORLD_FN, `/aliases/${WORLD_ALIAS}`);
const PRECONDITION_FAILED =
  'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id';

export class NockLambdaWorld {
  readonly log: LoggedRequest[] = [];
  readonly unrouted: string[] = [];
  latest: VersionModel = { version: '$LATEST', codeSha256: 'sha-v2', revisionId: 'fn-rev-7' };
  readonly versions: VersionModel[] = [{ version: '1', codeSha256: 'sha-v1', revisionId: 'ver-rev-1' }];
  alias: AliasModel = { functionVersion: '1', weights: {}, revisionId: 'alias-rev-0' };
  tags: Record<string, string> = {};
  /** ListFunctionEventInvokeConfigs' answer, as Lambda spells it (`FunctionArn`, `DestinationConfig`). */
  eventInvokeConfigs: Body[] = [];
  /** Operations the caller's IAM policy does not allow: HTTP 403 AccessDeniedException. */
  readonly denied = new Set<string>();
  private aliasWrites = 0;
  private readonly alarms = new Map<string, AlarmChange[]>();
  private readonly alarmFailures: { from: number; until: number }[] = [];
  /** Operation → how many of its next requests Lambda throttles. */
  private readonly throttles = new Map<string, number[]>();
  /** `METHOD path` → [operation, handler]. */
  private readonly lambdaRoutes: Record<string, [string, Handler]> = {
    [`GET ${fnPath(WORLD_FN)}`]: ['GetFunction', (_, q) => this.readConfiguration(q, true)],
    [`GET ${CONFIG_PATH}`]: ['GetFunctionConfiguration', (_, q) => this.readConfiguration(q, false)],
    [`GET ${fnPath(WORLD_FN, '/versions')}`]: ['ListVersionsByFunction', () => this.listVersions()],
    [`POST ${fnPath(WORLD_FN, '/versions')}`]: ['PublishVersion', (b) => this.publishVersion(b)],
    [`GET ${ALIAS_PATH}`]: ['GetAlias', () => lambdaJson(this.aliasConfiguration())],
    [`PUT ${ALIAS_PATH}`]: ['UpdateAlias', (b) => this.updateAlias(b)],
    [`GET ${tagsPath(FUNCTION_ARN)}`]: ['ListTags', () => lambdaJson({ Tags: { ...this.tags } })],
    [`POST ${tagsPath(FUNCTION_ARN)}`]: ['TagResource', (b) => this.tagResource(b)],
    // Issue 14's preflight reads: nothing configured on this function unless a test says so.
    [`GET /2019-09-25/functions/${WORLD_FN}/event-invoke-config/list`]: [
      'ListFunctionEventInvokeConfigs',
      () => lambdaJson({ FunctionEventInvokeConfigs: this.eventInvokeConfigs }),
    ],
    ['GET /2015-03-31/event-source-mappings']: [
      'ListEventSourceMappings',
      () => lambdaJson({ EventSourceMappings: [] }),
    ],
    [`GET /2019-09-30/functions/${WORLD_FN}/provisioned-concurrency`]: [
      'GetProvisionedConcurrencyConfig',
      () =>
        lambdaError(
          404,
          'ProvisionedConcurrencyConfigNotFoundException',
          'No Provisioned Concurrency Config found',
        ),
    ],
  };
  /** `x-amz-target` operation → [operation, handler]. */
  private readonly cloudWatchRoutes: Record<string, [string, Handler]> = {
    DescribeAlarms: ['DescribeAlarms', (b) => this.describeAlarms(b)],
    DescribeAlarmHistory: ['DescribeAlarmHistory', (b) => this.describeAlarmHistory(b)],
    GetMetricData: ['GetMetricData', (b) => this.getMetricData(b)],
  };

  constructor(private readonly clock: FakeClock) {}

  /** Registers the interceptors (persisted, optional). Call once per test, after `useNock()`. */
  install(): this {
    for (const method of ['GET', 'POST', 'PUT', 'DELETE']) {
      nock(LAMBDA_ENDPOINT)
        .persist()
        .intercept(() => true, method)
        .optionally()
        .reply((request: Request) => this.serve('lambda', request));
    }
    nock(CLOUDWATCH_ENDPOINT)
      .persist()
      .post('/')
      .optionally()
      .reply((request: Request) => this.serve('cloudwatch', request));
    return this;
  }

  /** An alarm that is `state` from the start. */
  addAlarm(name: string, state: AlarmStateValue = 'OK'): this {
    const reason = `Threshold not crossed (${state})`;
    this.alarms.set(name, [{ at: Number.NEGATIVE_INFINITY, state, reason }]);
    return this;
  }

  /** From FakeClock time `at` on, the alarm reads `state`. */
  flipAlarm(name: string, at: number, state: AlarmStateValue, reason: string): this {
    const timeline = this.alarms.get(name) ?? [];
    timeline.push({ at, state, reason });
    timeline.sort((a, b) => a.at - b.at);
    this.alarms.set(name, timeline);
    return this;
  }

  /** DescribeAlarms answers HTTP 500 (every attempt) from `from` until before `until`. */
  failDescribeAlarms(from: number, until = Number.POSITIVE_INFINITY): this {
    this.alarmFailures.push({ from, until });
    return this;
  }

  /**
   * The `nth` (0-based) request of `op` and the `times - 1` after it get Lambda's control-plane
   * throttle: HTTP 429 TooManyRequestsException, Reason CallerRateLimitExceeded
   * (https://docs.aws.amazon.com/lambda/latest/api/API_UpdateAlias.html#API_UpdateAlias_Errors).
   */
  throttle(op: string, nth: number, times = 1): this {
    const list = this.throttles.get(op) ?? [];
    for (let i = 0; i < times; i++) list.push(nth + i);
    this.throttles.set(op, list);
    return this;
  }

  /** Someone else writes the alias (not through lshift): new state, new RevisionId, not logged. */
  changeAliasBehindBack(state: Omit<AliasModel, 'revisionId'>): string {
    this.alias = { ...state, weights: { ...state.weights }, revisionId: this.nextAliasRevision() };
    return this.alias.revisionId;
  }

  /** Logged requests of one operation. */
  requests(op: string): LoggedRequest[] {
    return this.log.filter((r) => r.op === op);
  }

  private async serve(service: 'lambda' | 'cloudwatch', request: Request): Promise<ReplyTuple> {
    const url = new URL(request.url);
    const text = await request.text();
    const body = (text ? JSON.parse(text) : undefined) as Body | undefined;
    const query = Object.fromEntries(url.searchParams.entries());
    const target = request.headers.get('x-amz-target') ?? '';
    const key = service === 'lambda' ? `${request.method} ${url.pathname}` : (target.split('.').pop() ?? '');
    const route = (service === 'lambda' ? this.lambdaRoutes : this.cloudWatchRoutes)[key];
    if (!route) this.unrouted.push(`${service}: ${key}`);
    const seen = route ? this.requests(route[0]).length : 0;
    const throttled = route && this.throttles.get(route[0])?.includes(seen);
    const reply: ReplyTuple = !route
      ? [501, JSON.stringify({ message: `no route for ${key}` }), {}]
      : this.denied.has(route[0])
        ? lambdaError(
            403,
            'AccessDeniedException',
            `User: arn:aws:sts::123456789012:assumed-role/ci/runner is not authorized to perform: lambda:${route[0]}`,
          )
        : throttled
          ? throttleReply()
          : route[1](body ?? {}, query);
    this.log.push({
      op: route ? route[0] : `unrouted ${key}`,
      method: request.method,
      path: url.pathname,
      query,
      body,
      at: this.clock.now(),
      status: reply[0],
      reply: reply[1] ? JSON.parse(reply[1]) : undefined,
    });
    return reply;
  }

  private configuration(qualifier: string): Body | undefined {
    const v = qualifier === '$LATEST' ? this.latest : this.versions.find((x) => x.version === qualifier);
    if (!v) return undefined;
    return {
      FunctionName: WORLD_FN,
      FunctionArn: v === this.latest ? FUNCTION_ARN : `${FUNCTION_ARN}:${v.version}`,
      Version: v.version,
      CodeSha256: v.codeSha256,
      RevisionId: v.revisionId,
      Runtime: 'nodejs20.x',
      Role: 'arn:aws:iam::123456789012:role/my-fn-role',
      PackageType: 'Zip',
      State: 'Active',
      LastUpdateStatus: 'Successful',
      Environment: { Variables: { DB_PASSWORD: WORLD_SECRET } },
    };
  }

  /** GetFunctionConfiguration answers the configuration, GetFunction wraps it with the code location. */
  private readConfiguration(query: Record<string, string>, wrap: boolean): ReplyTuple {
    const qualifier = query['Qualifier'] ?? '$LATEST';
    const config = this.configuration(qualifier);
    // Lambda's wording for a missing function and a missing version alike.
    const missing = `Function not found: ${FUNCTION_ARN}:${qualifier}`;
    if (!config) return lambdaError(404, 'ResourceNotFoundException', missing);
    const code = { RepositoryType: 'S3', Location: 'https://example.invalid/code' };
    return lambdaJson(wrap ? { Configuration: config, Code: code } : config);
  }

  private listVersions(): ReplyTuple {
    const all = ['$LATEST', ...this.versions.map((v) => v.version)];
    return lambdaJson({ Versions: all.map((q) => this.configuration(q)) });
  }

  private publishVersion(b: Body): ReplyTuple {
    if (b['RevisionId'] !== undefined && b['RevisionId'] !== this.latest.revisionId) {
      return lambdaError(412, 'PreconditionFailedException', PRECONDITION_FAILED);
    }
    if (b['CodeSha256'] !== undefined && b['CodeSha256'] !== this.latest.codeSha256) {
      return lambdaError(400, 'InvalidParameterValueException', 'CodeSHA256 does not match $LATEST.');
    }
    const newest = this.versions.at(-1);
    if (newest?.codeSha256 !== this.latest.codeSha256) {
      const version = String(this.versions.length + 1);
      this.versions.push({ version, codeSha256: this.latest.codeSha256, revisionId: `ver-rev-${version}` });
    }
    return lambdaJson(this.configuration(this.versions.at(-1)!.version), 201);
  }

  private aliasConfiguration(): Body {
    const a = this.alias;
    const config: Body = {
      AliasArn: `${FUNCTION_ARN}:${WORLD_ALIAS}`,
      Name: WORLD_ALIAS,
      FunctionVersion: a.functionVersion,
      RevisionId: a.revisionId,
    };
    if (Object.keys(a.weights).length > 0)
      config['RoutingConfig'] = { AdditionalVersionWeights: { ...a.weights } };
    if (a.description) config['Description'] = a.description;
    return config;
  }

  private updateAlias(b: Body): ReplyTuple {
    if (b['RevisionId'] !== undefined && b['RevisionId'] !== this.alias.revisionId) {
      return lambdaError(412, 'PreconditionFailedException', PRECONDITION_FAILED);
    }
    const functionVersion = (b['FunctionVersion'] as string | undefined) ?? this.alias.functionVersion;
    const routing = b['RoutingConfig'] as { AdditionalVersionWeights?: Record<string, number> } | undefined;
    const weights = routing ? { ...(routing.AdditionalVersionWeights ?? {}) } : { ...this.alias.weights };
    const invalid = this.checkRouting(functionVersion, weights);
    if (invalid) return lambdaError(400, 'InvalidParameterValueException', invalid);
    this.alias = {
      functionVersion,
      weights,
      revisionId: this.nextAliasRevision(),
      description: (b['Description'] as string | undefined) ?? this.alias.description,
    };
    return lambdaJson(this.aliasConfiguration());
  }

  /** Lambda's routing rules (DESIGN.md §2); a message when broken. */
  private checkRouting(functionVersion: string, weights: Record<string, number>): string | undefined {
    const known = (v: string) => this.versions.some((x) => x.version === v);
    if (!known(functionVersion)) return `FunctionVersion ${functionVersion} is not a published version`;
    const entries = Object.entries(weights);
    if (entries.length > 1) return 'At most one additional version may be routed';
    for (const [v, w] of entries) {
      if (!known(v) || v === functionVersion) return `Additional version ${v} is invalid`;
      if (!(w >= 0 && w <= 1)) return `Weight ${w} is outside [0, 1]`;
    }
    return undefined;
  }

  private nextAliasRevision(): string {
    this.aliasWrites += 1;
    return `alias-rev-${this.aliasWrites}`;
  }

  private tagResource(b: Body): ReplyTuple {
    Object.assign(this.tags, b['Tags'] as Record<string, string>);
    return [204, '', {}];
  }

  private describeAlarms(b: Body): ReplyTuple {
    const now = this.clock.now();
    if (this.alarmFailures.some((f) => now >= f.from && now < f.until)) {
      return cloudWatchError(500, 'InternalServiceFault', 'Internal service error');
    }
    const names = (b['AlarmNames'] as string[] | undefined) ?? [...this.alarms.keys()];
    const metricAlarms = names.flatMap((name) => {
      const change = this.alarmStateAt(name, now);
      if (!change) return [];
      const alarm = {
        AlarmName: name,
        AlarmArn: `arn:aws:cloudwatch:us-east-1:123456789012:alarm:${name}`,
        StateValue: change.state,
        StateReason: change.reason,
        // awsJson1_0 timestamps are epoch seconds.
        StateUpdatedTimestamp: (Number.isFinite(change.at) ? change.at : now - 3_600_000) / 1000,
      };
      return [alarm];
    });
    return cloudWatchJson({ MetricAlarms: metricAlarms, CompositeAlarms: [] });
  }

  /** The StateUpdate items of an alarm's timeline between StartDate and EndDate (epoch seconds). */
  private describeAlarmHistory(b: Body): ReplyTuple {
    const name = b['AlarmName'] as string;
    const from = Number(b['StartDate']) * 1000;
    const until = Number(b['EndDate']) * 1000;
    const timeline = this.alarms.get(name) ?? [];
    const items = timeline.flatMap((change, i) => {
      if (!Number.isFinite(change.at) || change.at < from || change.at > until) return [];
      const before = timeline[i - 1]?.state ?? 'INSUFFICIENT_DATA';
      return [
        {
          AlarmName: name,
          AlarmType: 'MetricAlarm',
          Timestamp: change.at / 1000,
          HistoryItemType: 'StateUpdate',
          HistorySummary: `Alarm updated from ${before} to ${change.state}`,
          HistoryData: JSON.stringify({
            version: '1.0',
            oldState: { stateValue: before },
            newState: { stateValue: change.state, stateReason: change.reason },
          }),
        },
      ];
    });
    return cloudWatchJson({ AlarmHistoryItems: items });
  }

  private alarmStateAt(name: string, now: number): AlarmChange | undefined {
    const timeline = this.alarms.get(name) ?? [];
    return timeline.filter((c) => c.at <= now).at(-1);
  }

  private getMetricData(b: Body): ReplyTuple {
    const queries = (b['MetricDataQueries'] as { Id: string }[] | undefined) ?? [];
    const empty = (Id: string) => ({ Id, Label: Id, Timestamps: [], Values: [], StatusCode: 'Complete' });
    return cloudWatchJson({ MetricDataResults: queries.map((q) => empty(q.Id)), Messages: [] });
  }
}

/** Lambda's throttle as the wire carries it (restJson1: x-amzn-errortype + body). */
function throttleReply(): ReplyTuple {
  const [status, text, headers] = lambdaError(429, 'TooManyRequestsException', 'Rate exceeded');
  const body = { ...JSON.parse(text), Type: 'User', Reason: 'CallerRateLimitExceeded' };
  return [status, JSON.stringify(body), headers];
}
