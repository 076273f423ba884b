/**
 * The profile the clients were built with (`--profile`, the config file's `profile`), for the
 * words of an error that has no client at hand (error-mapping.ts): the SDK is given the profile
 * as client config, not AWS_PROFILE, so "no credentials" said "Pass --profile" to someone who
 * had (h4's list, session 68). One process runs one command against one target.
 */
let named: string | undefined;

export function noteNamedProfile(profile: string | undefined): void {
  named = profile?.trim() || undefined;
}

/** The profile named by a flag or the config file, else AWS_PROFILE, else undefined. */
export function namedProfile(): string | undefined {
  return named ?? (process.env['AWS_PROFILE']?.trim() || undefined);
}
