/**
 * The records a deployment writes, drafted from its request: the first one (claimed before any
 * weight), and the largest one it will write, which every size check before a write encodes.
 */
import { type DeploymentRecord, MAX_JUDGED_GAP_SECONDS } from '../domain/deployment-record.js';
import { aliasRevisionMark } from '../domain/record-revision.js';
import { formatStrategy } from '../domain/strategy.js';
import type { DeployDeps, DeployRequest, RecordScope } from './deploy-types.js';
import type { PreflightResult } from './preflight.js';
import { guardsOf } from './resume-guards.js';

/** What a release adds to one target's run: its id in the record, and what ends its watch. */
export interface MemberOptions {
  releaseId?: string;
  /** Every function of the release, recorded (`rz=`, `rf=`) so offered commands can name them. */
  releaseFunctions?: readonly string[];
  /** The release runs its functions one after the other: recorded, so a resume can tell. */
  stagger?: boolean;
  watchSignal?: AbortSignal;
}

export function releaseKey(
  member: RecordScope,
): Pick<DeploymentRecord, 'releaseId' | 'stagger' | 'releaseSize' | 'releaseFunctions'> {
  if (member.releaseId === undefined) return {};
  const functions = member.releaseFunctions;
  return {
    releaseId: member.releaseId,
    ...(member.stagger ? { stagger: true as const } : {}),
    // What makes an offered command runnable as printed: the codec keeps them as room allows.
    ...(functions && functions.length > 0
      ? { releaseSize: functions.length, releaseFunctions: [...functions] }
      : {}),
  };
}

/** What this deployment's records hold besides its request: its release, its engine. */
export function recordScope(deps: Pick<DeployDeps, 'traffic'>, member: MemberOptions = {}): RecordScope {
  const { releaseId, stagger, releaseFunctions } = member;
  return { releaseId, stagger, releaseFunctions, codeDeploy: deps.traffic?.name === 'codedeploy' };
}

/**
 * The record names the engine when it is not the native one (`en=cd`, and `cd=` once started).
 * The native one keeps the alias as this deployment found it (`ar=`): a record that shows no
 * weight over an alias written since was not "abandoned before any traffic moved"
 * (record-revision.ts). CodeDeploy writes the alias on its own schedule, and its records are read
 * from CodeDeploy (check-codedeploy.ts, status-codedeploy.ts).
 */
export function engineFields(deps: DeployDeps, pre: PreflightResult): Partial<DeploymentRecord> {
  return deps.traffic?.name === 'codedeploy'
    ? { engine: 'codedeploy' }
    : { aliasRevision: aliasRevisionMark(pre.aliasRevisionId) };
}

export function initialRecord(
  req: DeployRequest,
  pre: PreflightResult,
  startedAt: number,
  warm: number | undefined,
): DeploymentRecord {
  return {
    ...(warm === undefined ? {} : { warm }),
    id: req.deploymentId,
    stableVersion: pre.stableVersion,
    targetVersion: req.targetVersion,
    strategy: formatStrategy(req.strategy),
    stepIndex: 0,
    percent: 0,
    phase: 'started',
    startedAt,
    owner: req.owner,
    heartbeatAt: startedAt,
    history: [...(pre.record?.history ?? [])],
    guards: guardsOf(req),
  };
}

/**
 * The largest record this deployment will write, less the two parts preflight fills in (stable
 * version, history): the longest phase name, the longest weight of the plan, the last step
 * index, an end time, its release and its engine. Every size check before a write encodes this
 * one draft (the preflight, the checks before a publish, the dry run), so RECORD_TOO_LARGE
 * refuses before any write — upload and publish included — instead of turning every record
 * write into a warning mid-shift.
 */
export function draftRecord(
  req: DeployRequest,
  startedAt: number,
  scope: RecordScope,
): Omit<DeploymentRecord, 'stableVersion' | 'history'> {
  const steps = req.plan.steps;
  const longest = steps.reduce((a, b) => (String(b.percent).length > String(a.percent).length ? b : a));
  return {
    id: req.deploymentId,
    targetVersion: req.targetVersion,
    strategy: formatStrategy(req.strategy),
    stepIndex: steps.length - 1,
    percent: longest.percent,
    phase: 'rolling-back',
    startedAt,
    owner: req.owner,
    heartbeatAt: startedAt,
    endedAt: startedAt,
    // The promotion's `aj=` (settle.ts) at its widest: the size check must not pass a record
    // that the promotion write would then find too large.
    ...(req.alarms.length > 0 ? { alarmsJudgedUntil: startedAt - MAX_JUDGED_GAP_SECONDS * 1000 } : {}),
    // --warm records the temporary amount (`w=`); six digits is more than any account allows.
    ...(req.warm ? { warm: 999_999 } : {}),
    ...releaseKey(scope),
    // CodeDeploy's deployment ids are `d-` and 9 characters.
    ...(scope.codeDeploy ? { engine: 'codedeploy' as const, codeDeployId: 'd-XXXXXXXXX' } : {}),
    guards: guardsOf(req),
  };
}
