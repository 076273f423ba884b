/** The closest known name to a mistyped one (commands, flags), or undefined when nothing is close. */
import { distance as editDistance } from 'fastest-levenshtein';

export function closestName(typed: string, names: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of names) {
    const distance = editDistance(typed, name);
    if (!best || distance < best.distance) best = { name, distance };
  }
  // "deplyo" → "deploy" (2), "sandbx" → "sandbox" (1); "frobnicate" suggests nothing.
  if (!best || best.distance > Math.max(2, Math.floor(typed.length / 3))) return undefined;
  return best.name;
}
