import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Config } from '@oclif/core';
import { afterEach, describe, expect, it } from 'vitest';
import { configFor, pluginsFrom, takeConfigSnapshot } from '../../src/cli/config-snapshot.js';
import { RUN_JS } from '../helpers/run-cli.js';

/**
 * The bundle's config snapshot (src/cli/config-snapshot.ts) must give a command the Config oclif's
 * own load gives it, and must step aside whenever the files on disk are not what the build read.
 * (Uses the project's oclif.manifest.json, which `npm run build` makes.)
 */
const ROOT = join(RUN_JS, '..', '..');

/** What a command can see of a Config, with what differs only by design left out. */
function visible(config: Config) {
  const plugins = [...config.plugins.values()].map((p) => {
    const { _debug, commands, ...rest } = p as unknown as Record<string, unknown>;
    return { ...rest, name: p.name, commands: (commands as { id: string }[]).map((c) => ({ ...c })) };
  });
  const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  return {
    bin: config.bin,
    name: config.name,
    version: config.version,
    channel: config.channel,
    pjson: config.pjson,
    userAgent: config.userAgent,
    dirs: [config.home, config.cacheDir, config.configDir, config.dataDir, config.shell],
    theme: config.theme,
    topicSeparator: config.topicSeparator,
    valid: config.valid,
    root: config.root,
    // The snapshot sorts commands by code unit, oclif with localeCompare (base-command sorts its list).
    commands: config.commands.map((c) => ({ ...c, load: typeof c.load })).sort(byId),
    topics: config.topics.map((t) => t.name).sort(),
    plugins: plugins
      .map((p) => ({ ...p, commands: p.commands.map((c) => ({ ...c, load: typeof c })).sort(byId) }))
      .sort((a, b) => String(a.name).localeCompare(String(b.name))),
  };
}

const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('config snapshot', () => {
  it("gives the Config oclif's own load gives (plugins, commands, flags, hooks, pjson)", async () => {
    const own = await Config.load(RUN_JS);
    const snapshot = takeConfigSnapshot(own);
    expect(snapshot?.plugins.map((p) => p.name)).toEqual([
      'lshift',
      '@oclif/plugin-autocomplete',
      '@oclif/plugin-help',
    ]);
    // As the bundle holds it: through JSON.
    const embedded = JSON.parse(JSON.stringify(snapshot));
    const plugins = pluginsFrom(embedded, RUN_JS);
    expect(plugins).toBeDefined();
    const fromSnapshot = await Config.load({ root: RUN_JS, plugins });
    expect(visible(fromSnapshot)).toEqual(visible(own));
    // And as a command gets it: `Command.run` remakes a Config it is given.
    expect(visible(await Config.load(fromSnapshot))).toEqual(visible(own));
  });

  it('steps aside when a package.json is not the one the build read (an edit, another plugin version)', async () => {
    const snapshot = takeConfigSnapshot(await Config.load(RUN_JS));
    if (!snapshot) throw new Error('no snapshot');
    const changed = (i: number) => ({
      plugins: snapshot.plugins.map((p, j) => (j === i ? { ...p, packageJson: `${p.packageJson} ` } : p)),
    });
    expect(pluginsFrom(changed(0), RUN_JS)).toBeUndefined();
    expect(pluginsFrom(changed(1), RUN_JS)).toBeUndefined();
    expect(pluginsFrom(changed(2), RUN_JS)).toBeUndefined();
    expect(pluginsFrom(snapshot, RUN_JS)).toBeDefined();
  });

  it('steps aside when a core plugin is not where Node would find it', async () => {
    const snapshot = takeConfigSnapshot(await Config.load(RUN_JS));
    if (!snapshot) throw new Error('no snapshot');
    // A copy of the package without node_modules: nothing up from it has the plugins.
    const dir = mkdtempSync(join(tmpdir(), 'lshift-snapshot-'));
    temps.push(dir);
    mkdirSync(join(dir, 'bin'));
    cpSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
    expect(pluginsFrom(snapshot, join(dir, 'bin', 'run.js'))).toBeUndefined();
    // With them found up the tree (as npm hoists them), it holds.
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(join(ROOT, 'node_modules', '@oclif'), join(dir, 'node_modules', '@oclif'));
    expect(pluginsFrom(snapshot, join(dir, 'bin', 'run.js'))).toBeDefined();
  });

  it("leaves the load to oclif when a user plugin file is in oclif's data directory (oclif would read it)", async () => {
    const snapshot = takeConfigSnapshot(await Config.load(RUN_JS));
    const data = mkdtempSync(join(tmpdir(), 'lshift-data-'));
    temps.push(data);
    const saved = process.env.LSHIFT_DATA_DIR;
    process.env.LSHIFT_DATA_DIR = data;
    try {
      expect(await configFor(RUN_JS, snapshot)).toBeInstanceOf(Config);
      writeFileSync(join(data, 'package.json'), '{"oclif":{"plugins":[]}}');
      expect(await configFor(RUN_JS, snapshot)).toBe(RUN_JS);
    } finally {
      if (saved === undefined) delete process.env.LSHIFT_DATA_DIR;
      else process.env.LSHIFT_DATA_DIR = saved;
    }
    expect(await configFor(RUN_JS, undefined)).toBe(RUN_JS);
  });

  it('the built bundle holds a snapshot, of this package.json', () => {
    const bundle = readFileSync(join(ROOT, 'dist', 'lshift.bundle.cjs'), 'latin1');
    // (Booleans, not toContain: a failure would print the 3.7 MB bundle.)
    expect(/SNAPSHOT=JSON\.parse\('\{"plugins":\[\{"name":"lshift"/.test(bundle)).toBe(true);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(bundle.includes(`"pjson":{"name":"lshift","version":"${pkg.version}"`)).toBe(true);
  });
});
