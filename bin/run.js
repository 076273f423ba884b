#!/usr/bin/env node
// The built CLI. Auto-transpile is off so that NODE_ENV=test (set by vitest) never
// makes oclif run the TypeScript sources instead of dist/.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// First, before anything can print: a closed pipe or a vanished terminal must not crash lshift
// mid-shift (see src/cli/output.ts).
import { guardOutputStreams } from '../dist/src/cli/output.js';

guardOutputStreams();

const { execute, settings } = await import('@oclif/core');
// Again, now that @oclif/core added its own stdout 'error' listener (it rethrows EIO).
guardOutputStreams();

settings.enableAutoTranspile = false;
await execute({ dir: import.meta.url });
