/**
 * `lshift plan` takes one argument, the strategy; the functions of a release come by
 * `--function`, repeated. oclif's own words for a second argument ("Unexpected argument: b"), or
 * a function name read as the strategy (`plan --function a b`), say neither, so these do.
 */
import { echoInput } from '../domain/echo.js';
import { isLshiftError, UsageError } from '../domain/errors.js';
import { parseStrategy } from '../domain/strategy.js';

/** A word of the command line that is no flag nor a flag's value. */
export interface PlanWord {
  text: string;
  /** The value of the `--function` flag just before it, if it came right after one. */
  afterFunction?: string;
}

/** What the parser needs of a flag: does it take a value, and its one-letter form. */
export type FlagShapes = Record<string, { type: string; char?: string }>;

export interface PlanArgv {
  words: PlanWord[];
  /** The `--function` values, in order. */
  functions: string[];
}

/** oclif's own switches, in no command's flag table. */
const BUILT_IN_SWITCHES = new Set(['json', 'help', 'h']);

/** The arguments of argv, each with the `--function` value right before it (if any). */
export function readPlanArgv(argv: readonly string[], flags: FlagShapes): PlanArgv {
  const byChar = new Map(Object.entries(flags).flatMap(([name, f]) => (f.char ? [[f.char, name]] : [])));
  const words: PlanWord[] = [];
  const functions: string[] = [];
  let lastFunction: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (token === '--') {
      words.push(...argv.slice(i + 1).map((text) => ({ text })));
      break;
    }
    const name = flagName(token, byChar);
    if (name === undefined) {
      words.push(lastFunction === undefined ? { text: token } : { text: token, afterFunction: lastFunction });
      lastFunction = undefined;
      continue;
    }
    lastFunction = undefined;
    // Whether an unknown flag takes a value is unknown: oclif's "Nonexistent flag" is the message.
    if (!(name in flags) && !BUILT_IN_SWITCHES.has(name)) return { words: [], functions };
    const inline = token.includes('=') ? token.slice(token.indexOf('=') + 1) : undefined;
    if (inline === undefined && flags[name]?.type === 'option') i++;
    const value = inline ?? (flags[name]?.type === 'option' ? argv[i] : undefined);
    if (name === 'function' && value !== undefined) {
      lastFunction = value;
      functions.push(value);
    }
  }
  return { words, functions };
}

function flagName(token: string, byChar: Map<string, string>): string | undefined {
  if (token.startsWith('--')) return token.slice(2).split('=')[0];
  if (/^-[a-zA-Z]$/.test(token)) return byChar.get(token.slice(1)) ?? token.slice(1);
  return undefined;
}

/** Refuses what oclif would refuse or misread, with what `plan` takes and how to name functions. */
export function checkPlanArgv({ words, functions }: PlanArgv): void {
  const strays = words.filter((w) => w.afterFunction !== undefined);
  if (words.length > 1) {
    const strategy = words.find((w) => isStrategy(w.text))?.text;
    const others = words.filter((w) => w.text !== strategy).map((w) => w.text);
    throw new UsageError(
      'USAGE',
      `\`lshift plan\` takes one argument, the strategy; it got ${words.length}: ${words.map((w) => echoInput(w.text)).join(', ')}.`,
      { hint: releaseHint(strategy, [...functions, ...others]) },
    );
  }
  const [only] = strays;
  if (!only || isStrategy(only.text)) return;
  try {
    parseStrategy(only.text);
  } catch (error) {
    if (!isLshiftError(error)) throw error;
    throw new UsageError(
      error.code,
      `${error.message}. \`${echoInput(only.text)}\` came right after \`--function ${echoInput(only.afterFunction ?? '')}\`: --function takes one function`,
      { hint: `${releaseHint(undefined, [...functions, only.text])}\n${error.hint ?? ''}`.trimEnd() },
    );
  }
}

function releaseHint(strategy: string | undefined, functions: readonly string[]): string {
  const flags = functions.map((f) => `--function ${echoInput(f)}`).join(' ');
  return `For a release of several functions, repeat --function: \`lshift plan ${strategy === undefined ? '<strategy>' : echoInput(strategy)} ${flags}\`.`;
}

function isStrategy(text: string): boolean {
  try {
    parseStrategy(text);
    return true;
  } catch {
    return false;
  }
}
