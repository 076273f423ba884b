/**
 * Whether `lshift status --watch` refreshes again (commands/status.ts): while the deployment on
 * the alias has not ended and something still moves it or may (its runner, or AWS CodeDeploy).
 */
import type { AliasStatus } from '../engine/status.js';
import { isLeftPaused } from '../engine/status-stalled.js';
import { needsOperator } from './status-needs-operator.js';

/**
 * In progress: AWS CodeDeploy still runs the record's deployment, whatever its record says — a
 * `--detach`ed run leaves it `paused` and a follower killed leaves it stale, yet CodeDeploy moves
 * the alias on (found by a hostile pass: the watch printed one frame and exited 0 at 10%); or a
 * live runner's record that has not ended, paused ones too (it still watches its gates and goes on
 * at `lshift resume`). Not a record its runner left `paused` and exited (nobody drives it, exit 4
 * when split; the watch refreshed it for ever). Not what needs an operator (exit 4, refreshed for ever otherwise), nor a
 * stale record (nobody drives it: exit 4 when split, status-needs-operator.ts).
 */
export function isInProgress(status: AliasStatus): boolean {
  const record = status.record;
  if (needsOperator(status)) return false;
  if (record?.codeDeployStatus !== undefined && record.codeDeployEnded === undefined) return true;
  // Left paused by a runner that exited: nobody moves it until a person resumes or rolls it back.
  if (record && isLeftPaused(record)) return false;
  if (record?.stale || record?.promoteUnconfirmed || record?.forgottenByCodeDeploy || record?.codeDeployEnded)
    return false;
  const phase = record?.phase;
  const ended = phase === undefined || ['promoted', 'rolled-back', 'failed'].includes(phase);
  return status.split || !ended;
}
