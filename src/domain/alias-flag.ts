/**
 * The `--alias` part of a command printed for several functions at once (a release's resume,
 * rollback or abort): ` --alias <alias>` when they share one alias other than the default `live`,
 * nothing for `live`. Functions on different aliases cannot be named on one command line; the
 * command is printed without it and each function's own line names its alias.
 */
export function sharedAliasFlag(aliases: Iterable<string>): string {
  const distinct = new Set(aliases);
  const [alias] = distinct;
  return distinct.size === 1 && alias !== undefined && alias !== 'live' ? ` --alias ${alias}` : '';
}
