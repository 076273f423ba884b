/** `npm run docs:errors`: rewrites the error-code table of docs/exit-codes.md from src/domain/error-codes.ts. */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { updateErrorCodeDoc } from '../../src/cli/exit-codes.js';

const path = resolve(import.meta.dirname, '../../docs/exit-codes.md');
writeFileSync(path, updateErrorCodeDoc(readFileSync(path, 'utf8')));
