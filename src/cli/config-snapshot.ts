/**
 * What @oclif/core's `Config.load` learns from disk about lshift and its core plugins
 * (@oclif/plugin-help, @oclif/plugin-autocomplete), taken once by `npm run build` from oclif's own
 * load and embedded in the bundle (scripts/build.mjs, src/cli/one-command.ts). A bundled command
 * gives it to `Config.load` as its `plugins` (oclif's `LoadOptions.plugins`), so a start no
 * longer matches the dependencies against the plugin patterns (minimatch), finds each plugin
 * (`require.resolve`), reads and parses the package.json files and manifests, and sorts command
 * ids with ICU's collator: ~25 ms of CPU of every start (docs/architecture.md, start-up CPU).
 *
 * It is used only while it still says what oclif would read: each package.json must be, byte for
 * byte, the text the build read (a plugin's manifest goes with its version), and where oclif would
 * load more (a user plugin file in its data directory) oclif's own load runs. Anything unexpected
 * (a plugin not found where Node would find it, a different file) is the same: oclif's own load.
 */
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Config, getLogger, type Interfaces, Plugin } from '@oclif/core';

export interface ConfigSnapshot {
  /** lshift (the root plugin) first, then its core plugins. */
  readonly plugins: readonly PluginSnapshot[];
}

export interface PluginSnapshot {
  readonly name: string;
  readonly isRoot: boolean;
  /** Its package.json as the build read it: the snapshot holds while the file says exactly this. */
  readonly packageJson: string;
  /** The fields oclif's `Plugin.load()` set, without its paths, options, commands and logger. */
  readonly fields: Record<string, unknown>;
}

/** What `Plugin.load()` sets that depends on where the plugin is, or is remade from the rest. */
const PLACED = new Set(['options', 'root', '_debug', 'commands', 'parent', 'children']);

/**
 * Build time: the snapshot of `config` (oclif's own load of the staged build), or undefined when
 * it holds something the bundle cannot stand in for (dev or nested plugins, a plugin option this
 * does not remake): the bundle then lets oclif load its config, as before.
 */
export function takeConfigSnapshot(config: Config): ConfigSnapshot | undefined {
  const oclif = config.pjson.oclif as Record<string, unknown>;
  if (oclif.devPlugins || oclif.jitPlugins) return undefined;
  const all = [...config.plugins.values()];
  const root = all.find((p) => p.isRoot);
  // User and linked plugins are the build machine's, not the bundle's: oclif loads them at run time.
  const core = all
    .filter((p) => !p.isRoot && p.type === 'core')
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (
    !root ||
    all.some((p) => p.type === 'dev' || p.parent || (p as { children?: unknown[] }).children?.length)
  )
    return undefined;
  const same = (a: object, b: object) => JSON.stringify(a) === JSON.stringify(b);
  const rootOptions = (root as unknown as { options: object }).options;
  if (!same(Object.keys(rootOptions).sort(), ['isRoot', 'pjson', 'root'])) return undefined;
  for (const plugin of core) {
    const options = (plugin as unknown as { options: object }).options;
    if (!same(options, { name: plugin.name, root: config.root, type: 'core' })) return undefined;
  }
  return { plugins: [root, ...core].map(snapshotOf) };
}

function snapshotOf(plugin: Interfaces.Plugin): PluginSnapshot {
  const fields = Object.fromEntries(Object.entries(plugin).filter(([key]) => !PLACED.has(key)));
  return {
    name: plugin.name,
    isRoot: plugin.isRoot,
    packageJson: readFileSync(join(plugin.root, 'package.json'), 'utf8'),
    // Through JSON: what is embedded is what is revived (no undefined fields, no shared objects).
    fields: JSON.parse(JSON.stringify(fields)),
  };
}

/**
 * Run time: the Config a bundled command runs with, from `snapshot` while it holds, or `root`
 * (oclif's own `Config.load(root)` then runs, as without a snapshot).
 */
export async function configFor(
  root: string,
  snapshot: ConfigSnapshot | undefined,
): Promise<Config | string> {
  if (!snapshot) return root;
  const rootPath = root.startsWith('file://') ? fileURLToPath(root) : root;
  let plugins: Map<string, Interfaces.Plugin> | undefined;
  try {
    plugins = pluginsFrom(snapshot, rootPath);
  } catch {
    // A file that went away between two looks: oclif's own load says what is wrong, if anything.
  }
  if (!plugins) return root;
  const config = await Config.load({ root: rootPath, plugins });
  // oclif's own load also reads user plugins from <data dir>/package.json (lshift has no command
  // that writes one; `plugins` skips it): when there is such a file, oclif's load it is.
  return existsSync(join(config.dataDir, 'package.json')) ? root : config;
}

/** The plugins oclif would load for `rootPath`, made from the snapshot, or undefined if it no longer holds. */
export function pluginsFrom(
  snapshot: ConfigSnapshot,
  rootPath: string,
): Map<string, Interfaces.Plugin> | undefined {
  const [root, ...core] = snapshot.plugins;
  const projectRoot = rootPackage(rootPath);
  if (
    !root?.isRoot ||
    projectRoot === undefined ||
    !sameText(join(projectRoot, 'package.json'), root.packageJson)
  )
    return undefined;
  const plugins = new Map<string, Interfaces.Plugin>();
  plugins.set(root.name, revive(root, projectRoot, { isRoot: true, pjson: undefined, root: rootPath }));
  for (const plugin of core) {
    const dir = installed(plugin.name, projectRoot);
    if (dir === undefined || !sameText(join(dir, 'package.json'), plugin.packageJson)) return undefined;
    plugins.set(
      plugin.name,
      revive(plugin, realpathSync(dir), { name: plugin.name, root: projectRoot, type: 'core' }),
    );
  }
  return plugins;
}

/** A `Plugin` as oclif's `load()` leaves it: the snapshot's fields, its root, its commands. */
function revive(
  snapshot: PluginSnapshot,
  root: string,
  options: Interfaces.PluginOptions,
): Interfaces.Plugin {
  const plugin = new Plugin(options);
  Object.assign(plugin, snapshot.fields, {
    root,
    // As oclif's makeDebug(name) in config/util.js.
    _debug: (formatter: unknown, ...args: unknown[]) =>
      getLogger(['config', snapshot.name].join(':')).debug(formatter as string, ...args),
  });
  // Sorted by code unit, where oclif sorts with localeCompare: the order differs only under a
  // locale that orders letters otherwise (Czech: `check` after `history`), and only base-command's
  // "a flag of" list shows it, which sorts its commands itself.
  const manifest = plugin.manifest.commands;
  plugin.commands = Object.keys(manifest)
    .sort()
    .map((id) => {
      const cached = manifest[id] as Interfaces.Plugin['commands'][number];
      return {
        ...cached,
        load: async () => plugin.findCommand(id, { must: true }),
        pluginAlias: plugin.alias,
        pluginType: cached.pluginType === 'jit' ? 'jit' : plugin.type,
      };
    });
  return plugin;
}

/**
 * The directory oclif takes for lshift's root (config/util find-root.js with no name): the first
 * one up from `from` with a package.json, skipping bin/run.js itself.
 */
function rootPackage(from: string): string | undefined {
  for (const dir of up(from)) {
    if (basename(dirname(dir)) === 'bin' && BIN_FILES.has(basename(dir))) continue;
    if (existsSync(join(dir, 'package.json'))) return dir;
  }
  return undefined;
}

const BIN_FILES = new Set(['dev', 'dev.cmd', 'dev.js', 'run', 'run.cmd', 'run.js']);

/** Where Node finds package `name` from `from` (the node_modules directories up the tree). */
function installed(name: string, from: string): string | undefined {
  for (const dir of up(from)) {
    if (basename(dir) === 'node_modules') continue;
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
  }
  return undefined;
}

function* up(from: string): Generator<string> {
  for (let dir = from; ; dir = dirname(dir)) {
    yield dir;
    if (dirname(dir) === dir) return;
  }
}

function sameText(path: string, text: string): boolean {
  try {
    return readFileSync(path, 'utf8') === text;
  } catch {
    return false;
  }
}
