/**
 * The account, region and endpoint this process's command acts on (`--profile`, `--region`,
 * `--endpoint-url`, or the config file's), noted once its runtime is built (runtime.ts), so that
 * everything it prints offers commands that act there too: every text written to stdout and
 * stderr passes targetCommandsIn (output.ts: filterOutputText), every JSON object
 * targetCommandsInJson before it is stringified. One command runs per process; BaseCommand
 * forgets the target at each command's start (a test runs several in one process).
 *
 * Why one pass over the words, not structured commands from the engine: the engine words a few
 * hundred hints and refusals (preflight, STALLED's ways out, resume, release verbs) with their
 * commands in backticks; making each a structure rendered in src/cli/ would touch every one of
 * them and every test of their words. The pass (targeted-result.ts) finds them all by that one
 * convention, those added later included. What lshift quotes from outside (a hook's output, an
 * alarm's reason) is noted as it comes (outside-text.ts) and left as its author wrote it.
 */
import { type CommandTarget, hasTargetFlags } from '../domain/command-target.js';
import { filterOutputText } from './output.js';
import { forgetOutsideTexts, outsideTexts } from './outside-text.js';
import { targetCommandsIn, targetCommandsInJson } from './targeted-result.js';

let current: CommandTarget = {};

export function noteRunTarget(target: CommandTarget): void {
  current = target;
  filterOutputText((text) => targetCommandsIn(text, target, outsideTexts()));
}

export function runTarget(): CommandTarget {
  return current;
}

export function forgetRunTarget(): void {
  current = {};
  forgetOutsideTexts();
  filterOutputText(undefined);
}

/** A JSON output (a result, an error report, an NDJSON event) with the run's target in its commands. */
export function targetJson<T>(value: T): T {
  // No target (a command that calls no AWS: plan, iam-policy, sandbox): the object as it is.
  if (!hasTargetFlags(current)) return value;
  return targetCommandsInJson(value, current, '', outsideTexts()) as T;
}
