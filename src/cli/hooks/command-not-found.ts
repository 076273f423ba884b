/**
 * `lshift deplyo`: did-you-mean for commands. At an interactive terminal this is
 * @oclif/plugin-not-found's own prompt ("Did you mean deploy?", 10 s, Enter runs it). Anywhere else
 * (CI, a pipe, stdin not a TTY) the plugin would only say "not a command", so lshift prints the
 * suggestion itself and never prompts. Either way an unknown command is a usage error: exit 2.
 */
import type { Hook } from '@oclif/core';
import pluginNotFound from '@oclif/plugin-not-found';
import { echoInput } from '../../domain/echo.js';
import { ExitCode } from '../../domain/errors.js';
import { printable, printableJson } from '../../domain/printable.js';
import { asksForJson } from '../debug.js';
import { formatErrorText } from '../format-error.js';
import { stderr, stdout } from '../output.js';
import { SCHEMA_VERSION } from '../schema-version.js';
import { closestName } from '../suggest.js';

const hook: Hook<'command_not_found'> = async function (opts) {
  const argv = process.argv.slice(2);
  const typed = typedCommand(opts.id, argv);
  const unexpected = opts.config.findCommand(typed) ? unexpectedWords(argv) : [];
  if (unexpected.length > 0) return reportUnexpected.call(this, opts, typed, unexpected);
  // `lshift ''` (an unset shell variable): the name would be invisible in "… is not an lshift command".
  if (typed.trim() === '') {
    const what = typed === '' ? 'empty' : 'blank';
    return usageError.call(
      this,
      opts,
      `The command name is ${what} (an unset shell variable?): it names no ${opts.config.bin} command.`,
      `Run ${opts.config.bin} help for a list of commands.`,
    );
  }
  // `lshift codedeploy bogus`: codedeploy is a topic; the word after it is what is unknown.
  const subcommands = subcommandsOf(opts, typed);
  if (subcommands.length > 0) return reportUnknownSubcommand.call(this, opts, typed, argv[1], subcommands);
  const visible = opts.config.commands.filter((c) => !c.hidden).map((c) => c.id);
  const suggestion = closestName(typed, visible);
  if (process.stdin.isTTY && process.stderr.isTTY && !process.env.CI && !asksForJson(opts.argv ?? [])) {
    try {
      // The plugin repeats the name in its warning as it is: an ESC in it would drive the terminal.
      return await pluginNotFound.call(this, { ...opts, id: printable(opts.id) });
    } catch (error) {
      // Declined or timed out: the plugin exits 127; lshift documents usage errors as exit 2.
      if ((error as { oclif?: { exit?: number } }).oclif?.exit !== 127) throw error;
      stderr.write(`Run ${opts.config.bin} help for a list of commands.\n  Exit code ${ExitCode.Usage}.\n`);
      return this.exit(ExitCode.Usage);
    }
  }
  const owners = typed.startsWith('--') ? commandsWithFlag(opts, typed.slice(2).split('=')[0]!) : [];
  // `lshift --demo` (npm start -- --demo before `start` ran the sandbox): a flag, not a command.
  const flagOf =
    owners.length > 0
      ? ` It is a flag of ${owners.map((c) => `\`${opts.config.bin} ${c}\``).join(', ')}: put the command first (\`${opts.config.bin} ${owners[0]} ${echoInput(typed)}\`).`
      : '';
  const message = `${echoInput(typed)} is not an ${opts.config.bin} command.${suggestion ? ` Did you mean ${suggestion}?` : flagOf}`;
  return usageError.call(this, opts, message, `Run ${opts.config.bin} help for a list of commands.`);
};

type HookContext = ThisParameterType<typeof hook>;
type HookOptions = Parameters<typeof hook>[0];

/** `init` for `codedeploy`: the visible commands under a topic, by their next word. */
function subcommandsOf(opts: HookOptions, topic: string): string[] {
  const prefix = `${topic}:`;
  const words = opts.config.commands
    .filter((c) => !c.hidden && c.id.startsWith(prefix))
    .map((c) => c.id.slice(prefix.length).split(':')[0]!);
  return [...new Set(words)];
}

function reportUnknownSubcommand(
  this: HookContext,
  opts: HookOptions,
  topic: string,
  word: string | undefined,
  subcommands: readonly string[],
) {
  const bin = opts.config.bin;
  const named =
    word === undefined || word.trim() === ''
      ? `An ${word === undefined || word === '' ? 'empty' : 'blank'} name`
      : `\`${echoInput(word)}\``;
  const suggestion = word === undefined ? undefined : closestName(word, subcommands);
  const choices = subcommands.map((c) => `\`${bin} ${topic} ${c}\``).join(', ');
  return usageError.call(
    this,
    opts,
    `${named} is not a command of \`${bin} ${topic}\`${suggestion ? `: did you mean \`${bin} ${topic} ${suggestion}\`?` : `, which has ${choices}.`}`,
    `Run \`${bin} ${topic} --help\` for its commands.`,
  );
}

/** `lshift sandbox`, … : the visible commands that take this flag. */
function commandsWithFlag(opts: HookOptions, flag: string): string[] {
  return opts.config.commands
    .filter((c) => !c.hidden && Object.entries(c.flags ?? {}).some(([name, f]) => name === flag && !f.hidden))
    .map((c) => c.id.replaceAll(':', ' '));
}

/**
 * `lshift sandbox extra`: oclif joins the words after a command that takes no arguments into
 * its id (`sandbox:extra`), so the command exists and the words are what is wrong.
 */
function reportUnexpected(this: HookContext, opts: HookOptions, command: string, words: string[]) {
  const bin = opts.config.bin;
  return usageError.call(
    this,
    opts,
    `Unexpected argument: ${echoInput(words.join(' '))} (${bin} ${command} takes no arguments).`,
    `See \`${bin} ${command} --help\` for its arguments and flags.`,
  );
}

function usageError(this: HookContext, opts: HookOptions, message: string, hint: string) {
  const report = {
    schemaVersion: SCHEMA_VERSION,
    status: 'error' as const,
    code: 'USAGE' as const,
    message,
    hint,
    exitCode: ExitCode.Usage,
  };
  // oclif leaves out of opts.argv what it took into the id, and more when a word holds a newline.
  const json = asksForJson(opts.argv ?? []) || asksForJson(process.argv.slice(2));
  if (json) stdout.write(`${printableJson(JSON.stringify(report, null, 2))}\n`);
  else stderr.write(`${formatErrorText(report)}\n`);
  return this.exit(ExitCode.Usage);
}

/** The words oclif took into the id: those after the command, up to the first flag (its rule). */
export function unexpectedWords(argv: readonly string[]): string[] {
  const rest = argv.slice(1);
  const end = rest.findIndex((a) => a.startsWith('-') || a.includes('='));
  return end === -1 ? rest : rest.slice(0, end);
}

/**
 * The command word as typed. With topicSeparator ' ', `lshift stauts demo` arrives as the id
 * "stauts:demo", the words joined by `:`; a first word that holds a `:` itself (`::error::x`)
 * arrives as it is. Either way the id starts with the first argument, unless that is empty.
 */
export function typedCommand(id: string, argv: readonly string[]): string {
  const first = argv[0];
  if (first !== undefined && (id === first || id.startsWith(`${first}:`))) return first;
  // oclif leaves an empty first word out of the id (`lshift '' demo` arrives as "demo").
  if (first === '') return first;
  return id.split(':')[0] ?? id;
}

export default hook;
