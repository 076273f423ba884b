#!/usr/bin/env node
// The built CLI. Auto-transpile is off so that NODE_ENV=test (set by vitest) never
// makes oclif run the TypeScript sources instead of dist/.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import { execute, settings } from '@oclif/core';

settings.enableAutoTranspile = false;
await execute({ dir: import.meta.url });
