/**
 * The exit-code table printed at the end of every command's --help: row 5 said "or it changed
 * underneath" while a split met underneath is exit 4 since session 67 (settle.ts, split-left.ts);
 * a reader branching on it took a split for "someone else holds it" (the lead's brief, session 68).
 */
import { describe, expect, it } from 'vitest';
import { EXIT_CODES_HELP } from '../../src/cli/exit-codes.js';

const row = (code: number) => EXIT_CODES_HELP.split('\n').find((l) => l.startsWith(`  ${code}  `)) ?? '';

describe('the --help exit-code table', () => {
  it('row 4 says a split left is exit 4; row 5 is a move whole, not any change underneath', () => {
    expect(row(4)).toContain('the alias is left split (nobody drives it)');
    expect(row(5)).toContain('someone moved it whole onto one version');
    expect(row(5)).not.toContain('changed underneath');
  });
});
