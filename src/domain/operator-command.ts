/**
 * Operator commands (issue 15): `lshift promote | pause | resume | abort` travel to a running
 * deployment through its record, as the optional key `c=` of the record tag. The command is
 * written `sent` by the operator and re-written `done` (or `refused`) by the deployment when it
 * obeys, so the operator can tell that it was obeyed and what happened; the last one stays in
 * the record (history, status).
 *
 *   c=<verb>.<nonce>.<state>.<by>[.<reason>]     e.g. c=abort.k3j9.sent.ann@laptop:41.bad+20p99
 *
 * `by` and `reason` escape `.` like every other character outside the plain set (the record
 * codec does it), so the parts split on `.`.
 */

export const OPERATOR_VERBS = ['promote', 'promote-full', 'pause', 'resume', 'abort'] as const;
export type OperatorVerb = (typeof OPERATOR_VERBS)[number];

export type CommandState = 'sent' | 'done' | 'refused';
const STATES: readonly CommandState[] = ['sent', 'done', 'refused'];

export interface OperatorCommand {
  verb: OperatorVerb;
  /** Tells this command from an earlier one with the same verb (4 base-36 characters). */
  nonce: string;
  state: CommandState;
  /**
   * Who sent it (`user@host:pid` or the CI job), truncated. Absent when the record had no room
   * for it (record-encode.ts fitCommand): `--json` then has no `by` rather than `"by": ""`.
   */
  by?: string;
  /** The operator's reason (abort), truncated. */
  reason?: string;
}

/** Room kept small: a record tag value holds 256 characters. */
export const MAX_COMMAND_BY_LENGTH = 40;
export const MAX_COMMAND_REASON_LENGTH = 60;

/**
 * How many characters a text has as a reader counts them: Unicode code points, so an emoji is one
 * (JavaScript's `length` counts UTF-16 units: two for an emoji). The limits on `--reason` count these.
 */
export function countCharacters(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

/** The operator's reason as the record keeps it: at most MAX_COMMAND_REASON_LENGTH characters, never half an emoji. */
export function cutReason(reason: string): string {
  return Array.from(reason).slice(0, MAX_COMMAND_REASON_LENGTH).join('');
}

export function createCommandNonce(random: () => number): string {
  let nonce = '';
  for (let i = 0; i < 4; i++) nonce += Math.min(35, Math.max(0, Math.floor(random() * 36))).toString(36);
  return nonce;
}

export function isOperatorVerb(text: string): text is OperatorVerb {
  return (OPERATOR_VERBS as readonly string[]).includes(text);
}

/** The parts of a `c=` value before escaping: verb, nonce, state, then the texts to escape. */
export function commandParts(c: OperatorCommand): { head: string; texts: string[] } {
  const texts = [(c.by ?? '').slice(0, MAX_COMMAND_BY_LENGTH)];
  if (c.reason !== undefined) texts.push(cutReason(c.reason));
  return { head: `${c.verb}.${c.nonce}.${c.state}`, texts };
}

/**
 * Who sent a command, in words. A full record keeps a command's verb but drops who sent it
 * (record-encode.ts fitCommand, the `by` giving way to the abort), and "aborted by " with nothing
 * after it read as a cut line (found by a docs pass): never print a dangling "by".
 */
export function describeSender(by: string | undefined): string {
  return by ? by : 'an operator (not named: the deployment record had no room for it)';
}

/** Reads the unescaped parts back; undefined when they do not make a command. */
export function commandFromParts(parts: string[]): OperatorCommand | undefined {
  const [verb, nonce, state, by, reason, ...rest] = parts;
  if (verb === undefined || !isOperatorVerb(verb) || rest.length > 0) return undefined;
  if (nonce === undefined || !/^[0-9a-z]{1,8}$/.test(nonce)) return undefined;
  if (state === undefined || !STATES.includes(state as CommandState) || by === undefined) return undefined;
  return {
    verb,
    nonce,
    state: state as CommandState,
    ...(by === '' ? {} : { by }),
    ...(reason === undefined ? {} : { reason }),
  };
}

/** The same command, obeyed (`done`) or not (`refused`) by the running deployment. */
export function answered(c: OperatorCommand, state: 'done' | 'refused'): OperatorCommand {
  return { ...c, state };
}

/**
 * The record's last command is a pause its deployment obeyed (and nothing since let it go on):
 * the deployment is paused, whoever runs it next (`deploy --resume` after its runner died).
 */
export function isObeyedPause(c: OperatorCommand | undefined): c is OperatorCommand {
  return c?.verb === 'pause' && c.state === 'done';
}

/** How people name the verb: `promote --full`, `abort`. */
export function describeVerb(verb: OperatorVerb): string {
  return verb === 'promote-full' ? 'promote --full' : verb;
}

/**
 * The command a running deployment's write of its record must carry, given the command it holds
 * (`own`: none, or the last one it answered) and the one in the record it just read and found
 * its own (`stored`). A command still `sent` that it has not answered is carried over: the write
 * must not drop it before a health poll reads it (during a hook or the wait for READY the
 * heartbeats write the record from memory). Anything else — its own answer, a command withdrawn
 * by its sender — is written as the deployment holds it, so a withdrawn command is not revived.
 */
export function commandToWrite(
  own: OperatorCommand | undefined,
  stored: OperatorCommand | undefined,
): OperatorCommand | undefined {
  if (stored?.state !== 'sent') return own;
  const answeredAlready = own?.nonce === stored.nonce && own.state !== 'sent';
  return answeredAlready ? own : stored;
}
