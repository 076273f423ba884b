/**
 * What lshift last did to the alias, followed from engine events (AliasWatch), for the lines a
 * second signal prints (second-signal.ts): a deploy's alias (watchAlias) and an AWS CodeDeploy
 * deployment followed by `lshift wait` (watchCodeDeploy). The watches of rollback, check and
 * alias are command-watches.ts.
 */
import type { CommandTarget } from '../domain/command-target.js';
import type { EngineEvent } from '../domain/events.js';
import type { BesideStopNews } from '../engine/codedeploy-driver-deps.js';
import {
  buildFixCommand,
  buildStopCommand,
  buildStopKeepingCommand,
  describeAliasState,
} from '../engine/deploy-result.js';
import type { EventSink } from '../ports/event-sink.js';
import { describeBesideStop } from './beside-stop-words.js';
import { targetFixLines } from './targeted-result.js';

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
  /**
   * That deployment is being stopped WITHOUT its rollback, keeping a person's move of the alias: a
   * second signal names that stop, not `lshift rollback` or a stop with rollback (which undo it).
   */
  keepingMove?(): void;
  /**
   * What the alias read beside a rollback's StopDeployment came to (CodeDeploySetup.onBesideStop):
   * a second signal names the person's move it found, or says it had not answered.
   */
  besideStop?(news: BesideStopNews): void;
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
  opts: { resumed?: boolean; target?: CommandTarget } = {},
): AliasWatch {
  const seen: AliasSeen = { moved: false, percent: 0, phase: 'before' };
  let codeDeployId: string | undefined;
  let keeping = false;
  let beside: BesideStopNews | undefined;
  const describeLeft = (): string[] => {
    if (codeDeployId && keeping) return describeKeepingMoveLeft(codeDeployId, { functionName, alias });
    if (codeDeployId) {
      const decided = seen.phase === 'rolling back';
      const [running = '', ...fix] = describeCodeDeployLeft(codeDeployId, functionName, alias, decided);
      const told = decided ? describeBesideStop(beside, seen.versions?.stable, { functionName, alias }) : [];
      return [running, ...told, ...fix];
    }
    return describeAliasLeft(functionName, alias, seen);
  };
  return {
    sink: { emit: (e) => followAliasEvent(seen, e, opts.resumed === true) },
    touched: () => (seen.versions !== undefined && seen.moved) || codeDeployId !== undefined,
    rolledBackTo: () =>
      codeDeployId || seen.restoredTo === undefined ? undefined : `version ${seen.restoredTo}`,
    promotedTo: () => (seen.promotedTo === undefined ? undefined : `version ${seen.promotedTo}`),
    codeDeploy: (id) => {
      codeDeployId = id;
    },
    keepingMove: () => {
      keeping = true;
    },
    besideStop: (news) => {
      beside = news;
    },
    get unfinished() {
      return keeping ? KEEPING_MOVE_UNFINISHED : undefined;
    },
    // The fix lines act where the run acted: its --profile/--region/--endpoint-url (targeted-result.ts).
    describe() {
      return targetFixLines(describeLeft(), opts.target ?? {});
    },
  };
}

/** A second signal's watch whose lines name the target (made at the signal: its state is read then). */
export function targetWatch(watch: AliasWatch, target: CommandTarget): AliasWatch {
  return { ...watch, describe: () => targetFixLines(watch.describe(), target) };
}

/** What a deploy's events said of its alias so far (watchAlias). */
interface AliasSeen {
  versions?: { stable: string; target: string };
  /** A weight write may have been sent (or, resumed, the shift started). */
  moved: boolean;
  percent: number;
  phase: 'before' | 'shifting' | 'rolling back' | 'rolled back';
  restoredTo?: string;
  rollbackTo?: string;
  promotedTo?: string;
  /** The percent of a weight write abandoned in flight when the rollback began (it may land). */
  writeInFlight?: number;
}

function followAliasEvent(seen: AliasSeen, e: EngineEvent, resumed: boolean): void {
  if (e.type === 'record.written' && e.phase === 'promoted' && seen.versions)
    seen.promotedTo = seen.versions.target;
  if (e.type === 'shift.started') {
    seen.versions = { stable: e.stableVersion, target: e.targetVersion };
    seen.phase = 'shifting';
    if (resumed) seen.moved = true;
  } else if (e.type === 'step.started' || e.type === 'step.completed') {
    seen.moved = true;
    seen.percent = e.percent;
  } else if (e.type === 'rollback.started') {
    seen.phase = 'rolling back';
    // Where the rollback found it: a step write that failed (and started the rollback) did not
    // set its weight (found by a hostile pass: "version 2 (50%)" said of an alias at 10%).
    seen.percent = e.fromPercent;
    seen.rollbackTo = e.toVersion;
    seen.writeInFlight = e.writeInFlight;
    // A release whose promotion's read-back found another function claimed rolls this one back
    // after its `promoted` (release-promotion-settle.ts): no longer a promotion to stand by.
    seen.promotedTo = undefined;
  } else if (e.type === 'rollback.completed') {
    seen.phase = 'rolled back';
    seen.percent = 0;
    seen.restoredTo = e.toVersion;
  }
}

/** The alias as lshift last set it (or was rolling it back), and the fix. */
function describeAliasLeft(functionName: string, alias: string, seen: AliasSeen): string[] {
  const { versions, percent, phase, rollbackTo } = seen;
  const target = `${functionName}:${alias}`;
  if (!versions) return [`No traffic had moved on ${target}.`];
  const state = describeSeenState(versions, percent);
  const line =
    phase === 'rolling back' && rollbackTo !== undefined
      ? describeRollingBack(target, rollbackTo, state, describeInFlight(versions, seen.writeInFlight))
      : `Alias ${target} as lshift last set it, or was setting it (${phase}): ${state}; that write may not have landed.`;
  return [
    line,
    `Fix: lshift rollback ${functionName} --alias ${alias}`,
    `  or: ${buildFixCommand(functionName, alias, versions.stable)}`,
  ];
}

/** `all on version 2` at 0% or 100% ("version 2 (100%)" read as a share of a split), else the split. */
function describeSeenState(versions: { stable: string; target: string }, percent: number): string {
  if (percent <= 0) return `all on version ${versions.stable}`;
  if (percent >= 100) return `all on version ${versions.target}`;
  return describeAliasState({
    functionVersion: versions.stable,
    additionalWeights: { [versions.target]: percent / 100 },
  });
}

/**
 * The rollback's line. Last seen all on the version it goes back to, no weight write in flight:
 * where it already is ("version 1 (100%), or all on version 1 if a rollback write landed" said it twice).
 */
function describeRollingBack(target: string, to: string, state: string, inFlight: string): string {
  const prefix = `Alias ${target} as lshift last saw it, rolling it back to version ${to}`;
  if (state === `all on version ${to}` && inFlight === '')
    return `${prefix}: ${state}, the routing its rollback writes.`;
  return `${prefix}: ${state}${inFlight}, or all on version ${to} if a rollback write landed.`;
}

/**
 * A weight write the first signal abandoned in flight may have landed after lshift last saw the
 * alias: said, or "version 5 (100%)" was said of an alias its late 25% write had split (found by
 * a hostile pass: a release's held first-level writes, released late).
 */
function describeInFlight(versions: { stable: string; target: string }, percent: number | undefined): string {
  if (percent === undefined) return '';
  return `, or ${describeSeenState(versions, percent)} if its weight write in flight landed`;
}

/**
 * The second-signal lines while AWS CodeDeploy deployment `id` may still move the alias.
 * `decided`: lshift had decided to roll it back (a first Ctrl-C, a failed gate) and its stop may
 * not have reached CodeDeploy: following it (`lshift wait`) is no way out then — it offered
 * "follow it: lshift wait d-…", which closed such a deployment promoted (found by a hostile pass,
 * session 60); only the stop and `lshift rollback` are named.
 */
export function describeCodeDeployLeft(
  id: string,
  functionName?: string,
  alias?: string,
  decided = false,
): string[] {
  const target = functionName && alias ? `alias ${functionName}:${alias}` : 'its alias';
  const running = decided
    ? `lshift was rolling back AWS CodeDeploy deployment ${id}, but its stop may not have reached CodeDeploy: it may still be running, moving ${target} towards the new version on its own schedule until it ends or is stopped.`
    : `AWS CodeDeploy deployment ${id} may still be running: it keeps moving ${target} on its own schedule until it ends or is stopped.`;
  return [
    running,
    `Fix: ${buildStopCommand(id)}`,
    ...(functionName && alias ? [`  or: lshift rollback ${functionName} --alias ${alias}`] : []),
    ...(decided ? [] : [`  or follow it: lshift wait ${id}`]),
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
  /** The first signal asked CodeDeploy to stop it with auto-rollback (`--on-interrupt rollback`). */
  stopAsked = false,
  /** The wait was stopping it WITHOUT its rollback, keeping a person's move of the alias. */
  keepingMove = false,
): AliasWatch {
  const left = () =>
    keepingMove
      ? describeKeepingMoveLeft(deploymentId, moves)
      : describeCodeDeployLeft(deploymentId, moves?.functionName, moves?.alias, stopAsked);
  return {
    sink: { emit: () => {} },
    touched: () => true,
    ...(endedAs === undefined
      ? { describe: left, ...(keepingMove ? { unfinished: KEEPING_MOVE_UNFINISHED } : {}) }
      : {
          unfinished: 'after AWS CodeDeploy ended the deployment, before its record was closed',
          describe: () => describeCodeDeployEnded(deploymentId, endedAs, moves),
        }),
  };
}

/**
 * What a second signal left undone while CodeDeploy was stopped without its rollback for a
 * person's move: there was no rollback to finish ("without finishing the rollback" was said).
 */
const KEEPING_MOVE_UNFINISHED = 'before its stop without rollback (keeping a move by hand) was seen to end';

/**
 * The second signal of `lshift wait` or `deploy --engine codedeploy` while it stopped CodeDeploy
 * without its rollback, for a person's move: a stop WITH rollback (or `lshift rollback`) would undo
 * that move. Whether CodeDeploy still runs it is not known (no read at the second signal): the
 * stop without rollback alone was offered, and AWS refuses it once the deployment ended
 * (DeploymentAlreadyCompletedException: found by a hostile pass, session 66, F7, CodeDeploy had
 * Succeeded over the move). `lshift status` says which, and `lshift rollback` works either way.
 */
function describeKeepingMoveLeft(id: string, moves?: { functionName: string; alias: string }): string[] {
  const target = moves ? `alias ${moves.functionName}:${moves.alias}` : 'its alias';
  const lshift = moves ? `${moves.functionName} --alias ${moves.alias}` : undefined;
  return [
    `Someone moved ${target} by hand, and lshift was stopping AWS CodeDeploy deployment ${id} without its rollback to keep that move, but the stop may not have reached CodeDeploy or ended: while CodeDeploy still runs it, it may move ${target} over that move on its own schedule (or it may already have ended).`,
    ...(lshift
      ? [`See: lshift status ${lshift}   (whether CodeDeploy still runs it, and where the alias is)`]
      : []),
    `Fix: ${buildStopKeepingCommand(id)}   (keeps the alias as it is; AWS refuses it once the deployment ended)`,
    ...(lshift
      ? [
          `  or: lshift rollback ${lshift}   (all traffic back on the stable version, undoing the person's move)`,
        ]
      : []),
  ];
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
