#!/usr/bin/env node
// Runs the TypeScript sources through tsx. oclif's own development mode cannot
// transpile with TypeScript 7 (no compiler API) and would silently run stale dist/.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import { flush, run, settings } from '@oclif/core';
import { register } from 'tsx/esm/api';

register();
// Before anything can print: a closed pipe must not crash lshift mid-shift (src/cli/output.ts).
const { guardOutputStreams } = await import('../src/cli/output.ts');
guardOutputStreams();
settings.enableAutoTranspile = false;
// What `execute({development: true})` does, with lshift's error report in place of oclif's
// (src/cli/top-level-error.ts; bin/run.js does the same).
process.env.NODE_ENV = 'development';
settings.debug = true;
const argv = process.argv.slice(2);
await run(argv, { root: new URL('..', import.meta.url).pathname, pjson: undefined }).then(
  () => flush(),
  async (error) => {
    const { reportTopLevelError } = await import('../src/cli/top-level-error.ts');
    process.exit(reportTopLevelError(error, argv));
  },
);
