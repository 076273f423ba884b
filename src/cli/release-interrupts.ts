/**
 * The second-signal message of a release (Ctrl-C twice, exit 4): where lshift last set each
 * alias and its fix, as for one function (interrupts.ts), then — when two or more functions on
 * one alias may be left split — the release's own rollback, which puts them all back and closes
 * the release's records in one command (what `lshift status` advises for a release's function).
 */
import { type CommandTarget, withTargetFlags } from '../domain/command-target.js';
import type { EngineEvent } from '../domain/events.js';
import { type AliasWatch, watchAlias } from './alias-watch.js';
import { functionOf } from './renderers/release-lines.js';

export interface WatchedMember {
  functionName: string;
  options: { alias: string };
}

export function watchReleaseAliases(
  members: readonly WatchedMember[],
  opts: { resumed?: boolean; target?: CommandTarget } = {},
): AliasWatch {
  const watches = new Map(
    members.map((m) => [m.functionName, watchAlias(m.functionName, m.options.alias, opts)]),
  );
  let releaseId: string | undefined;
  return {
    sink: {
      emit(event: EngineEvent) {
        if (event.type === 'release.started') releaseId = event.releaseId;
        const name = functionOf(event);
        if (name !== undefined) watches.get(name)?.sink.emit(event);
      },
    },
    touched: () => [...watches.values()].some((w) => w.touched()),
    // Every function the release moved is back (its rollback hooks may still run): exit 3, as for one.
    rolledBackTo: () => {
      const moved = members.filter((m) => watches.get(m.functionName)?.touched());
      const back = moved.map((m) => [m, watches.get(m.functionName)?.rolledBackTo?.()] as const);
      if (back.length === 0 || back.some(([, to]) => to === undefined)) return undefined;
      return `each function's stable version (${back.map(([m, to]) => `${m.functionName}:${m.options.alias} ${to}`).join(', ')})`;
    },
    // Every function the release moved is recorded promoted, its promotion being read back
    // (release-promotion-settle.ts): exit 0, no split to fix — not exit 4 and a rollback per alias.
    promotedTo: () => {
      const moved = members.filter((m) => watches.get(m.functionName)?.touched());
      const promoted = moved.map((m) => [m, watches.get(m.functionName)?.promotedTo?.()] as const);
      if (promoted.length === 0 || promoted.some(([, to]) => to === undefined)) return undefined;
      return `each function's new version (${promoted.map(([m, to]) => `${m.functionName}:${m.options.alias} ${to}`).join(', ')})`;
    },
    describe: () => {
      // A function lshift never moved traffic on (a --stagger release's later turn) has nothing to
      // fix: "as lshift last set it … that write may not have landed. Fix: lshift rollback f3" was
      // said of one it never wrote (found by a hostile pass, session 64).
      const lines = members.flatMap((m) => {
        const watch = watches.get(m.functionName)!;
        return watch.touched()
          ? watch.describe()
          : [`No traffic had moved on ${m.functionName}:${m.options.alias}.`];
      });
      const moved = members.some((m) => watches.get(m.functionName)?.touched());
      const all = moved
        ? withTargetFlags(releaseRollbackLine(releaseId, members), opts.target ?? {})
        : undefined;
      return all ? [...lines, `Or all of them at once: ${all}`] : lines;
    },
  };
}

/**
 * The release's rollback naming every function of it, moved or not: each has an open record
 * (written before the first weight), which only its release's rollback closes. Named only those
 * moved, it rolled them back and exited 4 again ("1 function of it not named is still open"),
 * needing a second rollback for the rest (found by a hostile pass, session 64). A function of it
 * holding no record of the release is left alone and said so (release-rollback-aliases.ts).
 */
function releaseRollbackLine(
  releaseId: string | undefined,
  members: readonly WatchedMember[],
): string | undefined {
  const aliases = new Set(members.map((m) => m.options.alias));
  if (releaseId === undefined || members.length < 2 || aliases.size !== 1) return undefined;
  const [alias] = aliases;
  const aliasFlag = alias === 'live' ? '' : ` --alias ${alias}`;
  return `lshift rollback --release ${releaseId} ${members.map((m) => m.functionName).join(' ')}${aliasFlag}`;
}
