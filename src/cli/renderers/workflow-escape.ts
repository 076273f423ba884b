/**
 * GitHub's escaping of a workflow command's parts
 * (https://docs.github.com/en/actions/reference/workflow-commands-for-github-actions).
 */

/** The message part (`%`, CR, LF). */
export function escapeData(text: string): string {
  return text.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
}

/** …and property values (`title=`), which also end at `:` and `,`. */
export function escapeProperty(text: string): string {
  return escapeData(text).replaceAll(':', '%3A').replaceAll(',', '%2C');
}
