/**
 * The deployment record (DESIGN.md §6, issue 6), stored on the function as the tag
 * `lshift:<alias>`. Tag values are at most 256 characters, so the codec in this file keeps
 * it compact and versioned.
 */

import { OperationError, UsageError } from './errors.js';
import { decodeGuards, encodeGuards, type GuardFingerprint } from './guard-fingerprint.js';
import {
  commandFromParts,
  commandParts,
  MAX_COMMAND_REASON_LENGTH,
  type OperatorCommand,
} from './operator-command.js';
import { printable } from './printable.js';

export type DeploymentPhase =
  | 'started'
  | 'pre-hook'
  | 'shifting'
  | 'baking'
  | 'post-hook'
  | 'promoted'
  | 'rolling-back'
  | 'rolled-back'
  | 'paused'
  | 'failed';

export interface DeploymentRecord {
  /** Deployment id, short and unique (e.g. `d-k3j9x2`). */
  id: string;
  stableVersion: string;
  targetVersion: string;
  /** Strategy as given (normalised short form). */
  strategy: string;
  /** Index of the current plan step. */
  stepIndex: number;
  /** Current traffic percentage on the target. */
  percent: number;
  phase: DeploymentPhase;
  /** Epoch ms. */
  startedAt: number;
  /** Who runs it: `user@host:pid` or the CI job, truncated. */
  owner: string;
  /** Epoch ms of the last heartbeat. */
  heartbeatAt: number;
  /** Epoch ms when the deployment ended (promoted / rolled back), if it did. */
  endedAt?: number;
  /** Why it ended when lshift did not end it itself, e.g. `moved by hand` (`lshift alias`). */
  endReason?: string;
  /** Versions that were stable before, most recent first (at least the previous one). */
  history: string[];
  /** The last operator command (`lshift promote|pause|resume|abort`, src/domain/operator-command.ts). */
  command?: OperatorCommand;
  /** The release this deployment is part of (`r-` and 6 characters; issue 13), if any. */
  releaseId?: string;
  /** The release runs its functions one after the other (`--stagger`; record key `sg=1`). */
  stagger?: true;
  /**
   * `deploy --warm`: the provisioned concurrency lshift put on the target version for this
   * deployment, to be removed when it ends (also by `lshift rollback` / `--resume` after a crash).
   */
  warm?: number;
  /** Who moves the traffic: absent for the native engine (alias weights), `codedeploy` (issue 12). */
  engine?: 'codedeploy';
  /** The CodeDeploy deployment id (`d-…`) that runs the shift, once CodeDeploy accepted it. */
  codeDeployId?: string;
  /**
   * What the deployment watches (alarms, hooks, bake, analysis; guard-fingerprint.ts), so
   * `--resume` can refuse to continue it with less. Absent in records written by an older lshift.
   */
  guards?: GuardFingerprint;
}

/*
 * Codec. Lambda tag values may hold only letters, digits, spaces and `_ . : / = + - @`, at most
 * 256 characters (https://docs.aws.amazon.com/lambda/latest/api/API_TagResource.html and the
 * general AWS tagging rules), so JSON is out. Format v1:
 *
 *   v1 id=d-k3j9x2 s=6 t=7 st=canary:10=:5m i=0 p=10 ph=shifting a=mh2k1x0g hb=mh2k1z3c o=ci@runner:42 h=6.5
 *
 * Optional keys: `e=` end time, `r=` why it ended when lshift did not end it (`moved+20by+20hand`),
 * `c=` the last operator command (`abort.k3j9.sent.ann@laptop:41.bad+20p99`, operator-command.ts;
 * written after the owner, its texts are dropped first when the value would not fit),
 * and `rl=` the release (several functions deployed as one) the deployment belongs to
 * (`sg=1` when it runs them one after the other, `--stagger`),
 * and `w=` the temporary provisioned concurrency `--warm` put on the target version (decimal),
 * `en=cd` when the CodeDeploy engine runs the shift, and `cd=` its CodeDeploy deployment id,
 * and `gd=` the guard fingerprint (`2.p1o1.600.1.k3j9x2a`: alarm count, hook counts by phase,
 * bake seconds, analysis on/off, hash; guard-fingerprint.ts). `gd=` is part of the head: never
 * dropped for room (a record that cannot hold it is RECORD_TOO_LARGE before any write), since a
 * resume that cannot see it would continue without knowing what the first run watched.
 *
 * Space-separated `key=value` pairs after the version; times are epoch ms in base 36; strings escape
 * every other character as `+HH` (UTF-8 bytes, so a space is `+20`); the strategy writes `%` as `=`
 * and `,` as `/` (see escapeStrategy); history is most recent first,
 * joined by `.`. Readers ignore keys they do not know, so v1 can gain optional keys.
 */

export const RECORD_TAG_PREFIX = 'lshift:';
export const RECORD_FORMAT_VERSION = 'v1';
export const MAX_TAG_VALUE_LENGTH = 256;
const MAX_TAG_KEY_LENGTH = 128;
/** Owner gets at most this many characters; what is left goes to older history entries. */
const MAX_OWNER_LENGTH = 64;

const PHASES: readonly DeploymentPhase[] = [
  'started',
  'pre-hook',
  'shifting',
  'baking',
  'post-hook',
  'promoted',
  'rolling-back',
  'rolled-back',
  'paused',
  'failed',
];

export function recordTagKey(alias: string): string {
  const key = RECORD_TAG_PREFIX + alias;
  if (key.length > MAX_TAG_KEY_LENGTH) {
    throw new UsageError(
      'ALIAS_TOO_LONG',
      `Alias \`${alias}\` is too long to name the deployment record tag`,
      {
        hint: `Tag keys hold at most ${MAX_TAG_KEY_LENGTH} characters; use an alias of at most ${MAX_TAG_KEY_LENGTH - RECORD_TAG_PREFIX.length} characters.`,
        context: { alias },
      },
    );
  }
  return key;
}

/** `d-` and 6 base-36 characters drawn from `random` (returns [0, 1), like Math.random). */
export function createDeploymentId(random: () => number, prefix: 'd-' | 'r-' = 'd-'): string {
  let id = prefix;
  for (let i = 0; i < 6; i++) {
    const digit = Math.min(35, Math.max(0, Math.floor(random() * 36)));
    id += digit.toString(36);
  }
  return id;
}

/** A release's id: `r-` and 6 base-36 characters (the `rl=` of each of its records). */
export function createReleaseId(random: () => number): string {
  return createDeploymentId(random, 'r-');
}

/** A release id as lshift makes them; anything else is refused before it is looked for. */
export function isReleaseId(text: string): boolean {
  return /^r-[0-9a-z]{6}$/.test(text);
}

export function encodeRecord(r: DeploymentRecord): string {
  const head = encodeHead(r);
  const history = r.history.map((v) => escapeText(v, '.'));
  let command = '';
  const build = (owner: string, count: number) => layout(head, owner, command, history.slice(0, count));
  const kept = Math.min(1, history.length);
  const minimal = build('', kept);
  if (minimal.length > MAX_TAG_VALUE_LENGTH) throw tooLarge(r, minimal.length, history.slice(0, kept));
  const owner = sanitizeOwner(r.owner).slice(
    0,
    Math.min(MAX_OWNER_LENGTH, MAX_TAG_VALUE_LENGTH - minimal.length),
  );
  command = fitCommand(r, (c) => {
    command = c;
    return build(owner, kept).length <= MAX_TAG_VALUE_LENGTH;
  });
  let count = kept;
  while (count < history.length && build(owner, count + 1).length <= MAX_TAG_VALUE_LENGTH) count++;
  return build(owner, count);
}

function layout(head: string, owner: string, command: string, history: readonly string[]): string {
  return `${head} o=${owner}${command}` + (history.length > 0 ? ` h=${history.join('.')}` : '');
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
    ...(r.endReason === undefined ? [] : [`r=${escapeText(r.endReason)}`]),
    ...(r.releaseId === undefined ? [] : [`rl=${escapeText(r.releaseId)}`]),
    ...(r.stagger ? ['sg=1'] : []),
    ...(r.warm === undefined ? [] : [`w=${encodeInteger(r.warm, 'warm', 10)}`]),
    ...(r.engine === 'codedeploy' ? ['en=cd'] : []),
    ...(r.codeDeployId === undefined ? [] : [`cd=${escapeText(r.codeDeployId)}`]),
    ...(r.guards === undefined ? [] : [`gd=${encodeGuards(r.guards)}`]),
  ].join(' ');
}

/**
 * A strategy that works for one function can be refused in a release: its `rl=` (and `sg=1`)
 * take room. A user told only "fewer steps" would not know that the same strategy deploys each
 * function on its own, so when the release's fields are what push the record over, say so.
 */
function tooLarge(r: DeploymentRecord, needed: number, history: readonly string[]): UsageError {
  const over = `The deployment record for strategy \`${r.strategy}\` needs ${needed} characters; a Lambda tag value holds ${MAX_TAG_VALUE_LENGTH}`;
  const excess = needed - MAX_TAG_VALUE_LENGTH;
  // The guard fingerprint is never dropped for room (a resume must see it): say what it takes.
  const guards = r.guards
    ? `; the guard fingerprint \`gd=\` that --resume checks takes ${encodeGuards(r.guards).length + 4}`
    : '';
  const steps = `fewer or shorter steps (e.g. whole percentages, fewer steps${guards})`;
  const single = { ...r, releaseId: undefined, stagger: undefined };
  const alone = layout(encodeHead(single), '', '', history).length;
  if (alone === needed || alone > MAX_TAG_VALUE_LENGTH) {
    return new UsageError('RECORD_TOO_LARGE', over, {
      hint: `Use a strategy with ${steps}: the record is ${excess} characters too long.`,
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
      hint: `The same strategy works for each function deployed on its own (\`lshift deploy <function>\` writes no release fields): deploy them one at a time, or give the release a strategy with ${steps}: its record is ${excess} characters too long.`,
    },
  );
}

/** The longest form of ` c=…` that fits (texts dropped first); throws when not even the verb does. */
function fitCommand(r: DeploymentRecord, fits: (command: string) => boolean): string {
  if (!r.command) return '';
  const { head, texts } = commandParts(r.command);
  for (const kept of [texts, texts.slice(0, 1), ['']]) {
    const candidate = ` c=${[head, ...kept.map((t) => escapeText(t, '.'))].join('.')}`;
    if (fits(candidate)) return candidate;
  }
  throw new UsageError(
    'RECORD_TOO_LARGE',
    `The deployment record of strategy \`${r.strategy}\` has no room left for an operator command`,
    { hint: 'Use a strategy with fewer or shorter steps, or act on the deployment with `lshift rollback`.' },
  );
}

export interface DecodeRecordContext {
  functionName?: string;
  alias?: string;
}

/**
 * Whether the record keeps the command's reason when written: the codec drops the command's texts
 * rather than exceed a tag value, and a reason dropped silently would leave the operator believing
 * it was recorded. Escaping makes room uneven (a space or an accented letter takes 3 characters
 * or more, an emoji 12), so the only honest test is to encode.
 */
export function keepsCommandReason(r: DeploymentRecord): boolean {
  const reason = r.command?.reason;
  if (reason === undefined) return true;
  return decodeRecord(encodeRecord(r)).command?.reason === reason.slice(0, MAX_COMMAND_REASON_LENGTH);
}

export function decodeRecord(value: string, where: DecodeRecordContext = {}): DeploymentRecord {
  const [version, ...pairs] = value.trim().split(/ +/);
  if (version !== RECORD_FORMAT_VERSION) {
    const problem = /^v\d+$/.test(version ?? '')
      ? `uses record format ${version}, which this lshift does not read`
      : 'does not start with a record format version';
    throw corrupt(value, problem, where, /^v\d+$/.test(version ?? ''));
  }
  const fields = readPairs(value, pairs, where);
  const need = (key: string): string => {
    const field = fields.get(key);
    if (field === undefined) throw corrupt(value, `has no \`${key}=\``, where);
    return field;
  };
  const phase = need('ph') as DeploymentPhase;
  if (!PHASES.includes(phase)) throw corrupt(value, `has an unknown phase \`${phase}\``, where);
  const endedAt = fields.get('e');
  const endReason = fields.get('r');
  const releaseId = fields.get('rl');
  const history = fields.get('h');
  const command = fields.get('c');
  const warm = fields.get('w');
  const engine = fields.get('en');
  if (engine !== undefined && engine !== 'cd')
    throw corrupt(value, `names an unknown engine \`${engine}\``, where);
  const codeDeployId = fields.get('cd');
  const guards = decodeGuardField(fields.get('gd'), value, where);
  return {
    id: unescapeText(need('id'), value, where),
    stableVersion: unescapeText(need('s'), value, where),
    targetVersion: unescapeText(need('t'), value, where),
    strategy: unescapeStrategy(need('st'), value, where),
    stepIndex: decodeInteger(need('i'), 10, value, where),
    percent: decodePercent(need('p'), value, where),
    phase,
    startedAt: decodeInteger(need('a'), 36, value, where),
    owner: unescapeText(fields.get('o') ?? '', value, where),
    heartbeatAt: decodeInteger(need('hb'), 36, value, where),
    ...(endedAt === undefined ? {} : { endedAt: decodeInteger(endedAt, 36, value, where) }),
    ...(endReason === undefined ? {} : { endReason: unescapeText(endReason, value, where) }),
    history: history ? history.split('.').map((v) => unescapeText(v, value, where)) : [],
    ...(command === undefined ? {} : { command: decodeCommand(command, value, where) }),
    ...(releaseId === undefined ? {} : { releaseId: unescapeText(releaseId, value, where) }),
    ...(fields.get('sg') === '1' ? { stagger: true as const } : {}),
    ...(warm === undefined ? {} : { warm: decodeInteger(warm, 10, value, where) }),
    ...(engine === 'cd' ? { engine: 'codedeploy' as const } : {}),
    ...(codeDeployId === undefined ? {} : { codeDeployId: unescapeText(codeDeployId, value, where) }),
    ...(guards === undefined ? {} : { guards }),
  };
}

/** A `gd=` that is not a fingerprint is refused like any other unreadable part: never guessed at. */
function decodeGuardField(
  text: string | undefined,
  value: string,
  where: DecodeRecordContext,
): GuardFingerprint | undefined {
  if (text === undefined) return undefined;
  const guards = decodeGuards(text);
  if (!guards) throw corrupt(value, `has an unreadable guard fingerprint \`gd=${text}\``, where);
  return guards;
}

function decodeCommand(text: string, value: string, where: DecodeRecordContext): OperatorCommand {
  const command = commandFromParts(text.split('.').map((part) => unescapeText(part, value, where)));
  if (!command) throw corrupt(value, `has an unreadable operator command \`c=${text}\``, where);
  return command;
}

function readPairs(value: string, pairs: string[], where: DecodeRecordContext): Map<string, string> {
  const fields = new Map<string, string>();
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    const key = pair.slice(0, eq);
    if (eq < 1 || !/^[a-z]+$/.test(key)) throw corrupt(value, `has a malformed part \`${pair}\``, where);
    if (fields.has(key)) throw corrupt(value, `has \`${key}=\` twice`, where);
    fields.set(key, pair.slice(eq + 1));
  }
  return fields;
}

const UTF8 = new TextEncoder();

/** Characters that pass through unescaped: all allowed in a tag value, none of them space or `+`. */
const PLAIN = /^[A-Za-z0-9_.:/=@-]$/;

function escapeText(text: string, alsoEscape = ''): string {
  let out = '';
  for (const char of text) {
    if (PLAIN.test(char) && !alsoEscape.includes(char)) {
      out += char;
      continue;
    }
    for (const byte of UTF8.encode(char)) {
      out += `+${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    }
  }
  return out;
}

function unescapeText(text: string, value: string, where: DecodeRecordContext): string {
  if (!/^(?:[A-Za-z0-9_.:/=@-]|\+[0-9A-F]{2})*$/.test(text)) {
    throw corrupt(value, `has a badly escaped value \`${text}\``, where);
  }
  // Another runner or tool may have written the record: its texts are printed, so never raw.
  return printable(
    text.replace(/(?:\+[0-9A-F]{2})+/g, (run) => {
      const bytes = Uint8Array.from(run.slice(1).split('+'), (hex) => Number.parseInt(hex, 16));
      try {
        return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      } catch {
        throw corrupt(value, `has invalid escaped text \`${run}\``, where);
      }
    }),
  );
}

/**
 * Strategies are full of `%` and `,` (`steps:1%@2m,10%@5m,100%`); writing them as `=` and `/`
 * instead of 3-character escapes lets a 4-step-longer list fit in 256 characters. Literal `=` and
 * `/` are escaped first, so the swap is reversible: `st=steps:1=@2m/10=@5m/100=`.
 */
function escapeStrategy(strategy: string): string {
  return escapeText(strategy, '=/').replaceAll('+25', '=').replaceAll('+2C', '/');
}

function unescapeStrategy(text: string, value: string, where: DecodeRecordContext): string {
  return unescapeText(text.replaceAll('=', '+25').replaceAll('/', '+2C'), value, where);
}

/**
 * The owner as a record stores it (encodeRecord): characters a tag cannot hold replaced, cut to
 * MAX_OWNER_LENGTH. A claimer compares the owner it reads back with this, not with its own
 * longer or unsanitised name, which would never match.
 */
export function recordableOwner(owner: string): string {
  return sanitizeOwner(owner).slice(0, MAX_OWNER_LENGTH);
}

/** Keeps the owner readable without escapes: anything outside the plain set becomes `_`. */
function sanitizeOwner(owner: string): string {
  return Array.from(owner, (char) => (PLAIN.test(char) ? char : '_')).join('');
}

function encodeInteger(n: number, field: string, radix: 10 | 36): string {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new OperationError(
      'RECORD_INVALID',
      `Deployment record field ${field} is ${n}, not a whole number`,
      {
        hint: 'This is a bug in lshift; please report it.',
      },
    );
  }
  return n.toString(radix);
}

function decodeInteger(text: string, radix: 10 | 36, value: string, where: DecodeRecordContext): number {
  const digits = radix === 10 ? /^\d{1,15}$/ : /^[0-9a-z]{1,10}$/;
  if (!digits.test(text)) throw corrupt(value, `has an invalid number \`${text}\``, where);
  return Number.parseInt(text, radix);
}

function encodePercent(p: number): string {
  if (!Number.isFinite(p)) {
    throw new OperationError('RECORD_INVALID', `Deployment record percent is ${p}, not a number`, {
      hint: 'This is a bug in lshift; please report it.',
    });
  }
  return String(p);
}

function decodePercent(text: string, value: string, where: DecodeRecordContext): number {
  const p = Number(text);
  if (text === '' || !Number.isFinite(p))
    throw corrupt(value, `has an invalid percentage \`${text}\``, where);
  return p;
}

/**
 * The shell command that deletes the record tag. UntagResource wants the unqualified function
 * ARN (https://docs.aws.amazon.com/lambda/latest/api/API_UntagResource.html), so it looks it up.
 */
export function describeClearRecordCommand(
  functionName: string | undefined,
  alias: string | undefined,
): string {
  const fn = functionName ?? '<function>';
  const arn = `$(aws lambda get-function --function-name ${fn} --query Configuration.FunctionArn --output text)`;
  return `aws lambda untag-resource --resource ${arn} --tag-keys ${RECORD_TAG_PREFIX}${alias ?? '<alias>'}`;
}

function corrupt(value: string, problem: string, where: DecodeRecordContext, newer = false): OperationError {
  const tag =
    where.alias === undefined ? 'The deployment record tag' : `Tag \`${RECORD_TAG_PREFIX}${where.alias}\``;
  const on = where.functionName === undefined ? '' : ` on function ${where.functionName}`;
  const shown = value.length > 80 ? `${value.slice(0, 80)}…` : value;
  const clear = describeClearRecordCommand(where.functionName, where.alias);
  const hint = newer
    ? `A newer lshift wrote this record; upgrade lshift to read it. To discard it instead (only when no deployment is in progress), delete the tag: ${clear}`
    : `The tag was edited by hand or by another tool. If no deployment is in progress, delete it with \`${clear}\`, then check the alias with \`lshift status\`.`;
  return new OperationError('RECORD_CORRUPT', `${tag}${on} is unreadable: it ${problem}: \`${shown}\``, {
    hint,
    context: { functionName: where.functionName, alias: where.alias },
  });
}
