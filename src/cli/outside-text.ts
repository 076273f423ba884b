/**
 * Text lshift quotes but did not write: a hook's output lines, the last one a hook failure's
 * reason quotes (`… (output: <line>)`), an alarm's state reason. The run-target pass
 * (targeted-result.ts) leaves the commands in it as they are: a hook printing `Fix: aws lambda
 * delete-function …` or `` see `lshift rollback other --region eu-west-1` `` had the run's
 * `--profile`/`--region`/`--endpoint-url` appended to its own words, so lshift printed, under the
 * hook's name, a command the hook never wrote, aimed at the run's account (found by h1's pass,
 * session 65). The pass works on whole written texts, where the quote is no longer told apart: so
 * the quoted texts are noted here as the events bring them (isolateSinks, before any renderer
 * writes them), and the pass skips a command found inside one.
 */
import type { EngineEvent } from '../domain/events.js';
import type { OutcomeCause, RollbackHooksNote } from '../domain/outcome.js';

/**
 * Only a text that names a command can be rewritten, so only such texts are kept; at most this
 * many (the oldest forgotten first): a hook printing a command on each of millions of lines costs
 * a bounded scan per write. A line forgotten was written long before.
 */
const MAX_NOTED = 200;
/** What the pass could rewrite: a command (`lshift …`, `aws …`) in it. */
const NAMES_A_COMMAND = /(?:lshift|aws) /;

let noted: string[] = [];
/** AWS's messages (noteAwsMessage): quoted by lshift's errors in many frames, so kept anywhere. */
let fromAws: string[] = [];

export function outsideTexts(): readonly string[] {
  return noted;
}

export function awsMessages(): readonly string[] {
  return fromAws;
}

export function forgetOutsideTexts(): void {
  noted = [];
  fromAws = [];
}

/**
 * A message AWS answered a failed call with (src/aws/bounded-caller.ts), as lshift's errors quote
 * it: `(AWS: …)`, `failed: <Exception>: …`, `(CodeDeploy: …)`, its trailing dots dropped. A
 * command or an ARN in it is AWS's words: `… run aws sso login …`, `` `aws lambda …` `` got the
 * run's flags (session 66). Unlike a hook's line, found anywhere in a text: lshift's own words do
 * not repeat an AWS message whole.
 */
export function noteAwsMessage(message: string): void {
  if (!NAMES_A_COMMAND.test(message)) return;
  for (const form of new Set([message, message.replace(/\.+$/, '')])) {
    if (form === '' || fromAws.includes(form)) continue;
    fromAws.push(form);
    if (fromAws.length > MAX_NOTED) fromAws = fromAws.slice(-MAX_NOTED);
  }
}

export function noteOutsideText(text: string | undefined): void {
  if (text === undefined || !NAMES_A_COMMAND.test(text)) return;
  // The reason quotes a line trimmed and cut at 200 characters (engine/hook-phase.ts).
  for (const form of new Set([text, text.trim(), text.trim().slice(0, 200)])) {
    if (form === '' || noted.includes(form)) continue;
    noted.push(form);
    if (noted.length > MAX_NOTED) noted = noted.slice(-MAX_NOTED);
  }
}

/** The texts from outside that `event` brings, noted before any renderer writes them. */
export function noteOutsideTextOf(event: EngineEvent): void {
  if (event.type === 'hook.output') noteOutsideText(event.line);
  else if (event.type === 'hook.completed') noteOutsideText(quotedOutputOf(event.reason));
  else if (event.type === 'health.polled') for (const alarm of event.alarms) noteOutsideText(alarm.reason);
  else if (event.type === 'deploy.finished') noteHookOutputs(event.result.cause, event.result.rollbackHooks);
}

function noteHookOutputs(
  cause: OutcomeCause | undefined,
  rollbackHooks: RollbackHooksNote | undefined,
): void {
  if (cause?.code === 'HOOK_FAILED') for (const line of cause.data.output ?? []) noteOutsideText(line);
  if (rollbackHooks?.kind === 'failed') for (const line of rollbackHooks.output ?? []) noteOutsideText(line);
}

/** The hook's line a failure's reason ends with: `the command exited with code 1 (output: <line>)`. */
function quotedOutputOf(reason: string | undefined): string | undefined {
  const at = reason?.lastIndexOf(' (output: ') ?? -1;
  if (reason === undefined || at < 0 || !reason.endsWith(')')) return undefined;
  return reason.slice(at + ' (output: '.length, -1);
}
