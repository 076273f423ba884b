/**
 * SIGINT (Ctrl-C, at a TTY too), SIGTERM (CI cancel), SIGHUP (terminal closed, SSH dropped) and
 * SIGQUIT (Ctrl-\ at a terminal) during a shift: the first signal aborts the engine, which rolls
 * back (or pauses) before exiting; a second one exits at once with exit 4, the alias state as last
 * written and the fix command, leaving the record for `lshift status` / `lshift rollback`.
 *
 * Nothing else may own these signals: listr2's own SIGINT listener is turned off
 * (renderers/listr-renderer.ts). After SIGHUP the terminal is gone and every write to it fails;
 * output.ts makes that harmless.
 */

import { setMaxListeners } from 'node:events';
import { fstatSync } from 'node:fs';
import { ExitCode, isLshiftError, UnsafeError } from '../domain/errors.js';
import type { EngineEvent } from '../domain/events.js';
import { printable, printableJson } from '../domain/printable.js';
import { buildFixCommand, buildStopCommand, describeAliasState } from '../engine/deploy-result.js';
import { describeError } from '../engine/emit.js';
import type { EventSink } from '../ports/event-sink.js';
import { reportFailureInCi } from './ci-failure-report.js';
import { readWallMs } from './clocks.js';
import { takeEarlySignal } from './early-signals.js';
import { stderr, stdout } from './output.js';
import { SCHEMA_VERSION } from './schema-version.js';
import { STOP_SIGNALS } from './stop-signals.js';

export { STOP_SIGNALS } from './stop-signals.js';

export interface InterruptGuard {
  signal: AbortSignal;
  dispose(): void;
}

/**
 * A second signal within this long of the first is the same interrupt delivered twice: Ctrl-C
 * under `npx` reaches lshift once from the terminal and once forwarded by npm.
 */
const DUPLICATE_SIGNAL_MS = 1000;

export interface GuardOptions {
  /** Called on a real second signal; by default exits at once (exitOnSecondSignal). */
  onSecond?: (signalName: string) => void;
  /** Tells the user the first signal was heard; by default a line on stderr. */
  say?: (text: string) => void;
  /**
   * What the first signal starts, said in its notice (a rollback stops otherwise than a deploy);
   * a function when that depends on how far the run got (resumeAwareNotice).
   */
  stopping?: string | (() => string);
  /**
   * Refuse Ctrl-Z (SIGTSTP) and say this instead: what to do to stop or hold. Set by the commands
   * that move traffic (deploy, rollback, check); a `wait` or an operator verb may be suspended.
   */
  refuseSuspend?: string;
  now?: () => number;
}

/**
 * The `refuseSuspend` of `deploy` (one function named) and of a release: Ctrl-C stops safely,
 * `lshift pause` holds a native shift (a CodeDeploy deployment takes no operator verbs).
 */
export function deploySuspendHint(
  target?: { functionName: string; alias: string },
  codeDeploy = false,
): string {
  const stop = 'Press Ctrl-C to stop it safely';
  if (codeDeploy) return `${stop}.`;
  const pause = target
    ? `lshift pause ${target.functionName} --alias ${target.alias}`
    : 'lshift pause <function>';
  return `${stop}, or run \`${printable(pause)}\` from another shell to hold the traffic where it is.`;
}

/**
 * The `refuseSuspend` of a release: its functions pause only together (`lshift pause <function>`
 * is refused for them, RELEASE_MEMBER; found by a hostile pass), and its id is made once it runs.
 */
export function releaseSuspendHint(functionNames: readonly string[]): string {
  const names = functionNames.join(' ');
  const first = functionNames[0] ?? '<function>';
  const pause = `lshift pause --release <id> ${names}`;
  return `Press Ctrl-C to stop it safely, or run \`${printable(pause)}\` from another shell (\`lshift status ${printable(first)}\` shows the release id) to hold the traffic where it is.`;
}

/** The `refuseSuspend` of `rollback` and `check`: they end by themselves; Ctrl-C stops safely. */
export const ROLLBACK_SUSPEND_HINT = 'Let it finish, or press Ctrl-C to stop it safely.';

/**
 * The first signal's notice for `deploy`: under `--on-interrupt leave` nothing is rolled back, and
 * "stopping the deployment safely" would promise what does not happen (a CodeDeploy deployment
 * runs on without lshift; a native shift stays where it is).
 */
export function deployStoppingNotice(
  onInterrupt: 'rollback' | 'leave',
  codeDeploy: boolean,
): string | undefined {
  if (onInterrupt !== 'leave') return undefined;
  return codeDeploy
    ? 'no longer following the deployment; AWS CodeDeploy keeps running it (--on-interrupt leave)'
    : 'stopping without rolling back: the alias is left where it is (--on-interrupt leave)';
}

/**
 * The first signal's notice for a release: it stops the release, not one deployment, and every
 * function goes back to its stable version ("stopping the deployment safely" named neither);
 * under `--on-interrupt leave` every alias is left where it is.
 */
export function releaseStoppingNotice(onInterrupt: 'rollback' | 'leave'): string {
  return onInterrupt === 'leave'
    ? 'stopping without rolling back: every alias is left where it is (--on-interrupt leave)'
    : 'stopping the release safely: every function goes back to its stable version';
}

/** The first signal's notice of a deploy (rolls back, or pauses). */
export const DEPLOY_STOPPING = 'stopping the deployment safely';

/**
 * The first signal's notice of `deploy --resume`: until it has taken the deployment over (its
 * shift started) it has written nothing and stops without writing anything — the alias stays as
 * the stopped run left it, maybe split (resume-runner-gone.ts then exits 4 saying so). Found by a
 * hostile pass: a Ctrl-C during the wait for the dead runner said "every function goes back to
 * its stable version", then left all three aliases split, as it must.
 */
export function resumeAwareNotice(
  resume: boolean | undefined,
  watch: Pick<AliasWatch, 'touched'>,
  otherwise: string,
): () => string {
  return () =>
    resume && !watch.touched()
      ? 'stopping before taking the deployment over: lshift changes nothing, and the alias stays as the stopped run left it'
      : otherwise;
}

export function guardInterrupts({
  onSecond = (name) => exitOnSecondSignal(name, undefined),
  say = (text) => stderr.write(text),
  stopping = DEPLOY_STOPPING,
  refuseSuspend,
  now = readWallMs,
}: GuardOptions = {}): InterruptGuard {
  const controller = new AbortController();
  // Every AWS call in flight listens for the interrupt; a release of 100 functions queues
  // hundreds at Lambda's request rate, which is no leak (Node warns past 10).
  setMaxListeners(10_000, controller.signal);
  let firstAt = 0;
  const handler = (signalName: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      // A hang-up (the terminal closed, a tmux session killed) after Ctrl-C is nobody insisting:
      // the rollback under way goes on, its output going nowhere (found by a hostile pass: closing
      // the window during the rollback left every alias split, the fix printed to a closed window).
      if (signalName === 'SIGHUP') return;
      if (now() - firstAt >= DUPLICATE_SIGNAL_MS) onSecond(signalName);
      return;
    }
    firstAt = now();
    // Said at once, so whoever pressed Ctrl-C (or a CI log) knows it was heard and why lshift
    // does not exit this instant. At a TTY `deploy` says it inside its task list (Progress.say).
    const notice = typeof stopping === 'function' ? stopping() : stopping;
    say(`\n${signalName} received: ${notice} (send it again after a second to exit at once).\n`);
    controller.abort(new Error(`interrupted by ${signalName}`));
  };
  for (const name of STOP_SIGNALS) process.on(name, handler);
  // A signal that came while the command started (bin/run.js kept it for `wait`) is its first.
  const early = takeEarlySignal();
  if (early) handler(early);
  // A stopped lshift neither watches nor rolls back, and its alias may be split: Ctrl-Z at a
  // terminal would leave traffic with nobody watching until `fg`, or until a scheduled check
  // finds the heartbeat stale. A listener replaces SIGTSTP's default action (stop); kill -STOP
  // cannot be refused, and `lshift check` covers it.
  const refuse = () =>
    say(
      `\nCtrl-Z (SIGTSTP) ignored: a suspended lshift would leave the traffic with nobody watching it. ${refuseSuspend}\n`,
    );
  if (refuseSuspend) process.on('SIGTSTP', refuse);
  return {
    signal: controller.signal,
    dispose() {
      for (const name of STOP_SIGNALS) process.off(name, handler);
      process.off('SIGTSTP', refuse);
    },
  };
}

/** What lshift last did to the alias, followed from engine events, for the second-signal message. */
export interface AliasWatch {
  sink: EventSink;
  /**
   * True once lshift may have moved traffic: a weight write may have been sent (a step started)
   * or a CodeDeploy deployment started. Not the shift's start: its record write comes first, and
   * a Ctrl-C that abandons it has moved nothing (found by a hostile pass: exit 4, "after traffic
   * moved", with every alias unchanged).
   */
  touched(): boolean;
  /** The lines to print when lshift must exit before the deployment settled. */
  describe(): string[];
  /** Where all traffic is once the rollback finished (`version 1`; its hooks may still run). */
  rolledBackTo?(): string | undefined;
  /**
   * The version recorded promoted (`version 2`), while the deploy reads its record and alias back
   * (promotion-settle.ts): a second signal then is no split to fix.
   */
  promotedTo?(): string | undefined;
  /**
   * The AWS CodeDeploy deployment that moves the alias (`--engine codedeploy`, once started): it
   * runs on without lshift, so the fix stops it instead of writing the alias, which CodeDeploy
   * would move again at its next step.
   */
  codeDeploy?(deploymentId: string): void;
  /** How the exit line says what was left unfinished once traffic may have moved (default: the rollback). */
  unfinished?: string;
}

/**
 * `resumed`: a `deploy --resume`, whose alias the dead run may have left split: traffic counts as
 * moved from its shift's start (after the takeover), not from its first weight write.
 */
export function watchAlias(
  functionName: string,
  alias: string,
  opts: { resumed?: boolean } = {},
): AliasWatch {
  let versions: { stable: string; target: string } | undefined;
  let moved = false;
  let percent = 0;
  let phase: 'before' | 'shifting' | 'rolling back' | 'rolled back' = 'before';
  let restoredTo: string | undefined;
  let rollbackTo: string | undefined;
  let promotedTo: string | undefined;
  const apply = (e: EngineEvent) => {
    if (e.type === 'record.written' && e.phase === 'promoted' && versions) promotedTo = versions.target;
    if (e.type === 'shift.started') {
      versions = { stable: e.stableVersion, target: e.targetVersion };
      phase = 'shifting';
      if (opts.resumed) moved = true;
    } else if (e.type === 'step.started' || e.type === 'step.completed') {
      moved = true;
      percent = e.percent;
    } else if (e.type === 'rollback.started') {
      phase = 'rolling back';
      // Where the rollback found it: a step write that failed (and started the rollback) did not
      // set its weight (found by a hostile pass: "version 2 (50%)" said of an alias at 10%).
      percent = e.fromPercent;
      rollbackTo = e.toVersion;
      // A release whose promotion's read-back found another function claimed rolls this one back
      // after its `promoted` (release-promotion-settle.ts): no longer a promotion to stand by.
      promotedTo = undefined;
    } else if (e.type === 'rollback.completed') {
      phase = 'rolled back';
      percent = 0;
      restoredTo = e.toVersion;
    }
  };
  let codeDeployId: string | undefined;
  return {
    sink: { emit: apply },
    touched: () => (versions !== undefined && moved) || codeDeployId !== undefined,
    rolledBackTo: () => (codeDeployId || restoredTo === undefined ? undefined : `version ${restoredTo}`),
    promotedTo: () => (promotedTo === undefined ? undefined : `version ${promotedTo}`),
    codeDeploy: (id) => {
      codeDeployId = id;
    },
    describe() {
      const target = `${functionName}:${alias}`;
      if (codeDeployId) return describeCodeDeployLeft(codeDeployId, functionName, alias);
      if (!versions) return [`No traffic had moved on ${target}.`];
      const weights = percent > 0 && percent < 100 ? { [versions.target]: percent / 100 } : {};
      const primary = percent >= 100 ? versions.target : versions.stable;
      const state = describeAliasState({ functionVersion: primary, additionalWeights: weights });
      const seen =
        phase === 'rolling back' && rollbackTo !== undefined
          ? `Alias ${target} as lshift last saw it, rolling it back to version ${rollbackTo}: ${state}, or all on version ${rollbackTo} if a rollback write landed.`
          : `Alias ${target} as lshift last set it, or was setting it (${phase}): ${state}; that write may not have landed.`;
      return [
        seen,
        `Fix: lshift rollback ${functionName} --alias ${alias}`,
        `  or: ${buildFixCommand(functionName, alias, versions.stable)}`,
      ];
    },
  };
}

/**
 * An error the engine threw instead of returning a result (a bug; the engine returns every
 * outcome it knows, its rollbacks included): once traffic may have moved it is exit 4 with the
 * alias as lshift last set it and the fix, as after a second signal — not the plain error's exit
 * 1, which says the alias is unchanged. An error that is already exit 4 says that itself.
 */
export function crashAfterTraffic(error: unknown, watch: AliasWatch): unknown {
  if (!watch.touched() || (isLshiftError(error) && error.exitCode === ExitCode.Unsafe)) return error;
  const { states, fixes } = splitWatchLines(watch.describe());
  return new UnsafeError(
    'INTERNAL',
    `lshift stopped on an error after traffic moved: ${describeError(error)}. ${states}`,
    {
      hint: `${fixes} Re-run with --debug for the stack trace, and report it.`.trim(),
      cause: error,
    },
  );
}

/**
 * The second-signal lines of `lshift rollback`: its alias write may be in flight, and the engine
 * says nothing of the alias before it, so the lines name the alias (or, for `--release`, each) and
 * the command that finishes the job, the one the operator typed: running a rollback again never
 * goes further back than once (DESIGN.md §6).
 */
export function watchRollback(fix: {
  targets: readonly { functionName: string; alias: string }[];
  command: string;
}): AliasWatch {
  const aliases = fix.targets.map((t) => `${t.functionName}:${t.alias}`);
  const named = aliases.length === 1 ? `alias ${aliases[0]}` : `aliases ${aliases.join(', ')}`;
  const see = fix.targets.map((t) => `lshift status ${t.functionName} --alias ${t.alias}`).join('; ');
  // `--release`: each function's rollback, followed from its events (they name it: namedEvents),
  // so the lines say which alias is back and which write may be in flight — not every alias as
  // "may still be split", one already restored included (found by a hostile pass).
  const progress = new Map<string, RollbackProgress>();
  const apply = (e: EngineEvent) => {
    const target = e.type === 'rollback.started' ? e : 'target' in e ? e.target : undefined;
    if (!target) return;
    const key = `${target.functionName}:${target.alias}`;
    if (e.type === 'rollback.started') progress.set(key, { state: 'writing', toVersion: e.toVersion });
    else if (e.type === 'rollback.completed')
      progress.set(key, { state: 'restored', toVersion: e.toVersion });
    else if (e.type === 'rollback.failed')
      progress.set(key, { state: 'failed', toVersion: progress.get(key)?.toVersion });
  };
  return {
    sink: { emit: apply },
    touched: () => true,
    describe: () =>
      fix.targets.length > 1 && progress.size > 0
        ? [
            ...fix.targets.map((t) =>
              describeRollbackProgress(t, progress.get(`${t.functionName}:${t.alias}`)),
            ),
            `Fix: ${fix.command}`,
          ]
        : [
            `The rollback of ${named} stopped with its alias write possibly in flight: it may still be split (see \`${see}\`).`,
            `Fix: ${fix.command}`,
          ],
  };
}

interface RollbackProgress {
  state: 'writing' | 'restored' | 'failed';
  toVersion: string | undefined;
}

function describeRollbackProgress(
  t: { functionName: string; alias: string },
  p: RollbackProgress | undefined,
): string {
  const target = `${t.functionName}:${t.alias}`;
  if (p?.state === 'restored') return `${target}: rolled back, all traffic on version ${p.toVersion}.`;
  if (p?.state === 'failed')
    return `${target}: its rollback failed; it may still be split (see \`lshift status ${t.functionName} --alias ${t.alias}\`).`;
  if (p?.state === 'writing')
    return `${target}: its alias write to version ${p.toVersion} may be in flight; it may still be split (see \`lshift status ${t.functionName} --alias ${t.alias}\`).`;
  return `${target}: not rolled back yet; as it was (see \`lshift status ${t.functionName} --alias ${t.alias}\`).`;
}

/**
 * The second-signal lines of `lshift check`: it may be in the middle of a rollback, of which the
 * engine's events do not say the function. One function named: that alias and its rollback.
 * Otherwise the check itself is the fix: run again, it finishes a rollback it started (its claim
 * is taken over once stale, at once when its process is gone).
 */
export function watchCheck(named: readonly { functionName: string; alias: string }[]): AliasWatch {
  const again = 'run the same `lshift check` again: it finishes a rollback it started';
  const one = named.length === 1 ? named[0] : undefined;
  const which =
    named.length === 0
      ? 'the function being rolled back'
      : named.map((t) => `${t.functionName}:${t.alias}`).join(', ');
  const lines = one
    ? [
        `The check of ${one.functionName}:${one.alias} stopped with its rollback possibly in flight: the alias may still be split (see \`lshift status ${one.functionName} --alias ${one.alias}\`).`,
        `Fix: lshift rollback ${one.functionName} --alias ${one.alias}`,
        `  or: ${again}`,
      ]
    : [
        `The check stopped with a rollback possibly in flight (${which}): its alias may still be split (see \`lshift status <function>\`).`,
        `Fix: ${again}`,
        '  or: lshift rollback <function> --alias <alias>',
      ];
  return { sink: { emit: () => {} }, touched: () => true, describe: () => lines };
}

/**
 * The second-signal lines of `lshift alias`: before its one write nothing moved (exit 1); once the
 * write was sent it may land after lshift is gone (exit 4), and running the same command again is
 * safe (its write carries the alias RevisionId; it says "already points" once the move landed).
 * Once the write was answered only the deployment record's close was left: the alias is said to
 * be where it was asked (it said "may have landed, or may still land", found by a hostile pass).
 */
export function watchMoveAlias(move: {
  functionName: string;
  alias: string;
  version: string;
}): AliasWatch & { writing(): void; written(): void } {
  const { functionName, alias, version } = move;
  let sent = false;
  let answered = false;
  const status = `\`lshift status ${functionName} --alias ${alias}\``;
  return {
    sink: { emit: () => {} },
    get unfinished() {
      return answered
        ? 'with the alias moved, closing its deployment record'
        : 'with the alias write in flight';
    },
    writing: () => {
      sent = true;
    },
    written: () => {
      answered = true;
    },
    touched: () => sent,
    describe: () =>
      answered
        ? [
            `Alias ${functionName}:${alias} points at version ${version} (its write was answered); lshift stopped while closing the deployment record on it, which may still show the deployment the move ended (see ${status}).`,
            `Fix: lshift alias ${functionName} ${alias} ${version}`,
          ]
        : sent
          ? [
              `The move of alias ${functionName}:${alias} to version ${version} stopped with its write in flight: it may have landed, or may still land (see ${status}).`,
              `Fix: lshift alias ${functionName} ${alias} ${version}`,
            ]
          : [`No write was sent: alias ${functionName}:${alias} is unchanged.`],
  };
}

/** The second-signal lines while AWS CodeDeploy deployment `id` may still move the alias. */
export function describeCodeDeployLeft(id: string, functionName?: string, alias?: string): string[] {
  const target = functionName && alias ? `alias ${functionName}:${alias}` : 'its alias';
  return [
    `AWS CodeDeploy deployment ${id} may still be running: it keeps moving ${target} on its own schedule until it ends or is stopped.`,
    `Fix: ${buildStopCommand(id)}`,
    ...(functionName && alias ? [`  or: lshift rollback ${functionName} --alias ${alias}`] : []),
    `  or follow it: lshift wait ${id}`,
  ];
}

/**
 * The second signal of `lshift wait <id>`: the deployment it followed runs on, moving the alias its
 * first read named (found by a hostile pass: no function, alias or lshift fix was named).
 */
export function watchCodeDeploy(
  deploymentId: string,
  moves?: { functionName: string; alias: string },
  /** CodeDeploy's end status once the wait read it (`Succeeded`), else undefined. */
  endedAs?: string,
): AliasWatch {
  return {
    sink: { emit: () => {} },
    touched: () => true,
    ...(endedAs === undefined
      ? { describe: () => describeCodeDeployLeft(deploymentId, moves?.functionName, moves?.alias) }
      : {
          unfinished: 'after AWS CodeDeploy ended the deployment, before its record was closed',
          describe: () => describeCodeDeployEnded(deploymentId, endedAs, moves),
        }),
  };
}

/**
 * The second signal of `lshift wait` once it read CodeDeploy's end: nothing moves the alias any
 * more, so "may still be running" and a stop-deployment fix were false (found by a hostile pass).
 * What is left undone is the alias read and the record's close, which the same wait does again.
 */
function describeCodeDeployEnded(
  id: string,
  status: string,
  moves?: { functionName: string; alias: string },
): string[] {
  const target = moves ? `alias ${moves.functionName}:${moves.alias}` : 'its alias';
  return [
    `AWS CodeDeploy had ended deployment ${id} (${status}): nothing moves ${target} any more. lshift stopped while reading where it is and closing the lshift deployment record on it, which may still show the deployment as running.`,
    ...(moves ? [`See: lshift status ${moves.functionName} --alias ${moves.alias}`] : []),
    `Fix: lshift wait ${id}   (reads the alias and closes the record)`,
  ];
}

/**
 * The guard of a command that moves no traffic but may change something (`publish`, `codedeploy
 * init`): the first signal abandons the AWS call in flight (`stopping` is said), a second exits at
 * once with `leftBehind()`, what may have changed.
 */
export function guardWithoutTraffic(opts: {
  say: (text: string) => void;
  stopping: string;
  json: boolean;
  leftBehind: () => string;
}): InterruptGuard {
  const nothingMoved = {
    sink: { emit: () => {} },
    touched: () => false,
    describe: () => [opts.leftBehind()],
  };
  return guardInterrupts({
    say: opts.say,
    stopping: opts.stopping,
    onSecond: (name) => exitOnSecondSignal(name, nothingMoved, opts.json),
    refuseSuspend: ROLLBACK_SUSPEND_HINT,
  });
}

/**
 * The second signal: stop waiting, say where the alias stands and exit — 4 (a human must look)
 * once the shift started, 1 before that (nothing moved). Under --json stdout still gets its one
 * object (an INTERRUPTED error report), so a pipeline reading it learns the state and the fix.
 * In text, once traffic may have moved, stdout gets the state and the fix too, as the end of a
 * run says them there (`✖ UNSAFE: … Fix: …`): said only on stderr, `2>/dev/null` or a closed
 * stderr left nothing (found by a hostile pass). Not twice to one stream: a terminal, `2>&1`.
 */
export function exitOnSecondSignal(
  signalName: string,
  watch: AliasWatch | undefined,
  json = false,
  sharesStream: () => boolean = stdoutSharesStderr,
): never {
  const untouched = watch !== undefined && !watch.touched();
  // The rollback had finished (its rollback hooks ran): exit 3, not a false "needs a human" 4
  // (found by a hostile pass: a CI cancel's SIGTERM during the rollback hooks).
  const back = untouched ? undefined : watch?.rolledBackTo?.();
  // Recorded promoted, reading it back (found by a hostile pass: exit 4 and a rollback command
  // for a healthy promotion, which a pipeline running the printed fix would have undone).
  const promoted = untouched || back ? undefined : watch?.promotedTo?.();
  const code = untouched
    ? ExitCode.Failed
    : back
      ? ExitCode.RolledBack
      : promoted
        ? ExitCode.Success
        : ExitCode.Unsafe;
  const lines = back
    ? [`All traffic is on ${back}: the rollback had finished; its rollback hooks were stopped.`]
    : promoted
      ? [
          `The deployment is recorded promoted, all traffic on ${promoted}; lshift was reading its record and alias back (see \`lshift status\`).`,
        ]
      : (watch?.describe() ?? ['The alias may still be split; run `lshift status` and `lshift rollback`.']);
  const what = untouched
    ? 'before any traffic moved'
    : back
      ? 'after the rollback finished'
      : promoted
        ? 'after the promotion was recorded'
        : (watch?.unfinished ?? 'without finishing the rollback');
  // writeNow: listr2 buffers stderr while it renders, and the buffer would die with the process.
  // listr2 hid the cursor and will not get to show it again.
  if (process.stderr.isTTY) stderr.writeControl('\u001b[?25h');
  stderr.writeNow(
    `\n${signalName} again: exiting now (exit ${code}) ${what}.\n${lines.map((l) => `  ${l}\n`).join('')}`,
  );
  const report = secondSignalReport(signalName, what, lines, code);
  if (json) stdout.write(`${printableJson(JSON.stringify(report))}\n`);
  else if (code !== ExitCode.Failed && !sharesStream())
    stdout.writeNow(
      `${[secondSignalHeadline(signalName, what, code), ...lines].map((l, i) => (i ? `  ${l}` : l)).join('\n')}\n`,
    );
  // The run's page and an NDJSON reader learn it too: a split alias nobody watches (ci-failure-report.ts).
  const { schemaVersion: _, ...failure } = report;
  if (code !== ExitCode.Success) reportFailureInCi({ ...failure, exitCode: code }, undefined, { json });
  process.exit(code);
}

/** The first line the text-mode stdout gets, as the end of a run starts its summary. */
function secondSignalHeadline(signalName: string, what: string, code: ExitCode): string {
  const exited = `${signalName} again: lshift exited ${what} (exit ${code})`;
  if (code === ExitCode.Unsafe) return `✖ UNSAFE: ${exited}; a human must look.`;
  return `${code === ExitCode.Success ? '✔' : '✖'} ${exited}.`;
}

/**
 * True when stdout and stderr are one file (one terminal, `2>&1`, one log file): the lines
 * written to stderr are already there. Unknown (a closed fd) counts as not the same.
 */
export function stdoutSharesStderr(): boolean {
  try {
    const [out, err] = [fstatSync(1), fstatSync(2)];
    return out.dev === err.dev && out.ino === err.ino;
  } catch {
    return false;
  }
}

function secondSignalReport(signalName: string, what: string, lines: string[], code: ExitCode) {
  const { states, fixes, rollbackCommand } = splitWatchLines(lines);
  return {
    schemaVersion: SCHEMA_VERSION,
    status: 'error' as const,
    code: 'INTERRUPTED' as const,
    message: `${signalName} again: lshift exited ${what}. ${states}`,
    ...(fixes ? { hint: fixes } : {}),
    // A script reads the one command that puts every function back (found by a hostile pass:
    // a release's was only inside the hint, with each function's state but the first's).
    ...(rollbackCommand ? { rollbackCommand } : {}),
    exitCode: code,
  };
}

/**
 * A watch's lines (each function's state, then its fixes) as one message and one hint, and the
 * rollback command that undoes it all: a release's `Or all of them at once: …`, else the one
 * function's `Fix: lshift rollback …`.
 */
function splitWatchLines(raw: readonly string[]): {
  states: string;
  fixes: string;
  rollbackCommand?: string;
} {
  const lines = raw.map((l) => l.trim());
  const isFix = (line: string) => /^(Fix:|or\b|Or all)/.test(line);
  const all = lines
    .find((l) => l.startsWith('Or all of them at once: '))
    ?.slice('Or all of them at once: '.length);
  const rollbacks = lines
    .filter((l) => l.startsWith('Fix: lshift rollback '))
    .map((l) => l.slice('Fix: '.length));
  const rollbackCommand = all ?? (rollbacks.length === 1 ? rollbacks[0] : undefined);
  return {
    states: lines.filter((l) => !isFix(l)).join(' '),
    fixes: lines.filter(isFix).join(' '),
    ...(rollbackCommand ? { rollbackCommand } : {}),
  };
}

/**
 * A signal for the AWS calls of `lshift rollback`: it aborts the calls in flight when `interrupt`
 * fires, until `writing()` says the alias write started (the engine's `rollback.started`, emitted
 * right after its last stop point): a claim write that hangs is abandoned at once, the alias write
 * and what follows it always finish.
 */
export function abortUntilWrite(interrupt: AbortSignal): { signal: AbortSignal; writing: () => void } {
  const calls = new AbortController();
  let started = false;
  const abort = () => {
    if (!started) calls.abort();
  };
  if (interrupt.aborted) abort();
  else interrupt.addEventListener('abort', abort, { once: true });
  return {
    signal: calls.signal,
    writing: () => {
      started = true;
    },
  };
}
