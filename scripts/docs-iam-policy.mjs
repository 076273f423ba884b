#!/usr/bin/env node
// `npm run docs:iam-policy`: rewrites the generated policy in docs/iam-policy.md (run after a
// build), then formats the page as `npm run lint` expects (Biome formats Markdown's JSON blocks).
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { spliceDoc } from '../dist/src/cli/iam/policy-doc.js';

const path = fileURLToPath(new URL('../docs/iam-policy.md', import.meta.url));
writeFileSync(path, spliceDoc(readFileSync(path, 'utf8')));
const biome = fileURLToPath(new URL('../node_modules/.bin/biome', import.meta.url));
execFileSync(biome, ['format', '--write', path], { stdio: 'ignore' });
