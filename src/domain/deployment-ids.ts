/** Ids lshift makes: a deployment's (`d-k3j9x2`) and a release's (`r-k3j9x2`). */

/** `d-` and 6 base-36 characters drawn from `random` (returns [0, 1), like Math.random). */
export function createDeploymentId(random: () => number, prefix: 'd-' | 'r-' = 'd-'): string {
  let id = prefix;
  for (let i = 0; i < 6; i++) {
    const digit = Math.min(35, Math.max(0, Math.floor(random() * 36)));
    id += digit.toString(36);
  }
  return id;
}

/** A release's id: `r-` and 6 base-36 characters (the `rl=` of each of its records). */
export function createReleaseId(random: () => number): string {
  return createDeploymentId(random, 'r-');
}

/** A release id as lshift makes them; anything else is refused before it is looked for. */
export function isReleaseId(text: string): boolean {
  return /^r-[0-9a-z]{6}$/.test(text);
}
