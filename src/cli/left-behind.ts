/**
 * What a deploy that stopped on an error after its publish leaves behind: the versions it
 * published. Every check that can run before the upload runs before it (preflight-publish.ts),
 * so this is said only when something could be decided no earlier — the published version itself
 * (its state, its asynchronous-invocation config when the publish gave another version than
 * foreseen), a change by someone else during the upload, the record's first write — or when one
 * function's publish of a release failed after others had published. No alias routes to such a
 * version, and Lambda gives it back to the next deploy of the same code and configuration instead
 * of publishing another, so it is harmless; the message says how to delete it all the same.
 */
import { ExitCode, isLshiftError } from '../domain/errors.js';

/** A version a deploy published itself (Lambda made it; not one it returned because nothing changed). */
export interface PublishedHere {
  functionName: string;
  version: string;
}

/**
 * `error` with the versions this deploy published added to its message. Not after traffic moved
 * (exit 4 says what to do with the alias, which matters more), and not for an error that is no
 * lshift error (a bug: its report stays as it is).
 */
export function noteLeftBehind(
  error: unknown,
  published: readonly PublishedHere[],
  /** Functions whose PublishVersion a signal cut short in flight: Lambda may have made a version. */
  cutShort: readonly string[] = [],
): unknown {
  if (published.length + cutShort.length === 0 || !isLshiftError(error) || error.exitCode === ExitCode.Unsafe)
    return error;
  if (published.length > 0) error.message += `\n${describeLeftBehind(published)}`;
  if (cutShort.length > 0) error.message += `\n${describeCutShort(cutShort)}`;
  return error;
}

/**
 * A publish abandoned by a Ctrl-C or SIGTERM may still have been made by Lambda: the list above
 * named only the versions whose answer came, and said nothing of these (found by a hostile pass,
 * session 61: SIGTERM during a release's publishes, 4 in flight).
 */
function describeCutShort(functions: readonly string[]): string {
  const them = functions.length === 1 ? 'it' : 'each';
  // Each function's listing: it named the first only (h1's pass, session 71).
  const lists = functions.map((fn) => `\`aws lambda list-versions-by-function --function-name ${fn}\``);
  return `Stopped by the interrupt before its answer: the publish of ${functions.join(', ')}. Lambda may have published a version of ${them} anyway (no alias routes to it, so it is harmless); ${lists.join('; ')} ${functions.length === 1 ? 'shows it' : 'show them'}.`;
}

export function describeLeftBehind(published: readonly PublishedHere[]): string {
  const removal = published
    .map((p) => `\`aws lambda delete-function --function-name ${p.functionName} --qualifier ${p.version}\``)
    .join('; ');
  if (published.length === 1) {
    const { functionName, version } = published[0]!;
    return `Left behind: version ${version} of ${functionName}, which this deploy published. No alias routes to it, so it is harmless (Lambda gives it back to the next deploy of the same code and configuration instead of publishing another); to delete it: ${removal}.`;
  }
  const list = published.map((p) => `${p.functionName} version ${p.version}`).join(', ');
  return `Left behind: the versions this deploy published (${list}). No alias routes to them, so they are harmless (Lambda gives each back to the next deploy of the same code and configuration instead of publishing another); to delete them: ${removal}.`;
}
