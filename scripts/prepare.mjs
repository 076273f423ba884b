#!/usr/bin/env node
/**
 * `prepare` (run by `npm ci`/`npm install` in this project): builds dist/ only in a git checkout,
 * so the README's quick start (`npm ci && ./bin/run.js …`) stays one command on a fresh clone.
 * Packing builds through `prepack` instead (npm runs prepare during `npm pack` too: skip the
 * second build there), and an installed tarball never builds: it ships dist/.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const packing = ['pack', 'publish'].includes(process.env.npm_command ?? '');
if (!packing && existsSync(join(root, '.git'))) {
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'inherit' });
}
