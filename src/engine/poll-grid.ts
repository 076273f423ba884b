/**
 * When a hold's next poll is due (health-monitor.ts): its polls keep to a grid from the start of
 * the hold, and the hold's end takes one last poll of its own.
 */

/**
 * How long to sleep before the next poll: to the next grid point, or to the end of the hold when
 * that comes first — or comes less than a quarter interval after the grid point. Such a grid
 * poll would be followed at once by the end-of-step poll: two rounds of reads where one does,
 * and in a release the second waited for the first round's gather window (metric-batch.ts) —
 * measured at 1×, 1.3 s a level that the next level's writes waited for. The end of a release
 * level is rarely on the grid (its last write pushes it 0–1 s past; fleet-steps.ts).
 */
export function untilNextPoll(now: number, nextPoll: number, end: number, intervalMs: number): number {
  const gridPollJustBeforeEnd = nextPoll < end && end - nextPoll < intervalMs / 4;
  return gridPollJustBeforeEnd ? end - now : Math.min(nextPoll - now, end - now);
}

/**
 * How long until the next poll is due, as the top of the hold's loop sleeps: to the next grid
 * point or the hold's end (untilNextPoll); past the end, to the next grid point while something
 * keeps the hold (`holding`: paused, health unreadable, the record lagging), else at once.
 */
export function untilPollDue(
  now: number,
  lastPoll: number,
  end: number,
  intervalMs: number,
  opts: { holding: boolean },
): number {
  let next = lastPoll;
  while (next <= now) next += intervalMs;
  if (end - now > 0) return untilNextPoll(now, next, end, intervalMs);
  return opts.holding ? next - now : 0;
}
