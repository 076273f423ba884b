#!/usr/bin/env node
/**
 * `npm run build`: compiles into a staging directory, makes the oclif manifest from that build,
 * then installs both file by file with atomic renames. dist/ and oclif.manifest.json are never
 * deleted or half-written, so a build run while another copy of the test suite (or a CLI) runs
 * from this worktree cannot pull files from under it; `rm -rf dist` before compiling did.
 * Files the new build no longer has are removed last (stale output of deleted sources).
 */
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * The SDK clients (with @smithy and @aws-sdk/core under them, 1.2 MB of the 4 MB) are a second
 * bundle, `dist/lshift-sdk.bundle.cjs`, loaded through the same launcher and code cache (one
 * file per command) when a command first makes a client: a run that ends before that (a refused
 * flag, `plan`, `iam-policy`, a config error) no longer reads, decodes and compiles them. Measured
 * in docs/architecture.md (Decisions, start-up CPU).
 */
const SDK_BUNDLE = 'lshift-sdk.bundle.cjs';
/** src/cli/bundle-launcher.js as CommonJS, for bin/run.js. */
const LAUNCHER = 'lshift-launcher.cjs';

/** src/aws/sdk-modules.js as the main bundle has it: each client from the SDK bundle, loaded once. */
const SDK_MODULES_FROM_SDK_BUNDLE = [
  "import { compileCachePath, loadBundle } from '../cli/bundle-launcher.js';",
  "let command = 'any';",
  '/** The command whose code cache of the SDK bundle to use (bundle entry `main`). */',
  'export function cacheSdkBundleFor(id) { command = id; }',
  'let sdk;',
  'function sdkBundle() {',
  `  const path = require('node:path').join(__dirname, ${JSON.stringify(SDK_BUNDLE)});`,
  '  sdk ??= loadBundle(path, compileCachePath(path, process.env, command));',
  '  return sdk;',
  '}',
  'export function loadLambdaSdk() { return sdkBundle().lambda(); }',
  'export function loadCloudWatchSdk() { return sdkBundle().cloudwatch(); }',
  'export function loadCodeDeploySdk() { return sdkBundle().codedeploy(); }',
].join('\n');

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name) => join(root, 'node_modules', '.bin', name);
// Inside the project, so the staged build resolves node_modules and renames stay on one filesystem.
const stage = mkdtempSync(join(root, '.build-'));

try {
  execFileSync(bin('tsc'), ['-p', join(root, 'tsconfig.json'), '--outDir', join(stage, 'dist')], {
    stdio: 'inherit',
  });
  copyFileSync(join(root, 'package.json'), join(stage, 'package.json'));
  execFileSync(bin('oclif'), ['manifest', stage], { stdio: ['ignore', 'ignore', 'inherit'] });
  await bundleCommands(
    join(stage, 'dist'),
    JSON.parse(readFileSync(join(stage, 'oclif.manifest.json'), 'utf8')),
    await configSnapshot(stage),
  );
  const installed = installTree(join(stage, 'dist'), join(root, 'dist'));
  removeStale(join(root, 'dist'), installed);
  replaceFile(join(stage, 'oclif.manifest.json'), join(root, 'oclif.manifest.json'));
} finally {
  rmSync(stage, { recursive: true, force: true });
}

/**
 * Every lshift command runs from one CommonJS file (issue 15 for `lshift status`, then all of them;
 * bin/run.js, src/cli/bundle-launcher.ts, docs/architecture.md): the command classes,
 * src/cli/one-command.ts and everything they import, @oclif/core included; the SDK clients are
 * the second bundle (SDK_BUNDLE). `dist/lshift.bundle.json` lists the command ids it holds (from
 * the manifest), so bin/run.js knows without loading it. The SDK clients are loaded with
 * `createRequire(import.meta.url)` in src/aws/sdk-modules.ts, which esbuild cannot follow (and
 * `import.meta` is empty in CommonJS), so the main bundle gets a version of that module that
 * loads the SDK bundle, and the SDK bundle plain `require`s. `keepNames`: oclif and the error
 * classes read `.name`.
 *
 * Start-up CPU (every run loads the whole bundle, ~2,000 test runs start it): whitespace and
 * syntax are minified (5.1 MB → 3.6 MB, no comments: less to read and decode; identifiers are
 * not, for readable stack traces and names), and two packages get a start-up-only edit (see
 * `startupEdits`). Measured in docs/architecture.md (Decisions, start-up CPU).
 */
async function bundleCommands(dist, manifest, snapshot) {
  const { build } = await import('esbuild');
  // The bundle is written inside the function wrapper src/cli/bundle-launcher.ts runs it in, so
  // the launcher compiles the text it read as it is (no 3.8 MB copy on every start).
  const { BUNDLE_HEAD, BUNDLE_TAIL } = await import(
    pathToFileURL(join(dist, 'src', 'cli', 'bundle-launcher.js')).href
  );
  const commands = Object.entries(manifest.commands).map(([id, command]) => ({
    id,
    file: `./${command.relativePath.slice(1).join('/').replace(/\.ts$/, '.js')}`,
    // oclif joins the words after a command that takes none into its id (`sandbox extra` is
    // `sandbox:extra`, not found): bin/run.js leaves such a line to oclif's path.
    takesWords: command.strict === false || Object.keys(command.args ?? {}).length > 0,
  }));
  const shared = {
    banner: { js: BUNDLE_HEAD },
    footer: { js: BUNDLE_TAIL },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    keepNames: true,
    minifyWhitespace: true,
    minifySyntax: true,
    logLevel: 'error',
    plugins: [startupEdits()],
  };
  const imports = commands.map((c, i) => `import C${i} from ${JSON.stringify(c.file)};`);
  const table = commands.map((c, i) => `${JSON.stringify(c.id)}: C${i}`).join(', ');
  await build({
    // The entry: main(id, argv, root) runs command `id` with src/cli/one-command.ts (bin/run.js).
    stdin: {
      contents: [
        ...imports,
        "import { runOneCommand } from './src/cli/one-command.js';",
        `const COMMANDS = { ${table} };`,
        // oclif sets a command's id from the manifest when it loads one (`lshift iam-policy`, not
        // the class name's `iampolicy`): hints and "a flag of" name the command by it.
        // What oclif's Config.load reads about lshift and its plugins (src/cli/config-snapshot.ts).
        `const SNAPSHOT = ${snapshot ? `JSON.parse(${JSON.stringify(JSON.stringify(snapshot))})` : 'undefined'};`,
        "import { cacheSdkBundleFor } from './src/aws/sdk-modules.js';",
        'export const main = (id, argv, root) => { cacheSdkBundleFor(id); return runOneCommand(Object.assign(COMMANDS[id], { id }), argv, root, SNAPSHOT); };',
      ].join('\n'),
      resolveDir: dist,
      sourcefile: 'lshift-bundle-entry.js',
      loader: 'js',
    },
    outfile: join(dist, 'lshift.bundle.cjs'),
    ...shared,
    plugins: [
      ...shared.plugins,
      {
        name: 'sdk-modules-from-sdk-bundle',
        setup(b) {
          b.onLoad({ filter: /[\\/]src[\\/]aws[\\/]sdk-modules\.js$/ }, () => ({
            loader: 'js',
            contents: SDK_MODULES_FROM_SDK_BUNDLE,
          }));
        },
      },
    ],
  });
  await build({
    // The SDK clients, in their own bundle: only a command that makes a client loads it.
    stdin: {
      contents: [
        "export const lambda = () => require('@aws-sdk/client-lambda');",
        "export const cloudwatch = () => require('@aws-sdk/client-cloudwatch');",
        "export const codedeploy = () => require('@aws-sdk/client-codedeploy');",
      ].join('\n'),
      resolveDir: dist,
      sourcefile: 'lshift-sdk-bundle-entry.js',
      loader: 'js',
    },
    outfile: join(dist, SDK_BUNDLE),
    ...shared,
  });
  // bin/run.js requires the launcher as CommonJS: importing it as an ES module made Node build ES
  // module facades of the built-ins it imports (node:fs's hundred exports among them), ~9 ms of
  // every start (docs/architecture.md, Decisions).
  await build({
    entryPoints: [join(dist, 'src', 'cli', 'bundle-launcher.js')],
    outfile: join(dist, LAUNCHER),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'error',
  });
  const listed = commands.map(({ id, takesWords }) => ({ id, takesWords }));
  writeFileSync(join(dist, 'lshift.bundle.json'), `${JSON.stringify(listed)}\n`);
}

/**
 * oclif's own `Config.load` of the staged build (its package.json and manifest, the core plugins
 * found from it), as the bundle's snapshot (src/cli/config-snapshot.ts): a start then reads none
 * of it again. Undefined (each start loads it as before) when the snapshot cannot stand in.
 */
async function configSnapshot(stage) {
  const { Config } = await import('@oclif/core');
  const { takeConfigSnapshot } = await import(
    pathToFileURL(join(stage, 'dist', 'src', 'cli', 'config-snapshot.js')).href
  );
  const snapshot = takeConfigSnapshot(await Config.load(stage));
  if (!snapshot)
    console.warn("build: no config snapshot in the bundle (each start loads oclif's config itself)");
  return snapshot;
}

/**
 * Two source edits that change no behaviour, each applied only when the text is exactly as
 * expected (otherwise the file is bundled as it is, and only the saving is lost):
 * - string-width makes an `Intl.Segmenter` when it loads (~15 ms of ICU set-up on every run);
 *   it is made on first use instead (wrap-ansi and cli-truncate measure only on a terminal).
 * - ansis writes a raw U+009B in a regular expression; as the escape `\x9B` (the same character
 *   class) the bundle is pure ASCII, and src/cli/bundle-launcher.ts decodes it as Latin-1 (a copy)
 *   instead of UTF-8 (V8's slow path for the rest of the file once it meets one non-ASCII byte).
 */
function startupEdits() {
  return { name: 'startup-edits', setup: applyStartupEdits };
}

function applyStartupEdits(b) {
  const edit = (path, from, to) => {
    const text = readFileSync(path, 'utf8');
    const next = from.reduce((t, f, i) => (t.split(f).length === 2 ? t.replace(f, () => to[i]) : t), text);
    const whole = from.every((f, i) => next.split(to[i]).length >= 2 && !next.includes(f));
    return whole ? { contents: next, loader: 'js' } : undefined;
  };
  b.onLoad({ filter: /[\\/]string-width[\\/]index\.js$/ }, ({ path }) =>
    edit(
      path,
      ['const segmenter = new Intl.Segmenter();', 'of segmenter.segment(string)'],
      ['let segmenter;', 'of (segmenter ??= new Intl.Segmenter()).segment(string)'],
    ),
  );
  b.onLoad({ filter: /[\\/]ansis[\\/]index\.js$/ }, ({ path }) =>
    edit(path, ['\u001b\u009b]'], ['\u001b\\x9B]']),
  );
}

/** Copies every file of `from` over `to` (atomically per file); returns the relative paths. */
function installTree(from, to) {
  const paths = new Set();
  for (const file of listFiles(from)) {
    const rel = relative(from, file);
    paths.add(rel);
    const target = join(to, rel);
    if (existsSync(target) && readFileSync(target).equals(readFileSync(file))) continue;
    mkdirSync(dirname(target), { recursive: true });
    replaceFile(file, target);
  }
  return paths;
}

/** Leaves other builds' in-flight temporary files alone (two `npm test` may build at once). */
function removeStale(dir, keep) {
  for (const file of listFiles(dir)) {
    if (!keep.has(relative(dir, file)) && !/\.tmp-\d+$/.test(file)) unlinkSync(file);
  }
}

/** rename(2) is atomic: a reader sees the old file or the new one, never a partial one. */
function replaceFile(source, target) {
  const temp = `${target}.tmp-${process.pid}`;
  copyFileSync(source, temp);
  renameSync(temp, target);
}

function listFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}
