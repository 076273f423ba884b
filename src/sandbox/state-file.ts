/**
 * The optional state file: the sandbox world as JSON, loaded at start and saved after every
 * change (write to a temporary file, then rename, so a crash never leaves half a file).
 * One running sandbox per state file.
 */
import { mkdirSync, readFileSync, realpathSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { UsageError } from '../domain/errors.js';
import { describeSyntaxError } from '../domain/file-syntax.js';
import { printable } from '../domain/printable.js';
import { findStateProblem } from './state-validation.js';
import type { SandboxData } from './types.js';

export async function loadStateFile(path: string): Promise<SandboxData | undefined> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new UsageError(
      'SANDBOX_STATE_UNREADABLE',
      `Cannot read the sandbox state file ${path}: ${(error as Error).message}`,
      {
        hint: 'Check the file permissions, or point the sandbox at another state file.',
      },
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw invalid(path, `it is not JSON (${describeSyntaxError(text, error)})`);
  }
  const d = data as Partial<SandboxData>;
  if (typeof d !== 'object' || d === null || d.format !== 1)
    throw invalid(path, 'it has no `format: 1` field');
  const problem = await findStateProblem(d);
  if (problem !== undefined) throw invalid(path, problem);
  return d as SandboxData;
}

/**
 * The file a save replaces: a symlink's target, since renaming onto the link itself would turn
 * it into a plain file and leave the target behind, never updated again.
 */
export function resolveStateFile(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

export function saveStateFile(path: string, data: SandboxData): void {
  const target = resolveStateFile(path);
  try {
    mkdirSync(dirname(target), { recursive: true });
    const temporary = `${target}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(data));
    renameSync(temporary, target);
  } catch (error) {
    throw new UsageError(
      'SANDBOX_STATE_UNWRITABLE',
      `Cannot write the sandbox state file ${path}${target === path ? '' : ` (→ ${target})`}: ${(error as Error).message}`,
      {
        hint: 'The sandbox writes a temporary file beside it, then renames it: the folder must be writable. Fix the permissions, or point --state at another file.',
      },
    );
  }
}

function invalid(path: string, problem: string): UsageError {
  return new UsageError(
    'SANDBOX_STATE_INVALID',
    // The problem names the file's own keys: shown without their control characters.
    printable(`The sandbox state file ${path} cannot be used: ${problem}.`),
    {
      hint: 'Delete it to start a fresh sandbox, or point the sandbox at another state file.',
    },
  );
}
