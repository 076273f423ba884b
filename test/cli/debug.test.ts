import { describe, expect, it } from 'vitest';
import { isDebugRun } from '../../src/cli/debug.js';

describe('isDebugRun: whether stacks are printed', () => {
  it.each([
    [['deploy', 'fn', '--debug'], {}, true],
    [['deploy', 'fn'], { LSHIFT_DEBUG: '1' }, true],
    [['deploy', 'fn'], {}, false],
    [['deploy', 'fn'], { LSHIFT_DEBUG: '' }, false],
    // A CI template's `LSHIFT_DEBUG: ${{ inputs.debug }}` passes "false": that is off, not on.
    [['deploy', 'fn'], { LSHIFT_DEBUG: '0' }, false],
    [['deploy', 'fn'], { LSHIFT_DEBUG: 'false' }, false],
    [['deploy', 'fn'], { LSHIFT_DEBUG: ' FALSE ' }, false],
    [['deploy', 'fn'], { LSHIFT_DEBUG: 'no' }, false],
    [['deploy', 'fn'], { LSHIFT_DEBUG: 'off' }, false],
    [['deploy', 'fn'], { LSHIFT_DEBUG: ' ' }, false],
    [['deploy', 'fn'], { LSHIFT_DEBUG: 'true' }, true],
    [['deploy', 'fn'], { LSHIFT_DEBUG: 'yes' }, true],
    // After `--` it is an argument (a hook's, a strategy's), not the flag.
    [['deploy', 'fn', '--', '--debug'], {}, false],
    [['deploy', '--debug', '--', 'x'], {}, true],
  ] as const)('%j with %j: %s', (argv, env, debug) => {
    expect(isDebugRun(argv, env)).toBe(debug);
  });
});
