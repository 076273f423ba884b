/**
 * The deployment record (DESIGN.md §6, issue 6), stored on the function as the tag
 * `lshift:<alias>`. Tag values are at most 256 characters, so the codec in this file keeps
 * it compact and versioned.
 */
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
  /** Versions that were stable before, most recent first (at least the previous one). */
  history: string[];
}
