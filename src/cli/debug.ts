/**
 * Whether this run prints stacks (an error's, a Node warning's): `--debug`, or LSHIFT_DEBUG set
 * to anything but a word for off (`0`, `false`, `no`, `off`, blank: a CI template's
 * `LSHIFT_DEBUG: ${{ inputs.debug }}` passes "false", which printed every error's stack). Read from argv, not from parsed flags: an error may come before (or from) the
 * parse, and Node warnings are routed before oclif loads. After `--` every word is an argument.
 */
export function isDebugRun(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): boolean {
  if (isOn(env.LSHIFT_DEBUG)) return true;
  return optionsOf(argv).includes('--debug');
}

/**
 * Whether the caller asked for JSON on stdout: `--json`, or `--json=<anything>` before `--`. The
 * second is refused (a boolean flag takes no value), but its caller reads stdout: the refusal
 * was plain text on stderr with stdout empty (found by a hostile pass), so it goes there as JSON.
 */
export function asksForJson(argv: readonly string[]): boolean {
  return optionsOf(argv).some((token) => token === '--json' || token.startsWith('--json='));
}

/** The words before `--`: the only ones that can be options. */
export function optionsOf(argv: readonly string[]): readonly string[] {
  const end = argv.indexOf('--');
  return end === -1 ? argv : argv.slice(0, end);
}

const OFF = new Set(['', '0', 'false', 'no', 'off']);

function isOn(value: string | undefined): boolean {
  return value !== undefined && !OFF.has(value.trim().toLowerCase());
}
