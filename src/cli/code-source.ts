/**
 * Reads a code source chosen by flags into the port's CodeSource. A --zip is checked (a regular
 * file, within the upload limit, a zip archive) before it is read and before any AWS call, so a
 * wrong path fails with exit 2 here rather than in UpdateFunctionCode after the checks.
 */
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { echoInput } from '../domain/echo.js';
import { UsageError } from '../domain/errors.js';
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
import type { CodeChoice } from './deploy-options.js';

export function readCodeSource(choice: CodeChoice): CodeSource | undefined {
  switch (choice.kind) {
    case 'latest':
    case 'version':
      return undefined;
    case 's3':
      return { kind: 's3', bucket: choice.bucket, key: choice.key };
    case 'image':
      return { kind: 'image', imageUri: choice.imageUri };
    case 'zip':
      checkZipFile(choice.path);
      return { kind: 'zip', zipFile: readFileSync(choice.path), fileName: basename(choice.path) };
  }
}

/** What readCodeSource checks, without reading the whole package: run before any AWS call. */
export function checkCodeSource(choice: CodeChoice): void {
  if (choice.kind === 'zip') checkZipFile(choice.path);
}

/**
 * A zip archive starts with a local file header, or (empty) with the end of central directory:
 * https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT (4.3.7, 4.3.16).
 */
const ZIP_SIGNATURES = ['PK\u0003\u0004', 'PK\u0005\u0006'];

function checkZipFile(path: string): void {
  let size: number;
  let head: string;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) throw new Error('not a regular file');
    size = stat.size;
    head = readHead(path, 4);
  } catch (error) {
    throw new UsageError(
      'ZIP_NOT_READABLE',
      `Cannot read --zip ${echoInput(path)}: ${echoInput((error as Error).message)}.`,
      {
        hint: 'Pass the path of a .zip deployment package.',
      },
    );
  }
  checkZipSize(size, echoInput(path));
  if (!ZIP_SIGNATURES.includes(head)) {
    throw new UsageError(
      'ZIP_NOT_A_ZIP',
      `--zip ${echoInput(path)} is not a zip archive (it does not start with a zip signature, PK\\x03\\x04); Lambda could not unzip it.`,
      { hint: 'Pass the .zip deployment package your build produces (e.g. `zip -r function.zip .`).' },
    );
  }
  checkUnzippedSize(readUnzippedBytes(path, size), echoInput(path));
}

/**
 * What the archive's central directory says it unzips to (the zip is at most 50 MB, so is its
 * directory). An archive without a whole directory is refused here: Lambda would refuse it too
 * ("Could not unzip uploaded file", "Uploaded file must be a non-empty zip"), but only after the
 * upload, and `deploy` would have checked everything else by then.
 */
function readUnzippedBytes(path: string, size: number): number {
  const fd = openSync(path, 'r');
  try {
    const tailStart = Math.max(0, size - ZIP_TAIL_BYTES);
    let end: ZipEnd | undefined = findZipEnd(readAt(fd, tailStart, size - tailStart));
    if (end === undefined)
      throw zipDamaged(
        path,
        'it has no end of central directory record (a truncated download or an interrupted build?)',
      );
    if (end.kind === 'zip64') end = readZip64End(readAt(fd, end.zip64At, ZIP64_END_BYTES));
    if (end?.kind !== 'directory')
      throw zipDamaged(path, 'its Zip64 end of central directory record is missing or damaged');
    if (end.offset + end.bytes > size) {
      throw zipDamaged(
        path,
        `its central directory (${end.bytes} bytes at offset ${end.offset}) runs past the end of the file (${size} bytes)`,
      );
    }
    if (end.entries === 0) throw zipEmpty(path);
    const unzipped = declaredUnzippedBytes(readAt(fd, end.offset, end.bytes), end.entries);
    if (unzipped === undefined) {
      throw zipDamaged(
        path,
        `there is no central directory of ${end.entries} entries where its end record says (offset ${end.offset})`,
      );
    }
    return unzipped;
  } finally {
    closeSync(fd);
  }
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

function readHead(path: string, bytes: number): string {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const read = readSync(fd, buffer, 0, bytes, 0);
    return buffer.subarray(0, read).toString('latin1');
  } finally {
    closeSync(fd);
  }
}
