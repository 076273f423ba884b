/**
 * The second-signal lines (AliasWatch, alias-watch.ts) of the commands that write an alias
 * without a shift of their own: `lshift rollback`, `lshift check` and `lshift alias`.
 */
import type { EngineEvent } from '../domain/events.js';
import type { AliasWatch } from './alias-watch.js';

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
    // One alias: its events need not name it (only `--release`'s do).
    const only = fix.targets.length === 1 ? fix.targets[0] : undefined;
    const target = e.type === 'rollback.started' ? e : 'target' in e ? e.target : only;
    if (!target) return;
    const key = `${target.functionName}:${target.alias}`;
    if (e.type === 'rollback.started')
      progress.set(key, {
        state: 'writing',
        toVersion: e.toVersion,
        from: fromOf(e),
        ...(e.fromVersion !== undefined ? { fromVersion: e.fromVersion } : {}),
      });
    else if (e.type === 'rollback.completed')
      progress.set(key, { state: 'restored', toVersion: e.toVersion });
    else if (e.type === 'rollback.failed')
      progress.set(key, { state: 'failed', toVersion: progress.get(key)?.toVersion });
  };
  return {
    sink: { emit: apply },
    // Every alias write of a rollback follows its rollback.started (rollback.ts): none seen, none
    // sent — a second Ctrl-C during the claim wait said exit 4 "it may still be split" of an
    // alias nothing had written (found by a hostile pass).
    touched: () => progress.size > 0,
    describe: () => {
      if (progress.size === 0) return [describeNothingWritten(named, see), `Fix: ${fix.command}`];
      const one = fix.targets.length === 1 ? fix.targets[0] : undefined;
      const seen = one && progress.get(`${one.functionName}:${one.alias}`);
      if (one && seen?.state === 'writing' && seen.from !== 'split')
        return [describeUnsplitWrite(one, seen), `Fix: ${fix.command}`];
      // Its write answered: only the record's close was left.
      if (one && seen?.state === 'restored')
        return [
          `Alias ${one.functionName}:${one.alias} is rolled back, all traffic on version ${seen.toVersion}; lshift stopped while closing its deployment record, which may still show the deployment (see \`lshift status ${one.functionName} --alias ${one.alias}\`).`,
          `Fix: ${fix.command}`,
        ];
      return fix.targets.length > 1 && progress.size > 0
        ? [
            ...fix.targets.map((t) =>
              describeRollbackProgress(t, progress.get(`${t.functionName}:${t.alias}`)),
            ),
            `Fix: ${fix.command}`,
          ]
        : [
            `The rollback of ${named} stopped with its alias write possibly in flight: it may still be split (see \`${see}\`).`,
            `Fix: ${fix.command}`,
          ];
    },
  };
}

interface RollbackProgress {
  state: 'writing' | 'restored' | 'failed';
  toVersion: string | undefined;
  /** Where the rollback found the alias (rollback.started): split, or all on one version. */
  from?: RollbackFrom;
  /** The version the alias was all on when it is not split (rollback.started's fromVersion). */
  fromVersion?: string;
}

/**
 * No alias write sent (stopped in its claim or its reads): nothing moved. A claim it may have
 * written on the record is its own process's, which the same command takes over at once when
 * run again (check-mates.ts: isOwnEarlierRun).
 */
function describeNothingWritten(named: string, see: string): string {
  return `Nothing was rolled back: no alias write was sent, so ${named} ${named.startsWith('aliases') ? 'are as they were' : 'is as it was'} (see \`${see}\`); running the same command again takes over any claim this run left on its deployment record.`;
}

/** "the one version it was on" when its rollback.started names none (a deploy's own rollback). */
function wasOn(p: RollbackProgress): string {
  return p.fromVersion !== undefined ? `version ${p.fromVersion}` : 'the one version it was on';
}

/**
 * `split`; `other`: all on one version that is not the destination (fromPercent 100: the
 * drained version's share, rollback.ts); `there`: already all on the destination (its write
 * only rewrites that routing, the fence).
 */
type RollbackFrom = 'split' | 'other' | 'there';

function fromOf(e: Extract<EngineEvent, { type: 'rollback.started' }>): RollbackFrom {
  if (e.alreadyThere) return 'there';
  return e.fromPercent >= 100 ? 'other' : 'split';
}

/**
 * A rollback's one write sent over an alias all on one version: it writes all traffic at once,
 * so the alias is as it was or all on the destination — never split. "It may still be split" was
 * said of an alias all on version 6 rolled back to 3 (found by a hostile pass).
 */
function describeUnsplitWrite(t: { functionName: string; alias: string }, p: RollbackProgress): string {
  const target = `${t.functionName}:${t.alias}`;
  const see = `see \`lshift status ${t.functionName} --alias ${t.alias}\``;
  if (p.from === 'there')
    return `The rollback of alias ${target} stopped with its write in flight: the alias was already all on version ${p.toVersion}, and that write only wrote it again, so all traffic is on version ${p.toVersion} either way; its deployment record may still say otherwise (${see}).`;
  return `The rollback of alias ${target} stopped with its write in flight (all traffic to version ${p.toVersion} at once): the alias is either still all on ${wasOn(p)}, or all on version ${p.toVersion} if that write landed — not split (${see}).`;
}

function describeRollbackProgress(
  t: { functionName: string; alias: string },
  p: RollbackProgress | undefined,
): string {
  const target = `${t.functionName}:${t.alias}`;
  if (p?.state === 'restored') return `${target}: rolled back, all traffic on version ${p.toVersion}.`;
  if (p?.state === 'failed')
    return `${target}: its rollback failed; it may still be split (see \`lshift status ${t.functionName} --alias ${t.alias}\`).`;
  if (p?.state === 'writing' && p.from === 'other')
    return `${target}: its alias write to version ${p.toVersion} may be in flight; it is still all on ${wasOn(p)}, or all on version ${p.toVersion} — not split (see \`lshift status ${t.functionName} --alias ${t.alias}\`).`;
  if (p?.state === 'writing' && p.from === 'there')
    return `${target}: already all on version ${p.toVersion}; its write of that routing may be in flight (see \`lshift status ${t.functionName} --alias ${t.alias}\`).`;
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
