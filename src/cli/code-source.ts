/**
 * Reads a code source chosen by flags into the port's CodeSource. A --zip is checked (a regular
 * file, within the upload limit, a zip archive) before it is read and before any AWS call, so a
 * wrong path fails with exit 2 here rather than in UpdateFunctionCode after the checks.
 */
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { echoInput } from '../domain/echo.js';
import { UsageError } from '../domain/errors.js';
import { describeNotRegularFile } from '../domain/file-kind.js';
import { checkUnzippedSize, checkZipSize } from '../domain/limits.js';
import {
  declaredUnzippedBytes,
  findZipEnd,
  readZip64End,
  ZIP_TAIL_BYTES,
  ZIP64_END_BYTES,
  type ZipEnd,
} from '../domain/zip-directory.js';
import type { CodeSource } from '../ports/lambda.js';
import type { CodeChoice } from './code-choice.js';

export function readCodeSource(choice: CodeChoice): CodeSource | undefined {
  switch (choice.kind) {
    case 'latest':
    case 'version':
      return undefined;
    case 's3':
      return { kind: 's3', bucket: choice.bucket, key: choice.key };
    case 'image':
      return { kind: 'image', imageUri: choice.imageUri };
    case 'zip': {
      const zipFile = readCheckedZip(choice.path);
      return { kind: 'zip', zipFile, fileName: basename(choice.path), codeSha256: codeSha256Of(zipFile) };
    }
  }
}

/**
 * Lambda's CodeSha256 of a zip: the base64 SHA-256 of the package
 * (https://docs.aws.amazon.com/lambda/latest/api/API_FunctionConfiguration.html).
 */
export function codeSha256Of(zipFile: Uint8Array): string {
  return createHash('sha256').update(zipFile).digest('base64');
}

/** What readCodeSource checks, without reading the whole package: run before any AWS call. */
export function checkCodeSource(choice: CodeChoice): void {
  if (choice.kind === 'zip') withZipFile(choice.path, (bytes) => checkZipBytes(choice.path, bytes));
}

/**
 * The package as uploaded, checked in memory: the bytes checked are the bytes sent, even when a
 * build is still writing the file between the early check and this read.
 */
function readCheckedZip(path: string): Buffer {
  const whole = withZipFile(path, (bytes) => {
    checkZipSize(bytes.size, echoInput(path));
    return bytes.readAt(0, bytes.size);
  });
  checkZipBytes(path, inMemory(whole));
  return whole;
}

/** Random access to a package's bytes, from its open file or from memory. */
interface ZipBytes {
  size: number;
  readAt(position: number, bytes: number): Buffer;
}

function inMemory(buffer: Buffer): ZipBytes {
  return {
    size: buffer.length,
    readAt: (position, bytes) => buffer.subarray(position, position + Math.max(0, bytes)),
  };
}

/**
 * Opens a regular file once (its size from that very descriptor) for `use`. The kind is looked at
 * by path first: opening a named pipe would wait for a writer.
 */
function withZipFile<T>(path: string, use: (bytes: ZipBytes) => T): T {
  let fd: number;
  let size: number;
  try {
    const kind = statSync(path);
    if (!kind.isFile()) throw new Error(`it ${describeNotRegularFile(kind)}`);
    fd = openSync(path, 'r');
  } catch (error) {
    throw notReadable(path, error);
  }
  try {
    try {
      const stat = fstatSync(fd);
      if (!stat.isFile()) throw new Error(`it ${describeNotRegularFile(stat)}`);
      size = stat.size;
    } catch (error) {
      throw notReadable(path, error);
    }
    return use({ size, readAt: (position, count) => readAt(fd, position, count) });
  } finally {
    closeSync(fd);
  }
}

function notReadable(path: string, error: unknown): UsageError {
  return new UsageError(
    'ZIP_NOT_READABLE',
    `Cannot read --zip ${echoInput(path)}: ${echoInput((error as Error).message)}.`,
    { hint: 'Pass the path of a .zip deployment package.' },
  );
}

/**
 * A zip archive starts with a local file header, or (empty) with the end of central directory:
 * https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT (4.3.7, 4.3.16).
 */
const ZIP_SIGNATURES = ['PK\u0003\u0004', 'PK\u0005\u0006'];

function checkZipBytes(path: string, bytes: ZipBytes): void {
  checkZipSize(bytes.size, echoInput(path));
  const head = bytes.readAt(0, 4).toString('latin1');
  if (!ZIP_SIGNATURES.includes(head)) {
    throw new UsageError(
      'ZIP_NOT_A_ZIP',
      `--zip ${echoInput(path)} is not a zip archive (it does not start with a zip signature, PK\\x03\\x04); Lambda could not unzip it.`,
      { hint: 'Pass the .zip deployment package your build produces (e.g. `zip -r function.zip .`).' },
    );
  }
  checkUnzippedSize(readUnzippedBytes(path, bytes), echoInput(path));
}

/**
 * What the archive's central directory says it unzips to (the zip is at most 50 MB, so is its
 * directory). An archive without a whole directory is refused here: Lambda would refuse it too
 * ("Could not unzip uploaded file", "Uploaded file must be a non-empty zip"), but only after the
 * upload, and `deploy` would have checked everything else by then.
 */
function readUnzippedBytes(path: string, bytes: ZipBytes): number {
  const { size } = bytes;
  const tailStart = Math.max(0, size - ZIP_TAIL_BYTES);
  let end: ZipEnd | undefined = findZipEnd(bytes.readAt(tailStart, size - tailStart));
  if (end === undefined)
    throw zipDamaged(
      path,
      'it has no end of central directory record (a truncated download or an interrupted build?)',
    );
  if (end.kind === 'zip64') end = readZip64End(bytes.readAt(end.zip64At, ZIP64_END_BYTES));
  if (end?.kind !== 'directory')
    throw zipDamaged(path, 'its Zip64 end of central directory record is missing or damaged');
  if (end.offset + end.bytes > size) {
    throw zipDamaged(
      path,
      `its central directory (${end.bytes} bytes at offset ${end.offset}) runs past the end of the file (${size} bytes)`,
    );
  }
  if (end.entries === 0) throw zipEmpty(path);
  const unzipped = declaredUnzippedBytes(bytes.readAt(end.offset, end.bytes), end.entries);
  if (unzipped === undefined) {
    throw zipDamaged(
      path,
      `there is no central directory of ${end.entries} entries where its end record says (offset ${end.offset})`,
    );
  }
  return unzipped;
}

const REBUILD_HINT =
  'Rebuild the package (e.g. `zip -r function.zip .`), check it with `unzip -t function.zip`, and pass that file to --zip.';

function zipDamaged(path: string, why: string): UsageError {
  return new UsageError(
    'ZIP_DAMAGED',
    `--zip ${echoInput(path)} is not a whole zip archive: ${why}; Lambda could not unzip it.`,
    {
      hint: REBUILD_HINT,
    },
  );
}

function zipEmpty(path: string): UsageError {
  return new UsageError(
    'ZIP_EMPTY',
    `--zip ${echoInput(path)} holds no file; Lambda refuses an empty deployment package.`,
    {
      hint: "Zip the function's code (e.g. `zip -r function.zip .` in the build directory) and pass that file to --zip.",
    },
  );
}

function readAt(fd: number, position: number, bytes: number): Buffer {
  const buffer = Buffer.alloc(Math.max(0, bytes));
  const read = readSync(fd, buffer, 0, buffer.length, position);
  return buffer.subarray(0, read);
}
