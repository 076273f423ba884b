/**
 * The entry of `dist/status.bundle.cjs` (scripts/build.mjs bundles it with esbuild; bin/run.js
 * runs it through bundle-launcher.ts for `lshift status` without `--help`). It does what
 * `execute()` from @oclif/core does for one command, minus what status never needs: the command
 * lookup and import by path, and the `init`/`prerun`/`postrun`/`finally` hooks (lshift and its
 * plugins declare none; test/e2e/status-fast-path.test.ts compares both paths' output). The same
 * `Status` class parses, runs and reports errors; oclif's own `flush` and `handle` end it.
 */
import { flush, handle, settings } from '@oclif/core';
import Status from '../../commands/status.js';
import { guardOutputStreams } from './output.js';

export async function main(argv: string[], root: string): Promise<void> {
  // This bundle has its own copy of output.ts: guard the streams with it (oclif is loaded already).
  guardOutputStreams();
  settings.enableAutoTranspile = false;
  try {
    await Status.run(argv, root);
    flush();
  } catch (error) {
    await handle(error as Error);
  }
}
