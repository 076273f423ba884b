/**
 * A resume refused for a move by hand (ALIAS_MISMATCH, ALIAS_AHEAD_OF_RECORD: resume-prepare.ts)
 * while the deployment's runner may still run: its heartbeat is younger than the stale limit. The
 * refusal comes before the resume watches whether that runner stopped (resume-runner-gone.ts), and
 * its hint offered `lshift rollback … --to 1` over the live runner (h3's pass F5, session 67) —
 * which meets the move itself at its next read of the alias and stops. While it may run, the hint
 * offers only `lshift status` again, as `lshift status` does (cli/renderers/status-moved-text.ts).
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import { formatDuration } from '../domain/duration.js';
import { DEFAULT_STALE_AFTER_SECONDS } from '../domain/poll-interval.js';
import { isSplit } from './record-view.js';

const DRIVING = new Set(['started', 'pre-hook', 'shifting', 'baking', 'post-hook']);

export function describeLiveRunnerHint(
  now: number,
  req: { functionName: string; alias: string; staleAfterSeconds?: number },
  record: Pick<DeploymentRecord, 'phase' | 'engine' | 'heartbeatAt'>,
  alias: { additionalWeights: Record<string, number> },
): string | undefined {
  if (!DRIVING.has(record.phase) || record.engine === 'codedeploy') return undefined;
  const staleSeconds = req.staleAfterSeconds ?? DEFAULT_STALE_AFTER_SECONDS;
  const ageMs = now - record.heartbeatAt;
  if (ageMs < 0 || ageMs >= staleSeconds * 1000) return undefined;
  const code = isSplit(alias.additionalWeights) ? '4: nobody drives that split' : '5';
  return (
    `Its runner beat ${formatDuration(Math.round(ageMs / 1000))} ago and may still run: it meets that move at its next read of the alias, leaves it where it was put and exits ${code}. ` +
    `Nothing to run meanwhile: \`lshift status ${req.functionName} --alias ${req.alias}\` again shows how it ended and the way out (a stopped runner looks the same until its heartbeat passes ${formatDuration(staleSeconds)}).`
  );
}
