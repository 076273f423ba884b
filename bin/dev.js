#!/usr/bin/env node
// Runs the TypeScript sources through tsx. oclif's own development mode cannot
// transpile with TypeScript 7 (no compiler API) and would silently run stale dist/.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import { execute, settings } from '@oclif/core';
import { register } from 'tsx/esm/api';

register();
// Before anything can print: a closed pipe must not crash lshift mid-shift (src/cli/output.ts).
const { guardOutputStreams } = await import('../src/cli/output.ts');
guardOutputStreams();
settings.enableAutoTranspile = false;
await execute({
  development: true,
  dir: import.meta.url,
  loadOptions: { root: new URL('..', import.meta.url).pathname, pjson: undefined },
});
