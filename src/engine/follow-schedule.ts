/**
 * What `lshift wait` knows of the weights CodeDeploy can have written, besides what it saw itself
 * (follow-hand-move.ts). Found by hostile passes: the wait started from nothing (peak 0, no time),
 * so a person's move made BEFORE it started (all traffic put back on the stable version, a 50%
 * split under a linear 10% config) was taken for CodeDeploy's, and CodeDeploy's own next step was
 * then blamed on a person (exit 5, the alias left split) or undid the person's move unsaid. And the
 * schedule came from the config's name, which a config made by hand under lshift's name belies.
 *
 * So the wait reads the deployment's config (GetDeploymentConfig: trafficRoutingConfig; the
 * `CodeDeployDefault.…` ones are AWS's and fixed), when AllowTraffic began (its startTime: the
 * schedule's origin), and the weight lshift's record saw last when the record is the deployment's.
 * The schedule then bounds the step CodeDeploy can be at now, within a generous slack: above the
 * latest step it can have written is a person's; below the step it must have written at least a
 * step ago (the first step once AllowTraffic ran a slack long) too. What it cannot read it does not
 * judge by, and says so once.
 * https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_GetDeploymentConfig.html
 * https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_LambdaTarget.html
 */
import {
  type CodeDeployConfig,
  codeDeployConfigNamed,
  codeDeployStepPercents,
  codeDeployStepSeconds,
} from '../domain/codedeploy-plan.js';
import type { AppSpecTarget, DeploymentInfo } from '../ports/codedeploy.js';
import { describeRouting } from './codedeploy-config-check.js';
import { type CodeDeploySchedule, stepSlackMs } from './codedeploy-routing.js';
import { describeError } from './emit.js';
import { namesDeployment } from './follow-alias-holder.js';
import type { FollowDeps } from './follow-codedeploy-types.js';

/** What the wait learnt once of the deployment it follows (readFollowedSchedule). */
export interface FollowKnown {
  schedule: CodeDeploySchedule;
  /** `linear: 10% more every 10 minutes`, for the words of a move found by the schedule. */
  routing?: string;
  /** Why the schedule is not known (the config unread): said once, judged without it. */
  unread?: string;
  /** When AllowTraffic began (clock ms): the schedule's origin. Read until known. */
  allowTrafficAt?: number;
}

/** The weights CodeDeploy can be giving the new version now, by its schedule. */
export interface ScheduledBounds {
  /** What it must have written by now (at least one step late). */
  least: number;
  /** The most it can have written by now. */
  most: number;
  /** Whole seconds since AllowTraffic began. */
  elapsedSeconds: number;
}

/** The schedule of the deployment's config, read (not guessed from its name) unless AWS-managed. */
export async function readFollowedSchedule(
  deps: Pick<FollowDeps, 'codedeploy'>,
  info: DeploymentInfo,
): Promise<FollowKnown> {
  const name = info.config;
  if (!name) return { schedule: {}, unread: 'CodeDeploy did not name its deployment config' };
  // AWS's own configs cannot be made or changed by anyone: their names say their routing.
  if (name.startsWith('CodeDeployDefault.')) return scheduleOf(codeDeployConfigNamed(name));
  try {
    const found = await deps.codedeploy.getDeploymentConfig(name);
    if (!found) return { schedule: {}, unread: `its deployment config ${name} no longer exists` };
    if (!found.routing)
      return { schedule: {}, unread: `its deployment config ${name} is ${describeRouting(undefined)}` };
    return scheduleOf({ kind: 'custom', name, routing: found.routing });
  } catch (error) {
    return {
      schedule: {},
      unread: `its deployment config ${name} could not be read: ${describeError(error)}`,
    };
  }
}

function scheduleOf(config: CodeDeployConfig | undefined): FollowKnown {
  const schedule = { steps: codeDeployStepPercents(config), intervalSeconds: codeDeployStepSeconds(config) };
  const routing = config?.kind === 'custom' ? describeRouting(config.routing) : config?.name;
  return routing ? { schedule, routing } : { schedule };
}

/** When AllowTraffic began, once it has: read until known (an unreadable answer says nothing). */
export async function readAllowTrafficStart(
  deps: Pick<FollowDeps, 'codedeploy'>,
  id: string,
): Promise<number | undefined> {
  const events = await deps.codedeploy.getLifecycleEvents(id).catch(() => undefined);
  return events?.find((e) => e.name === 'AllowTraffic' && e.status !== 'Pending')?.startedAt;
}

/**
 * How far this machine's clock may be from AWS's, beyond the step slack: `now` is this machine's
 * time and `allowTrafficAt` AWS's, so a clock 25 s behind made an honest 20% read a second after
 * CodeDeploy wrote it "can have given it 10% at most" (a false move by hand: CodeDeploy stopped,
 * the alias left split; found by a hostile pass). A machine kept by NTP is within a second; AWS's
 * request signing accepts 5 minutes. Beyond a minute, an honest step may still be judged a
 * person's: docs/codedeploy.md says so.
 */
export const CLOCK_SKEW_ALLOWANCE_MS = 60_000;

/**
 * The weights CodeDeploy can be giving now, `now` clock ms, by a schedule that began at
 * `allowTrafficAt`: step i is written i intervals after it. Undefined when not known.
 */
export function scheduledBounds(
  schedule: CodeDeploySchedule,
  allowTrafficAt: number | undefined,
  now: number,
): ScheduledBounds | undefined {
  const { steps, intervalSeconds } = schedule;
  if (!steps?.length || !intervalSeconds || allowTrafficAt === undefined) return undefined;
  const interval = intervalSeconds * 1000;
  const skew = CLOCK_SKEW_ALLOWANCE_MS;
  const slack = stepSlackMs(intervalSeconds) + skew;
  const elapsed = now - allowTrafficAt;
  const last = steps.length - 1;
  // Nothing before AllowTraffic began (by any clock within the allowance): its first write is then.
  const latest = elapsed + skew < 0 ? -1 : Math.min(last, Math.floor((elapsed + slack) / interval));
  // One step of lateness allowed beyond the slack: a false alarm stops CodeDeploy, leaving a split.
  const surely = elapsed < slack ? -1 : Math.max(0, Math.floor((elapsed - slack) / interval) - 1);
  return {
    least: surely < 0 ? 0 : (steps[Math.min(last, surely)] ?? 0),
    most: latest < 0 ? 0 : (steps[latest] ?? 100),
    elapsedSeconds: Math.max(0, Math.floor(elapsed / 1000)),
  };
}

/** The weight lshift's open record of this deployment last saw CodeDeploy give (0: none, or not its record). */
export async function recordedPercent(
  deps: Pick<FollowDeps, 'store'>,
  info: DeploymentInfo,
  target: AppSpecTarget,
): Promise<number> {
  const record = await deps.store?.read(target.functionName, target.alias).catch(() => undefined);
  if (!record || record.endedAt !== undefined || !namesDeployment(record, info)) return 0;
  return record.percent > 0 && record.percent <= 100 ? record.percent : 0;
}

/** Why a routing is not CodeDeploy's by its schedule, or undefined when the schedule allows it. */
export function describeOffSchedule(
  onTarget: number,
  bounds: ScheduledBounds | undefined,
  known: FollowKnown,
): string | undefined {
  if (!bounds) return undefined;
  if (onTarget <= bounds.most + 0.01 && onTarget >= bounds.least - 0.01) return undefined;
  const into = `${bounds.elapsedSeconds}s after its AllowTraffic began (${known.routing ?? 'its config'})`;
  return onTarget > bounds.most
    ? `${into} CodeDeploy can have given it ${bounds.most}% at most`
    : `${into} CodeDeploy had given it at least ${bounds.least}%`;
}
