/**
 * `lshift rollback --release r-… orders billing` of a release whose functions were on different
 * aliases (billing on `prod`, orders on `live`, from a config file), run where that file is not:
 * one alias (`--alias`, default `live`) applies to every function named, so billing was looked
 * for at `live`. It rolled orders back and said "Release r-…: rolled back", exit 0, with
 * "billing:live left alone: its record names no release" — billing had no `live` alias at all,
 * and billing:prod stayed split at 10% with a `shifting` record (found by a hostile pass,
 * session 59). Before anything is claimed or written, a named function whose record at the alias
 * given does not name the release is looked at further:
 *  - its record of the release is at another alias (one ListTags of the function lists every
 *    alias's record): refused, naming that alias and the commands that reach it (NOT_IN_RELEASE);
 *  - its alias does not exist: refused (ALIAS_NOT_FOUND), as `abort --release` refuses it.
 * A function whose alias exists and holds no record of the release anywhere is left alone and
 * reported, as before (a function of a `--stagger` release that never started).
 */
import { PreflightError, UsageError } from '../domain/errors.js';
import type { ReleaseTarget } from '../domain/release-program.js';
import type { LambdaPort } from '../ports/lambda.js';
import type { StateStore } from '../ports/state-store.js';
import { mapBounded } from './bounded.js';
import { type ListedRecord, listRecords } from './record-listing.js';
import { DEFAULT_RELEASE_CONCURRENCY } from './release.js';

interface Deps {
  lambda: LambdaPort;
  store: StateStore;
}

export async function refuseMisplacedMembers(
  deps: Deps,
  releaseId: string,
  targets: readonly ReleaseTarget[],
): Promise<void> {
  const records = await mapBounded(DEFAULT_RELEASE_CONCURRENCY, targets, (t) =>
    // Unreadable: the rollback's own read says why.
    deps.store.read(t.functionName, t.alias).then(
      (record) => ({ record, readable: true }),
      () => ({ record: undefined, readable: false }),
    ),
  );
  const outside = targets.filter(
    (_, i) => records[i]!.readable && records[i]!.record?.releaseId !== releaseId,
  );
  if (outside.length === 0) return;
  const elsewhere = await recordsElsewhere(deps.lambda, releaseId, outside);
  if (elsewhere.length > 0) throw misplaced(releaseId, targets, outside, elsewhere);
  const unrecorded = outside.filter((t) => records[targets.indexOf(t)]!.record === undefined);
  const aliases = await mapBounded(DEFAULT_RELEASE_CONCURRENCY, unrecorded, (t) =>
    // A function that does not exist: the rollback's own read of it says so.
    deps.lambda.getAlias(t.functionName, t.alias).catch(() => 'unknown' as const),
  );
  const missing = unrecorded.filter((_, i) => aliases[i] === undefined || aliases[i] === null);
  if (missing.length > 0) throw missingAliases(releaseId, missing);
}

/**
 * The records of the release not rolled back at another alias of the functions named (every
 * `lshift:*` tag): a promoted one too, which the release's rollback would take back — it was
 * "left alone" at the alias given, and the release said "rolled back", exit 0, with ga:prod still
 * on the new version (found by a hostile pass, session 59).
 */
async function recordsElsewhere(
  lambda: LambdaPort,
  releaseId: string,
  outside: readonly ReleaseTarget[],
): Promise<ListedRecord[]> {
  const listed = await listRecords(lambda, {
    functionNames: [...new Set(outside.map((t) => t.functionName))],
    // A function that cannot be listed: the rollback's own read of it says why.
    onError: () => undefined,
  }).catch(() => [] as ListedRecord[]);
  return listed.filter(
    (l) =>
      l.record.releaseId === releaseId &&
      l.record.phase !== 'rolled-back' &&
      outside.some((t) => t.functionName === l.functionName && t.alias !== l.alias),
  );
}

function misplaced(
  releaseId: string,
  targets: readonly ReleaseTarget[],
  outside: readonly ReleaseTarget[],
  elsewhere: readonly ListedRecord[],
): UsageError {
  const said = elsewhere.map(
    (l) =>
      `${l.functionName}'s record of release ${releaseId} is at alias ${l.alias} (${l.record.phase} at ${l.record.percent}%), not ${outside.find((t) => t.functionName === l.functionName)!.alias}`,
  );
  const at = new Map(targets.map((t) => [t.functionName, t.alias]));
  for (const l of elsewhere) at.set(l.functionName, l.alias);
  const byAlias = new Map<string, string[]>();
  for (const [fn, alias] of at) byAlias.set(alias, [...(byAlias.get(alias) ?? []), fn]);
  const commands = [...byAlias].map(
    ([alias, fns]) => `\`lshift rollback --release ${releaseId} ${fns.join(' ')} --alias ${alias}\``,
  );
  return new UsageError(
    'NOT_IN_RELEASE',
    `${said.join('; ')}: a rollback at the alias given would leave it where it is; nothing was rolled back.`,
    {
      hint:
        byAlias.size > 1
          ? `One --alias applies to every function named, and the release's functions are on different aliases: run the rollback with the config file that gave each its alias (in its directory, or with --config <file>), or once per alias: ${commands.join(' and ')}.`
          : `Name its alias: ${commands[0]}.`,
      context: { functionName: elsewhere[0]!.functionName, alias: elsewhere[0]!.alias },
    },
  );
}

function missingAliases(releaseId: string, missing: readonly ReleaseTarget[]): PreflightError {
  const what = missing.map((t) => `alias ${t.alias} of function ${t.functionName}`);
  const last = what.pop()!;
  const list = what.length === 0 ? last : `${what.join(', ')} and ${last}`;
  return new PreflightError(
    'ALIAS_NOT_FOUND',
    `A${list.slice(1)} ${missing.length > 1 ? 'do' : 'does'} not exist, so no function of release ${releaseId} is there; nothing was rolled back.`,
    {
      hint: 'Check the function names and --alias (one --alias applies to every function named; a release whose functions are on different aliases is rolled back with the config file that gave each its alias, or once per alias).',
      context: { functionName: missing[0]!.functionName, alias: missing[0]!.alias },
    },
  );
}
