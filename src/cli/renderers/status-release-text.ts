/**
 * `lshift status fnA fnB …`: the release view above each function's own lines (status-text.ts),
 * one line per release saying whether its functions agree, and whether it is STALLED.
 */
import { formatDuration } from '../../domain/duration.js';
import { joinPrintableLines } from '../../domain/printable.js';
import { rolledBackByCheck } from '../../engine/check-release-verdict.js';
import { describeReleaseWaysOut } from '../../engine/deploy-result.js';
import { isCheckOwner, isRollbackOwner } from '../../engine/owner-kinds.js';
import { isDecidedSplitMovedWhole, isHandSplitAfterRollbackDecision } from '../../engine/record-view.js';
import type { UnresumableMates } from '../../engine/release-moved-member.js';
import { isSplitLeftClosed } from '../../engine/split-left-closed.js';
import { describeStaggerResume } from '../../engine/stagger-resume.js';
import type { AliasStatus } from '../../engine/status.js';
import { isLeftPaused, isRunnerKnownGone } from '../../engine/status-stalled.js';
import { describeGateUnjudged } from './status-moved-text.js';
import { describeReleaseMember } from './status-release-member.js';
import {
  describeListedOthers,
  describeMixedAliasResume,
  describeReleaseRollback,
  describeUnlisted,
  everyMember,
  listedResumable,
  type ReleaseReach,
} from './status-release-reach.js';
import { LEFT_PAUSED, UNSEEN_RUNNER } from './status-stale-text.js';
import { renderStatus } from './status-text.js';

/**
 * `lshift status fnA fnB …`: the release view above each function's own — which release each
 * function's record belongs to, and whether the functions of one release agree.
 */
export function renderReleaseStatus(
  statuses: readonly AliasStatus[],
  /** The listing of records in reach, per release offering ways out (status-release-listing.ts). */
  reaches: ReadonlyMap<string, ReleaseReach> = new Map(),
): string {
  const byRelease = groupByRelease(statuses);
  const stalledIds = new Set<string>();
  // A rollback stopped midway: the next check finishes it, so no line offers to keep and resume.
  const stoppedIds = new Set<string>();
  const head = [...byRelease.entries()].map(([id, members]) => {
    const phases = new Set(members.map((m) => m.record?.phase ?? 'no record'));
    const read = members.map(describeReleaseMember).join(', ');
    if (id === '(none)') return `no release: ${read}`;
    const reach = reaches.get(id);
    const list = read + describeListedOthers(reach);
    const stopped = describeStoppedRollback(id, members, reach);
    if (stopped) stalledIds.add(id);
    if (stopped) stoppedIds.add(id);
    if (stopped) return `release ${id}: ROLLBACK STOPPED (${list}): ${stopped}`;
    const stalled = describeStalledRelease(id, members, reach);
    if (stalled) stalledIds.add(id);
    if (stalled) return `release ${id}: ${stalled.label} (${list}): ${stalled.text}`;
    const split = describeSplitAfterDecision(members);
    if (split) return `release ${id}: STALLED (${list}): ${split}`;
    const agree = phases.size === 1 ? `all ${[...phases][0]}` : disagreement(members);
    return `release ${id}: ${agree} (${list})`;
  });
  const each = statuses.map((s) => {
    const id = s.record?.releaseId;
    const waysOutAbove = stalledIds.has(id ?? '(none)');
    if (id === undefined) return renderStatus(s, { waysOutAbove });
    const mates = byRelease.get(id)!;
    const release = {
      functions: mates.map((m) => m.functionName),
      members: mates.map((m) => ({ functionName: m.functionName, alias: m.alias })),
      unresumable: findUnresumable(s, mates),
      ...(stoppedIds.has(id) ? { rollbackStopped: true as const } : {}),
    };
    return renderStatus(s, { waysOutAbove, release });
  });
  return [joinPrintableLines([...head, '']), ...each].join('\n');
}

/**
 * Functions of the release split by someone else, lshift having decided to roll them back
 * (record-view.ts isHandSplitAfterRollbackDecision): their records say `rolled-back` like the
 * others', but their aliases are split. The line read "all rolled-back" over one left 70/30
 * (found by a hostile pass, session 66); each one's own lines below say STALLED and its rollback.
 */
function describeSplitAfterDecision(members: readonly AliasStatus[]): string | undefined {
  const split = members
    .filter((m) => m.split && m.record && isHandSplitAfterRollbackDecision(m.record))
    .map((m) => m.functionName);
  // Met split by someone (of versions it does not place) and left so, its record closed over it
  // (split-left-closed.ts): STALLED in its own lines; the line said "all rolled-back" (session 69).
  const left = members
    .filter((m) => m.record && !isHandSplitAfterRollbackDecision(m.record) && isSplitLeftClosed(m, m.record))
    .map((m) => m.functionName);
  // Since moved whole onto the new version (session 67): not rolled back either.
  const whole = members
    .filter((m) => m.record && isDecidedSplitMovedWhole(m.record, m))
    .map((m) => m.functionName);
  const said = [
    ...(split.length > 0
      ? [
          describeNames(
            split,
            // Not "after": the release may have met the split first and rolled back for it
            // (settle-conflict.ts closeMovedByHand), or a pre-traffic hook split it and failed (h4, session 68).
            'split by someone else, before or after lshift decided to roll',
            'back, and nothing puts',
            'back',
          ),
        ]
      : []),
    ...(left.length > 0
      ? [
          left.length === 1
            ? `${left[0]} was split by someone else, and its deployment left it split: nothing drives it`
            : `${left.join(' and ')} were split by someone else, and their deployments left them split: nothing drives them`,
        ]
      : []),
    ...(whole.length > 0
      ? [
          describeNames(
            whole,
            'moved whole onto the new version by someone else after lshift decided to roll',
            'back: not rolled back, and nothing puts',
            'back',
          ),
        ]
      : []),
  ];
  if (said.length === 0) return undefined;
  const one = split.length + left.length + whole.length === 1;
  return `${said.join('; ')}: see ${one ? 'its' : 'each one’s'} lines below for the rollback`;
}

/** `fa was split … roll it back, and nothing puts it back` / `fa and fb were …`. */
function describeNames(names: readonly string[], what: string, then: string, end: string): string {
  const one = names.length === 1;
  const it = one ? 'it' : 'them';
  return `${names.join(' and ')} ${one ? 'was' : 'were'} ${what} ${it} ${then} ${it} ${end}`;
}

function groupByRelease(statuses: readonly AliasStatus[]): Map<string, AliasStatus[]> {
  const byRelease = new Map<string, AliasStatus[]>();
  for (const s of statuses) {
    const id = s.record?.releaseId ?? '(none)';
    // Pushed, not copied: a copy per function was quadratic (5,000 functions: 12.5 M copies).
    const members = byRelease.get(id);
    if (members) members.push(s);
    else byRelease.set(id, [s]);
  }
  return byRelease;
}

/**
 * The releases whose line offers a resume or a rollback (STALLED, PARTLY DRIVEN, ROLLBACK
 * STOPPED): those commands must name every function of the release, so the status lists the
 * records in reach for them (status-release-listing.ts).
 */
export function findReleasesOfferingWaysOut(statuses: readonly AliasStatus[]): string[] {
  return [...groupByRelease(statuses).entries()]
    .filter(
      ([id, members]) =>
        id !== '(none)' &&
        (describeStoppedRollback(id, members) !== undefined ||
          describeStalledRelease(id, members) !== undefined),
    )
    .map(([id]) => id);
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
  // A release's own post-traffic hook is recorded on one function while the others' records still
  // say where they ended (baking, or at 100%): "NOT CONSISTENT" was said of a release running it
  // (h4's pass, session 68).
  const atFull = (m: AliasStatus) =>
    m.record?.phase === 'post-hook' ||
    m.record?.phase === 'baking' ||
    (m.record?.phase === 'shifting' && m.record.percent === 100);
  if (phases.includes('post-hook') && members.every(atFull)) return 'running its post-traffic hook';
  return 'NOT CONSISTENT';
}

/**
 * A release whose runner died rolling it back: one function's record still says `rolling-back`,
 * stale (the release's mark: settle left it so while another close had not landed). `lshift
 * check` and `lshift rollback --release` finish the rollback, whatever the others say; it read
 * STALLED with `deploy --resume` first among the ways out — a resume only finishes the rollback
 * too (release-close-hang-left.test.ts).
 */
function describeStoppedRollback(
  id: string,
  members: readonly AliasStatus[],
  reach?: ReleaseReach,
): string | undefined {
  const mark = members.find((m) => m.record?.stale && m.record.phase === 'rolling-back');
  const rollback = describeReleaseRollback(id, members, reach) + describeUnlisted(members, reach);
  const moved = describeMovedLeft(members);
  const begun = mark ? undefined : findCheckRollbackBegun(members);
  if (!mark && !begun) return undefined;
  const what = mark
    ? `${describeMarkOwner(mark.record!.owner)} died while rolling the release back (${mark.functionName} says rolling-back)`
    : `${begun!.record!.owner} rolled ${begun!.functionName} back and did not finish the release`;
  // Nothing left for a check or rollback --release to do: only the moved ones, each its own way out.
  if (moved.only) return `${what}; every other function of it is rolled back${moved.note}`;
  // The release's rollback first, a command that works as copied: "the next `lshift check`" was
  // copied as `lshift check fa fb fc`, refused with no alarm (CHECK_NO_ALARMS; h1's pass, s71).
  return `${what}; ${rollback} finishes ${mark ? 'the' : 'its'} rollback and closes every record${moved.except} now (no alarm needed), as the next \`lshift check\` run with its alarms does${moved.note}`;
}

/**
 * Who left the release's rolling-back mark: a person's `lshift rollback --release` (its claim's
 * `rollback:` owner) or a check (`check:`) is no runner; it read "its runner died" of them too.
 */
function describeMarkOwner(owner: string): string {
  if (isRollbackOwner(owner))
    return `the \`lshift rollback --release\` of ${owner.slice('rollback:'.length)}`;
  if (isCheckOwner(owner)) return `the check ${owner}`;
  return 'its runner';
}

/**
 * Open functions of the release a person moved onto versions their deployments never wrote: the
 * release's rollback (a check's, or `rollback --release`) leaves them as moved (NOTHING_TO_ROLL_BACK,
 * check-release-moved.ts), so "closes every record" was not so (session 70); their own lines give
 * the `--to` rollback that closes each.
 */
function describeMovedLeft(members: readonly AliasStatus[]): { except: string; note: string; only?: true } {
  const open = members.filter(({ record }) => record && record.phase !== 'rolled-back');
  const moved = open
    .filter(
      ({ record }) =>
        record !== undefined && (record.movedAway === 'elsewhere' || record.rollbackMovedAway !== undefined),
    )
    .map((m) => m.functionName);
  if (moved.length === 0) return { except: '', note: '' };
  const only = moved.length === open.length ? { only: true as const } : {};
  const names = moved.join(' and ');
  const one = moved.length === 1;
  return {
    except: ` but ${names}'s`,
    note: `; ${names}, moved by hand onto versions ${one ? 'its deployment does' : 'their deployments do'} not know, ${one ? 'is' : 'are'} left as moved by ${only.only ? "the release's rollback" : 'both'} (${one ? 'its line says' : 'their lines say'} how to close ${one ? 'it' : 'them'})`,
    ...only,
  };
}

/**
 * A function a check rolled back while another of its release is left open with nobody driving
 * it (or promoted by the release): a check rolls a release back whole, so one that stopped
 * between functions is finished by the next (check-release-verdict.ts). Status offered the
 * others' resume, and called a failed gate of one back on stable the reason the check would
 * roll the release back (found while making status ask the check's rule, session 60).
 */
function findCheckRollbackBegun(members: readonly AliasStatus[]): AliasStatus | undefined {
  const left = members.some(
    ({ record }) =>
      record !== undefined &&
      (record.stale || (record.phase === 'promoted' && record.endReason === undefined)),
  );
  return left ? members.find((m) => m.record && rolledBackByCheck(m.record)) : undefined;
}

/** Phases a runner drives, which nobody else finishes: a stale one is STALLED (check-release.ts). */
const DRIVEN_PHASES: readonly string[] = ['started', 'pre-hook', 'shifting', 'baking', 'post-hook'];

/**
 * A release whose runner is gone (a function's record stale in a phase only its runner moves on):
 * `lshift check` reports each of its functions STALLED (exit 4) with the ways out; the release
 * view says the same of it — it said NOT CONSISTENT of one killed during its pre-traffic hook
 * (found by a hostile pass). Status stays read-only: its exit code is its own (commands/status.ts).
 */
function describeStalledRelease(
  id: string,
  members: readonly AliasStatus[],
  reach?: ReleaseReach,
): { label: string; text: string } | undefined {
  // Or left paused by a runner that exited (status-stalled.ts isLeftPaused): `lshift check` says
  // STALLED of it too; this line read "all paused" (exit 0) with no way out (hostile pass, session 64).
  const stalled =
    members.find((m) => m.record?.stale && DRIVEN_PHASES.includes(m.record.phase)) ??
    members.find((m) => m.record && isLeftPaused(m.record));
  if (!stalled?.record) return undefined;
  const driven = describeDrivenMate(stalled, members);
  const text = describeStalledWaysOut(
    id,
    members,
    stalled,
    driven?.who ?? describeNobody(stalled.record),
    reach,
  );
  return { label: driven ? 'PARTLY DRIVEN' : 'STALLED', text };
}

const NOBODY = 'nobody drives it';

/** Its runner known gone (status-stalled.ts isRunnerKnownGone) is said so, not "seems to have died". */
function describeNobody(record: NonNullable<AliasStatus['record']>): string {
  if (isLeftPaused(record)) return `${NOBODY} (${LEFT_PAUSED})`;
  const gone = isRunnerKnownGone(record, record.deadPid)
    ? `its runner is gone: its process ${record.deadPid} no longer runs on this machine`
    : `its runner seems to have died: ${UNSEEN_RUNNER}`;
  return `${NOBODY} (${gone})`;
}

/**
 * Another function of the release is driven by a live runner (a `deploy --resume` taking the
 * release over, record by record): not "nobody drives it" (found in session 60: status said so
 * beside fb's live owner, and offered the very resume that ran).
 */
function describeDrivenMate(
  stalled: AliasStatus,
  members: readonly AliasStatus[],
): { who: string } | undefined {
  const live = members.find((m) => m.record && !m.record.stale && DRIVEN_PHASES.includes(m.record.phase));
  if (!live?.record) return undefined;
  const silent = formatDuration(stalled.record!.heartbeatAgeSeconds);
  const beat = formatDuration(live.record.heartbeatAgeSeconds);
  return {
    who: `${live.functionName} is driven by ${live.record.owner} (heartbeat ${beat} ago) while ${stalled.functionName}'s record has had no heartbeat for ${silent}: most likely a \`deploy --resume\` of the release taking it over, so see again in a minute; if ${stalled.functionName} stays silent`,
  };
}

function describeStalledWaysOut(
  id: string,
  members: readonly AliasStatus[],
  stalled: AliasStatus,
  who: string,
  reach?: ReleaseReach,
): string {
  const open = members.filter((m) => m.record && m.record.phase !== 'rolled-back').map((m) => m.functionName);
  const rollback = describeReleaseRollback(id, members, reach) + describeUnlisted(members, reach);
  // Every open one stale and all on its stable version: its resume is refused (ALIAS_MISMATCH),
  // and `lshift check` closes them (check-release-close.ts; release-back-on-stable-check.test.ts).
  // (Not when none was moved: a resume starts such a release from its first step.)
  const onStable = members.every((m) => !m.record || m.record.phase === 'rolled-back' || isStaleOnStable(m));
  if (onStable && members.some((m) => m.record?.movedAway === 'back-on-stable'))
    return `${who}, and every function of it is all on its stable version: the next \`lshift check\` closes each record as rolled back, or ${rollback} does now`;
  // One back on its stable version whose gate failed while the runner ran: the next check rolls
  // the release back (release-member-gate.ts); a resume offered would be undone by it.
  const failed = members.find((m) => m.record?.releaseGateFailed);
  if (failed)
    return `${who}, and ${failed.functionName}'s gate failed while its runner could still move traffic (${failed.record!.releaseGateFailed}), its alias already back on its stable version: the next \`lshift check\` with these alarms rolls the whole release back, as its runner would have, or ${rollback} does now`;
  const unjudged = members.find(
    (m) => m.record?.movedAway === 'back-on-stable' && m.record.releaseGateUnjudged,
  );
  const caveat = unjudged
    ? `; ${describeGateUnjudged(unjudged.functionName, unjudged.record!.releaseGateUnjudged!)}`
    : '';
  // One moved by hand is left out of the resume, which refuses it (ALIAS_MISMATCH) — as `lshift
  // check` says it (check-release.ts): it named `deploy fa fb fc --resume` with fc back on version 1.
  const moved = members.filter((m) => m.record?.movedAway).map((m) => m.functionName);
  const listed = listedResumable(reach);
  const resumable = [...open.filter((f) => !moved.includes(f)), ...listed.map((m) => m.functionName)];
  if (resumable.length === 0)
    return `${who}, and every open function of it was moved by hand: close each as its line says, or undo the release with ${rollback}${caveat}`;
  if (stalled.record!.stagger) {
    const read = members
      .filter((m) => m.record && m.record.phase !== 'promoted' && resumable.includes(m.functionName))
      .map((m) => ({ functionName: m.functionName, alias: m.alias, record: m.record!, split: m.split }));
    const found = reach?.kind === 'listed' ? reach.others.filter((l) => l.record.phase !== 'promoted') : [];
    return `${who}${who.startsWith(NOBODY) ? ';' : ':'} ${describeStaggerResume([...read, ...found])}; or undo it with ${rollback}${caveat}`;
  }
  const after =
    describeMixedAliasResume(members, reach) +
    (moved.length > 0 ? ` once ${moved.join(' and ')}'s deployment is closed (its line says how)` : '');
  const at = {
    functionName: stalled.functionName,
    alias: stalled.alias,
    label: stalled.functionName,
    releaseAliases: everyMember(members, reach).map((m) => m.alias),
    // What the resume needs of each function it names, as `lshift check` says (check-release.ts).
    releaseGuards: [
      ...members
        .filter((m) => resumable.includes(m.functionName))
        .map((m) => ({ functionName: m.functionName, guards: m.record?.guards })),
      ...listed,
    ],
  };
  return `${who}${who.startsWith(NOBODY) ? ';' : ':'} ${describeReleaseWaysOut(at, stalled.record!, resumable, rollback, after)}${caveat}`;
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
