/**
 * Which profile names the AWS SDK reads from the shared files' section headers. Its INI parser
 * (@smithy/core's shared-ini-file-loader parseIni) takes a header of two words, `[<type> <name>]`,
 * only for a name of letters, digits and `_ - @ + . % : /` (quoted or not): `[profile sb x]` in
 * ~/.aws/config is dropped, and so is `[sb x]` in ~/.aws/credentials (read as a section of type
 * `sb`). lshift's own reading (profile-check.ts readIni) found such a profile, the SDK found no
 * credentials, and lshift said "Pass --profile" to someone who had (h4's list, session 68).
 * test/aws/profile-names.test.ts pins this against the SDK's own parser.
 */

/** The SDK's `[<type> <name>]` header (prefixKeyRegex, copied as the SDK writes it). */
const TYPED_SECTION = /^([\w-]+)\s(["'])?([\w-@+.%:/]+)\2$/;

/** The profile the SDK reads a section header (the text between `[` and `]`) as, or undefined. */
export function sdkProfileOf(header: string, isConfig: boolean): string | undefined {
  const typed = TYPED_SECTION.exec(header);
  if (isConfig) {
    if (typed) return typed[1] === 'profile' ? typed[3] : undefined;
    return header === 'default' ? 'default' : undefined;
  }
  // The credentials file's profiles are its plain headers: a typed one is another kind of section.
  return typed ? undefined : header;
}

/** The section headers of an INI text as the SDK cuts them (a line's `#`/`;` comment dropped, trimmed). */
export function sectionHeaders(text: string): string[] {
  const headers: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const trimmed = line.split(/(^|\s)[;#]/)[0]!.trim();
    if (trimmed.startsWith('[') && trimmed.endsWith(']')) headers.push(trimmed.slice(1, -1));
  }
  return headers;
}
