/** What a path that is not a regular file is, for messages ("… is a named pipe (FIFO)"). */
export interface FileKindStats {
  isDirectory(): boolean;
  isFIFO(): boolean;
  isSocket(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
}

/** `a directory`, `a named pipe (FIFO)`, `a socket`, `a device`, or undefined for any other kind. */
export function nameFileKind(stats: FileKindStats): string | undefined {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a named pipe (FIFO)';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  return undefined;
}

/**
 * `is a directory, not a regular file`, or `is not a regular file` for a kind without a name: the
 * rest of a sentence that starts with the path, so no caller says "not a regular file" twice.
 */
export function describeNotRegularFile(stats: FileKindStats): string {
  const kind = nameFileKind(stats);
  return kind === undefined ? 'is not a regular file' : `is ${kind}, not a regular file`;
}
