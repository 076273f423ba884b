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
import { assertProfileExists } from '../aws/profile-check.js';
import { assertRegionName } from '../domain/aws-names.js';
import { type CommandTarget, hasTargetFlags } from '../domain/command-target.js';
import { type AwsTargetFlags, checkAwsTarget } from './aws-target.js';
import { filterOutputText } from './output.js';
import { awsMessages, forgetOutsideTexts, outsideTexts } from './outside-text.js';
import { commandTargetOf, targetCommandsIn, targetCommandsInJson } from './targeted-result.js';

let current: CommandTarget = {};

export function noteRunTarget(target: CommandTarget): void {
  current = target;
  filterOutputText((text) => targetCommandsIn(text, target, outsideTexts(), awsMessages()));
}

/**
 * The target as the command line gives it, once its flags are parsed: what a refusal made before
 * the runtime is built offers acts there too (`lshift wait d-abcdef123 --region eu-west-1` offered
 * a bare `lshift wait d-ABCDEF123`, for the default region: session 66). Only flags that would
 * pass the runtime's checks (checkAwsTarget, a region's form, a profile that exists): a refusal
 * of a malformed one, or of a profile no file defines, does not repeat it.
 * Not beside `deploy --sandbox`, whose sandbox is not started yet (nothing can name it). The
 * runtime notes the whole target (the config file's too) once built.
 */
export function noteParsedTarget(flags: Record<string, unknown>): void {
  if (flags.sandbox === true) return;
  const pick = (key: string) => (typeof flags[key] === 'string' ? (flags[key] as string) : undefined);
  const given: AwsTargetFlags = {
    region: pick('region'),
    profile: pick('profile'),
    'endpoint-url': pick('endpoint-url'),
  };
  try {
    checkAwsTarget(given, false);
    // The runtime refuses these later (REGION_INVALID, PROFILE_NOT_FOUND): repeated into the
    // refusal's commands they offered `aws configure list-profiles --profile nosuch` (h3's pass).
    if (given.region !== undefined) assertRegionName(given.region, '--region');
    if (given.profile !== undefined) assertProfileExists(given.profile);
  } catch {
    return;
  }
  const target = commandTargetOf(given);
  if (hasTargetFlags(target)) noteRunTarget(target);
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
  return targetCommandsInJson(value, current, '', outsideTexts(), awsMessages()) as T;
}
