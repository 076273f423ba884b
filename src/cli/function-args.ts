/**
 * Function names on the command line and in a config file's `functions:`. Every command declares
 * its function argument with `functionArg`; BaseCommand checks what was given right after parsing
 * (checkParsedFunctionArgs), so a spelling Lambda would refuse, or one naming a version or alias,
 * is a usage error (exit 2) before any AWS call. Two spellings of one function in a release (its
 * name and its ARN) are refused here too: both would publish and move the same alias.
 */
import { Args, type Interfaces } from '@oclif/core';
import { echoInput } from '../domain/echo.js';
import { UsageError } from '../domain/errors.js';
import { type FunctionRef, functionKeyOf, parseFunctionRef } from '../domain/function-ref.js';

/** The declarations made by `functionArg`, with the hint a qualifier gets when the command has one of its own. */
const FUNCTION_ARGS = new WeakMap<object, { qualifierHint?: string }>();

/**
 * Whether a word a command that takes any number of arguments finds in argv is an unknown flag.
 * A lone `-` is not: oclif reads it as an argument, and Lambda's name pattern allows it, so every
 * command looks it up as a function (it used to be "Nonexistent flag: -" for some, a function for others).
 */
export function looksLikeFlag(word: string): boolean {
  return word.startsWith('-') && word !== '-';
}

/** How `--help` describes a function argument. */
export const FUNCTION_WORDS = 'function name, ARN or partial ARN, without :alias or :version';

export const FUNCTION_FORMS =
  'its name (orders), its ARN (arn:aws:lambda:us-east-1:123456789012:function:orders) or a partial ARN (123456789012:function:orders)';

interface FunctionArgOptions {
  description: string;
  required?: boolean;
  /** What to say instead of the flags when a qualifier is given (a command without --alias). */
  qualifierHint?: string;
}

export function functionArg(opts: FunctionArgOptions & { required: true }): Interfaces.Arg<string>;
export function functionArg(opts: FunctionArgOptions): Interfaces.Arg<string | undefined>;
export function functionArg(
  opts: FunctionArgOptions,
): Interfaces.Arg<string> | Interfaces.Arg<string | undefined> {
  // oclif would take a missing argument from a piped stdin: `lshift rollback $FN` with FN unset,
  // inside `while read …; done < list`, rolled back the next function of the list.
  const arg = opts.required
    ? Args.string({ description: opts.description, required: true, ignoreStdin: true })
    : Args.string({ description: opts.description, ignoreStdin: true });
  FUNCTION_ARGS.set(arg, opts.qualifierHint === undefined ? {} : { qualifierHint: opts.qualifierHint });
  return arg;
}

/**
 * The argument of a command with a `--release` form: one function, or the release's functions.
 * Only `--release` reads the config file's `functions:` when none is named; without it, one
 * function must be named (it read "none: the config file’s" as if that held for both forms).
 */
export const FUNCTION_OR_RELEASE_WORDS = `${FUNCTION_WORDS}: exactly one; with --release, the release’s functions (none: the config file’s \`functions:\`)`;

export function functionOrReleaseArg(): Interfaces.Arg<string | undefined> {
  return functionArg({ description: FUNCTION_OR_RELEASE_WORDS });
}

/** Whether an argument was declared with `functionArg` (test/cli/function-args.test.ts checks every command). */
export function isFunctionArg(arg: unknown): boolean {
  return typeof arg === 'object' && arg !== null && FUNCTION_ARGS.has(arg);
}

export interface CommandShape {
  args?: Record<string, unknown>;
  flags?: Record<string, unknown>;
  strict?: boolean;
}

/** Whether every word after the command's flags is read as a function name (`deploy fa fb …`). */
export function takesFunctionNamesAnywhere(command: CommandShape): boolean {
  const args = Object.values(command.args ?? {});
  return command.strict === false && args.length > 0 && isFunctionArg(args[args.length - 1]);
}

/**
 * Checks the function names a command was given. A command that takes any number of arguments
 * (`strict = false`) with its function argument last hands every remaining word over in argv.
 */
export function checkParsedFunctionArgs(
  command: CommandShape,
  parsed: { args: Record<string, unknown>; argv: unknown[] },
): void {
  const keys = Object.keys(command.args ?? {});
  const index = keys.findIndex((key) => isFunctionArg(command.args?.[key]));
  if (index < 0) return;
  const key = keys[index]!;
  const variadic = command.strict === false && index === keys.length - 1;
  const given = variadic ? parsed.argv.slice(index) : [parsed.args[key]];
  // Words that look like flags are refused as unknown flags by the command itself.
  const names = given.filter((v): v is string => typeof v === 'string' && !looksLikeFlag(v));
  const hint =
    FUNCTION_ARGS.get(command.args?.[key] as object)?.qualifierHint ?? flagsHint(command.flags ?? {});
  for (const name of names) checkFunctionName(name, { where: 'argument', qualifierHint: hint });
}

/** Where the qualifier goes instead, by the flags the command has. */
function flagsHint(flags: Record<string, unknown>): string {
  const ways = [
    'alias' in flags && 'the alias with -a/--alias',
    'version' in flags && 'a version with --version',
    'to' in flags && 'the version to go back to with --to',
  ].filter((w): w is string => typeof w === 'string');
  if (ways.length === 0) return '';
  const last = ways.pop();
  return `Give ${ways.length === 0 ? last : `${ways.join(', ')} and ${last}`}.`;
}

export interface FunctionNameSource {
  where: 'argument' | 'config';
  qualifierHint: string;
  /** Where the name was read, to start the message with (`Config file x.yaml: functions[2]`). */
  label?: string;
}

/** Reads one function name, ARN or partial ARN; a qualifier or another spelling is a usage error. */
export function checkFunctionName(text: string, source: FunctionNameSource): FunctionRef {
  const what =
    source.label ??
    (source.where === 'argument' ? 'Function argument' : 'The config file’s `functions:` entry');
  const ref = parseFunctionRef(text);
  if (ref === undefined) {
    throw new UsageError(
      'FUNCTION_INVALID',
      `${what} \`${echoInput(text)}\` is not a Lambda function name or ARN.`,
      {
        hint: `Name a function by ${FUNCTION_FORMS}; a name is 1–64 letters, digits, hyphens or underscores.`,
      },
    );
  }
  if (ref.qualifier !== undefined) {
    throw new UsageError(
      'FUNCTION_INVALID',
      `${what} \`${text}\` names ${describeQualifier(ref.qualifier)} of function ${ref.name}; lshift takes the function alone.`,
      {
        hint: `Write \`${ref.unqualified}\`.${source.qualifierHint === '' ? '' : ` ${source.qualifierHint}`}`,
        context: { functionName: ref.unqualified },
      },
    );
  }
  return ref;
}

function describeQualifier(qualifier: string): string {
  if (qualifier === '$LATEST') return 'version $LATEST';
  return /^\d+$/.test(qualifier) ? `version ${qualifier}` : `alias ${qualifier}`;
}

/**
 * Refuses a list that names one function twice, in any two spellings (`beta` and its ARN are one
 * function: both would publish a version and move the same alias). `spellings` are in order.
 */
export function refuseDuplicateFunctions(spellings: readonly string[]): void {
  const seen = new Map<string, string>();
  for (const spelling of spellings) {
    const key = functionKeyOf(spelling);
    const first = seen.get(key);
    if (first !== undefined) throw duplicateError(key, first, spelling);
    seen.set(key, spelling);
  }
}

/**
 * The list with each function once, in the spelling it was first given (`lshift check beta
 * arn:…:beta` checks, and might roll back, one alias once, not twice).
 */
export function uniqueFunctions(spellings: readonly string[]): string[] {
  const seen = new Set<string>();
  return spellings.filter((s) => {
    const key = functionKeyOf(s);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function duplicateError(name: string, first: string, second: string): UsageError {
  const how = first === second ? '' : `: as \`${first}\` and as \`${second}\``;
  return new UsageError('FUNCTION_NAMED_TWICE', `Function ${name} is named twice in this release${how}.`, {
    hint:
      first === second
        ? 'Name each function once.'
        : 'A function’s name, ARN and partial ARN are one function: name each function once, in one spelling.',
    context: { functionName: name },
  });
}
