/**
 * Every lshift command extends this. It owns the JSON envelope and error handling so a
 * failure is one clear message and a documented exit code, never a stack trace
 * (oclif 4 would otherwise print its config as JSON and exit 1 even for usage errors).
 * Everything a command prints (say, note, oclif's log, logToStderr, warn and logJson) goes
 * through the guarded streams of output.ts, whose every write is made printable there.
 */
import { format } from 'node:util';
import { Command, Flags, type Interfaces } from '@oclif/core';
import { assertAliasName } from '../domain/aws-names.js';
import { echoInput } from '../domain/echo.js';
import { type ExitCode, UsageError } from '../domain/errors.js';
import { printableJson, printableLines } from '../domain/printable.js';
import { reportFailureInCi } from './ci-failure-report.js';
import { asksForJson, isDebugRun } from './debug.js';
import {
  describeError,
  type ErrorReport,
  echoArguments,
  formatErrorText,
  USAGE_HINT,
} from './format-error.js';
import { checkParsedFunctionArgs, takesFunctionNamesAnywhere } from './function-args.js';
import { stderr, stdout } from './output.js';
import { forgetRunTarget, noteParsedTarget, targetJson } from './run-target.js';
import { SCHEMA_VERSION } from './schema-version.js';
import { closestName } from './suggest.js';
import { wrapProse } from './terminal-wrap.js';

const ALIAS_ARG_HINT = 'Name the alias to move, e.g. `lshift alias my-fn live 7`.';

/** Commands that call no AWS: their flags name no target for the commands they offer (run-target.ts). */
const CALLS_NO_AWS = new Set(['iam-policy', 'plan', 'sandbox']);

export abstract class BaseCommand extends Command {
  static override enableJsonFlag = true;

  static override baseFlags = {
    debug: Flags.boolean({
      description: 'print the stack trace of an error or a Node.js warning (same as LSHIFT_DEBUG=1)',
      helpGroup: 'GLOBAL',
    }),
  };

  /** Function and alias names are checked here, once for every command, before any AWS call. */
  protected override async parse<
    F extends Record<string, unknown>,
    B extends Record<string, unknown>,
    A extends Record<string, unknown>,
  >(options?: Interfaces.Input<F, B, A>, argv?: string[]): Promise<Interfaces.ParserOutput<F, B, A>> {
    // --json is oclif's own (enableJsonFlag), in neither map: a boolean like the others.
    const json = this.ctor.enableJsonFlag ? { json: { type: 'boolean' } } : {};
    const flags = { ...json, ...this.ctor.baseFlags, ...(options ?? this.ctor).flags };
    refuseBooleanValues(flags, argv ?? this.argv);
    if (takesFunctionNamesAnywhere(options ?? this.ctor)) refuseValueAfterBoolean(flags, argv ?? this.argv);
    const parsed = await super.parse(options, argv);
    checkParsedFunctionArgs(options ?? this.ctor, parsed);
    const alias = (parsed.flags as { alias?: unknown }).alias;
    if (typeof alias === 'string') assertAliasName(alias, '--alias');
    // `lshift alias <function> <alias> <version>`: checked as Lambda would, before any call.
    const aliasArg = (parsed.args as { alias?: unknown }).alias;
    if (typeof aliasArg === 'string') assertAliasName(aliasArg, 'the ALIAS argument', ALIAS_ARG_HINT);
    // A command that calls no AWS (iam-policy's --region is its ARNs') offers no target.
    if (!CALLS_NO_AWS.has(this.id ?? '')) noteParsedTarget(parsed.flags);
    return parsed;
  }

  /** Each command starts with no target of its own yet: a test runs several in one process (run-target.ts). */
  public override async init(): Promise<void> {
    forgetRunTarget();
    await super.init();
  }

  /** `--json=true` too (refused: --json takes no value), so that refusal is JSON on stdout (debug.ts). */
  public override jsonEnabled(): boolean {
    return super.jsonEnabled() || (this.ctor.enableJsonFlag === true && asksForJson(this.argv));
  }

  protected override async catch(error: Error & { exitCode?: number }): Promise<void> {
    const described = echoArguments(describeError(error), this.argv);
    const suggested = suggestFlag(described, this.ownFlagNames());
    const report = this.nameHelp(suggested === described ? this.nameOwners(described) : suggested);
    process.exitCode = report.exitCode;
    if (this.jsonEnabled()) {
      this.logJson({ schemaVersion: SCHEMA_VERSION, ...report });
    } else {
      stderr.write(`${formatErrorText(report)}\n`);
    }
    if (report.exitCode !== 0)
      reportFailureInCi(report, this.id, { json: this.jsonEnabled(), argv: this.argv });
    // Flags may not have parsed (that can be the error), so --debug is read from argv.
    if (isDebugRun(this.argv) && error instanceof Error && error.stack) {
      stderr.write(`${error.stack}\n`);
      // crashAfterTraffic (second-signal.ts) wraps the engine's error: its stack is the one to read.
      if (error.cause instanceof Error && error.cause.stack)
        stderr.write(`Caused by: ${error.cause.stack}\n`);
    }
  }

  /**
   * Every flag this command takes: its own, the global ones (--debug) and oclif's --json, which
   * are in neither `flags` map (found by a hostile pass: `status -- --json` said --json was a flag
   * of other commands, not of status).
   */
  private ownFlagNames(): string[] {
    const global = visibleFlagNames({ ...this.ctor.baseFlags, ...this.ctor.flags });
    return this.ctor.enableJsonFlag ? ['json', ...global] : global;
  }

  /**
   * `deploy --sandbox --demo` (the quick start with `lshift sandbox`'s flag): "Nonexistent flag:
   * --demo" alone read as a missing feature. Say which commands have it, when no flag is close.
   */
  private nameOwners(report: ErrorReport): ErrorReport {
    const [first, ...rest] = report.message.split('\n');
    const listed = /^Nonexistent flags?: (.+)$/.exec(first ?? '')?.[1];
    if (!listed) return report;
    const typed = [...listed.matchAll(/--([^\s,=]+)/g)].map((m) => m[1] as string);
    const owned = typed.map((flag) => ({ flag, owners: this.commandsWithFlag(flag) }));
    if (owned.every((o) => o.owners.length === 0)) return report;
    const here = `\`lshift ${this.id?.replaceAll(':', ' ')}\``;
    // With several unknown flags, "(a flag of X)" after the list read as true of all of them
    // (`history --sandbox --limit 3` named `lshift deploy` for --limit too): each flag is said alone.
    const said =
      owned.length === 1
        ? `${first} (a flag of ${owned[0]?.owners.join(', ')}, not of ${here}).`
        : `${first} (${owned.map(({ flag, owners }) => `--${flag} is a flag of ${owners.join(', ') || 'no lshift command'}`).join('; ')}).`;
    return { ...report, message: [said, ...rest].join('\n') };
  }

  private commandsWithFlag(flag: string): string[] {
    // In oclif's order: by plugin (lshift's first), then by id under the user's locale. Said here,
    // not left to `config.commands`, whose order the bundle's config snapshot does not keep
    // (src/cli/config-snapshot.ts); only an unknown flag pays for ICU's collator.
    const plugins = [...this.config.plugins.keys()];
    const rank = (c: Command.Loadable) => plugins.indexOf(c.pluginName ?? '');
    return this.config.commands
      .filter((c) => !c.hidden && c.id !== this.id && visibleFlagNames(c.flags).includes(flag))
      .sort((a, b) => rank(a) - rank(b) || a.id.localeCompare(b.id))
      .map((c) => `\`lshift ${c.id.replaceAll(':', ' ')}\``);
  }

  /** oclif's parse errors say "--help"; this command's own help line is the one to run. */
  private nameHelp(report: ErrorReport): ErrorReport {
    if (report.hint !== USAGE_HINT || !this.id) return report;
    return {
      ...report,
      hint: `See \`lshift ${this.id.replaceAll(':', ' ')} --help\` for its arguments and flags.`,
    };
  }

  /**
   * oclif's logJson writes to process.stdout itself (and may color it): here it is one JSON text
   * through the guarded stdout, with what JSON.stringify leaves raw (U+2028, bidi controls) escaped.
   */
  protected override logJson(json: unknown): void {
    // Its commands act where the run acted (run-target.ts); the text streams do that themselves.
    stdout.write(`${printableJson(JSON.stringify(targetJson(json), null, 2))}\n`);
  }

  override log(message = '', ...args: unknown[]): void {
    if (!this.jsonEnabled()) stdout.write(`${format(message, ...args)}\n`);
  }

  override logToStderr(message = '', ...args: unknown[]): void {
    if (!this.jsonEnabled()) stderr.write(`${format(message, ...args)}\n`);
  }

  /** oclif's warn writes to process.stderr itself; lshift's warnings are notes like any other. */
  override warn(input: Error | string): Error | string {
    if (!this.jsonEnabled()) this.note(`Warning: ${typeof input === 'string' ? input : input.message}`);
    return input;
  }

  protected override toErrorJson(error: unknown): unknown {
    return { schemaVersion: SCHEMA_VERSION, ...describeError(error) };
  }

  /** Every --json result carries the contract's version (schemas/result.schema.json). */
  protected override toSuccessJson(result: unknown): unknown {
    if (typeof result !== 'object' || result === null || Array.isArray(result)) return result;
    return { schemaVersion: SCHEMA_VERSION, ...result };
  }

  /** Commands return their result object; the exit code travels separately. */
  protected setExitCode(code: ExitCode): void {
    process.exitCode = code;
  }

  /** A warning or deprecation note: stderr, so stdout keeps its JSON object or NDJSON events. */
  protected note(text: string): void {
    stderr.write(`${printableLines(text)}\n`);
  }

  /** Human output on stdout, suppressed under --json (stdout then holds one JSON object). */
  protected say(text: string): void {
    // What commands say quotes AWS and config text (alarm reasons, names): never a workflow command.
    if (!this.jsonEnabled()) stdout.write(`${printableLines(text)}\n`);
  }

  /**
   * A result's prose (headline, reason, warnings, fix) as say() writes it, wrapped at word
   * boundaries when stdout is a terminal (terminal-wrap.ts); tables go through say().
   */
  protected sayProse(text: string): void {
    const columns = process.stdout.isTTY ? process.stdout.columns : undefined;
    this.say(wrapProse(printableLines(text), columns));
  }
}

/** A hidden flag (the deprecated --output) is never suggested: `--outpt` led to a deprecation warning. */
function visibleFlagNames(flags: Record<string, { hidden?: boolean }> | undefined): string[] {
  return Object.entries(flags ?? {})
    .filter(([, flag]) => !flag.hidden)
    .map(([name]) => name);
}

/** oclif says "Nonexistent flag: --sandbx"; add "Did you mean --sandbox?" when one is close. */
function suggestFlag(report: ErrorReport, flagNames: string[]): ErrorReport {
  const typed = /^Nonexistent flags?: --([^\s,=]+)/.exec(report.message)?.[1];
  const match = typed ? closestName(typed, flagNames) : undefined;
  if (!match) return report;
  const [first, ...rest] = report.message.split('\n');
  // Every flag is ASCII: a lookalike (Cyrillic а, a Unicode dash) reads as the flag meant.
  const foreign = [...(typed ?? '')].findIndex((c) => c > '\u007f');
  if (foreign >= 0) {
    const code = [...typed!][foreign]!.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
    const said = `${first}: it holds U+${code} at character ${foreign + 1}, which is not ASCII (a lookalike pasted from a document?). Did you mean --${match}?`;
    return { ...report, message: [said, ...rest].join('\n') };
  }
  // The command has that very flag: it was typed after `--` (`deploy -- - --dry-run`), where
  // every word is an argument; "did you mean --dry-run?" would suggest what was typed.
  const said =
    match === typed
      ? `${first}: it comes after \`--\`, which ends the flags (every word after it is an argument). Put --${typed} before \`--\`.`
      : `${first}. Did you mean --${match}?`;
  return { ...report, message: [said, ...rest].join('\n') };
}

/**
 * `deploy demo --warm 5`, `--stagger false`: where every word is a function name, the value given
 * a boolean flag became a second function — "--warm acts on one function; a release of several
 * does not take it yet", or a release with a function named `false` (found by a hostile pass). A
 * word right after a boolean flag that reads as a value (a number, a duration, a percent, true/
 * false, yes/no, on/off) is refused, saying how to name such a function if it is one.
 */
function refuseValueAfterBoolean(flags: Record<string, unknown>, argv: readonly string[]): void {
  for (const [i, token] of argv.entries()) {
    if (token === '--') return;
    const name = /^--(?:no-)?([^=]+)$/s.exec(token)?.[1];
    const flag =
      name === undefined ? undefined : (flags[name] as { type?: string; allowNo?: boolean } | undefined);
    const next = argv[i + 1];
    if (flag?.type !== 'boolean' || next === undefined || !VALUE_LIKE.test(next)) continue;
    const off = flag.allowNo && !token.startsWith('--no-') ? ` (--no-${name} turns it off)` : '';
    throw new UsageError(
      'INVALID_FLAG',
      `--${name} takes no value, and ${echoInput(next)} after it would be read as a function name.`,
      {
        hint: `Give ${token} alone${off}. If ${echoInput(next)} is the name of a function, put it before ${token}.`,
      },
    );
  }
}

/** true/false, yes/no, on/off, a number, a percent, or a duration (`5`, `10%`, `90s`, `1m30s`, `5min`). */
const VALUE_LIKE =
  /^(?:true|false|yes|no|on|off|[-+]?\d+(?:\.\d+)?%?|(?:\d+(?:\.\d+)?\s*(?:ms|s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?))+)$/i;

/**
 * `--stagger=false`: oclif gives a boolean flag no value, and read the `false` as a function
 * argument — a release of a function named `false`, staggered (found by a hostile pass). A value
 * on a boolean flag is refused instead, naming how to say it.
 */
function refuseBooleanValues(flags: Record<string, unknown> | undefined, argv: readonly string[]): void {
  for (const token of argv) {
    if (token === '--') return;
    const match = /^--([^=]+)=/s.exec(token);
    if (!match) continue;
    const name = match[1]!;
    const flag = flags?.[name] as { type?: string; allowNo?: boolean } | undefined;
    if (flag?.type !== 'boolean') continue;
    const off = flag.allowNo ? `, --no-${name} to turn it off` : ', or leave it out';
    throw new UsageError('INVALID_FLAG', `--${name} takes no value (got ${echoInput(token)}).`, {
      hint: `Give --${name} alone to turn it on${off}.`,
    });
  }
}
