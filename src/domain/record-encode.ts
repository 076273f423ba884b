/**
 * Writes a deployment record as its tag value, within the 256 characters a tag holds: the head
 * always, then as much of the owner, the operator command and the history as fits.
 */
import { echoInput } from './echo.js';
import { UsageError } from './errors.js';
import { encodeGuards } from './guard-fingerprint.js';
import { encodeJudging } from './judging-fingerprint.js';
import {
  commandParts,
  cutReason,
  MAX_COMMAND_REASON_LENGTH,
  type OperatorCommand,
} from './operator-command.js';
import { printable } from './printable.js';
import { causeCandidates } from './record-cause.js';
import { decodeRecord } from './record-decode.js';
import { encodeEndReason } from './record-end-reason.js';
import { encodeJudgedGap } from './record-judged.js';
import { MAX_OWNER_LENGTH, sanitizeOwner } from './record-owner.js';
import { MAX_TAG_VALUE_LENGTH, RECORD_FORMAT_VERSION } from './record-tag.js';
import { encodeInteger, encodePercent, escapeStrategy, escapeText } from './record-text.js';
import type { DeploymentRecord } from './record-types.js';

/*
 * Codec. Lambda tag values may hold only letters, digits, spaces and `_ . : / = + - @`, at most
 * 256 characters (https://docs.aws.amazon.com/lambda/latest/api/API_TagResource.html and the
 * general AWS tagging rules), so JSON is out. Format v1:
 *
 *   v1 id=d-k3j9x2 s=6 t=7 st=canary:10=:5m i=0 p=10 ph=shifting a=mh2k1x0g hb=mh2k1z3c o=ci@runner:42 h=6.5
 *
 * Optional keys: `e=` end time, `aj=` seconds before it up to which the alarm polls judged
 * (record-judged.ts), `r=` why it ended when lshift did not end it (`moved+20by+20hand`; a mark on
 * an open record as a code, `@km`: record-end-reason.ts),
 * `c=` the last operator command (`abort.k3j9.sent.ann@laptop:41.bad+20p99`, operator-command.ts;
 * written after the owner, its texts cut or dropped first when the value would not fit: the sender
 * before an abort's reason, fitCommand),
 * and `rl=` the release (several functions deployed as one) the deployment belongs to
 * (`sg=1` when it runs them one after the other, `--stagger`),
 * and `w=` the temporary provisioned concurrency `--warm` put on the target version (decimal),
 * `en=cd` when the CodeDeploy engine runs the shift, and `cd=` its CodeDeploy deployment id,
 * and `y=` why lshift (or, closed by `lshift wait`/`check`, CodeDeploy) rolled it back
 * (`GATE_FAILED.alarms`, record-cause.ts; written
 * after the owner and the command, with only the room left once older history is in: its gates
 * or hook phase go first, then the code), and `gd=` the guard fingerprint (`2.p1o1.600.1.k3j9x2a`: alarm count, hook counts by phase,
 * bake seconds, analysis on/off, hash; guard-fingerprint.ts), and `jd=` how it judges health
 * besides alarms (`1.k3j9x2a`: absolute gates, hash of the thresholds and analysis settings;
 * judging-fingerprint.ts), and `rn=` the token of the run that wrote it (record-seal.ts; written only
 * when the head, one history entry and the operator command's verb, if any, leave room for it), and `ar=` the start of the alias's
 * RevisionId when the deployment started (record-revision.ts; on the same terms, after `rn=`),
 * and `rz=` how many functions its release has (on the same terms, after `ar=`), and `rf=` the
 * release's function names joined by `.` (whole or not at all: for an unfinished deployment after
 * the owner and the command, before the history past its first entry; for an ended one last),
 * and `rt=` the version a person's `lshift rollback --to` sent all traffic to when it closed the
 * record promoted, or a rollback's claim will send it to (on the same terms as `rn=`, after `rz=`
 * and after the whole owner). `gd=` and `jd=` are part of the head: never dropped for room (a record that cannot hold it is RECORD_TOO_LARGE before any write), since a
 * resume that cannot see it would continue without knowing what the first run watched.
 *
 * Space-separated `key=value` pairs after the version; times are epoch ms in base 36; strings escape
 * every other character as `+HH` (UTF-8 bytes, so a space is `+20`); the strategy writes `%` as `=`
 * and `,` as `/` (see escapeStrategy); history is most recent first,
 * joined by `.`. Readers ignore keys they do not know, so v1 can gain optional keys.
 */

export function encodeRecord(record: DeploymentRecord): string {
  const history = record.history.map((v) => escapeText(v, '.'));
  const kept = Math.min(1, history.length);
  const r = withEndReasonThatFits(
    record,
    (head) => layout(head, '', '', '', history.slice(0, kept)).length <= MAX_TAG_VALUE_LENGTH,
  );
  const bare = encodeHead(r);
  if (layout(bare, '', '', '', history.slice(0, kept)).length > MAX_TAG_VALUE_LENGTH)
    throw tooLarge(r, layout(bare, '', '', '', history.slice(0, kept)).length, history.slice(0, kept));
  // The runner's token (record-seal.ts) when it fits beside the head: without it the record is
  // only never taken for a late write, as an older lshift's.
  // Then the alias's RevisionId at the start (record-revision.ts), on the same terms: without it
  // the record reads as an older lshift's ("no traffic moved" when it shows no weight).
  // They give way to an operator command's verb, as the owner does below: a record with no room
  // for `c=abort.k3j9.sent.` refuses the abort of a live deployment (found by a hostile pass,
  // session 63: `rz=` took the room `lshift abort --release` needed, RECORD_TOO_LARGE).
  const verbOnly = r.command ? bareCommand(r.command) : '';
  const fits = (head: string) =>
    layout(head, '', verbOnly, '', history.slice(0, kept)).length <= MAX_TAG_VALUE_LENGTH;
  const optional = [
    r.runnerToken === undefined ? '' : ` rn=${escapeText(r.runnerToken)}`,
    r.aliasRevision === undefined ? '' : ` ar=${escapeText(r.aliasRevision)}`,
    // How many functions its release has: a few characters, on the same terms.
    r.releaseSize === undefined ? '' : ` rz=${encodeInteger(r.releaseSize, 'releaseSize', 10)}`,
  ];
  const withOptional = optional.reduce((h, field) => (field && fits(h + field) ? h + field : h), bare);
  // Who sends all traffic where (`lshift rollback --to`'s close, a rollback's claim), on the same
  // terms and after the whole owner too: without it the close reads as a move by hand and the
  // claim as an older lshift's, but a claim whose owner lost characters to it is not read back as
  // its claimer's (check-claim.ts), and a close names the owner as who did it.
  const fullOwner = sanitizeOwner(r.owner).slice(0, MAX_OWNER_LENGTH);
  const sentTo = r.rollbackTo === undefined ? '' : ` rt=${escapeText(r.rollbackTo)}`;
  const besideOwner = (h: string) =>
    layout(h, fullOwner, verbOnly, '', history.slice(0, kept)).length <= MAX_TAG_VALUE_LENGTH;
  const head = sentTo && besideOwner(withOptional + sentTo) ? withOptional + sentTo : withOptional;
  let command = '';
  let functions = '';
  const build = (owner: string, count: number, cause = '') =>
    layout(head, owner, command + functions, cause, history.slice(0, count));
  const minimal = layout(head, '', verbOnly, '', history.slice(0, kept));
  const owner = sanitizeOwner(r.owner).slice(
    0,
    Math.max(0, Math.min(MAX_OWNER_LENGTH, MAX_TAG_VALUE_LENGTH - minimal.length)),
  );
  command = fitCommand(r, (c) => {
    command = c;
    return build(owner, kept).length <= MAX_TAG_VALUE_LENGTH;
  });
  // The release's function names, whole or not at all. An unfinished deployment's go before older
  // history: they make the commands offered for it (a resume, a pause) runnable as printed, older
  // history only lengthens a list nobody needs to act. An ended one's go last, after its cause:
  // what it says of its end is read more than a resume nobody will run (`rz=` stays in the head).
  const names = r.releaseFunctions?.map((name) => escapeText(name, '.')).join('.');
  const named = names === undefined ? '' : ` rf=${names}`;
  const fitsWith = (extra: string, count: number, cause = '') =>
    build(owner, count, cause).length + extra.length <= MAX_TAG_VALUE_LENGTH;
  if (named && r.endedAt === undefined && fitsWith(named, kept)) functions = named;
  let count = kept;
  while (count < history.length && build(owner, count + 1).length <= MAX_TAG_VALUE_LENGTH) count++;
  // Last, with what is left: it only explains, while older history feeds later deployments'
  // records, so it never takes a character anything else would have had.
  const cause = causeCandidates(r.cause).find((c) => build(owner, count, c).length <= MAX_TAG_VALUE_LENGTH);
  if (named && !functions && r.endedAt !== undefined && fitsWith(named, count, cause)) functions = named;
  return build(owner, count, cause);
}

function layout(
  head: string,
  owner: string,
  command: string,
  cause: string,
  history: readonly string[],
): string {
  return `${head} o=${owner}${command}${cause}` + (history.length > 0 ? ` h=${history.join('.')}` : '');
}

/**
 * An end reason's detail (after its first `: `, e.g. the split a close by hand met) is dropped
 * when the head would not fit with it: it only explains, and a close refused as RECORD_TOO_LARGE
 * would leave the deployment open.
 */
function withEndReasonThatFits(r: DeploymentRecord, fits: (head: string) => boolean): DeploymentRecord {
  const cut = r.endReason?.indexOf(': ') ?? -1;
  if (cut < 0 || fits(encodeHead(r))) return r;
  return { ...r, endReason: r.endReason?.slice(0, cut) };
}

function encodeHead(r: DeploymentRecord): string {
  return [
    RECORD_FORMAT_VERSION,
    `id=${escapeText(r.id)}`,
    `s=${escapeText(r.stableVersion)}`,
    `t=${escapeText(r.targetVersion)}`,
    `st=${escapeStrategy(r.strategy)}`,
    `i=${encodeInteger(r.stepIndex, 'stepIndex', 10)}`,
    `p=${encodePercent(r.percent)}`,
    `ph=${r.phase}`,
    `a=${encodeInteger(r.startedAt, 'startedAt', 36)}`,
    `hb=${encodeInteger(r.heartbeatAt, 'heartbeatAt', 36)}`,
    ...(r.endedAt === undefined ? [] : [`e=${encodeInteger(r.endedAt, 'endedAt', 36)}`]),
    ...encodeJudgedGap(r.endedAt, r.alarmsJudgedUntil),
    ...(r.endReason === undefined ? [] : [`r=${encodeEndReason(r.endReason, (text) => escapeText(text))}`]),
    ...(r.releaseId === undefined ? [] : [`rl=${escapeText(r.releaseId)}`]),
    ...(r.stagger ? ['sg=1'] : []),
    ...(r.warm === undefined ? [] : [`w=${encodeInteger(r.warm, 'warm', 10)}`]),
    ...(r.engine === 'codedeploy' ? ['en=cd'] : []),
    ...(r.codeDeployId === undefined ? [] : [`cd=${escapeText(r.codeDeployId)}`]),
    ...(r.guards === undefined ? [] : [`gd=${encodeGuards(r.guards)}`]),
    ...(r.guards?.judging === undefined ? [] : [`jd=${encodeJudging(r.guards.judging)}`]),
  ].join(' ');
}

/**
 * A strategy that works for one function can be refused in a release: its `rl=` (and `sg=1`)
 * take room. A user told only "fewer steps" would not know that the same strategy deploys each
 * function on its own, so when the release's fields are what push the record over, say so.
 */
function tooLarge(r: DeploymentRecord, needed: number, history: readonly string[], command = ''): UsageError {
  const room = command
    ? ` with room for an operator command (${command.length} characters for \`c=<verb>.<nonce>.<state>.\`: what \`lshift abort\`, \`pause\` and \`promote\` write, and the deployment's answer)`
    : '';
  const over = `The deployment record for strategy \`${echoInput(r.strategy)}\` needs ${needed} characters${room}; a Lambda tag value holds ${MAX_TAG_VALUE_LENGTH}`;
  const excess = needed - MAX_TAG_VALUE_LENGTH;
  const tooLong = `${excess} character${excess === 1 ? '' : 's'} too long`;
  // The guard fingerprint is never dropped for room (a resume must see it): say what it takes.
  const guards = r.guards
    ? `; the guard fingerprint${r.guards.judging ? 's `gd=` and `jd=`' : ' `gd=`'} that --resume checks take${r.guards.judging ? '' : 's'} ${guardFieldsLength(r.guards)}`
    : '';
  const steps = `fewer or shorter steps (e.g. whole percentages, fewer steps${guards})`;
  const single = { ...r, releaseId: undefined, stagger: undefined };
  const alone = layout(encodeHead(single), '', command, '', history).length;
  if (alone === needed || alone > MAX_TAG_VALUE_LENGTH) {
    return new UsageError('RECORD_TOO_LARGE', over, {
      hint: `Use a strategy with ${steps}: the record is ${tooLong}.`,
    });
  }
  const fields = r.stagger
    ? r.releaseId === undefined
      ? 'field `sg=1` (--stagger) adds'
      : 'fields `rl=` (its id) and `sg=1` (--stagger) add'
    : 'field `rl=` (its id) adds';
  return new UsageError(
    'RECORD_TOO_LARGE',
    `${over}: the release's own ${fields} ${needed - alone} of them: a single function's record needs ${alone}, which fits`,
    {
      hint: `The same strategy works for each function deployed on its own (\`lshift deploy <function>\` writes no release fields): deploy them one at a time, or give the release a strategy with ${steps}: its record is ${tooLong}.`,
    },
  );
}

function guardFieldsLength(guards: NonNullable<DeploymentRecord['guards']>): number {
  const judging = guards.judging ? encodeJudging(guards.judging).length + 4 : 0;
  return encodeGuards(guards).length + 4 + judging;
}

/** ` c=<verb>.<nonce>.<state>.`: the command without its texts, the least a record must hold of it. */
function bareCommand(c: OperatorCommand): string {
  return ` c=${commandParts(c).head}.`;
}

/** The longest command without texts: the answer a deployment writes to `promote --full`. */
const LONGEST_COMMAND: OperatorCommand = { verb: 'promote-full', nonce: 'zzzz', state: 'refused', by: '' };

/** The characters a record keeps free for an operator command's verb (assertCommandRoom). */
export const COMMAND_ROOM = bareCommand(LONGEST_COMMAND).length;

/**
 * For the preflight (and \`lshift plan\`): throws RECORD_TOO_LARGE when the record could not hold
 * an operator command's verb beside its head and newest history entry. The optional fields and
 * the owner give way to it (encodeRecord), the head cannot: without this an abort of the live
 * deployment would be refused for room (the rollback path must never depend on tag room).
 */
export function assertCommandRoom(record: DeploymentRecord): void {
  const r = withEndReasonThatFits(record, () => false);
  const history = r.history.slice(0, 1).map((v) => escapeText(v, '.'));
  const command = bareCommand(LONGEST_COMMAND);
  const needed = layout(encodeHead(r), '', command, '', history).length;
  if (needed > MAX_TAG_VALUE_LENGTH) throw tooLarge(r, needed, history, command);
}

/** A cut sender keeps at least this many characters ("an" read as a word): below that, none. */
const MIN_CUT_SENDER = 8;

/**
 * The longest form of ` c=…` that fits; throws when not even the verb does. An abort's reason is
 * kept before who sent it: the sender is cut (to nothing at worst: "an operator (not named …)")
 * before the reason is dropped, since why someone stopped production traffic is what the next
 * person reads the record for (a 27-character owner left a release's abort no room for its
 * reason beside a 40-character sender). A cut sender is a prefix of it.
 */
function fitCommand(r: DeploymentRecord, fits: (command: string) => boolean): string {
  if (!r.command) return '';
  const { head, texts } = commandParts(r.command);
  const [by = '', ...reason] = texts;
  const chars = Array.from(by); // never half an emoji
  const cuts = Math.max(0, chars.length - MIN_CUT_SENDER);
  const senders = [
    ...Array.from({ length: cuts + 1 }, (_, i) => chars.slice(0, chars.length - i).join('')),
    '',
  ];
  const forms = [...(reason.length > 0 ? senders.map((sender) => [sender, ...reason]) : [texts]), [by], ['']];
  for (const kept of forms) {
    const candidate = ` c=${[head, ...kept.map((t) => escapeText(t, '.'))].join('.')}`;
    if (fits(candidate)) return candidate;
  }
  throw new UsageError(
    'RECORD_TOO_LARGE',
    `The deployment record of strategy \`${echoInput(r.strategy)}\` has no room left for an operator command`,
    { hint: 'Use a strategy with fewer or shorter steps, or act on the deployment with `lshift rollback`.' },
  );
}

/**
 * Whether the record keeps the command's reason when written: the codec drops the command's texts
 * rather than exceed a tag value, and a reason dropped silently would leave the operator believing
 * it was recorded. Escaping makes room uneven (a space or an accented letter takes 3 characters
 * or more, an emoji 12), so the only honest test is to encode.
 */
/**
 * For a reason the record cannot keep: the characters it takes in the tag (escaped as the record
 * writes it) and the room the record has for one (plain letters, which take one each).
 */
export function describeReasonRoom(r: DeploymentRecord): { takes: number; room: number } {
  const reason = cutReason(r.command?.reason ?? '');
  let room = MAX_COMMAND_REASON_LENGTH;
  while (
    room > 0 &&
    r.command &&
    !keepsCommandReason({ ...r, command: { ...r.command, reason: 'a'.repeat(room) } })
  )
    room--;
  return { takes: escapeText(reason, '.').length, room };
}

export function keepsCommandReason(r: DeploymentRecord): boolean {
  const reason = r.command?.reason;
  if (reason === undefined) return true;
  // The decoder shows what it reads printable (a zero-width space as `\u{200B}`): compare with the
  // reason as it will read back, not as typed, or any such reason seems dropped (h1's pass, s64).
  return decodeRecord(encodeRecord(r)).command?.reason === printable(cutReason(reason));
}
