/**
 * What the CodeDeploy traffic driver is given (codedeploy-traffic-driver.ts: its ports, what a
 * new deployment is made of, how it follows and stops one), and the alias read both its follow
 * and its stop (codedeploy-stop.ts) make at each poll. Apart from the driver so the two halves
 * share them without importing each other.
 */
import type { CodeDeployHooks } from '../domain/codedeploy-hooks.js';
import type { CodeDeployConfig } from '../domain/codedeploy-plan.js';
import { OperationError } from '../domain/errors.js';
import type { Clock } from '../ports/clock.js';
import type { CodeDeployPort, DeploymentInfo } from '../ports/codedeploy.js';
import type { LambdaPort } from '../ports/lambda.js';
import type { RoutingState, TrafficCursor } from '../ports/traffic-driver.js';
import { observeAlias } from './alias-step.js';
import type { GroupRef } from './codedeploy-group.js';

/** What a new deployment is made of; a driver without it only follows or stops existing ones. */
export interface CodeDeployStart {
  application: string;
  group: string;
  config: CodeDeployConfig;
  hooks: CodeDeployHooks;
  /** What the deployment is, for people (`lshift deploy of fn:live`). */
  description?: string;
  /**
   * This run's token, put in the description (buildRunDescription): after a lost
   * CreateDeployment answer the deployment that carries it is ours.
   */
  runToken?: string;
  /** When the first CreateDeployment went out (clock ms), set by the driver: ours is looked for since. */
  attemptedAt?: number;
}

export interface CodeDeploySetup {
  start?: CodeDeployStart;
  /**
   * The group a deployment runs in when neither `start` nor a deployment id says (a record
   * whose runner died before it could name the deployment): `lshift rollback` passes the
   * config file's or the default names, checked for other deployments before an alias write.
   */
  group?: GroupRef;
  /**
   * The run token of the record being rolled back (its id: `lshift deploy` puts it in the
   * description). A runner killed between CreateDeployment's answer and its record write
   * leaves a record naming no deployment; the one in `group` carrying this token is its own,
   * stopped with auto-rollback like any other, not a stranger's.
   */
  runToken?: string;
  /** Seconds between polls while following (the deploy's --interval). */
  pollSeconds: number;
  /** Longest wait for CodeDeploy to put the alias back after a stop, in clock seconds. */
  stopWaitSeconds?: number;
  /** Ctrl-C: a follow ends at once (the interpreter then rolls back or leaves, as asked). */
  signal?: AbortSignal;
  /** Told the deployment id as soon as CodeDeploy accepted it (the status gate follows it). */
  onStarted?: (deploymentId: string) => void;
  /** Told each new status or weight seen while following (for the progress display). */
  onProgress?: (info: DeploymentInfo, percent: number) => void;
  /**
   * Told before the stop WITHOUT rollback that keeps a person's move (leaveCodeDeployToMove): the
   * deploy then no longer abandons its AWS calls on a signal (a first Ctrl-C must not cut that stop
   * short, leaving CodeDeploy to move the alias over the move) and its notice says so, as `lshift
   * wait`'s FollowRequest.onKeepingMove does.
   */
  onKeepingMove?: () => void;
  /**
   * Told what the alias read beside a rollback's StopDeployment came to (codedeploy-stop-move.ts):
   * sent, then answered (naming a person's move when it found one). A second signal's lines say it.
   */
  onBesideStop?: (news: BesideStopNews) => void;
  /**
   * Told how a rollback's StopDeployment goes, as it goes (codedeploy-stop.ts): sent, failed or
   * unanswered, what CodeDeploy then says, and each change seen while waiting for it to put the
   * alias back. Before, a stop that timed out left the log silent for its whole time (3 attempts of
   * 10 s: 5 simulated minutes at a sandbox's 10×) and the run then said "all traffic is back" as if
   * CodeDeploy's rollback had done it (F8, session 66).
   */
  onStop?: (news: StopNews) => void;
  /**
   * True once the deployment's status gate read that CodeDeploy Succeeded (codedeploy-gate.ts
   * onSucceeded): a hold of lshift's then ends (TrafficDriver.succeeded).
   */
  succeeded?: (deploymentId: string) => boolean;
}

/**
 * What the read beside a rollback's stop came to, told as it happens (codedeploy-stop-move.ts): a
 * second signal exits before the rollback ends and its lines said nothing of a person's split the
 * read had found, nor that it had not answered (session 65's note). `moved`: words naming the move.
 */
export type BesideStopNews = { answered: false } | { answered: true; moved?: string };

/**
 * How a rollback's stop of deployment `id` goes (CodeDeploySetup.onStop): `sending` before each
 * StopDeployment; `failed` when one got no answer or an error (whether it reached CodeDeploy is
 * not known); `read` what CodeDeploy says of the deployment after such a failure; `waiting` each
 * new status or routing seen while CodeDeploy has not yet put the alias back.
 */
export type StopNews =
  | { kind: 'sending'; id: string; again: boolean }
  | { kind: 'failed'; id: string; error: string }
  | {
      kind: 'read';
      id: string;
      status: DeploymentInfo['status'];
      stableVersion: string;
      targetVersion: string;
    }
  | { kind: 'waiting'; id: string; status: DeploymentInfo['status']; routing: RoutingState };

export interface CodeDeployDriverDeps {
  codedeploy: CodeDeployPort;
  lambda: LambdaPort;
  clock: Clock;
}

/** Reads the alias into the cursor; a missing alias is an error (ALIAS_NOT_FOUND). */
export async function readAlias(deps: CodeDeployDriverDeps, cursor: TrafficCursor): Promise<void> {
  const alias = await deps.lambda.getAlias(cursor.functionName, cursor.alias);
  if (!alias) {
    throw new OperationError(
      'ALIAS_NOT_FOUND',
      `Alias ${cursor.alias} of ${cursor.functionName} disappeared.`,
      {
        context: { functionName: cursor.functionName, alias: cursor.alias },
      },
    );
  }
  observeAlias(cursor, alias);
}
