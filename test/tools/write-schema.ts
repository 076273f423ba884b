/** `npm run docs:schema`: writes lshift.schema.json (shipped in the package) from CONFIG_SCHEMA. */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CONFIG_SCHEMA } from '../../src/cli/option-schema.js';

writeFileSync(
  resolve(import.meta.dirname, '../../lshift.schema.json'),
  `${JSON.stringify(CONFIG_SCHEMA, null, 2)}\n`,
);
