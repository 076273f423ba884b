#!/usr/bin/env node
// `npm run docs:iam-policy`: rewrites the generated policy in docs/iam-policy.md (run after a build).
import { readFileSync, writeFileSync } from 'node:fs';
import { spliceDoc } from '../dist/src/cli/iam/policy-doc.js';

const path = new URL('../docs/iam-policy.md', import.meta.url);
writeFileSync(path, spliceDoc(readFileSync(path, 'utf8')));
