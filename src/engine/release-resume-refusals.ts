/**
 * What `deploy --resume` of a release refuses before any record is taken over: records of two
 * releases, a `--stagger` release, a function someone put back by hand; and the order in which
 * its functions' own refusals are said (an alias split with nobody driving it first).
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import { UnsafeError, UsageError } from '../domain/errors.js';
import { formatTarget } from '../domain/release-program.js';
import type { Settled } from './release-refusals.js';
import type { PreparedResume, ResumeRequest } from './resume.js';

/**
 * The members in refusal order: those whose refusal needs an operator (exit 4: an alias split
 * with nobody driving it) ahead of the rest, so the release's refusal says so, not "nothing to
 * resume" (exit 2) of a function whose alias is fine. Without a refusal, the order is kept.
 */
export function worstFirst<T>(
  checked: Settled<T>[],
  members: readonly ResumeRequest[],
): [Settled<T>[], ResumeRequest[]] {
  const unsafe = (c: Settled<T>) => 'error' in c && c.error instanceof UnsafeError;
  const order = checked.map((c, i) => ({ c, i })).sort((a, b) => Number(unsafe(b.c)) - Number(unsafe(a.c)));
  return [order.map((o) => o.c), order.map((o) => members[o.i]!)];
}

/** Every record must name the same release: a resume never mixes two releases, or a lone deploy in. */
export function checkOneRelease(prepared: PreparedResume[]): string {
  const ids = new Set(prepared.map((p) => p.record.releaseId));
  const id = prepared[0]?.record.releaseId;
  if (ids.size === 1 && id !== undefined) return id;
  const seen = prepared.map((p) => `${formatTarget(p.ctx.cursor)} ${p.record.releaseId ?? '(no release)'}`);
  throw new UsageError('CONFLICTING_FLAGS', `These deployments are not one release: ${seen.join(', ')}.`, {
    hint: 'Resume the functions of one release together (lshift status <functions…> shows the release of each), or each alone.',
  });
}

/**
 * A `--stagger` release with more than one function left is refused before any other refusal of
 * its functions but one that needs an operator (exit 4): a refusal for its guards
 * (RESUME_GUARDS_DIFFER) named a resume with the first run's flags, which would then be refused
 * as this — the user was sent to a command that cannot work. This one says what can.
 */
export function refuseStaggerFirst(
  open: readonly { m: ResumeRequest; c: Settled<PreparedResume>; i: number }[],
  read: ReadonlyMap<number, Pick<DeploymentRecord, 'releaseId' | 'stagger'>>,
): void {
  const records = open.flatMap((o) => read.get(o.i) ?? []);
  const id = records[0]?.releaseId;
  if (open.length < 2 || id === undefined || !records.some((r) => r.stagger)) return;
  // Records of different releases are refused as such (checkOneRelease), as is an unsafe alias.
  if (records.some((r) => r.releaseId !== id)) return;
  if (open.some((o) => 'error' in o.c && o.c.error instanceof UnsafeError)) return;
  throw staggerNotResumable(
    id,
    open.map((o) => o.m.functionName),
  );
}

/**
 * A `--stagger` release walks one function after the other; resuming it in lockstep would put
 * every function not yet walked on the new version at once — what --stagger was asked to avoid.
 */
function staggerNotResumable(id: string, functionNames: readonly string[]): UsageError {
  const names = functionNames.join(' ');
  return new UsageError(
    'STAGGER_NOT_RESUMABLE',
    `Release ${id} runs its functions one after the other (--stagger); lshift cannot resume it as a release yet.`,
    {
      hint: `Roll it back with \`lshift rollback --release ${id}\` naming every function of the release (${names}, and any other: \`lshift status\` shows each record's release), and deploy again; or resume each function alone (\`lshift deploy <function> --resume\` with the first run's --alarm, hook, --bake and analysis flags), in the order you want.`,
    },
  );
}

/**
 * A function all back on stable although its record says traffic had moved: the release's own
 * rollback restored it when another function's record says rolling-back (the release goes back
 * whole, as before); otherwise someone put it back by hand, and resuming would undo that — at
 * the highest level any function reached (found by a hostile pass: 30% at once).
 */
export function refuseMovedBack(prepared: readonly PreparedResume[]): void {
  const rollingBack = prepared.some((p) => p.decision.start.kind === 'rollback');
  const movedBack = prepared.find((p) => p.movedBack)?.movedBack;
  if (movedBack && !rollingBack) throw movedBack;
}
