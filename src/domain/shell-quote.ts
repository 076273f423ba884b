/** A word as a POSIX shell reads it back unchanged: bare when safe, else single-quoted. */
export function shellQuote(text: string): string {
  return /^[A-Za-z0-9_.:/@=+-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
