/**
 * What `lshift wait <deployment-id>` (follow-codedeploy.ts) is given and answers, apart from it so
 * the rollback a wait finishes (follow-decided-rollback.ts) shares them without an import cycle.
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import type { Clock } from '../ports/clock.js';
import type { AppSpecTarget, CodeDeployPort, DeploymentInfo } from '../ports/codedeploy.js';
import type { EventSink } from '../ports/event-sink.js';
import type { LambdaPort } from '../ports/lambda.js';
import type { StateStore } from '../ports/state-store.js';
import type { RoutingState } from '../ports/traffic-driver.js';
import type { RollbackDeps } from './rollback-types.js';

/** What finishing the rollback needs beyond reading: as `lshift rollback` is given it, with the claim's owner. */
export type DecidedRollbackDeps = Pick<RollbackDeps, 'trafficFor' | 'processes' | 'traffic'> & {
  owner: string;
};

/** How the wait ended the rollback lshift had decided (follow-decided-rollback.ts). */
export interface DecidedRollbackEnd {
  /** The lshift deployment whose rollback this was. */
  recordId: string;
  /** All traffic back on its stable version, the record closed rolled back. */
  finished: boolean;
  /** What the rollback said (`all traffic is on version 1 (was …)`), or why it could not run. */
  said: string;
  aliasState?: RoutingState;
  /**
   * The run that decided the rollback, when it was that run, not the wait, that ended it (or was
   * still on it when the wait stopped following): follow-deciding-run.ts.
   */
  by?: string;
}

export interface FollowDeps {
  codedeploy: CodeDeployPort;
  lambda: LambdaPort;
  clock: Clock;
  events: EventSink;
  store?: StateStore;
  /**
   * What finishing a rollback lshift decided needs (follow-decided-rollback.ts), as `lshift
   * rollback` is given it. Absent: such a deployment ends the wait unsafe, naming that command.
   */
  rollback?: DecidedRollbackDeps;
  /**
   * The owner this wait writes into a record it claims (follow-late-start.ts): the record of a
   * deployment CodeDeploy started after its run ended. Absent: such a record is left as it is.
   */
  follower?: string;
}

export interface FollowRequest {
  deploymentId: string;
  pollSeconds: number;
  signal?: AbortSignal;
  onInterrupt: 'rollback' | 'leave';
  /**
   * The function and alias the deployment moves, once read: a second Ctrl-C that exits before
   * the end names them and the `lshift rollback` that puts the alias back (commands/wait.ts).
   */
  onTarget?: (target: AppSpecTarget) => void;
  /**
   * Every answered read of the deployment, before anything acts on it: until the first, lshift
   * does not know whether there is anything to stop (commands/wait.ts words a signal's notice so).
   */
  onRead?: (info: DeploymentInfo) => void;
  /**
   * CodeDeploy's end, as soon as a read says it (before the alias is read and the record closed):
   * a signal from then on has nothing left to stop (commands/wait.ts stops abandoning its calls,
   * and its notice says so).
   */
  onEnd?: (info: DeploymentInfo) => void;
  /**
   * The wait found lshift's record decided to roll the deployment back and finishes that rollback
   * now (commands/wait.ts stops abandoning its calls: a signal asks for this very rollback).
   */
  onFinishingRollback?: () => void;
  /**
   * At CodeDeploy's end, the rollback lshift decided is left to its live run (its owner), whose
   * record the wait follows until that run closes it (follow-deciding-run.ts): a signal then ends
   * the following, reads nothing more and exits 4 (commands/wait.ts words its notice so).
   */
  onFollowingRun?: (owner: string) => void;
  /**
   * Someone moved the alias by hand and the wait stops CodeDeploy WITHOUT its rollback to keep
   * that move (follow-hand-move.ts): commands/wait.ts stops abandoning its calls (a first Ctrl-C
   * must not cut that stop short, leaving CodeDeploy to move the alias over the person's move) and
   * its notice says so.
   */
  onKeepingMove?: () => void;
}

export interface FollowResult {
  deploymentId: string;
  /**
   * CodeDeploy's last status. Absent only when a signal under `--on-interrupt leave` came before
   * any read answered (`statusUnread`): lshift does not know it, and it may have ended.
   */
  status?: DeploymentInfo['status'];
  /**
   * Left (`--on-interrupt leave`) before any read of the deployment answered: whether CodeDeploy
   * still runs it is not known. It was `InProgress` then, and the line said "CodeDeploy keeps
   * running it" of a deployment that may have ended.
   */
  statusUnread?: true;
  /**
   * succeeded: all traffic on the target; rolled_back: all on the version before; unsafe: it
   * ended any other way (the alias may be split); left: interrupted with `leave`, still running;
   * moved_by_hand: stopped without its rollback because someone moved the alias (`movedByHand`).
   */
  outcome: 'succeeded' | 'rolled_back' | 'unsafe' | 'left' | 'moved_by_hand';
  /**
   * Stopped WITHOUT its rollback after someone moved the alias by hand while it ran: lshift's deploy
   * run found the move, closed its record so (`endReason`) and stopped CodeDeploy, which moves the
   * alias no more (codedeploy-hand-move.ts). Nothing is left to roll back: `lshift rollback` said
   * "Nothing to roll back" where the wait offered it.
   */
  movedByHand?: { recordId?: string; endReason?: string };
  /** The command that fixes an unsafe end, when it is not `lshift rollback` (a stop without rollback). */
  fixCommand?: string;
  /** CodeDeploy's account of how it ended (errorInformation, rollback, failed hooks). */
  detail?: string;
  target?: AppSpecTarget;
  aliasState?: RoutingState;
  /** Set when lshift stopped it (Ctrl-C). */
  stoppedByInterrupt?: boolean;
  /**
   * Set when a Ctrl-C came once it had ended, before the wait had read the end: CodeDeploy
   * refused the stop (DeploymentAlreadyCompletedException), nothing was stopped. commands/wait.ts
   * sets it too for a signal after the wait read the end (nothing was asked of CodeDeploy then).
   */
  interruptedAfterEnd?: boolean;
  /** The record on the alias was closed (`promoted` / `rolled-back`). */
  recordPhase?: DeploymentRecord['phase'];
  /**
   * The alias is held now by a later lshift deployment (`lshift deployment d-… (shifting at 20%, …)`):
   * its state is that one's, not this deployment's (follow-alias-holder.ts).
   */
  heldBy?: string;
  /**
   * lshift's record said it had decided to roll this deployment back (`rolling-back`, `failed`):
   * the wait finished that rollback (outcome rolled_back) or could not (unsafe), and never
   * followed it to a promotion (follow-decided-rollback.ts).
   */
  decidedRollback?: DecidedRollbackEnd;
  /**
   * Succeeded and closed promoted, but its follower stopped before its settle wait's verdict (the
   * canary analysis of the last step's late metrics): that verdict was never made. The lshift
   * deployment's id. Exit 0 all the same, as a settle whose metrics never arrived (a warning).
   */
  settleUnjudged?: string;
  /**
   * The lshift record naming this deployment is still driven by a live run (a fresh heartbeat, or
   * its pid alive here: follow-live-owner.ts), a deploy in its settle wait say: the wait left it
   * open, that run's to close. The lshift deployment's id and who follows it.
   */
  liveFollower?: { recordId: string; follower: string };
}
