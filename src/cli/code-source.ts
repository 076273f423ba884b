/** Reads a code source chosen by flags into the port's CodeSource, checking the zip limit before reading it. */
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { UsageError } from '../domain/errors.js';
import { checkZipSize } from '../domain/limits.js';
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
      return readZip(choice.path);
  }
}

function readZip(path: string): CodeSource {
  let size: number;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) throw new Error('not a regular file');
    size = stat.size;
  } catch (error) {
    throw new UsageError('ZIP_NOT_READABLE', `Cannot read --zip ${path}: ${(error as Error).message}.`, {
      hint: 'Pass the path of a .zip deployment package.',
    });
  }
  checkZipSize(size, path);
  return { kind: 'zip', zipFile: readFileSync(path), fileName: basename(path) };
}
