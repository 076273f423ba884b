import type { BesideStopNews } from '../engine/codedeploy-driver-deps.js';

/**
 * What the alias read beside the rollback's stop came to, for a second signal that exits before
 * the rollback ends: the run's own close, which names the move (`y=INTERRUPTED.hand`), never comes
 * (session 65's note: the split went unsaid). Nothing when no read went out or it found no move.
 */
export function describeBesideStop(
  news: BesideStopNews | undefined,
  stable: string | undefined,
  target: { functionName: string; alias: string },
): string[] {
  if (!news) return [];
  const back = stable === undefined ? 'back' : `back on version ${stable}`;
  if (!news.answered)
    return [
      `lshift's read of the alias sent beside that stop had not answered: whether someone had moved it by hand just before is not known (\`lshift status ${target.functionName} --alias ${target.alias}\` shows where it is now).`,
    ];
  if (!news.moved) return [];
  return [
    // Not said as done: the stop may not have reached CodeDeploy (session 66, F5: "may still be
    // running" above, "puts all traffic back" as a fact here).
    `lshift's read of the alias beside that stop found ${news.moved}; once the stop reaches CodeDeploy, its rollback puts all traffic ${back} over that move (\`lshift status ${target.functionName} --alias ${target.alias}\` shows where it is now).`,
  ];
}
