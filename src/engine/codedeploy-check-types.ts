/**
 * What `lshift check` learns of a record's CodeDeploy deployment and what it decides from it
 * (check-codedeploy.ts, check-codedeploy-gone.ts; check-decide.ts act carries the decisions out).
 */
import type { RecordCause } from '../domain/deployment-record.js';
import type { DeploymentInfo } from '../ports/codedeploy.js';
import type { AliasInfo } from '../ports/lambda.js';
import { ALARM_GATE_NAME } from './alarm-gate.js';
import type { CheckKind } from './check-classify.js';
import type { DriverGroupAlarms } from './check-codedeploy-driven-alarm.js';
import type { CheckAction } from './check-types.js';

/**
 * What one GetDeployment (and, when words need it, one GetAlias) said about a record's
 * deployment. `gone`: CodeDeploy answered that it does not know it (DeploymentDoesNotExistException:
 * its application or deployment group was deleted), so the alias alone says where traffic is.
 */
export type CodeDeployView =
  | { kind: 'unreadable'; id: string; error: string }
  | {
      kind: 'read';
      info: DeploymentInfo;
      alias?: AliasInfo;
      /**
       * It ended over a split another deployment on its group drives (codedeploy-split-rule.ts),
       * described (`d-X (InProgress, "hotfix")`): left to it, not STALLED, as status says it.
       */
      driver?: string;
      /** The driver's group (`app/group`) and its alarm configuration, read once a driver is found. */
      driverGroup?: { name: string; alarms: DriverGroupAlarms };
    }
  | { kind: 'gone'; id: string; error: string; alias?: AliasInfo };

/** What check-decide.ts act does with a CodeDeploy record: report it, or roll it back as `kind`. */
export type CodeDeployDecision =
  | { do: 'report'; action: CheckAction; reason: string; stalled?: boolean; close?: RecordClose }
  | {
      do: 'roll-back';
      reason: string;
      kind: CheckKind;
      stalled: boolean;
      /** Why, for the closed record (`y=`): the check's alarm that decided it. */
      cause: RecordCause;
    };

/** How a record is closed once CodeDeploy ended with the alias where it says (as `lshift wait` does). */
export interface RecordClose {
  outcome: 'succeeded' | 'rolled_back';
  /** When CodeDeploy ended it: a promoted record's window counts from there. */
  at: number;
  deploymentId: string;
  /** CodeDeploy no longer knows the deployment: `lshift wait` cannot close it, the next check can. */
  forgotten?: boolean;
  /**
   * How CodeDeploy said it ended, when it rolled back: the closed record's cause (`y=`,
   * codedeploy-end-cause.ts). None for a forgotten one: nothing says why, and nothing is guessed.
   */
  ended?: DeploymentInfo;
}

/** The cause of a rollback the check's alarms decided (`GATE_FAILED.alarms`, as for a native record). */
export const ALARMS_FAILED: RecordCause = { code: 'GATE_FAILED', gates: [ALARM_GATE_NAME] };
