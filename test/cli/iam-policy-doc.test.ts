import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildPolicy } from '../../src/cli/iam/policy.js';
import { DOC_EXAMPLE, spliceDoc } from '../../src/cli/iam/policy-doc.js';

const DOC = readFileSync(new URL('../../docs/iam-policy.md', import.meta.url), 'utf8');

describe('docs/iam-policy.md is generated from lshift iam-policy', () => {
  it('its policy block is what the command prints now (run `npm run docs:iam-policy` to refresh)', () => {
    expect(spliceDoc(DOC)).toBe(DOC);
  });

  it('its table explains every action the policy grants', () => {
    const actions = buildPolicy(DOC_EXAMPLE).policy.Statement.flatMap((s) => s.Action);
    const table = DOC.slice(DOC.indexOf('## What each action is for'));
    for (const action of actions) expect(table, action).toContain(`| \`${action}\``);
  });
});
