/**
 * The result of a release of several functions (issue 13): one verdict for all of them, and each
 * function's own result. Data only: the CLI words it (src/cli/describe-release.ts) and chooses
 * the exit code from `status`.
 */
import type { DeployResult, DeployStatus } from './events.js';
import type { ReleaseTarget } from './release-program.js';

export interface ReleaseResult {
  /** `r-` and 6 characters; every function's record names it (`rl=`). */
  releaseId: string;
  status: DeployStatus;
  strategy?: string;
  /** Lockstep (every function at each weight) or one function after the other. */
  mode: 'lockstep' | 'stagger';
  /** The function whose health, hook or write ended the release (absent when none did: a signal, an abort). */
  failed?: ReleaseTarget;
  functions: DeployResult[];
  startedAt: number;
  endedAt: number;
}

/**
 * Worst first: a function that may be split (unsafe) or is left split on purpose (paused: the
 * weights were left by --on-interrupt leave) outranks a conflict, which outranks a rollback —
 * no exit but 4 may leave an alias split, so a release with one paused function is paused even
 * when another rolled back (a `--stagger` release interrupted with leave: the functions not
 * moved yet roll back, the moved ones stay). Promoted only when every function was (or had
 * nothing to do).
 */
const SEVERITY: readonly DeployStatus[] = [
  'unsafe',
  'paused',
  'conflict',
  'failed',
  'rolled_back',
  'promoted',
  'nothing_to_deploy',
];

export function releaseStatus(functions: readonly DeployResult[]): DeployStatus {
  for (const status of SEVERITY) if (functions.some((f) => f.status === status)) return status;
  return 'nothing_to_deploy';
}
