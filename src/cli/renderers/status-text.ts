/** Human text of `lshift status`. */
import { sharedAliasFlag } from '../../domain/alias-flag.js';
import { formatDuration } from '../../domain/duration.js';
import { describeGuards } from '../../domain/guard-fingerprint.js';
import { describeVerb } from '../../domain/operator-command.js';
import { joinPrintableLines } from '../../domain/printable.js';
import { aliasWrittenSinceStart } from '../../domain/record-revision.js';
import { isReversedSplit } from '../../domain/reversed-split.js';
import { describeLiveUnwritten } from '../../engine/check-classify.js';
import { judgeRecordGap } from '../../engine/check-moved.js';
import { describeLateStart, type LateCodeDeployStart } from '../../engine/codedeploy-late-start.js';
import {
  buildFixCommand,
  describeAliasState,
  describeReleaseWaysOut,
  describeWaysOut,
} from '../../engine/deploy-result.js';
import {
  describeForgottenId,
  describeUndriven,
  describeWhere,
  forgottenFix,
} from '../../engine/follow-forgotten.js';
import { describePromoteUnconfirmed, promoteUnconfirmedFix } from '../../engine/promote-unconfirmed.js';
import { describePromotedButSplit, promotedButSplitFix } from '../../engine/promoted-split.js';
import { locateAlias, splitRollbackVersion } from '../../engine/record-view.js';
import { describeMovedMemberWaysOut, type UnresumableMates } from '../../engine/release-moved-member.js';
import type { AliasStatus } from '../../engine/status.js';
import { isStalledRunner } from '../../engine/status-stalled.js';
import { describeRecordCauseLine } from '../describe-record-cause.js';
import { isFailedOnTarget } from '../status-needs-operator.js';

/**
 * `waysOutAbove`: the release view's line for this function's release already says it is
 * STALLED and how to finish or undo it (renderReleaseStatus): its line points there.
 */
export function renderStatus(
  status: AliasStatus,
  opts: {
    waysOutAbove?: boolean;
    /** The release's functions as this status read them (renderReleaseStatus). */
    release?: { functions: readonly string[]; unresumable: UnresumableMates };
  } = {},
): string {
  const lines = [`${status.functionName}:${status.alias}`, `  routing: ${describeRouting(status)}`];
  if (status.alarms.length > 0) {
    lines.push('  alarms:');
    for (const alarm of status.alarms) {
      lines.push(
        `    ${alarm.state.padEnd(17)} ${alarm.name}${alarm.reason && alarm.state !== 'OK' ? ` — ${alarm.reason}` : ''}`,
      );
    }
  }
  const record = status.record;
  if (record) {
    const release = record.releaseId ? ` of release ${record.releaseId}` : '';
    lines.push(
      `  deployment ${record.id}${release}: ${describePhase(record)}${record.endReason ? ` (${record.endReason})` : ''}, version ${record.stableVersion} → ${record.targetVersion}, ${describeStep(record)} (${record.strategy})`,
      `    owner ${record.owner}, last heartbeat ${formatDuration(Math.max(0, Math.round(record.heartbeatAgeSeconds)))} ago${describeStale(status, record)}`,
    );
    const lag = describeRecordLag(status, record);
    if (lag) lines.push(`    ${lag}`);
    const why = describeRecordCauseLine(record);
    if (why) lines.push(`    ${why}`);
    if (record.guards) {
      // A resume must pass the same guards (RESUME_GUARDS_DIFFER): show them before anyone needs to.
      const tense = record.endedAt === undefined ? 'present' : 'past';
      lines.push(`    guards: it ${describeGuards(record.guards, tense)}`);
    }
    const command = record.command;
    if (command) {
      const answer = { sent: 'not answered yet', done: 'obeyed', refused: 'refused' }[command.state];
      lines.push(
        `    last operator command: ${describeVerb(command.verb)} by ${command.by}${command.reason ? ` (${command.reason})` : ''}, ${answer}`,
      );
    }
    if (record.forgottenByCodeDeploy) {
      lines.push(...describeForgottenDeployment(status, record));
    } else if (record.leftSplitByCodeDeploy) {
      lines.push(...describeLeftSplit(status, record));
    } else if (record.lateCodeDeployStart) {
      lines.push(...describeLateStartLines(status, record, record.lateCodeDeployStart));
    } else if (record.splitByOtherDeployment) {
      lines.push(...describeSplitByOther(status, record, record.splitByOtherDeployment));
    } else if (record.promotedButSplit) {
      lines.push(
        `    STALLED: ${describePromotedButSplit(status, record, status)}; a human must decide where traffic goes`,
        `    ${promotedButSplitFix(status, record, status)}`,
      );
    } else if (record.promoteUnconfirmed) {
      lines.push(
        `    STALLED: ${describePromoteUnconfirmed(record)}; a human must decide where traffic goes`,
        `    ${promoteUnconfirmedFix(status, record)}`,
      );
    } else if (record.movedAway) {
      lines.push(...describeMovedAway(status, record, record.movedAway, opts.release));
    } else if (record.movedSince) {
      lines.push(...describeMovedSince(status, record, record.movedSince.leftOnVersion));
    } else if (record.phase === 'failed' && status.split && record.engine !== 'codedeploy') {
      // Its rollback failed and left the split: nothing will retry it (exit 4, commands/status.ts).
      lines.push(
        `    ROLLBACK FAILED: the alias is still split and nothing will put it back; put all traffic on version ${record.stableVersion} with \`lshift rollback ${status.functionName} --alias ${status.alias}\``,
        `    or by hand: ${buildFixCommand(status.functionName, status.alias, record.stableVersion)}`,
      );
    } else if (isFailedOnTarget(status)) {
      lines.push(
        `    ROLLBACK FAILED: all traffic is on version ${record.targetVersion}, the version it was rolling back from; put it back on version ${record.stableVersion} with \`lshift rollback ${status.functionName} --alias ${status.alias}\``,
        `    or by hand: ${buildFixCommand(status.functionName, status.alias, record.stableVersion)}`,
      );
    } else if ((record.stale || record.phase === 'paused') && record.releaseId) {
      lines.push(`    ${describeReleaseMemberWaysOut(status, record, opts.waysOutAbove === true)}`);
    } else if (
      (record.stale || record.phase === 'paused') &&
      record.engine !== 'codedeploy' &&
      // A dead runner's rollback: its STALE line says what finishes it (describeStale), not a
      // resume beside it (found by a hostile pass: both were said, as if they were two choices).
      record.phase !== 'rolling-back'
    ) {
      lines.push(`    ${describeWaysOut(status.functionName, status.alias, record)}`);
    }
    if (record.codeDeployEnded && !record.leftSplitByCodeDeploy && !record.splitByOtherDeployment) {
      // Ended in CodeDeploy, its alias on one version: `lshift wait` records how it ended.
      const id = record.codeDeployId ?? record.codeDeployIdFound ?? '';
      lines.push(
        `    engine: AWS CodeDeploy, deployment ${id}${describeFound(record)} (ended: ${record.codeDeployEnded}; \`lshift wait ${id}\` closes its record)`,
      );
    } else if (record.engine === 'codedeploy' && !record.forgottenByCodeDeploy && !record.codeDeployEnded) {
      lines.push(describeCodeDeploy(record, status));
      if (record.codeDeployError)
        lines.push(`    could not ask AWS CodeDeploy about it: ${record.codeDeployError}`);
    }
    if (record.history.length > 0) lines.push(`    previous stable versions: ${record.history.join(', ')}`);
  } else if (status.recordError) {
    const what = status.recordUnreadable ? 'could not be read' : 'not usable';
    lines.push(`  deployment record ${what}: ${status.recordError}`);
  } else {
    lines.push('  no lshift deployment recorded on this alias');
  }
  // Each line printable on its own: alarm names and reasons, owners, operator reasons and record
  // errors come from others, and a newline inside one cannot start a line of its own.
  return joinPrintableLines(lines);
}

/**
 * `lshift wait <id>` only while the deployment runs: a promoted or rolled-back record is
 * closed, and there is nothing left to follow (a `paused` one may be a `--detach`ed deployment
 * that CodeDeploy is still running; `wait` follows it and closes the record).
 */
/**
 * `lshift pause` leaves the phase as it was (`shifting`) and answers in the record: the status
 * says paused, or an operator reading "shifting" would think the hold still counts down.
 */
/**
 * Where the deployment is. A rolled-back record keeps the step it stopped at, with 0%: "step 5
 * at 0%" read as if step 5 were a 0% step; the routing line above says where the traffic is.
 */
function describeStep(record: NonNullable<AliasStatus['record']>): string {
  const step = record.stepIndex + 1;
  return record.phase === 'rolled-back' ? `stopped at step ${step}` : `step ${step} at ${record.percent}%`;
}

function describePhase(record: NonNullable<AliasStatus['record']>): string {
  const command = record.command;
  const paused = record.endedAt === undefined && command?.verb === 'pause' && command.state === 'done';
  return paused ? `${record.phase}, paused by ${command.by} (its hold clock is stopped)` : record.phase;
}

function describeCodeDeploy(
  record: NonNullable<AliasStatus['record']>,
  status: { functionName: string; alias: string },
): string {
  const id = record.codeDeployId ?? record.codeDeployIdFound;
  const { phase } = record;
  const deployment = `deployment ${id}${describeFound(record)}`;
  // A runner killed right after CreateDeployment answered recorded no id, yet a deployment runs
  // (`lshift rollback` finds it by the run token in its description): never say none started.
  if (!id) {
    return phase === 'promoted' || phase === 'rolled-back'
      ? '    engine: AWS CodeDeploy (its deployment id was never recorded)'
      : `    engine: AWS CodeDeploy (no deployment id recorded yet: none started, or its runner stopped before recording it; \`lshift rollback ${status.functionName} --alias ${status.alias}\` finds it by its run token and stops it)`;
  }
  // lshift's rollback failed: it may never have stopped CodeDeploy, which keeps moving the alias.
  if (phase === 'failed')
    return (
      `    engine: AWS CodeDeploy, ${deployment}: lshift's rollback of it failed, and CodeDeploy may still be running it ` +
      `(\`aws deploy get-deployment --deployment-id ${id}\`); \`lshift rollback ${status.functionName} --alias ${status.alias}\` stops it and puts the alias back`
    );
  const ended = phase === 'promoted' || phase === 'rolled-back';
  return ended
    ? `    engine: AWS CodeDeploy, ${deployment} (ended: ${phase})`
    : `    engine: AWS CodeDeploy, ${deployment} (follow it: lshift wait ${id})`;
}

/** A deployment the record does not name, found by the run token in its description. */
function describeFound(record: NonNullable<AliasStatus['record']>): string {
  return record.codeDeployIdFound
    ? ' (found by its run token: the runner stopped before recording its id)'
    : '';
}

/** CodeDeploy no longer knows the deployment: `lshift wait`'s words, and its fix. */
function describeForgottenDeployment(
  status: AliasStatus,
  record: NonNullable<AliasStatus['record']>,
): string[] {
  const named = { functionName: status.functionName, alias: status.alias, record };
  const where = describeWhere(record, status);
  return [
    `    STALLED: ${describeForgottenId(record.codeDeployId ?? '')}: ${describeUndriven(named, where)}`,
    `    ${forgottenFix(named)}`,
  ];
}

/**
 * CodeDeploy ended the deployment (stopped without rollback, failed) and left the alias split:
 * `lshift check`'s words (check-codedeploy.ts) and its fix.
 */
function describeLeftSplit(status: AliasStatus, record: NonNullable<AliasStatus['record']>): string[] {
  return [
    `    STALLED: ${record.codeDeployEnded}; alias ${status.alias} routes ${describeAliasState(status)} with nobody to finish it`,
    `    \`lshift rollback ${status.functionName} --alias ${status.alias}\` puts all traffic back on version ${record.stableVersion}`,
  ];
}

/** Its own CodeDeploy deployment started after its run ended (codedeploy-late-start.ts). */
function describeLateStartLines(
  status: AliasStatus,
  record: NonNullable<AliasStatus['record']>,
  late: LateCodeDeployStart,
): string[] {
  const { what, fix } = describeLateStart(late, {
    functionName: status.functionName,
    alias: status.alias,
    stableVersion: record.stableVersion,
    routing: status,
  });
  return [`    ${late.running ? 'UNWATCHED' : 'MOVED SINCE'}: ${what}`, `    ${fix}`];
}

/** CodeDeploy ended ours; another deployment on the group drives the split. */
function describeSplitByOther(
  status: AliasStatus,
  record: NonNullable<AliasStatus['record']>,
  other: string,
): string[] {
  const id = other.split(' ')[0];
  // A finished lshift deployment (of either engine) has no CodeDeploy end of its own to say.
  const ended = record.codeDeployEnded ?? `this deployment ended ${record.phase}`;
  return [
    `    ${ended}; alias ${status.alias} routes ${describeAliasState(status)}, driven by another CodeDeploy deployment on its group: ${other}`,
    // Someone else's deployment: `lshift wait`'s Ctrl-C would stop it with auto-rollback (found
    // by a hostile pass: following this advice rolled a teammate's hotfix back).
    `    follow it with \`lshift wait ${id} --on-interrupt leave\` (or \`aws deploy get-deployment --deployment-id ${id}\`); lshift writes nothing to the alias beside it`,
  ];
}

/** The alias no longer matches the record: say so, and offer what closes it (not --resume). */
function describeMovedAway(
  status: AliasStatus,
  record: NonNullable<AliasStatus['record']>,
  how: 'elsewhere' | 'back-on-stable',
  release?: { functions: readonly string[]; unresumable: UnresumableMates },
): string[] {
  const [what, fix] = describeMovedAwayAlone(status, record, how);
  if (!record.releaseId) return [what, fix];
  // A function of a release: closing it alone (the single-function fix) left the release's
  // others split with nobody watching and said nothing of them (found by a hostile pass); the
  // release's ways out, as `lshift check` and `deploy --resume` give them (release-moved-member.ts).
  const waysOut = describeMovedMemberWaysOut({
    functionName: status.functionName,
    alias: status.alias,
    record,
    how: how === 'back-on-stable' ? 'back' : 'elsewhere',
    ...(status.split ? {} : { keepVersion: status.functionVersion }),
    ...(release ? { releaseFunctions: release.functions, unresumable: release.unresumable } : {}),
  });
  return [what, `    ${waysOut}`];
}

function describeMovedAwayAlone(
  status: AliasStatus,
  record: NonNullable<AliasStatus['record']>,
  how: 'elsewhere' | 'back-on-stable',
): [string, string] {
  const target = `${status.functionName} --alias ${status.alias}`;
  if (how === 'elsewhere' && isReversedSplit(status, record)) {
    return [
      `    the alias routes between this deployment's versions the other way round (${describeAliasState(status)}), a split lshift never writes: someone moved it by hand, and nobody will finish it`,
      `    \`lshift rollback ${target}\` puts all traffic back on version ${record.stableVersion}; \`lshift alias ${status.functionName} ${status.alias} ${record.targetVersion}\` finishes it`,
    ];
  }
  if (how === 'back-on-stable') {
    return [
      // Not only by hand: a rollback killed between its alias write and its record's leaves this
      // too, and a release's said "by hand" of lshift's own rollback (found by a hostile pass).
      // A record at 0% says "all on the stable version" too: it is the alias written since the
      // deployment started (record-revision.ts) that it does not say (found by a hostile pass).
      record.percent === 0
        ? `    the alias was written since this deployment started (its RevisionId changed) and is all on the stable version ${status.functionVersion}: its first weight put back by a rollback stopped before it could record it, or moved by hand, and nobody will finish it`
        : `    the alias is all on the stable version ${status.functionVersion} again, which its record does not say: rolled back by hand, or by a rollback stopped before it could record it, and nobody will finish it`,
      `    record that with \`lshift rollback ${target}\` (it moves nothing and closes the record)`,
    ];
  }
  return [
    `    the alias no longer routes between this deployment's versions: someone moved it by hand, and nobody will finish it`,
    status.split
      ? `    once the alias is where it should be, \`lshift alias ${status.functionName} ${status.alias} <version>\` puts all traffic on that version and closes the record`
      : `    record the move with \`lshift alias ${status.functionName} ${status.alias} ${status.functionVersion}\` (it moves nothing and closes the record)`,
  ];
}

/**
 * A finished deployment whose alias was moved since (record-view.ts aliasMovedSinceEnd): its
 * record is not where traffic is. What `check` and `rollback` do with it (check-classify.ts
 * refuseRollback, rollback-destination.ts chooseDestination), so nobody has to guess.
 */
function describeMovedSince(
  status: AliasStatus,
  record: NonNullable<AliasStatus['record']>,
  leftOn: string,
): string[] {
  const now = status.split ? describeAliasState(status) : `all traffic to version ${status.functionVersion}`;
  return [
    `    MOVED SINCE: this deployment left all traffic on version ${leftOn}, but the alias now routes ${now}: no lshift deployment put it there (\`lshift alias\`, the console or \`aws lambda update-alias\` moved it)`,
    `    \`lshift check\` leaves it alone (it rolls back no alias moved after its deployment); \`lshift rollback ${status.functionName} --alias ${status.alias}\` ${describeRollbackOfMoved(status, record)}`,
  ];
}

function describeRollbackOfMoved(status: AliasStatus, record: NonNullable<AliasStatus['record']>): string {
  if (status.split) {
    const version = splitRollbackVersion(status, record);
    return version === status.functionVersion
      ? `puts all traffic on version ${version}, the split's primary`
      : `puts all traffic back on version ${version}, this deployment's stable version (the split's primary is its new version)`;
  }
  if (status.functionVersion === record.stableVersion)
    return record.phase === 'promoted'
      ? 'moves nothing and records this deployment as rolled back'
      : 'moves nothing: this deployment is already rolled back';
  return 'will not guess a version: add `--to <version>`';
}

function describeRouting(status: AliasStatus): string {
  if (!status.split) return `all traffic on version ${status.functionVersion}`;
  return `${describeAliasState(status)} (split: a shift is in progress or was abandoned)`;
}

/**
 * `lshift status fnA fnB …`: the release view above each function's own — which release each
 * function's record belongs to, and whether the functions of one release agree.
 */
export function renderReleaseStatus(statuses: readonly AliasStatus[]): string {
  const byRelease = new Map<string, AliasStatus[]>();
  for (const s of statuses) {
    const id = s.record?.releaseId ?? '(none)';
    // Pushed, not copied: a copy per function was quadratic (5,000 functions: 12.5 M copies).
    const members = byRelease.get(id);
    if (members) members.push(s);
    else byRelease.set(id, [s]);
  }
  const stalledIds = new Set<string>();
  const head = [...byRelease.entries()].map(([id, members]) => {
    const phases = new Set(members.map((m) => m.record?.phase ?? 'no record'));
    const list = members.map((m) => `${m.functionName} ${m.record?.phase ?? 'no record'}`).join(', ');
    if (id === '(none)') return `no release: ${list}`;
    const stopped = describeStoppedRollback(id, members);
    if (stopped) stalledIds.add(id);
    if (stopped) return `release ${id}: ROLLBACK STOPPED (${list}): ${stopped}`;
    const stalled = describeStalledRelease(id, members);
    if (stalled) stalledIds.add(id);
    if (stalled) return `release ${id}: STALLED (${list}): ${stalled}`;
    const agree = phases.size === 1 ? `all ${[...phases][0]}` : disagreement(members);
    return `release ${id}: ${agree} (${list})`;
  });
  const each = statuses.map((s) => {
    const id = s.record?.releaseId;
    const waysOutAbove = stalledIds.has(id ?? '(none)');
    if (id === undefined) return renderStatus(s, { waysOutAbove });
    const mates = byRelease.get(id)!;
    const release = { functions: mates.map((m) => m.functionName), unresumable: findUnresumable(s, mates) };
    return renderStatus(s, { waysOutAbove, release });
  });
  return [joinPrintableLines([...head, '']), ...each].join('\n');
}

/**
 * Functions of one release in different phases: expected mid-walk for a `--stagger` release that
 * still runs (one walks, the others wait or are done), and while a lockstep release runs its
 * pre-traffic hook (the first function's record says `pre-hook`, the others' still `started`);
 * anything else does not add up.
 */
function disagreement(members: readonly AliasStatus[]): string {
  const staggered = members.some((m) => m.record?.stagger);
  const running = members.some(
    (m) => m.record && !['promoted', 'rolled-back', 'failed'].includes(m.record.phase),
  );
  if (staggered && running) return 'one after the other (--stagger)';
  const phases = members.map((m) => m.record?.phase);
  if (phases.includes('pre-hook') && phases.every((p) => p === 'pre-hook' || p === 'started'))
    return 'running its pre-traffic hook';
  return 'NOT CONSISTENT';
}

/**
 * A release whose runner died rolling it back: one function's record still says `rolling-back`,
 * stale (the release's mark: settle left it so while another close had not landed). `lshift
 * check` and `lshift rollback --release` finish the rollback, whatever the others say; it read
 * STALLED with `deploy --resume` first among the ways out — a resume only finishes the rollback
 * too (release-close-hang-left.test.ts).
 */
function describeStoppedRollback(id: string, members: readonly AliasStatus[]): string | undefined {
  const mark = members.find((m) => m.record?.stale && m.record.phase === 'rolling-back');
  if (!mark) return undefined;
  const aliasFlag = sharedAliasFlag(members.map((m) => m.alias));
  const rollback = `\`lshift rollback --release ${id} ${members.map((m) => m.functionName).join(' ')}${aliasFlag}\``;
  return `its runner died while rolling the release back (${mark.functionName} says rolling-back); the next \`lshift check\` finishes the rollback and closes every record, or ${rollback} does now`;
}

/** Phases a runner drives, which nobody else finishes: a stale one is STALLED (check-release.ts). */
const DRIVEN_PHASES: readonly string[] = ['started', 'pre-hook', 'shifting', 'baking', 'post-hook'];

/**
 * A release whose runner is gone (a function's record stale in a phase only its runner moves on):
 * `lshift check` reports each of its functions STALLED (exit 4) with the ways out; the release
 * view says the same of it — it said NOT CONSISTENT of one killed during its pre-traffic hook
 * (found by a hostile pass). Status stays read-only: its exit code is its own (commands/status.ts).
 */
function describeStalledRelease(id: string, members: readonly AliasStatus[]): string | undefined {
  const stalled = members.find((m) => m.record?.stale && DRIVEN_PHASES.includes(m.record.phase));
  if (!stalled?.record) return undefined;
  const open = members.filter((m) => m.record && m.record.phase !== 'rolled-back').map((m) => m.functionName);
  const aliasFlag = sharedAliasFlag(members.map((m) => m.alias));
  const rollback = `\`lshift rollback --release ${id} ${members.map((m) => m.functionName).join(' ')}${aliasFlag}\``;
  // Every open one stale and all on its stable version: its resume is refused (ALIAS_MISMATCH),
  // and `lshift check` closes them (check-release-close.ts; release-back-on-stable-check.test.ts).
  // (Not when none was moved: a resume starts such a release from its first step.)
  const onStable = members.every((m) => !m.record || m.record.phase === 'rolled-back' || isStaleOnStable(m));
  if (onStable && members.some((m) => m.record?.movedAway === 'back-on-stable'))
    return `nobody drives it (its runner seems to have died), and every function of it is all on its stable version: the next \`lshift check\` closes each record as rolled back, or ${rollback} does now`;
  const at = {
    functionName: stalled.functionName,
    alias: stalled.alias,
    label: stalled.functionName,
    releaseAliases: members.map((m) => m.alias),
  };
  return `nobody drives it (its runner seems to have died); ${describeReleaseWaysOut(at, stalled.record, open, rollback)}`;
}

function isStaleOnStable(m: AliasStatus): boolean {
  const record = m.record;
  if (!record?.stale || !DRIVEN_PHASES.includes(record.phase)) return false;
  return !m.split && m.functionVersion === record.stableVersion;
}

/** The release's other functions its resume would refuse: closed, or moved back on their stable versions. */
function findUnresumable(self: AliasStatus, mates: readonly AliasStatus[]): UnresumableMates {
  const others = mates.filter((m) => m !== self && m.record);
  return {
    closed: others.filter((m) => m.record!.phase === 'rolled-back').map((m) => m.functionName),
    back: others
      .filter((m) => m.record!.movedAway === 'back-on-stable')
      .map((m) => ({ functionName: m.functionName, version: m.record!.stableVersion })),
  };
}

/**
 * A function of a release nobody drives (its runner gone, or paused) is finished or undone with
 * its release, as `lshift check` says (check-release.ts): resume the release or roll it back.
 * It offered only `rollback --release` beside a release line offering both. Under that release
 * line (waysOutAbove) it points there rather than repeat it for every function; alone
 * (`lshift status billing`) it names the release's other functions by a placeholder — its record
 * names only the release. A stale rollback (`rolling-back`) is finished by rolling back.
 */
function describeReleaseMemberWaysOut(
  status: AliasStatus,
  record: NonNullable<AliasStatus['record']>,
  waysOutAbove: boolean,
): string {
  const id = record.releaseId ?? '';
  const rollback = `\`lshift rollback --release ${id} <its functions…>\``;
  if (record.phase === 'rolling-back')
    return `part of release ${id}: roll every function of it back with ${rollback}`;
  if (waysOutAbove) return `part of release ${id}: its line above says how to finish or undo the release`;
  const at = { functionName: status.functionName, alias: status.alias };
  return `part of release ${id}: ${describeReleaseWaysOut(at, record, undefined, rollback)}`;
}

/**
 * A stale rollback (`rolling-back`) is not a runner that died mid-shift: whoever started it
 * stopped, and `lshift check` finishes it (as `check` says of the same record). A runner gone
 * mid-deployment is STALLED, check's word (exit 4 there) — status said STALE — unless the check
 * would close it (closedByCheck) or AWS CodeDeploy runs it on without its follower.
 */
function describeStale(status: AliasStatus, record: NonNullable<AliasStatus['record']>): string {
  if (!record.stale) return '';
  // Its runner's pid still runs here: not "seems to have died" (describeLiveUnwritten; found by a
  // hostile pass). The same label and exit code as a dead runner's, other words.
  const live =
    record.livePid === undefined
      ? undefined
      : describeLiveUnwritten(record.livePid, formatDuration(record.heartbeatAgeSeconds), record.engine);
  const dead =
    record.deadPid === undefined ? '' : ` (its process ${record.deadPid} no longer runs on this machine)`;
  if (record.phase === 'rolling-back') {
    const stopped = live ? `writes no record (${live})` : `has stopped${dead}`;
    return ` — STALE: the rollback ${record.owner} started ${stopped}; the next \`lshift check\` (or \`lshift rollback ${status.functionName} --alias ${status.alias}\`) finishes it`;
  }
  const gone = live
    ? `its runner seems alive but writes no record (${live})`
    : `its runner seems to have died${dead}`;
  // One rule with `record.stalled` under --json (status-stalled.ts).
  if (isStalledRunner(status, record)) return ` — STALLED: ${gone}${live ? '' : '; nobody drives it'}`;
  if (record.engine === 'codedeploy') return ` — STALE: ${gone}`;
  // The next check closes it (status-stalled.ts isClosedByCheck).
  const before = record.percent === 0 ? describeNoWeight(status, record) : '';
  return ` — STALE: ${gone}${before}; the next \`lshift check\` records it rolled back`;
}

/**
 * A record that shows no weight: it moved no traffic, unless the alias was written since it
 * started (record-revision.ts) — then its first weight may have been put back unrecorded.
 */
function describeNoWeight(status: AliasStatus, record: NonNullable<AliasStatus['record']>): string {
  if (!aliasWrittenSinceStart(record, status)) return ' before moving any traffic';
  return '; its record shows no weight, but the alias was written since it started (its first weight put back by a rollback whose record did not land, or a move by hand)';
}

/**
 * A native deployment in progress whose alias gives its new version another weight than its record
 * says, and what can have left it so (check-moved.ts judgeRecordGap): the one weight write that
 * came next landed and the record write after it did not; or, lshift never writing a record ahead
 * of its weight nor a weight between its plan's steps or below its record, someone moved it (until
 * 5 December 2026 those were said "a crash, a lost answer" too). Said beside the record line
 * (found by a hostile pass: `started, step 1 at 0%` under a 10% routing line, as if they agreed).
 */
function describeRecordLag(
  status: AliasStatus,
  record: NonNullable<AliasStatus['record']>,
): string | undefined {
  // Moved by hand (back on stable, elsewhere, or further than a crash leaves it): its own lines.
  if (
    record.endedAt !== undefined ||
    record.engine === 'codedeploy' ||
    record.phase === 'rolling-back' ||
    record.movedAway
  )
    return undefined;
  const position = locateAlias(status, record);
  if (position.kind === 'elsewhere') return undefined;
  const percent = position.percent;
  if (Math.abs(percent - record.percent) < 1e-6) return undefined;
  const gives = `the alias gives version ${record.targetVersion} ${percent}%`;
  const side = percent > record.percent ? 'ahead of' : 'behind';
  const again = `\`deploy --resume\` writes ${record.percent}% again`;
  const releaseFull = record.releasePromotedFull === true;
  // Its release's `promote --full`, answered in another function's record read with it: lshift's
  // own 100% write, its record write not landed (status-release-full.ts).
  if (releaseFull && percent >= 100)
    return `${gives}, ahead of this record's ${record.percent}% by the \`promote --full\` of release ${record.releaseId} (answered in another function's record): its 100% write landed and the record write after it did not; \`deploy … --resume\` of the release finishes it`;
  switch (judgeRecordGap(record, status, percent, releaseFull)) {
    case undefined:
      return undefined;
    case 'further':
      // All on the new version in a release: its `promote --full` may be answered in another
      // function's record (release-promoted-full.ts), which status does not read (found by a hostile pass).
      return record.releaseId !== undefined && percent >= 100
        ? `${gives}, further ahead of this record's ${record.percent}% than the one weight write a crash can leave it: someone moved it by hand — or a \`promote --full\` of release ${record.releaseId}, answered in another function's record, which \`status\` reads only of the functions it is given (\`lshift status\` with the release's functions, \`lshift check\` of them and \`deploy … --resume\` do)`
        : `${gives}, further ahead of this record's ${record.percent}% than the one weight write a crash can leave it: lshift never wrote that weight, so someone moved it further by hand, and \`deploy --resume\` will not pick it up from there`;
    case 'between-steps':
      return `${gives}, ${side} this record's ${record.percent}%, a weight no step of its plan (${record.strategy}) has: lshift never writes one, so it was moved by hand or by another tool; ${again}`;
    case 'behind':
      return `${gives}, behind this record's ${record.percent}%: lshift writes a step's record only once its weight landed, and lowers a weight only to roll back (all at once to version ${record.stableVersion}), so it was moved by hand or by another tool; ${again}`;
    case 'resume-step':
      return `${gives}, ${side} this record's ${record.percent}%, a weight no step of its plan (${record.strategy}) has, recorded by a \`deploy --resume\` that took over someone's move: its write of its step's ${percent}% landed and the record write after it did not (the runner stopped between the two, or its record write failed)`;
    case 'next-step':
      return `${gives}, ahead of this record's ${record.percent}% by the one weight write that came next: it landed and the record write after it did not (the runner stopped between the two, or its record write failed)`;
  }
}
