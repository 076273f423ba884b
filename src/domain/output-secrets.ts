/**
 * What a hook prints, with secrets masked before lshift keeps or shows any of it: progress lines,
 * `hook.output` events, the output tail and the failure reason quoting its last line, and so the
 * `::error::` annotation, the step summary and the `--json` result (docs/hooks.md, "Secrets in
 * hook output"). Pure.
 *
 * A `cmd:` hook's line, in this order:
 * 1. the exact value of every variable of the hook's environment whose name looks secret
 *    (looksSecretName: `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`, `AWS_ACCESS_KEY_ID`,
 *    `DB_PASSWORD`, `GITHUB_TOKEN`, …) becomes `***` wherever it stands in the line. Only values of
 *    MIN_SECRET_VALUE_CHARS characters or more (a sandbox's `x` credential must not mask every
 *    `x`), longest first (a value holding another is masked whole); a value of several lines (a
 *    PEM key) is masked line by line;
 * 2. then the rules of hook specs (maskCommandSecrets): `NAME=value` with a secret-looking name,
 *    JSON members, token shapes (`AKIA…`, `ghp_…`, `Bearer …`), URLs' userinfo and query values.
 * An HTTP hook's body and a Lambda hook's response go through 2 only (maskOutputLine).
 *
 * A secret lshift does not know (a password read from a file, a value under another name) and
 * printed in no shape it recognizes is shown as printed.
 */
import { looksSecretName, maskCommandSecrets } from './command-secrets.js';

/** Shorter values of secret-looking variables are not masked in output. */
export const MIN_SECRET_VALUE_CHARS = 8;

const MASK = '***';

/** One output line with what looks like a secret masked, by shape only (no known values). */
export function maskOutputLine(line: string): string {
  return maskCommandSecrets(line);
}

/** The values to mask in the output of a process given `env`: longest first, each once. */
export function secretValuesOf(env: Readonly<Record<string, string | undefined>>): string[] {
  const values = new Set<string>();
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || !looksSecretName(name)) continue;
    const parts = value.includes('\n') ? [value, ...value.split(/\r?\n/).map((l) => l.trim())] : [value];
    for (const part of parts) if (part.length >= MIN_SECRET_VALUE_CHARS) values.add(part);
  }
  return [...values].sort((a, b) => b.length - a.length);
}

/** A masker for the lines of a process given `env`: its secret values, then the shapes. */
export function createOutputMasker(
  env: Readonly<Record<string, string | undefined>>,
): (line: string) => string {
  const values = secretValuesOf(env);
  return (line) => {
    let text = line;
    for (const value of values) if (text.includes(value)) text = text.split(value).join(MASK);
    return maskOutputLine(text);
  };
}
