#!/usr/bin/env node
// The built CLI. Auto-transpile is off so that NODE_ENV=test (set by vitest) never
// makes oclif run the TypeScript sources instead of dist/.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// Every lshift command (not its --help) runs from one bundle with a V8 code cache: no module
// lookup of ~200 files and no recompiling them on every run (issue 15; src/cli/bundle-launcher.ts,
// src/cli/one-command.ts; dist/lshift.bundle.json lists the command ids it holds). Help, --version,
// plugin commands and unknown ones take oclif's path below, as does every command with
// LSHIFT_FAST_START=0 (LSHIFT_FAST_STATUS=0 too, for status). The bundle guards the output streams itself.
const argv = process.argv.slice(2);
const beforeDashes = argv.includes('--') ? argv.slice(0, argv.indexOf('--')) : argv;
// `lshift wait` follows a deployment that already runs: a Ctrl-C while it starts asks for it to be
// stopped, not for Node's default exit (src/cli/early-signals.ts).
if (argv[0] === 'wait' && !beforeDashes.includes('--help')) {
  const { keepEarlySignals } = await import('../dist/src/cli/early-signals.js');
  keepEarlySignals();
}
// Built-ins and the launcher by require: an ES module import of each made Node build an ES module
// facade of it (node:fs's hundred exports among them), ~9 ms of every start (docs/architecture.md).
const { createRequire } = await import('node:module');
const require = createRequire(import.meta.url);
const { existsSync, readFileSync } = require('node:fs');
const bundled = bundledCommand();
if (bundled) {
  const { compileCachePath, loadBundle } = require('../dist/lshift-launcher.cjs');
  const { fileURLToPath } = require('node:url');
  const bundle = fileURLToPath(new URL('../dist/lshift.bundle.cjs', import.meta.url));
  const cache = compileCachePath(bundle, process.env, bundled.id);
  await loadBundle(bundle, cache).main(bundled.id, argv.slice(bundled.words), import.meta.url);
} else {
  // First, before anything can print: a closed pipe or a vanished terminal must not crash lshift
  // mid-shift (see src/cli/output.ts).
  const { guardOutputStreams } = await import('../dist/src/cli/output.js');
  guardOutputStreams();
  const { flush, run, settings } = await import('@oclif/core');
  // Again, now that @oclif/core added its own stdout 'error' listener (it rethrows EIO).
  guardOutputStreams();
  settings.enableAutoTranspile = false;
  // What `execute()` does, but an error that reaches here (help for an unknown command, a plugin
  // command's parse error) is reported through lshift's output choke point, not oclif's raw
  // console.error (src/cli/top-level-error.ts).
  await run(argv, import.meta.url).then(
    async () => {
      await flush();
      // As the bundle does (src/cli/one-command.ts exitOnceIdleOrSoon): a handle left open must not hold the exit.
      setTimeout(() => process.exit(), 2_000).unref();
    },
    async (error) => {
      const { reportTopLevelError } = await import('../dist/src/cli/top-level-error.js');
      process.exit(reportTopLevelError(error, argv));
    },
  );
}

/** The bundled command `argv` names (its id, and how many words name it), or undefined for oclif's path. */
function bundledCommand() {
  const off = /^(0|off|false|no)$/i;
  if (off.test(process.env.LSHIFT_FAST_START ?? '') || beforeDashes.includes('--help')) return undefined;
  const list = new URL('../dist/lshift.bundle.json', import.meta.url);
  // Without oclif.manifest.json (an install that lost it) oclif finds the commands by importing
  // each file, which the bundle's vm.Script cannot do (ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING, once
  // a command, and no command's flags known to the "a flag of" hint): oclif's path can.
  const needed = [
    '../dist/lshift.bundle.cjs',
    '../dist/lshift-sdk.bundle.cjs',
    '../dist/lshift-launcher.cjs',
    '../oclif.manifest.json',
  ];
  if (!existsSync(list) || !needed.every((file) => existsSync(new URL(file, import.meta.url))))
    return undefined;
  let commands;
  try {
    commands = JSON.parse(readFileSync(list, 'utf8'));
  } catch {
    return undefined; // a list that cannot be read is no reason not to run: oclif's path can
  }
  const named = Array.isArray(commands)
    ? commands.find((c) => typeof c?.id === 'string' && c.id.split(':').every((word, i) => argv[i] === word))
    : undefined;
  if (!named || (named.id === 'status' && off.test(process.env.LSHIFT_FAST_STATUS ?? ''))) return undefined;
  const words = named.id.split(':').length;
  // `sandbox extra`: oclif reads a word after a command that takes none as part of its name, and
  // src/cli/hooks/command-not-found.ts says what is wrong; that path is the one that knows.
  const next = argv[words];
  if (named.takesWords !== true && next !== undefined && !next.startsWith('-')) return undefined;
  return { id: named.id, words };
}
