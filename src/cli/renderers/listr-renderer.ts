/**
 * Interactive progress at a TTY: listr2 tasks driven by engine events (the engine never
 * imports listr2). Progress goes to stderr so stdout stays for results. listr2 writes to
 * process.stderr itself, past output.ts: every title, output and error set here is made
 * printable first (describeEvent's lines already are).
 */
import {
  figures,
  Listr,
  ListrDefaultRendererLogLevels,
  ListrLogger,
  type ListrTask,
  ProcessOutput,
} from 'listr2';
import { formatDuration } from '../../domain/duration.js';
import type { EngineEvent } from '../../domain/events.js';
import { joinPrintableLines, printable } from '../../domain/printable.js';
import { offeredText } from '../output.js';
import { DeploymentBus } from './deployment-bus.js';
import { describeEvent } from './describe-event.js';
import { type EarlyWarnings, trackEarlyWarnings } from './early-warnings.js';
import type { EventBus } from './event-bus.js';
import { runShift, settleTitle, showWaits, type Task } from './listr-shift.js';
import { renderSparklines } from './sparkline.js';
import { trackWaits, type WaitLines } from './wait-lines.js';

export interface ProgressLayout {
  publish: boolean;
  /** False for commands that only publish: no preflight, shift or rollback tasks. */
  shift: boolean;
  preHooks: number;
  bakeSeconds: number;
  postHooks: number;
}

type Of<T extends EngineEvent['type']> = Extract<EngineEvent, { type: T }>;

export interface ListrRenderer {
  bus: DeploymentBus;
  done: Promise<void>;
  /**
   * Shows a Node process warning line in the task running now. Returns whether the list keeps
   * it on screen once it ends: said before the shift, the preflight keeps it with the engine's
   * warnings; otherwise its line goes with the task's (a step's, the publish's), and the caller
   * prints it after the list too.
   */
  nodeWarning(line: string, at: number): boolean;
}

export function createListrRenderer(layout: ProgressLayout): ListrRenderer {
  const bus = new DeploymentBus();
  const is =
    <T extends EngineEvent['type']>(type: T, extra: (e: Of<T>) => boolean = () => true) =>
    (e: EngineEvent): boolean =>
      e.type === type && extra(e as Of<T>);
  const rolledBack = () => bus.seen(is('rollback.started')) !== undefined;
  // From the start: a wait between two steps begins before the next step's task does.
  const waits = trackWaits(bus);
  // From the start too: the CLI says its warnings before the first task runs.
  const warnings = trackEarlyWarnings(bus);

  const tasks: ListrTask[] = [
    { title: 'Publish', enabled: layout.publish, task: (_, task) => runPublish(bus, warnings, task) },
    {
      title: 'Preflight',
      enabled: layout.shift,
      task: (_, task) => runPreflight(bus, warnings, task),
      // Its warnings stay under it for the whole shift (the summary repeats them at the end).
      rendererOptions: { persistentOutput: true },
    },
    {
      title: 'Pre-traffic hooks',
      enabled: layout.preHooks > 0,
      // Pre-traffic hooks run after shift.started (the record is written first): they end when
      // the first weight is written, or when a failure or an interrupt starts the rollback.
      task: (_, task) => runHooks(bus, task, 'pre', 'step.started'),
    },
    { title: 'Traffic shift', enabled: layout.shift, task: (_, task) => runShift(bus, waits, task) },
    {
      title: `Bake at 100% for ${formatDuration(layout.bakeSeconds)}`,
      enabled: layout.bakeSeconds > 0,
      task: (_, task) => runBake(bus, waits, task),
      rendererOptions: { outputBar: 1 },
    },
    {
      title: 'Post-traffic hooks',
      enabled: layout.postHooks > 0,
      task: (_, task) => runHooks(bus, task, 'post', 'deploy.finished'),
    },
    { title: 'Rollback', enabled: rolledBack, task: (_, task) => runRollback(bus, task) },
  ];
  const logger = new ListrLogger({ processOutput: new ProcessOutput(process.stderr, process.stderr) });
  const listr = new Listr(tasks, {
    exitOnError: false,
    concurrent: false,
    // listr2's own SIGINT listener calls process.exit(127) at once, leaving the alias split.
    // Ctrl-C belongs to src/cli/interrupts.ts, which rolls back (or pauses) first; the tasks
    // then settle from the rollback events like any other ending.
    registerSignalListeners: false,
    rendererOptions: {
      logger,
      collapseSubtasks: false,
      showErrorMessage: true,
      // listr2 marks a task whose subtasks failed with ❯, the glyph of a task in progress (told
      // apart by its colour alone): a shift that rolled back looked still under way.
      icon: { [ListrDefaultRendererLogLevels.FAILED_WITH_FAILED_SUBTASKS]: figures.cross },
    },
    // Not expected to be used (progress.ts draws the list only when stdout is a terminal, listr2's
    // condition for it), but should listr2 fall back, its lines go to stderr, not into stdout's JSON.
    fallbackRendererOptions: { logger },
  });
  const done = listr.run().then(() => undefined);
  const nodeWarning = (line: string, at: number): boolean => {
    bus.warn(line, at);
    return layout.shift && !bus.seen((e) => e.type === 'shift.started' || e.type === 'deploy.finished');
  };
  return { bus, done, nodeWarning };
}

/** While it runs (the checks before the upload, then the upload): the warnings said so far. */
async function runPublish(bus: DeploymentBus, warnings: EarlyWarnings, task: Task): Promise<void> {
  // And lshift's own line (a Ctrl-C heard during the upload: it stops once the version is published).
  const show = () => {
    task.output = joinPrintableLines(
      [...warnings.lines(), ...(bus.said === undefined ? [] : [bus.said])].map(offeredText),
    );
  };
  show();
  const stopShowing = warnings.onChange(show);
  const unsubscribe = bus.subscribe((e) => {
    if (e.type === 'log' && e.message === bus.said) show();
  });
  const done = await bus.waitFor((e) => e.type === 'publish.completed');
  stopShowing();
  unsubscribe();
  if (done?.type !== 'publish.completed') {
    // Every check that can run before the upload runs before it: one refused, nothing was uploaded.
    throw new Error(
      refusedCheck(bus) ? 'not published: a check before the upload failed' : 'publish did not complete',
    );
  }
  task.title = printable(
    done.created ? `Published version ${done.version}` : `Nothing changed: reusing version ${done.version}`,
  );
}

/**
 * The warnings said before the shift, then the check in progress; once passed, the warnings alone
 * (kept: persistentOutput). It ends when the shift starts, so a warning said in between is shown.
 */
async function runPreflight(bus: DeploymentBus, warnings: EarlyWarnings, task: Task): Promise<void> {
  // A check before the upload may have refused already, while the publish task ran.
  let check = refusedCheck(bus);
  const show = () => {
    task.output = joinPrintableLines(
      [...warnings.lines(), ...(check === undefined ? [] : [check])].map(offeredText),
    );
  };
  show();
  const stopShowing = warnings.onChange(show);
  // The check in progress, or a note (a superseded deployment's rollback: deployment-bus.ts).
  const unsubscribe = bus.subscribe((e) => {
    if (e.type !== 'preflight.check' && !(e.type === 'log' && e.level === 'info')) return;
    check = describeEvent(e);
    show();
  });
  const done = await bus.waitFor((e) => e.type === 'preflight.completed');
  unsubscribe();
  if (done?.type !== 'preflight.completed') {
    // The check that failed stays shown under the warnings. A signal (lshift said it heard one)
    // is no failed check: "did not pass" over Ctrl-C read as a refusal of the function.
    stopShowing();
    throw new Error(bus.said === undefined ? 'preflight did not pass' : 'preflight interrupted');
  }
  check = undefined;
  show();
  task.title = printable(`Preflight passed: version ${done.stableVersion} → ${done.targetVersion}`);
  await bus.waitFor((e) => e.type === 'shift.started');
  stopShowing();
}

/** The line of the latest warning said after `since` (an event the bus has seen), if any. */
function lastWarningSince(bus: EventBus, since: EngineEvent): string | undefined {
  const warnings = bus.seenAfter(since).filter((e) => e.type === 'log' && e.level === 'warn');
  const latest = warnings.at(-1);
  return latest && describeEvent(latest);
}

/** The check that refused the deployment (the first failure ends the preflight), as its line. */
function refusedCheck(bus: EventBus): string | undefined {
  const failed = bus.seen((e) => e.type === 'preflight.check' && !e.ok);
  return failed && describeEvent(failed);
}

async function runHooks(
  bus: EventBus,
  task: Task,
  phase: 'pre' | 'post',
  until: EngineEvent['type'],
): Promise<void> {
  let line = '';
  let health: string[] = [];
  const unsubscribe = bus.subscribe((e) => {
    // A note is shown too: --warm waits for the new version's provisioned concurrency before them.
    if (((e.type === 'hook.started' || e.type === 'hook.output') && e.phase === phase) || e.type === 'log') {
      line = describeEvent(e) ?? '';
    } else if (e.type === 'health.polled' && e.during === 'post-hook' && phase === 'post') {
      // Polled beside the hook (wait-watch.ts), as the step hooks' polls show under their step.
      health = [describeEvent(e) ?? '', ...renderSparklines(e.verdicts)];
    } else {
      return;
    }
    task.output = joinPrintableLines([...(line === '' ? [] : [line]), ...health].map(offeredText));
  });
  await bus.waitFor((e) => e.type === until || (e.type === 'rollback.started' && phase === 'pre'));
  unsubscribe();
  // From the history: the failure may have come before this task subscribed. The first failure
  // of a phase ends it, so there is at most one.
  const failed = bus.seen((e) => e.type === 'hook.completed' && e.phase === phase && !e.ok);
  if (failed) throw new Error(describeEvent(failed) ?? 'a hook failed');
  // A deployment that rolled back (or had nothing to deploy) never ran them: no ✔ for that.
  if (!bus.seen((e) => e.type === 'hook.started' && e.phase === phase)) {
    task.skip(`${task.title} — not reached`);
  }
}

async function runBake(bus: EventBus, waits: WaitLines, task: Task): Promise<void> {
  const started = await bus.waitFor((e) => e.type === 'bake.started' || e.type === 'rollback.started');
  if (started?.type !== 'bake.started') {
    task.skip(`${task.title} — not reached`);
    return;
  }
  const title = `Bake at 100% for ${formatDuration(started.seconds)}`;
  task.title = title;
  const stopShowing = showWaits(waits, task);
  // After the bake's own time, the settle holds until CloudWatch has its last minutes.
  const settling = waits.onChange(() => {
    const settle = waits.settle();
    if (settle?.phase === 'bake') task.title = settleTitle(title, settle.maxSeconds);
  });
  const end = await bus.waitFor((e) => e.type === 'bake.completed' || e.type === 'rollback.started');
  settling();
  stopShowing();
  task.title =
    end?.type === 'bake.completed' && end.endedEarly
      ? `Bake at 100%: ended by an operator's promote after ${formatDuration(end.endedEarly.afterSeconds)} of ${formatDuration(end.endedEarly.plannedSeconds)}`
      : end?.type === 'bake.completed' && end.unjudged
        ? `${title}: not judged (no alarm watched, the canary analysis inconclusive)`
        : title;
  if (end?.type !== 'bake.completed') throw new Error('bake did not complete');
}

/**
 * While it runs: where from, why, lshift's own line if one was said (how to exit at once), and the
 * latest warning said since the rollback started — a Node process warning (DeploymentBus.warn) or
 * the engine's — as a step shows it (wait-lines.ts): at once, not after the list has ended. One
 * said before this task ran (the shift's task was still ending) is shown from its start.
 */
async function runRollback(bus: DeploymentBus, task: Task): Promise<void> {
  const started = bus.seen((e) => e.type === 'rollback.started');
  let warning = started && lastWarningSince(bus, started);
  const show = () => {
    const said = bus.said === undefined ? [] : [bus.said];
    const warned = warning === undefined ? [] : [warning];
    task.output = joinPrintableLines([describeEvent(started!) ?? '', ...said, ...warned].map(offeredText));
  };
  if (started?.type === 'rollback.started') {
    task.title = printable(`Rolling back to version ${started.toVersion}`);
    show();
  }
  const unsubscribe = bus.subscribe((e) => {
    if (!started || e.type !== 'log') return;
    if (e.level === 'warn') warning = describeEvent(e);
    if (e.level === 'warn' || e.message === bus.said) show();
  });
  const end = await bus.waitFor((e) => e.type === 'rollback.completed' || e.type === 'rollback.failed');
  unsubscribe();
  if (end?.type === 'rollback.completed') {
    // Only the result knows whether any traffic had moved (a refused first write did not).
    const finished = await bus.waitFor((e) => e.type === 'deploy.finished');
    const moved = finished?.type !== 'deploy.finished' || finished.result.trafficMoved !== false;
    task.title = printable(
      moved
        ? `Rolled back: all traffic on version ${end.toVersion}`
        : `Nothing to roll back: no traffic moved, all traffic still on version ${end.toVersion}`,
    );
    return;
  }
  throw new Error(end?.type === 'rollback.failed' ? printable(end.message) : 'rollback did not complete');
}
