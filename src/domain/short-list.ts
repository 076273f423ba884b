/**
 * A list of names for one line of a message: the first `max`, then how many more. A refusal that
 * names 5,000 missing alarms in full is a 34 KB line nobody reads (and it is printed twice).
 */
export function shortList(names: readonly string[], max = 10): string {
  if (names.length <= max) return names.join(', ');
  return `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}
