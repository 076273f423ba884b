#!/usr/bin/env node
// The built CLI. Auto-transpile is off so that NODE_ENV=test (set by vitest) never
// makes oclif run the TypeScript sources instead of dist/.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// `lshift status` (not its --help) runs from one bundle with a V8 code cache: no module lookup
// of ~200 files and no recompiling them on every run (issue 15; src/cli/bundle-launcher.ts, src/cli/one-command.ts).
// LSHIFT_FAST_STATUS=0 takes the ordinary path below. The bundle guards the output streams itself.
const argv = process.argv.slice(2);
const beforeDashes = argv.includes('--') ? argv.slice(0, argv.indexOf('--')) : argv;
const bundle = new URL('../dist/status.bundle.cjs', import.meta.url);
const { existsSync } = await import('node:fs');
if (
  argv[0] === 'status' &&
  !beforeDashes.includes('--help') &&
  process.env.LSHIFT_FAST_STATUS !== '0' &&
  existsSync(bundle)
) {
  const { loadBundle } = await import('../dist/src/cli/bundle-launcher.js');
  const { fileURLToPath } = await import('node:url');
  await loadBundle(fileURLToPath(bundle)).main(argv.slice(1), import.meta.url);
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
    () => flush(),
    async (error) => {
      const { reportTopLevelError } = await import('../dist/src/cli/top-level-error.js');
      process.exit(reportTopLevelError(error, argv));
    },
  );
}
