/**
 * What Lambda says of a ZipFile it cannot use, judged as its unzip would start: from the end of
 * central directory record (https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT 4.3.16).
 * Cheap: the end record and the directory's place are read, not the files. Lambda answers
 * InvalidParameterValueException "Could not unzip uploaded file. Please check your file, then try
 * to upload again." for bytes with no whole directory, and "Uploaded file must be a non-empty zip"
 * for an archive of no file (https://docs.aws.amazon.com/lambda/latest/api/API_UpdateFunctionCode.html,
 * Errors: InvalidParameterValueException).
 */
import { findZipEnd, readZip64End, ZIP_TAIL_BYTES, ZIP64_END_BYTES } from '../domain/zip-directory.js';

export const COULD_NOT_UNZIP =
  'Could not unzip uploaded file. Please check your file, then try to upload again.';
export const EMPTY_ZIP = 'Uploaded file must be a non-empty zip';

/** Lambda's message for a zip it refuses, or undefined for one it would unzip. */
export function describeUnusableZip(zip: Buffer): string | undefined {
  // A real zip starts with a local file header (or, empty, with the end record).
  const magic = zip.subarray(0, 4).toString('hex');
  if (magic !== '504b0304' && magic !== '504b0506') return COULD_NOT_UNZIP;
  let end = findZipEnd(zip.subarray(Math.max(0, zip.length - ZIP_TAIL_BYTES)));
  if (end?.kind === 'zip64') end = readZip64End(zip.subarray(end.zip64At, end.zip64At + ZIP64_END_BYTES));
  if (end?.kind !== 'directory' || end.offset + end.bytes > zip.length) return COULD_NOT_UNZIP;
  return end.entries === 0 ? EMPTY_ZIP : undefined;
}
