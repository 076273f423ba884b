/**
 * `AWS_REGION=` (or one left empty by a CI template) means "not set" to a shell user, but the
 * SDK takes an empty AWS_REGION as the region: it never reaches the profile's region and fails
 * with "Region not accepted" (REGION_MISSING). So before any client is built, the variables that
 * choose the region and the profile are put as the user meant them: blank ones removed (the next
 * source in the AWS CLI's order is used — https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-envvars.html),
 * padded ones trimmed (lshift checks the trimmed name; the SDK would send the padded one).
 */
export const BLANK_MEANS_UNSET = ['AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_PROFILE'] as const;

/** Removes blank and trims padded values of BLANK_MEANS_UNSET in `env`; returns the names removed. */
export function unsetBlankAwsVariables(env: NodeJS.ProcessEnv = process.env): string[] {
  const removed: string[] = [];
  for (const name of BLANK_MEANS_UNSET) {
    const value = env[name];
    if (value === undefined) continue;
    const trimmed = value.trim();
    if (trimmed === '') {
      delete env[name];
      removed.push(name);
    } else if (trimmed !== value) env[name] = trimmed;
  }
  return removed;
}
