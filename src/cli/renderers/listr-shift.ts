/**
 * The traffic shift's tasks at a TTY (listr-renderer.ts): a subtask per step of the plan, each
 * showing what its weight waits for, then its hold. A step that did not run says why: held before
 * a resume, skipped by `lshift promote --full`, not reached after a rollback; the shift fails (✖)
 * unless its last step was held.
 */
import type { Listr, ListrTask } from 'listr2';
import { formatDuration, formatPercent } from '../../domain/duration.js';
import type { EngineEvent } from '../../domain/events.js';
import { joinPrintableLines, printable } from '../../domain/printable.js';
import { offeredText } from '../output.js';
import type { EventBus } from './event-bus.js';
import { describeShiftEnd } from './shift-end.js';
import type { WaitLines } from './wait-lines.js';

export type Task = Parameters<ListrTask['task']>[1];

export async function runShift(bus: EventBus, waits: WaitLines, task: Task): Promise<Listr | undefined> {
  const started = await bus.waitFor((e) => e.type === 'shift.started');
  if (started?.type !== 'shift.started') {
    task.skip(`${task.title} — no traffic moved`);
    return undefined;
  }
  task.title = printable(
    `Traffic shift ${started.stableVersion} → ${started.targetVersion} (${formatDuration(started.plan.totalSeconds)})`,
  );
  // Until the first weight: what it waits for (--warm's provisioned concurrency, up to 10 minutes).
  const stopShowing = showWaits(waits, task);
  const first = await bus.waitFor((e) => e.type === 'step.started' || e.type === 'rollback.started');
  stopShowing();
  task.output = '';
  if (first?.type !== 'step.started') {
    // A resumed rollback starts from a split alias: traffic did move, only not in this run.
    const why =
      first?.type === 'rollback.started' && first.fromPercent > 0 ? 'no step run' : 'no traffic moved';
    task.skip(`${task.title} — ${why}`);
    return undefined;
  }
  const total = started.plan.steps.length;
  const last = started.plan.steps.length - 1;
  return task.newListr(
    [
      ...started.plan.steps.map(
        (step): ListrTask => ({
          title: `Step ${step.index + 1}/${total}: ${formatPercent(step.percent)}`,
          task: (_: unknown, sub: Task) =>
            step.index < first.index ? doneBefore(sub) : runStep(bus, waits, sub, step.index, total),
          // The wait's line, the health line and its two sparkline lines (wait-lines.ts), set at once.
          rendererOptions: { outputBar: 1 },
          // A failed step does not end the list: the steps after it say they were not reached.
          exitOnError: false,
        }),
      ),
      // Untitled, so not shown: the shift fails (✖) unless its last step was held.
      { task: () => checkCompleted(bus, last) },
    ],
    { exitOnError: true },
  );
}

/** A resumed deployment starts at the step it was in: the ones before were held by the runner that died. */
function doneBefore(task: Task): void {
  task.title = `${task.title} — held before the resume`;
}

function checkCompleted(bus: EventBus, last: number): void {
  if (!bus.seen((e) => e.type === 'step.completed' && e.index === last)) {
    throw new Error('the shift did not complete');
  }
}

/**
 * A step's task starts when the previous one ends, and shows what its weight waits for (step
 * hooks, the settle before 100%: wait-lines.ts) until it is written, then its hold.
 */
async function runStep(
  bus: EventBus,
  waits: WaitLines,
  task: Task,
  index: number,
  total: number,
): Promise<void> {
  const stopShowing = showWaits(waits, task);
  const waiting = task.title ?? '';
  // Until its write is sent (its step hooks, the settle before 100%), the plan's "Step 2/4: 50%"
  // read as a weight in place while traffic was still at the one before.
  const upcoming = weightNext(waiting);
  task.title = upcoming;
  // The settle may have started before this task did (no step hook between): asked, not awaited.
  const titleSettle = () => {
    const settle = waits.settle();
    if (settle?.phase === 'shift') task.title = settleTitle(upcoming, settle.maxSeconds);
  };
  titleSettle();
  const settling = waits.onChange(titleSettle);
  // Also ended by a rollback, and by a later step (`lshift promote --full` skips to 100%).
  const started = await bus.waitFor(
    (e) => (e.type === 'step.started' && e.index >= index) || e.type === 'rollback.started',
  );
  settling();
  if (started?.type !== 'step.started' || started.index !== index) {
    stopShowing();
    task.title = waiting;
    // The step whose weight was next when the rollback started (a step hook failed, the settle
    // found a failure) failed there; the ones after it were not reached.
    const pending = bus.seen((e) => e.type === 'step.completed' && e.index === index - 1);
    if (started?.type === 'rollback.started' && pending) throw new Error(printable(started.reason));
    task.skip(`${waiting} — ${started?.type === 'step.started' ? 'skipped' : 'not reached'}`);
    return;
  }
  // `step.started` is said as the weight write is sent: "Step 2/4: 50%" then read as a weight
  // in place for a write that failed (found by a hostile pass). The weight is named as reached
  // once it landed: the first poll at this step (the wait for provisioned concurrency's or the
  // hold's, both after the write) or the step's end.
  const base = `Step ${index + 1}/${total}: ${formatPercent(started.percent)}`;
  const writing = `Step ${index + 1}/${total}: shifting to ${formatPercent(started.percent)}`;
  let landed = bus.seenAfter(started).some((e) => landedAt(e, index));
  task.title = landed ? base : writing;
  const unsubscribe = bus.subscribe((e) => {
    if (landedAt(e, index)) landed = true;
    if (e.type === 'health.polled' && e.index === index) {
      // The hold's last poll: "(0s left)" said nothing the health line does not.
      const left = Math.round(e.remainingSeconds);
      task.title = left > 0 ? printable(`${base} (${formatDuration(left)} left)`) : base;
    }
    // At once: what is waited on after this step's hold (a step hook) is the next step's.
    if (e.type === 'step.completed' && e.index === index) stopShowing();
  });
  const end = await bus.waitFor(
    (e) => (e.type === 'step.completed' && e.index === index) || e.type === 'rollback.started',
  );
  unsubscribe();
  stopShowing();
  task.title = landed ? base : writing;
  if (end?.type === 'rollback.started') throw new Error(printable(end.reason));
  if (!end) {
    // Ended with no rollback of this run's own: how, as its result says (shift-end.ts).
    const finished = bus.seen((e) => e.type === 'deploy.finished');
    throw new Error(describeShiftEnd(finished?.type === 'deploy.finished' ? finished.result : undefined));
  }
}

/** "Step 2/4: 50% next", from the plan's "Step 2/4: 50%" (short: the settle's words follow it). */
function weightNext(planned: string): string {
  return `${planned} next`;
}

/** An event that says the step's weight landed: a poll at it (its percent is the alias's), its end. */
function landedAt(e: EngineEvent, index: number): boolean {
  return (e.type === 'health.polled' || e.type === 'step.completed') && e.index === index;
}

/**
 * The task's output follows the current wait's lines, cleared with them (a new weight clears
 * the settle's lines and the last poll's, which spoke of the previous weight); returns the stop.
 */
export function showWaits(waits: WaitLines, task: Task): () => void {
  const show = () => {
    task.output = joinPrintableLines(waits.lines().map(offeredText));
  };
  show();
  return waits.onChange(show);
}

export function settleTitle(title: string, maxSeconds: number): string {
  return `${title} — waiting for metrics to arrive, at most ${formatDuration(maxSeconds)}`;
}
