/**
 * The options of each function of a release (issue 13). Flags apply to every function; `{function}`
 * in an alarm name, a hook spec or a code source (`--zip build/{function}.zip`) becomes each
 * function's name. A hook spec with `{function}` runs for each function; one without runs once for
 * the whole release (rollback hooks always run per function, after that function's rollback).
 * A config file's `functions:` entry may set a function's alias, alarms, hooks, code source and
 * canary-analysis gates (`max-error-rate`, `max-latency-increase`, …: they replace the release's
 * config for that function; flags still apply to every function). The strategy is the release's:
 * one schedule moves every function (docs/releases.md).
 */

import { expandAlarmTemplate } from '../domain/alarm-templates.js';
import { releaseShareOf } from '../domain/analysis/config.js';
import { assertAlarmNamesAt } from '../domain/aws-names.js';
import { functionKeyOf } from '../domain/function-ref.js';
import type { HookPhase, HookSpec } from '../ports/hooks.js';
import type { ConfigPlaces } from './analysis-options.js';
import type { CodeKey, CodePlaces } from './code-choice.js';
import { describeConfigFile } from './config-file.js';
import {
  DEPLOY_DEFAULTS,
  type DeployFlags,
  type DeployOptions,
  resolveDeployOptions,
} from './deploy-options.js';
import { checkFunctionName, refuseDuplicateFunctions } from './function-args.js';
import {
  ANALYSIS_OPTION_KEYS,
  type FunctionEntry,
  type HookEntry,
  type LshiftConfig,
} from './option-schema.js';
import type { ReleaseMember } from './release-setup.js';

export const FUNCTION_PLACEHOLDER = '{function}';

const PHASES: HookPhase[] = ['pre', 'step', 'post', 'rollback'];
const CODE_KEYS: readonly CodeKey[] = ['version', 'zip', 's3-bucket', 's3-key', 'image-uri'];

export interface ReleaseOptions {
  members: ReleaseMember[];
  releaseHooks: Pick<Record<HookPhase, HookSpec[]>, 'pre' | 'step' | 'post'>;
}

/**
 * The functions named on the command line (checked as they were parsed: function-args.ts), or else
 * the config file's `functions:`. A qualified or unreadable name in the config file, or one
 * function named twice in any two spellings, is refused before any AWS call.
 */
export function releaseFunctions(names: readonly string[], config: LshiftConfig): FunctionEntry[] {
  const entries: FunctionEntry[] =
    names.length > 0 ? names.map((n) => listedEntry(n, config)) : (config.functions ?? []);
  if (names.length === 0) {
    const qualifierHint =
      'An entry `{ name: …, alias: …, version: … }` sets a function’s own alias and version.';
    for (const entry of entries) checkFunctionName(nameOf(entry), { where: 'config', qualifierHint });
  }
  refuseDuplicateFunctions(entries.map(nameOf));
  return entries;
}

/**
 * A function named on the command line that the config file lists keeps its entry's settings
 * (its alias above all: `lshift deploy billing` must not move billing's `live` alias when its
 * entry says `prod`), under the name as typed.
 */
function listedEntry(name: string, config: LshiftConfig): FunctionEntry {
  const key = functionKeyOf(name);
  const entry = (config.functions ?? []).find((e) => functionKeyOf(nameOf(e)) === key);
  return entry === undefined || typeof entry === 'string' ? name : { ...entry, name };
}

/**
 * The alias a command acts on for one function: `--alias`, else the function's own entry in the
 * config file's `functions:`, else the file's `alias`, else `live` — as `deploy` moves it.
 */
export function aliasOf(functionName: string, aliasFlag: string | undefined, config: LshiftConfig): string {
  const entry = listedEntry(functionName, config);
  const own = typeof entry === 'string' ? undefined : entry.alias;
  return aliasFlag ?? own ?? config.alias ?? 'live';
}

/**
 * What `lshift check` takes from each entry of the config file's `functions:`: its own alias and
 * alarms, by function name (an ARN's name part), unless a flag gives them for every function.
 */
export function entryChecks(
  config: LshiftConfig,
  flags: { alias?: string; alarm?: string[] },
): Map<string, { alias?: string; alarms?: string[] }> {
  const own = new Map<string, { alias?: string; alarms?: string[] }>();
  for (const entry of config.functions ?? []) {
    if (typeof entry === 'string') continue;
    const alias = flags.alias === undefined ? entry.alias : undefined;
    const alarms = flags.alarm === undefined ? entry.alarms : undefined;
    if (alias === undefined && alarms === undefined) continue;
    own.set(functionKeyOf(entry.name), {
      ...(alias === undefined ? {} : { alias }),
      ...(alarms === undefined ? {} : { alarms }),
    });
  }
  return own;
}

export function nameOf(entry: FunctionEntry): string {
  return typeof entry === 'string' ? entry : entry.name;
}

export function resolveReleaseOptions(
  flags: DeployFlags,
  config: LshiftConfig,
  entries: readonly FunctionEntry[],
): ReleaseOptions {
  const members = entries.map((entry) => {
    const functionName = nameOf(entry);
    const options = resolveMember(flags, config, entry);
    // One verdict for the release: its α is shared between the functions (releaseShareOf).
    return {
      functionName,
      // The record's fingerprint (jd=) keeps the settings as given, not the share: a function
      // resumed on its own (a --stagger release's hint) gives the same flags and must match.
      options: {
        ...options,
        analysis: releaseShareOf(options.analysis, entries.length),
        analysisAsGiven: options.analysis,
      },
    };
  });
  // The release's own hooks: the specs without {function} (rollback hooks are per function).
  const shared = resolveDeployOptions(withoutHooks(flags), {
    ...config,
    hooks: Object.fromEntries(
      (['pre', 'step', 'post'] as const).map((phase) => [
        phase,
        phaseEntries(flags, config, phase).filter((e) => !specOf(e).includes(FUNCTION_PLACEHOLDER)),
      ]),
    ),
  });
  return {
    members,
    releaseHooks: { pre: shared.hooks.pre, step: shared.hooks.step, post: shared.hooks.post },
  };
}

function resolveMember(flags: DeployFlags, config: LshiftConfig, entry: FunctionEntry): DeployOptions {
  const { own, fill, code, codePlaces, alarms, gates, alias } = entrySettings(flags, config, entry);
  const hooks = Object.fromEntries(
    PHASES.map((phase) => {
      const mine = own?.hooks?.[phase] ?? [];
      const placed = phaseEntries(flags, config, phase).filter(
        (e) => phase === 'rollback' || specOf(e).includes(FUNCTION_PLACEHOLDER),
      );
      return [phase, [...placed, ...mine].map((e) => fillEntry(e, fill))];
    }),
  );
  const memberFlags: DeployFlags = { ...withoutHooks(flags), ...code };
  return resolveDeployOptions(
    memberFlags,
    { ...config, ...gates, alias, alarms: alarms ?? [], hooks },
    { ...gatePlaces(config, entry, gates), ...codePlaces },
    nameOf(entry),
  );
}

/**
 * A single function's options: `{function}` is its name wherever a release fills it (alarms,
 * hook specs, code flags), so the flags of a release work for one of its functions alone
 * (`deploy beta --resume --alarm '{function}-errors'`). Every hook is the function's own. An
 * entry of the config file's `functions:` brings its own settings, as in a release.
 */
export function resolveSingleOptions(
  flags: DeployFlags,
  config: LshiftConfig,
  entry: FunctionEntry,
): DeployOptions {
  const { own, fill, code, codePlaces, alarms, gates, alias } = entrySettings(flags, config, entry);
  // Alarms are filled by resolveDeployOptions, so an error names them as typed.
  const single: DeployFlags = { ...flags, ...code };
  for (const phase of PHASES) single[`${phase}-hook`] = flags[`${phase}-hook`]?.map(fill);
  // The file's hooks, then the entry's own; a phase given by flags replaces both (flags win).
  const hooks = Object.fromEntries(
    PHASES.map((phase) => [
      phase,
      [...(config.hooks?.[phase] ?? []), ...(own?.hooks?.[phase] ?? [])].map((e) => fillEntry(e, fill)),
    ]),
  );
  return resolveDeployOptions(
    single,
    {
      ...config,
      ...gates,
      ...(alias === undefined ? {} : { alias }),
      ...(alarms === undefined ? {} : { alarms }),
      hooks,
    },
    { ...gatePlaces(config, entry, gates), ...codePlaces },
    nameOf(entry),
  );
}

/**
 * The entry's gates are merged over the top-level keys: an error about one names the entry
 * (`the config file’s functions[1] (orders) \`max-p99\``), not a top-level key the file may set
 * to a valid value or not at all.
 */
function gatePlaces(config: LshiftConfig, entry: FunctionEntry, gates: object): ConfigPlaces {
  const place = placeOf(config, entry).replace(/^The/, 'the');
  return Object.fromEntries(Object.keys(gates).map((key) => [key, `${place} \`${key}\``]));
}

/**
 * What a function's own entry of the config file brings, `{function}` filled with the function's
 * name (not the ARN it may be given as: `{function}-errors`, `build/{function}.zip`): its code
 * source (flags win), alarms (as written: resolveDeployOptions fills them), canary-analysis gates
 * and alias. Its own alarms are checked as written and measured once filled (a long name may pass
 * 255 characters), named as loadConfig names them: resolveDeployOptions can only name the
 * top-level `alarms`.
 */
function entrySettings(flags: DeployFlags, config: LshiftConfig, entry: FunctionEntry) {
  const own = typeof entry === 'string' ? undefined : entry;
  const fill = (text: string) => text.replaceAll(FUNCTION_PLACEHOLDER, functionKeyOf(nameOf(entry)));
  const { code, codePlaces } = entryCode(flags, config, entry, fill);
  const alarms = own?.alarms ?? config.alarms;
  if (own?.alarms && !flags.alarm?.length) {
    const alias = flags.alias ?? own.alias ?? config.alias ?? DEPLOY_DEFAULTS.alias;
    assertAlarmNamesAt(own.alarms, placeOf(config, entry), 'alarms', {
      fill: (name) => expandAlarmTemplate(name, nameOf(entry), alias),
    });
  }
  const gates = Object.fromEntries(
    ANALYSIS_OPTION_KEYS.filter((key) => own?.[key] !== undefined).map((key) => [key, own?.[key]]),
  );
  return { own, fill, code, codePlaces, alarms, gates, alias: own?.alias ?? config.alias };
}

/** The source each code key belongs to: `s3-bucket` and `s3-key` make one. */
const SOURCE_OF: Record<CodeKey, string> = {
  version: 'version',
  zip: 'zip',
  's3-bucket': 's3',
  's3-key': 's3',
  'image-uri': 'image',
};

/**
 * The code flags, and the entry's code keys of the same source (or all of them when no code flag
 * is given): flags win over the file, so `--zip` replaces an entry's `version:` rather than meet
 * it as a second source (refused "not --zip and --version"). An entry's own keys are named by
 * their place (code-choice.ts CodePlaces): an entry with both `version:` and `zip:` is refused
 * naming the file, the entry and the two keys.
 */
function entryCode(
  flags: DeployFlags,
  config: LshiftConfig,
  entry: FunctionEntry,
  fill: (t: string) => string,
) {
  const own = typeof entry === 'string' ? undefined : entry;
  const flagged = new Set(CODE_KEYS.filter((key) => flags[key] !== undefined).map((key) => SOURCE_OF[key]));
  const code: DeployFlags = {};
  const codePlaces: CodePlaces = {};
  // Written \u2019, not the quote itself: the built bundle must stay pure ASCII (Latin-1 read, bundle-launcher.test.ts).
  const place = `${describeConfigFile(config)}: ${placeOf(config, entry).replace(/^The config file\u2019s /, '')}`;
  for (const key of CODE_KEYS) {
    const fromEntry = flagged.size === 0 || flagged.has(SOURCE_OF[key]) ? own?.[key] : undefined;
    const value = flags[key] ?? fromEntry;
    if (value !== undefined) code[key] = fill(value);
    if (flags[key] === undefined && fromEntry !== undefined) codePlaces[key] = `${place} \`${key}\``;
  }
  return { code, codePlaces };
}

/** `the config file’s functions[1] (billing)`, as its other errors name an entry. */
function placeOf(config: LshiftConfig, entry: FunctionEntry): string {
  const key = functionKeyOf(nameOf(entry));
  const index = (config.functions ?? []).findIndex((e) => functionKeyOf(nameOf(e)) === key);
  return `The config file’s functions[${index}] (${key})`;
}

/** A phase's hooks as given: the flags' when any, else the config file's (flags win). */
function phaseEntries(flags: DeployFlags, config: LshiftConfig, phase: HookPhase): HookEntry[] {
  const fromFlags = flags[`${phase}-hook`] ?? [];
  return fromFlags.length > 0 ? fromFlags : (config.hooks?.[phase] ?? []);
}

function withoutHooks(flags: DeployFlags): DeployFlags {
  const rest = { ...flags };
  for (const phase of PHASES) delete rest[`${phase}-hook`];
  return rest;
}

function specOf(entry: HookEntry): string {
  return typeof entry === 'string' ? entry : entry.spec;
}

function fillEntry(entry: HookEntry, fill: (text: string) => string): HookEntry {
  return typeof entry === 'string' ? fill(entry) : { ...entry, spec: fill(entry.spec) };
}
