/**
 * Reads how many bytes a zip archive says it unzips to, from its central directory, without
 * unzipping it: Lambda refuses a package over 250 MB unzipped ("Unzipped size must be smaller
 * than 262144000 bytes", https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html),
 * but only after the upload; a small zip of a huge file of zeros is found here first.
 * Pure: the caller reads the bytes. Layout: https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT
 * (4.3.12 central directory header, 4.3.14–4.3.16 end records, 4.5.3 Zip64 extra field).
 */

const END_SIGNATURE = 0x06054b50;
const END_BYTES = 22;
const MAX_COMMENT = 0xffff;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_LOCATOR_BYTES = 20;
const ZIP64_END_SIGNATURE = 0x06064b50;
export const ZIP64_END_BYTES = 56;
const HEADER_SIGNATURE = 0x02014b50;
const HEADER_BYTES = 46;
const ZIP64_EXTRA_ID = 0x0001;
const FULL32 = 0xffffffff;
const FULL16 = 0xffff;

/** How many bytes from the end hold the end record and a Zip64 locator, whatever the comment. */
export const ZIP_TAIL_BYTES = END_BYTES + MAX_COMMENT + ZIP64_LOCATOR_BYTES;

/** Where the central directory is; `zip64At` when the sizes live in the Zip64 end record there. */
export type ZipEnd =
  | { kind: 'directory'; offset: number; bytes: number; entries: number }
  | { kind: 'zip64'; zip64At: number };

/**
 * Finds the end of central directory record in the last bytes of an archive (`tail`, up to
 * ZIP_TAIL_BYTES of them). Undefined when there is none: not a whole zip.
 */
export function findZipEnd(tail: Uint8Array): ZipEnd | undefined {
  const view = viewOf(tail);
  for (let at = tail.length - END_BYTES; at >= 0 && at >= tail.length - END_BYTES - MAX_COMMENT; at--) {
    if (view.getUint32(at, true) !== END_SIGNATURE) continue;
    // The record's comment runs to the end of the file: a signature met inside a comment does not.
    if (at + END_BYTES + view.getUint16(at + 20, true) !== tail.length) continue;
    const entries = view.getUint16(at + 10, true);
    const bytes = view.getUint32(at + 12, true);
    const offset = view.getUint32(at + 16, true);
    const zip64 = entries === FULL16 || bytes === FULL32 || offset === FULL32;
    const locator = at - ZIP64_LOCATOR_BYTES;
    if (zip64 && locator >= 0 && view.getUint32(locator, true) === ZIP64_LOCATOR_SIGNATURE) {
      return { kind: 'zip64', zip64At: Number(view.getBigUint64(locator + 8, true)) };
    }
    return { kind: 'directory', offset, bytes, entries };
  }
  return undefined;
}

/** Reads the Zip64 end record (56 bytes at `zip64At`) into the central directory's place. */
export function readZip64End(record: Uint8Array): ZipEnd | undefined {
  if (record.length < ZIP64_END_BYTES) return undefined;
  const view = viewOf(record);
  if (view.getUint32(0, true) !== ZIP64_END_SIGNATURE) return undefined;
  return {
    kind: 'directory',
    entries: Number(view.getBigUint64(32, true)),
    bytes: Number(view.getBigUint64(40, true)),
    offset: Number(view.getBigUint64(48, true)),
  };
}

/**
 * The sum of the uncompressed sizes the central directory declares, or undefined when the bytes
 * are not the directory the end record announced (data before the archive, a damaged file):
 * the check then leaves the judgement to Lambda.
 */
export function declaredUnzippedBytes(directory: Uint8Array, entries: number): number | undefined {
  const view = viewOf(directory);
  let total = 0;
  let at = 0;
  for (let i = 0; i < entries; i++) {
    if (at + HEADER_BYTES > directory.length || view.getUint32(at, true) !== HEADER_SIGNATURE)
      return undefined;
    const nameBytes = view.getUint16(at + 28, true);
    const extraBytes = view.getUint16(at + 30, true);
    const commentBytes = view.getUint16(at + 32, true);
    const extraAt = at + HEADER_BYTES + nameBytes;
    const next = extraAt + extraBytes + commentBytes;
    if (next > directory.length) return undefined;
    const size = view.getUint32(at + 24, true);
    const entrySize = size === FULL32 ? zip64Size(view, extraAt, extraBytes) : size;
    if (entrySize === undefined) return undefined;
    total += entrySize;
    at = next;
  }
  return total;
}

/** The uncompressed size in a Zip64 extra field: its first value when the header's is 0xFFFFFFFF. */
function zip64Size(view: DataView, extraAt: number, extraBytes: number): number | undefined {
  for (let at = extraAt; at + 4 <= extraAt + extraBytes; ) {
    const id = view.getUint16(at, true);
    const bytes = view.getUint16(at + 2, true);
    if (id === ZIP64_EXTRA_ID && bytes >= 8 && at + 12 <= extraAt + extraBytes) {
      return Number(view.getBigUint64(at + 4, true));
    }
    at += 4 + bytes;
  }
  return undefined;
}

function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
