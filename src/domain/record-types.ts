/**
 * The deployment record (DESIGN.md §6, issue 6): what one deployment of an alias is doing, stored
 * on the function as the tag `lshift:<alias>` (record-tag.ts) in a compact text form
 * (record-encode.ts, record-decode.ts). deployment-record.ts re-exports all of it.
 */
import type { GuardFingerprint } from './guard-fingerprint.js';
import type { OperatorCommand } from './operator-command.js';
import type { RecordCause } from './record-cause.js';

export type DeploymentPhase =
  | 'started'
  | 'pre-hook'
  | 'shifting'
  | 'baking'
  | 'post-hook'
  | 'promoted'
  | 'rolling-back'
  | 'rolled-back'
  | 'paused'
  | 'failed';

export interface DeploymentRecord {
  /** Deployment id, short and unique (e.g. `d-k3j9x2`). */
  id: string;
  stableVersion: string;
  targetVersion: string;
  /** Strategy as given (normalised short form). */
  strategy: string;
  /** Index of the current plan step. */
  stepIndex: number;
  /** Current traffic percentage on the target. */
  percent: number;
  phase: DeploymentPhase;
  /** Epoch ms. */
  startedAt: number;
  /** Who runs it: `user@host:pid` or the CI job, truncated. */
  owner: string;
  /** Epoch ms of the last heartbeat. */
  heartbeatAt: number;
  /** Epoch ms when the deployment ended (promoted / rolled back), if it did. */
  endedAt?: number;
  /**
   * Epoch ms: the deployment's alarm polls judged every alarm change before this instant (the
   * start of its last poll that judged them all; its start when none did). Written with the
   * promotion; `lshift check` looks for alarms that flapped from here, since the promotion write
   * comes after the last poll (a post-traffic hook, the write itself). Absent in records of an
   * older lshift and of a deployment without `--alarm`: `check` looks from `endedAt` then.
   */
  alarmsJudgedUntil?: number;
  /** Why it ended when lshift did not end it itself, e.g. `moved by hand` (`lshift alias`). */
  endReason?: string;
  /**
   * Why lshift itself rolled it back (record key `y=`, record-cause.ts): written with the closing
   * `rolled-back` (or `failed`) by the deployment or by `lshift check`, cleared by a resume's
   * claim unless that resume only finishes the rollback. Absent in records of an older lshift,
   * and when the tag had no room left for it.
   */
  cause?: RecordCause;
  /** Versions that were stable before, most recent first (at least the previous one). */
  history: string[];
  /** The last operator command (`lshift promote|pause|resume|abort`, src/domain/operator-command.ts). */
  command?: OperatorCommand;
  /** The release this deployment is part of (`r-` and 6 characters; issue 13), if any. */
  releaseId?: string;
  /** The release runs its functions one after the other (`--stagger`; record key `sg=1`). */
  stagger?: true;
  /**
   * `deploy --warm`: the provisioned concurrency lshift put on the target version for this
   * deployment, to be removed when it ends (also by `lshift rollback` / `--resume` after a crash).
   */
  warm?: number;
  /** Who moves the traffic: absent for the native engine (alias weights), `codedeploy` (issue 12). */
  engine?: 'codedeploy';
  /** The CodeDeploy deployment id (`d-…`) that runs the shift, once CodeDeploy accepted it. */
  codeDeployId?: string;
  /**
   * What the deployment watches (alarms, hooks, bake, analysis; guard-fingerprint.ts), so
   * `--resume` can refuse to continue it with less. Absent in records written by an older lshift.
   */
  guards?: GuardFingerprint;
  /**
   * Which run wrote it (record key `rn=`, record-seal.ts): a token a deployment's runner draws
   * once and writes on every record of its own, kept by an operator command's copy-as-read, and
   * dropped by every other writer (a takeover, a close by `check` or `rollback`). A record whose
   * run sealed a later one is a late write (`resolveSealed`). Absent in records of an older
   * lshift, and when the tag had no room left for it.
   */
  runnerToken?: string;
  /**
   * The start of the alias's RevisionId when the deployment started (record key `ar=`, the first
   * 8 characters): every alias write gives the alias a new RevisionId, so a record that never
   * recorded a weight over an alias back on its stable version under another RevisionId was not
   * "abandoned before any traffic moved" — the alias was written since (its first weight and a
   * rollback whose record writes did not land, or a person). See record-revision.ts. Absent in
   * records of an older lshift, of the CodeDeploy engine, and when the tag had no room for it.
   */
  aliasRevision?: string;
  /**
   * How many functions the release has (record key `rz=`, decimal), written by every function's
   * record: with it, a command given every function can tell it needs no search for the others.
   * Absent in records of an older lshift, of no release, and when the tag had no room left for it.
   */
  releaseSize?: number;
  /**
   * Every function of the release, as deployed (record key `rf=`, names joined by `.`): what an
   * offered command names so it is runnable as printed (`lshift deploy fa fb --resume`). Written
   * whole or not at all, after the owner and the command and before older history; absent in
   * records of an older lshift, of no release, and when the names did not fit.
   */
  releaseFunctions?: string[];
  /**
   * The version a person's `lshift rollback --to` sent all traffic to when it closed this record
   * `promoted (moved by hand)`: `--to` the deployment's own new version (record key `rt=`). Its
   * owner is who ran it. Without it the deploy still shifting beside that rollback said "the
   * alias was moved by someone else (`aws lambda update-alias`, the console, another tool)" —
   * the close of a claimer that met an outside move reads the same (h4, session 70). Written only
   * with that close and dropped by every other closer (record-end-write.ts); absent in records
   * of an older lshift and when the tag had no room left for it (it gives way to the owner).
   * On a `rolling-back` claim: where its claimer sends all traffic, when it knew before claiming
   * (`--to`, or an unfinished deployment's stable version), so the runner it stops follows it to
   * that version by name (taker-follow.ts; it said the stable version beside `--to 2`).
   */
  rollbackTo?: string;
}

/** Every phase a record may name; a record naming another is corrupt (record-decode.ts). */
export const DEPLOYMENT_PHASES: readonly DeploymentPhase[] = [
  'started',
  'pre-hook',
  'shifting',
  'baking',
  'post-hook',
  'promoted',
  'rolling-back',
  'rolled-back',
  'paused',
  'failed',
];
