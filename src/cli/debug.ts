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

/** The words before `--`: the only ones that can be options. */
export function optionsOf(argv: readonly string[]): readonly string[] {
  const end = argv.indexOf('--');
  return end === -1 ? argv : argv.slice(0, end);
}

const OFF = new Set(['', '0', 'false', 'no', 'off']);

function isOn(value: string | undefined): boolean {
  return value !== undefined && !OFF.has(value.trim().toLowerCase());
}
