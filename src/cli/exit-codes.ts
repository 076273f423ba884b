/** The exit-code table shown in every command's --help (docs/exit-codes.md has the long form). */
export const EXIT_CODES_HELP = [
  'EXIT CODES',
  '  0  success: promoted to 100% (or nothing to do)',
  '  1  failed before traffic moved (AWS, permission, internal error); alias unchanged',
  '  2  usage, config or validation error; nothing changed',
  '  3  rolled back: checks failed, all traffic is back on the stable version',
  '  4  unsafe: rollback failed or the alias is in an unknown/split state; a human must look',
  '  5  conflict: another deployment holds the alias, or it changed underneath; nothing overwritten',
].join('\n');
