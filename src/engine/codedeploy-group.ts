/**
 * Who else runs on a CodeDeploy deployment group. A group runs one deployment at a time, and
 * CodeDeploy moves the alias for it: lshift neither starts a second one nor writes the alias
 * beside one. Two questions, both answered from ListDeployments (the unfinished ones) and
 * GetDeployment: after CreateDeployment's answer was lost, did it start ours (the one carrying
 * this run's token)? Before lshift writes the alias itself, does a stranger run there?
 * https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_ListDeployments.html
 * https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_RollbackInfo.html
 */
import { carriesRunToken } from '../domain/codedeploy-run.js';
import { echoInput } from '../domain/echo.js';
import { ConflictError, isLshiftError, UnsafeError } from '../domain/errors.js';
import { functionKeyOf } from '../domain/function-ref.js';
import type { ReleaseTarget } from '../domain/release-program.js';
import type { CodeDeployPort, DeploymentInfo } from '../ports/codedeploy.js';
import { buildListDeploymentsCommand } from './deploy-result.js';
import { describeError } from './emit.js';

export interface GroupRef {
  application: string;
  group: string;
}

export interface GroupLookup {
  /** The unfinished deployment that carries this run's token. */
  ours?: DeploymentInfo;
  /** Every other unfinished deployment of the group. */
  others: DeploymentInfo[];
}

/** The group's unfinished deployments, split by this run's token. Throws when they cannot be read. */
export async function lookUpGroup(
  port: Pick<CodeDeployPort, 'listActiveDeployments' | 'getDeployment'>,
  group: GroupRef,
  token: string | undefined,
): Promise<GroupLookup> {
  const ids = await port.listActiveDeployments(group.application, group.group);
  const infos = await Promise.all(ids.map((id) => port.getDeployment(id)));
  const ours = token === undefined ? undefined : infos.find((d) => carriesRunToken(d.description, token));
  return { ...(ours ? { ours } : {}), others: infos.filter((d) => d !== ours) };
}

/**
 * After a CreateDeployment that may have been applied: ours (it carries the run token) is
 * followed as if the answer had come; another one is a busy group (exit 5, nothing of ours
 * started); none means nothing started (the `lost` error stands). When the group cannot be
 * read, nobody knows: CODEDEPLOY_START_UNCONFIRMED (exit 4).
 */
export async function confirmStart(
  port: CodeDeployPort,
  group: AttemptedGroup,
  token: string | undefined,
  lost: unknown,
): Promise<string> {
  const ours = await findStarted(port, group, token, lost);
  if (ours) return ours;
  throw lost;
}

/**
 * The deployment of a CodeDeploy record that names none (its runner killed after CreateDeployment
 * went out, before it wrote the id), found on `group` by the run token its description carries
 * (the record's id), started since the record began. Best effort, as `lshift check` and `lshift
 * status` use it: no group, a busy or unreadable group, or none carrying the token is undefined.
 */
export async function findRecordsDeployment(
  port: CodeDeployPort,
  record: { id: string; startedAt: number },
  group: { application: string; group: string } | undefined,
): Promise<string | undefined> {
  if (!group) return undefined;
  return findStarted(port, { ...group, attemptedAt: record.startedAt }, record.id).catch(() => undefined);
}

/** Ours (its id), none (undefined), or throws: a stranger's (busy), or unreadable (unconfirmed). */
export async function findStarted(
  port: CodeDeployPort,
  group: AttemptedGroup,
  token: string | undefined,
  lost?: unknown,
): Promise<string | undefined> {
  let found: GroupLookup;
  try {
    found = await lookUpGroup(port, group, token);
  } catch (lookup) {
    throw startUnconfirmed(group, lost, lookup);
  }
  if (found.ours) return found.ours.id;
  const ended =
    (await endedOurs(port, token, lost, found)) ?? (await recentOurs(port, group, token, found, lost));
  if (ended) return ended;
  if (found.others.length > 0) {
    throw groupBusy(group, found.others, 'lshift started no deployment and wrote nothing to the alias');
  }
  return undefined;
}

/** A group lshift sent CreateDeployment to, and when (its clock) the first attempt went out. */
export interface AttemptedGroup extends GroupRef {
  attemptedAt?: number;
}

/** CodeDeploy's clock may be this far from lshift's (AWS allows requests 5 minutes off). */
const CLOCK_SKEW_MS = 5 * 60_000;
/** More deployments than this created in a few minutes on one group is not one lshift run. */
const MOST_RECENT_READ = 50;

/**
 * Ours among the deployments created since the attempt, ended ones too: a short deployment (all
 * at once, no hooks) can run to its end before a lost answer's timeout, and is then among no
 * unfinished ones (found by a hostile pass: "nothing started" while it had moved all traffic).
 * Unreadable: nobody knows (CODEDEPLOY_START_UNCONFIRMED, exit 4).
 */
async function recentOurs(
  port: CodeDeployPort,
  group: AttemptedGroup,
  token: string | undefined,
  found: GroupLookup,
  lost: unknown,
): Promise<string | undefined> {
  if (token === undefined || group.attemptedAt === undefined) return undefined;
  try {
    const ids = await port.listDeploymentsSince(
      group.application,
      group.group,
      group.attemptedAt - CLOCK_SKEW_MS,
    );
    const ended = ids.filter((id) => !found.others.some((d) => d.id === id)).slice(0, MOST_RECENT_READ);
    const infos = await Promise.all(ended.map((id) => port.getDeployment(id)));
    return infos.find((d) => carriesRunToken(d.description, token))?.id;
  } catch (lookup) {
    throw startUnconfirmed(group, lost, lookup);
  }
}

/**
 * The deployment a refused retry named as active, no longer among the unfinished ones: when
 * the lost first attempt started it and it ran to its end before the lookup (a short
 * deployment, a slow network), it is still ours if it carries the run token, and following it
 * reports how it ended. Unreadable, or not ours: undefined (the lookup's answer stands).
 */
async function endedOurs(
  port: CodeDeployPort,
  token: string | undefined,
  lost: unknown,
  found: GroupLookup,
): Promise<string | undefined> {
  const id = isLshiftError(lost) ? lost.context.activeDeploymentId : undefined;
  if (token === undefined || id === undefined || found.others.some((d) => d.id === id)) return undefined;
  try {
    const info = await port.getDeployment(id);
    return carriesRunToken(info.description, token) ? info.id : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Before lshift writes the alias itself: a stranger's deployment on the group refuses it (exit 5).
 * With `alias`, only one whose AppSpec moves that alias, or cannot be read, refuses: one moving
 * another alias of the function never touches this one (`lshift status` names only a deployment
 * that moves the alias, codedeploy-split-driver.ts, and advised `lshift alias`, which was refused).
 */
export async function refuseBesideStranger(
  port: CodeDeployPort,
  group: GroupRef,
  own: DeploymentInfo | undefined,
  alias?: ReleaseTarget,
): Promise<void> {
  let lookup: GroupLookup;
  try {
    lookup = await lookUpGroup(port, group, undefined);
  } catch (error) {
    // A group that no longer exists runs nothing.
    if (isLshiftError(error) && error.code === 'CODEDEPLOY_GROUP_NOT_FOUND') return;
    throw error;
  }
  const strangers = strangersOf(lookup, own).filter((d) => alias === undefined || mayMove(d, alias));
  if (strangers.length > 0) {
    throw groupBusy(group, strangers, 'lshift did not write the alias beside it');
  }
}

/** Its AppSpec names the alias, or could not be read. */
function mayMove(d: DeploymentInfo, alias: ReleaseTarget): boolean {
  const t = d.target;
  return (
    !t || (functionKeyOf(t.functionName) === functionKeyOf(alias.functionName) && t.alias === alias.alias)
  );
}

/**
 * The deployments of the group that are neither `ownId` nor CodeDeploy's rollback of it (which
 * names ours as its rollbackTriggeringDeploymentId, or which ours names as its rollback).
 */
export function strangersOf(lookup: GroupLookup, own?: DeploymentInfo): DeploymentInfo[] {
  if (!own) return lookup.others;
  return lookup.others.filter(
    (d) => d.id !== own.id && d.rolledBackDeploymentId !== own.id && own.rollback?.deploymentId !== d.id,
  );
}

/** Exit 5: the group is busy with someone else's deployment; `what` says what lshift did not do. */
export function groupBusy(group: GroupRef, strangers: DeploymentInfo[], what: string): ConflictError {
  const named = strangers.map(describeDeployment).join(', ');
  const first = strangers[0]!.id;
  return new ConflictError(
    'CODEDEPLOY_GROUP_BUSY',
    `Another CodeDeploy deployment runs on deployment group ${echoInput(group.group)} of application ${echoInput(group.application)}: ${named}; ${what}.`,
    {
      hint: `Wait for it to end (\`aws deploy get-deployment --deployment-id ${first}\`, or \`lshift wait ${first}\`), then look at the alias and run lshift again.`,
    },
  );
}

/**
 * Exit 4: CreateDeployment's answer was lost and the group's deployments cannot be read, so
 * lshift cannot tell whether CodeDeploy is moving the alias; it writes nothing to it.
 */
export function startUnconfirmed(group: GroupRef, lost: unknown, lookup: unknown): UnsafeError {
  const command = buildListDeploymentsCommand(group.application, group.group);
  const why = lost === undefined ? '' : ` (${describeError(lost)})`;
  return new UnsafeError(
    'CODEDEPLOY_START_UNCONFIRMED',
    `CreateDeployment got no answer${why} and the deployments of group ${echoInput(group.group)} could not be read (${describeError(lookup)}): CodeDeploy may have started the deployment, which would move the alias on its own schedule; lshift wrote nothing to the alias.`,
    {
      hint: `See whether it runs with \`${command}\`; stop it with \`aws deploy stop-deployment --deployment-id <id> --auto-rollback-enabled\`, or follow it with \`lshift wait <id>\`.`,
    },
  );
}

/**
 * Exit 4: CreateDeployment got no answer (a timeout, a reset) and the group, read twice 2 s
 * apart, showed no deployment of this run: most likely none started, but CodeDeploy may still
 * take the request late and move the alias with nobody following it. Said as that, never as a
 * refusal; `lshift status` finds such a late deployment by the run token.
 */
export function startUnanswered(group: GroupRef, lost: unknown): UnsafeError {
  const command = buildListDeploymentsCommand(group.application, group.group);
  return new UnsafeError(
    'CODEDEPLOY_START_UNANSWERED',
    `CreateDeployment got no answer (${describeError(lost).replace(/\.$/, '')}); lshift looked for this run's deployment on group ${echoInput(group.group)} twice, 2 s apart, and found none, so it follows nothing: AWS CodeDeploy may still take the request late and move the alias on its own schedule with nobody following it.`,
    { hint: `See whether it runs with \`${command}\`.` },
  );
}

/** `d-X (InProgress, "lshift deploy of …")`. */
export function describeDeployment(d: DeploymentInfo): string {
  const description = d.description ? `, ${JSON.stringify(echoInput(d.description, 80))}` : '';
  return `${d.id} (${d.status}${description})`;
}

/**
 * Errors after which CreateDeployment may have started a deployment all the same: no answer
 * came (timeout, reset, Ctrl-C while in flight), AWS failed inside, or a retry of a request
 * that had been applied met CodeDeploy's "already has an active deployment". A refusal AWS made
 * before acting (access denied, a missing group or config, on the only attempt) started nothing.
 */
export function mayHaveStarted(error: unknown): boolean {
  if (!isLshiftError(error)) return true;
  if (error.context.notApplied) return false;
  return MAY_HAVE_STARTED.has(error.code);
}

const MAY_HAVE_STARTED = new Set([
  'NETWORK_ERROR',
  'INTERRUPTED',
  'AWS_ERROR',
  'THROTTLED',
  'CODEDEPLOY_DEPLOYMENT_RUNNING',
]);
