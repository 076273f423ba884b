/**
 * What `lshift check` asks AWS about a record the CodeDeploy engine made (check-codedeploy.ts
 * decides from it): one GetDeployment per record and its alias, bounded like the tag listing,
 * and the stale records CodeDeploy still drives with every alarm OK, decided before the heartbeat
 * watch. Apart from the decisions, which are pure: this file reads.
 * https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_GetDeployment.html
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import type { DeploymentInfo } from '../ports/codedeploy.js';
import type { AliasInfo } from '../ports/lambda.js';
import { judgeAlarms } from './alarm-gate.js';
import { mapBounded } from './bounded.js';
import { readAlarms } from './check-alarms.js';
import type { CheckKind } from './check-classify.js';
import { codeDeployIdOf, decideByAlarms } from './check-codedeploy.js';
import type { DriverGroupAlarms } from './check-codedeploy-driven-alarm.js';
import type { CheckDeps } from './check-types.js';
import { mayHaveLiveHolder } from './check-watch.js';
import type { CodeDeployDecision, CodeDeployView } from './codedeploy-check-types.js';
import { findRecordsDeployment } from './codedeploy-group.js';
import { findCodeDeployDriver } from './codedeploy-split-driver.js';
import { isForgottenByCodeDeploy, isTerminal } from './codedeploy-status.js';
import { describeError } from './emit.js';
import { DEFAULT_LIST_CONCURRENCY } from './record-listing.js';
import { isSplit } from './record-view.js';

/**
 * A record whose deployment AWS CodeDeploy may still run for it, so asking CodeDeploy can show a
 * live owner. Not a `failed` one: its owner had decided to roll back and could not (stalled, as
 * ever); not an `unfinished-rollback` or a `recent` promoted one (the check knows what to do).
 */
function needsView(c: { kind: CheckKind; record: DeploymentRecord }): string | undefined {
  if (c.kind !== 'orphaned' || c.record.phase === 'failed') return undefined;
  return codeDeployIdOf(c.record);
}

/**
 * The deployment of a CodeDeploy record that names none — its runner killed after CreateDeployment
 * went out, before it wrote the id — found in its group by the run token its description carries
 * (`[lshift-run:<record id>]`), unfinished or ended since the record began, as `lshift rollback`
 * finds it (codedeploy-stop.ts). Before, every check said STALLED, exit 4, even after CodeDeploy
 * had promoted it (found by a hostile pass). Unreadable, busy with another, or no group to look
 * in: none, and the record is judged as before.
 */
async function findUnrecordedDeployment(
  deps: Pick<CheckDeps, 'codedeploy' | 'codeDeployGroupOf'>,
  c: { functionName: string; alias: string; kind: CheckKind; record: DeploymentRecord },
): Promise<string | undefined> {
  const { record } = c;
  if (c.kind !== 'orphaned' || record.phase === 'failed' || record.engine !== 'codedeploy') return undefined;
  if (record.codeDeployId !== undefined || !deps.codedeploy) return undefined;
  return findRecordsDeployment(deps.codedeploy, record, deps.codeDeployGroupOf?.(c.functionName, c.alias));
}

/**
 * The CodeDeploy view of each candidate that needs one (an unfinished CodeDeploy record; undefined
 * for the others): GetDeployment once, and GetAlias (the weight it shifted to, or whether it left
 * the alias as it says). Five records at a time, as the tag listing.
 */
export async function readCodeDeployViews(
  deps: Pick<CheckDeps, 'codedeploy' | 'lambda' | 'codeDeployGroupOf'>,
  candidates: readonly { functionName: string; alias: string; kind: CheckKind; record: DeploymentRecord }[],
): Promise<(CodeDeployView | undefined)[]> {
  const views = await mapBounded(DEFAULT_LIST_CONCURRENCY, candidates, async (c) => {
    const id = needsView(c) ?? (await findUnrecordedDeployment(deps, c));
    if (id === undefined) return undefined;
    if (!deps.codedeploy) return { kind: 'unreadable' as const, id, error: 'no CodeDeploy client' };
    let info: DeploymentInfo | undefined;
    let forgotten: string | undefined;
    try {
      info = await deps.codedeploy.getDeployment(id);
    } catch (error) {
      if (!isForgottenByCodeDeploy(error))
        return { kind: 'unreadable' as const, id, error: describeError(error) };
      forgotten = describeError(error);
    }
    // Best effort: without it the words leave out where the alias is, and an ended one is not closed.
    // When CodeDeploy forgot the deployment, the alias is all the check has: unread, health is unknown.
    const alias = await deps.lambda.getAlias(c.functionName, c.alias).catch(() => undefined);
    const read = alias ? { alias } : {};
    if (!info) return { kind: 'gone' as const, id, error: forgotten!, ...read };
    const driver = await readOtherDriver(deps.codedeploy, c, info, alias);
    if (!driver) return { kind: 'read' as const, info, ...read };
    const driverGroup = await readDriverGroup(deps.codedeploy, info);
    return { kind: 'read' as const, info, ...read, driver, ...(driverGroup ? { driverGroup } : {}) };
  });
  return views;
}

/**
 * Once its deployment ended over a split: another deployment on its group that drives it, as status
 * and resume look for one (codedeploy-split-rule.ts). Check said "with nobody to finish it", STALLED,
 * of a split status called driven by a hotfix (h3's s71 brief). Best effort: unreadable is none.
 */
async function readOtherDriver(
  codedeploy: NonNullable<CheckDeps['codedeploy']>,
  c: { functionName: string; alias: string },
  info: DeploymentInfo,
  alias: AliasInfo | undefined,
): Promise<string | undefined> {
  if (!isTerminal(info.status) || !alias || !isSplit(alias.additionalWeights)) return undefined;
  if (!info.application || !info.group) return undefined;
  const group = { application: info.application, group: info.group };
  const split = { functionName: c.functionName, alias: c.alias, routing: alias };
  return findCodeDeployDriver(codedeploy, group, split, info.id);
}

/**
 * The alarms the driver's group stops its deployments on (the driver runs on the same group): what
 * a check (and status, status-driven-alarm.ts) says of an alarm in ALARM over its split
 * (check-codedeploy-driven-alarm.ts).
 */
export async function readDriverGroup(
  codedeploy: Pick<NonNullable<CheckDeps['codedeploy']>, 'getDeploymentGroup'>,
  info: DeploymentInfo,
): Promise<{ name: string; alarms: DriverGroupAlarms } | undefined> {
  if (!info.application || !info.group) return undefined;
  const name = `${info.application}/${info.group}`;
  try {
    const group = await codedeploy.getDeploymentGroup(info.application, info.group);
    if (!group) return { name, alarms: { unread: 'CodeDeploy does not know the group' } };
    return { name, alarms: { alarms: group.alarms, alarmsEnabled: group.alarmsEnabled } };
  } catch (error) {
    return { name, alarms: { unread: describeError(error) } };
  }
}

/**
 * The stale records (a follower that may have died; not `paused`, which is never watched) whose
 * deployment AWS CodeDeploy still runs with every alarm OK: CodeDeploy is their live owner whether
 * or not the follower lives, and nothing is acted on, so they are decided before the heartbeat
 * watch (`--stale-after`) instead of after it. Those with an alarm in ALARM are left to the watch
 * (a live follower is never taken over on a clock's word) and read again after it.
 */
export async function decideDrivenBeforeWatch<
  C extends {
    functionName: string;
    alias: string;
    kind: CheckKind;
    record: DeploymentRecord;
    alarmNames: string[];
  },
>(
  deps: Pick<CheckDeps, 'codedeploy' | 'lambda' | 'metrics' | 'codeDeployGroupOf'>,
  candidates: readonly C[],
  now: number,
): Promise<Map<C, CodeDeployDecision>> {
  const decided = new Map<C, CodeDeployDecision>();
  const stale = candidates.filter((c) => mayHaveLiveHolder(c.record) && needsView(c) !== undefined);
  if (stale.length === 0) return decided;
  const views = await readCodeDeployViews(deps, stale);
  const running = stale.flatMap((c, i) => {
    const view = views[i];
    return view?.kind === 'read' && !isTerminal(view.info.status) ? [{ c, view }] : [];
  });
  const alarms = await readAlarms(
    deps.metrics,
    running.map(({ c }) => c),
  );
  if ('error' in alarms) return decided;
  for (const { c, view } of running) {
    const own = alarms.states.filter((s) => c.alarmNames.includes(s.name));
    const verdict = judgeAlarms(c.alarmNames, own, now);
    if (verdict.outcome === 'pass') decided.set(c, decideByAlarms(c, view, verdict, now));
  }
  return decided;
}
