/**
 * The types of `lshift status` (status.ts), apart so that the files it calls (status-alarms.ts)
 * can name them without an import cycle (test/unit/layering.test.ts).
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import type { Clock } from '../ports/clock.js';
import type { CodeDeployPort } from '../ports/codedeploy.js';
import type { LambdaPort } from '../ports/lambda.js';
import type { LocalProcesses } from '../ports/local-processes.js';
import type { AlarmStateValue, MetricsPort } from '../ports/metrics.js';
import type { StateStore } from '../ports/state-store.js';
import type { LateCodeDeployStart } from './codedeploy-late-start.js';

export interface StatusDeps {
  lambda: LambdaPort;
  metrics: MetricsPort;
  clock: Clock;
  store?: StateStore;
  /** Asked about an unfinished CodeDeploy record's deployment (status-codedeploy.ts). */
  codedeploy?: CodeDeployPort;
  /** The group a CodeDeploy record's deployment runs on, to find one it does not name by its run token. */
  codeDeployGroupOf?: (
    functionName: string,
    alias: string,
  ) => { application: string; group: string } | undefined;
  /**
   * The owner a `lshift check` run here would have, and this machine's processes: a record whose
   * owner's pid no longer runs here is STALE when the check would act on it (isAbandoned).
   */
  checkOwner?: string;
  processes?: LocalProcesses;
}

export interface StatusRequest {
  functionName: string;
  alias: string;
  alarms: string[];
  staleAfterSeconds?: number;
  /**
   * The other functions this status shows: a release's `promote --full` answered in one of their
   * records is read when this one's alias is ahead of its record (status-release-full.ts).
   */
  releaseMates?: readonly { functionName: string; alias: string }[];
}

export interface StatusAlarm {
  name: string;
  /** `UNKNOWN` when the read failed or the alarm does not exist (see `reason`). */
  state: AlarmStateValue | 'UNKNOWN';
  reason?: string;
  updatedAt?: number;
}

export interface StatusRecord extends DeploymentRecord {
  heartbeatAgeSeconds: number;
  /**
   * Not ended, and no heartbeat for longer than the staleness limit: its runner probably died.
   * A `rolling-back` record: that limit plus the check's clock margin, or at once when its
   * claimer's pid no longer runs on this machine (check-classify.ts isAbandoned). At once too
   * when its runner is known gone (status-stalled.ts isRunnerKnownGone: `deadPid` under an owner
   * carrying this machine's token).
   */
  stale: boolean;
  /**
   * Not ended, and its owner is this user's on this machine with this pid, which no longer runs:
   * stale or not yet (its heartbeat fresh, `lshift check` already says its runner is gone).
   */
  deadPid?: number;
  /**
   * Stale, and its owner is this user's on this machine with this pid, which still runs: its
   * runner is alive (or the pid was reused) but its record is not written (livePidHere).
   */
  livePid?: number;
  /**
   * The output calls it STALLED: nobody drives it and a person must finish or undo it
   * (status-stalled.ts isStalled). Unlike `stale`, never set on one the next `lshift check`
   * closes by itself, a rollback the next check finishes, or one AWS CodeDeploy runs on.
   */
  stalled?: true;
  /**
   * Its alias is all on the new version, ahead of this record, and another record of its release
   * read with it holds an obeyed or sent `promote --full`: lshift's own write (status-release-full.ts).
   */
  releasePromotedFull?: true;
  /**
   * A stale unfinished rollback whose alias someone moved since, further towards the new version
   * than its runner could have left it (rollback-overtaken.ts): the words. Neither `deploy
   * --resume` nor `lshift check` writes over it; STALLED, `lshift rollback` its way out.
   */
  rollbackOvertaken?: string;
  /**
   * A stale unfinished rollback whose alias someone moved since onto a version it never wrote
   * (rollback-moved-away.ts): the words. The check leaves it, `lshift rollback` without `--to`
   * refuses it: STALLED, `--to` its stable version or `lshift alias` its ways out.
   */
  rollbackMovedAway?: string;
  /** The alias was moved away from this unfinished deployment by hand (record-view.ts, aliasMovedAway). */
  movedAway?: 'elsewhere' | 'back-on-stable';
  /**
   * A release's function back on its stable version, nobody driving it: its gate failed while its
   * runner could still move traffic (the check's words for it), so the next `lshift check` rolls
   * the whole release back (release-member-gate.ts).
   */
  releaseGateFailed?: string;
  /** …or why status cannot tell whether it did (no alarms given, unreadable): a check still may. */
  releaseGateUnjudged?: string;
  /**
   * Recorded promoted while the alias still splits traffic (promoted-split.ts): stalled, nobody
   * drives it, a human must finish or undo it (`lshift status` exits 4).
   */
  promotedButSplit?: boolean;
  /**
   * Finished (promoted, rolled back), but the alias is no longer where it left it: moved since by
   * something other than an lshift deployment (record-view.ts aliasMovedSinceEnd).
   */
  movedSince?: { leftOnVersion: string };
  /**
   * Every step passed but its runner could not confirm the promote and stopped
   * (promote-unconfirmed.ts): nobody drives it, a human must finish or undo it (exit 4).
   */
  promoteUnconfirmed?: boolean;
  /** CodeDeploy no longer knows the deployment this unfinished record names: nothing drives it (exit 4). */
  forgottenByCodeDeploy?: true;
  /** Why CodeDeploy could not be asked about it. */
  codeDeployError?: string;
  /** How CodeDeploy says the deployment ended (status-codedeploy.ts). */
  codeDeployEnded?: string;
  /**
   * CodeDeploy's status of the deployment as GetDeployment answered (`InProgress`, `Ready`, …;
   * once ended `Succeeded`, `Stopped`, `Failed`, beside `codeDeployEnded`): CodeDeploy moves the
   * traffic on its own schedule, not lshift's step counter (status-codedeploy.ts). Until session
   * 65 only while it ran: a kept move CodeDeploy Succeeded over had none under `--json`.
   */
  codeDeployStatus?: string;
  /**
   * …while the run that follows it still lives (follow-live-owner.ts, the rule `lshift wait`
   * goes by): that run closes the record, not a wait. Its owner, heartbeat age, and whether its
   * process still runs here.
   */
  codeDeployEndedFollower?: string;
  /** The deployment of a record that names none, found by its run token (status-codedeploy.ts). */
  codeDeployIdFound?: string;
  /** It ended in CodeDeploy (Stopped, Failed) with the alias left split: nobody drives it (exit 4). */
  leftSplitByCodeDeploy?: true;
  /** …and another deployment on its group drives the split (status-codedeploy.ts). */
  splitByOtherDeployment?: string;
  /**
   * …with an alarm shown in ALARM: STALLED, exit 4, with `lshift check`'s words and fix
   * (status-driven-alarm.ts); status said "follow it", exit 0, where check exits 4.
   */
  alarmOverDrivenSplit?: string;
  /**
   * lshift decided to roll it back (`rolling-back`, `failed`), yet AWS CodeDeploy runs it on
   * (`InProgress`) or ended it with the alias not back on the stable version (`Succeeded`): its
   * status then. Nothing of lshift's drives the alias back: exit 4 (status-codedeploy.ts).
   */
  againstRollback?: string;
  /** …InProgress over a person's move of the alias: words naming it (status-codedeploy-hand.ts). */
  againstRollbackByHand?: string;
  /**
   * lshift asked AWS CodeDeploy to stop it without its rollback, to keep a person's move of the
   * alias, and did not see that stop end (its runner has exited), yet CodeDeploy runs it on
   * (`InProgress`) or ended it `Succeeded` over the move: its status. Exit 4 (status-codedeploy.ts).
   */
  againstKeptMove?: string;
  /**
   * lshift decided to roll it back and the run that decided it is alive (a fresh heartbeat, or its
   * pid running here): its rollback is under way, CodeDeploy's status until its StopDeployment
   * lands, and who rolls it back (status-rollback-runner.ts). Not exit 4: its runner drives it.
   */
  rollingBackByRunner?: { codeDeployStatus: string; runner: string };
  /**
   * Someone moved the alias by hand and the run that found it is alive, its StopDeployment WITHOUT
   * rollback (keeping that move) not answered yet (status-rollback-runner.ts): CodeDeploy's status
   * until the stop lands, and who stops it. Not exit 4: its runner drives it. Status said "rolled
   * back by hand … record that with `lshift rollback`" and "follow it: lshift wait" (session 65).
   */
  keepingMoveByRunner?: { codeDeployStatus: string; runner: string };
  /**
   * lshift closed it rolled back, yet AWS CodeDeploy's own record of its deployment says
   * `Succeeded`: CodeDeploy had finished its shift and lshift's rollback put the alias back itself
   * (status-codedeploy-finished.ts). Status said only "ended: rolled-back" (session 65).
   */
  codeDeploySucceededBeforeRollback?: true;
  /**
   * Rolled back, but its own CodeDeploy deployment (found by its run token) started after its
   * run had ended and moved the alias (codedeploy-late-start.ts); still running: exit 4.
   */
  lateCodeDeployStart?: LateCodeDeployStart;
}

export interface AliasStatus {
  functionName: string;
  alias: string;
  functionVersion: string;
  additionalWeights: Record<string, number>;
  split: boolean;
  revisionId: string;
  alarms: StatusAlarm[];
  record?: StatusRecord;
  /** Why the record could not be read, when it could not. */
  recordError?: string;
  /**
   * The read failed (a network error, throttling, a 5xx, no lambda:ListTags): the record may be
   * fine and a live runner may drive the split. Unset when it was read and cannot be used
   * (corrupt, not adding up, an alias too long to name it).
   */
  recordUnreadable?: true;
  /**
   * The record is in a newer format than this lshift reads (`v2 …`, RECORD_CORRUPT): a newer
   * lshift wrote it and may still be running that deployment (the note says to use that lshift).
   */
  recordNewer?: true;
}
