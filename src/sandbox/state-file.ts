/**
 * The optional state file: the sandbox world as JSON, loaded at start and saved after every
 * change (write to a temporary file, then rename, so a crash never leaves half a file).
 * One running sandbox per state file.
 */
import { realpathSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { echoPathsIn } from '../domain/echo.js';
import { UsageError } from '../domain/errors.js';
import { describeSyntaxError } from '../domain/file-syntax.js';
import {
  checkSmallRegularFile,
  describeRefusal,
  MAX_SANDBOX_FILE_BYTES,
  readSmallRegularFile,
  type SmallFileRefusal,
} from './regular-file.js';
import { findStateProblem } from './state-validation.js';
import type { SandboxData } from './types.js';

export async function loadStateFile(path: string): Promise<SandboxData | undefined> {
  const read = readSmallRegularFile(path);
  if (read.kind === 'missing') return undefined;
  if (read.kind !== 'text') throw unreadable(path, read);
  const text = read.text;
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw invalid(path, `it is not JSON (${describeSyntaxError(text, error)})`);
  }
  const d = data as Partial<SandboxData>;
  if (typeof d !== 'object' || d === null || d.format !== 1) throw formatProblem(path, d);
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
  const text = JSON.stringify(data);
  const bytes = Buffer.byteLength(text);
  // A file the next start would refuse is no save: the last one that can be read back stays.
  if (bytes > MAX_SANDBOX_FILE_BYTES) {
    throw new UsageError(
      'SANDBOX_STATE_UNWRITABLE',
      echoPathsIn(
        `Cannot write the sandbox state file ${path}: the world is ${bytes} bytes, over the ${MAX_SANDBOX_FILE_BYTES / (1024 * 1024)} MiB a sandbox reads back from a state file.`,
        path,
      ),
      {
        hint: 'The file keeps the last world that fitted. Delete what the sandbox no longer needs (functions, alarms, custom metrics), or start over with another --state file.',
      },
    );
  }
  try {
    const temporary = `${target}.${process.pid}.tmp`;
    writeFileSync(temporary, text);
    renameSync(temporary, target);
  } catch (error) {
    throw new UsageError(
      'SANDBOX_STATE_UNWRITABLE',
      echoPathsIn(
        `Cannot write the sandbox state file ${path}${target === path ? '' : ` (→ ${target})`}: ${(error as Error).message}`,
        target,
        path,
      ),
      {
        hint: 'The sandbox writes a temporary file beside it, then renames it: the folder must be writable. Fix the permissions, or point --state at another file.',
      },
    );
  }
}

/**
 * Refuses a --state path that is no regular file or too large, or whose folder does not exist,
 * before anything is created beside it. A missing folder is a typo far more often than a wish:
 * the sandbox used to create the whole tree silently (found by a hostile pass:
 * `--state /no/such/dir/s.json`).
 */
export function checkStateFilePath(path: string): void {
  checkStateFolder(path);
  const refused = checkSmallRegularFile(path);
  if (refused) throw unreadable(path, refused);
}

function checkStateFolder(path: string): void {
  const folder = dirname(path);
  try {
    if (statSync(folder).isDirectory()) return;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // Anything else (a folder it may not search) is said by the file's own checks.
    if (code !== 'ENOENT' && code !== 'ENOTDIR') return;
  }
  throw new UsageError(
    'SANDBOX_STATE_UNWRITABLE',
    echoPathsIn(
      `The folder ${folder} of the sandbox state file ${path} does not exist (or is not a folder).`,
      path,
      folder,
    ),
    {
      hint: echoPathsIn(
        `The sandbox creates the state file, not its folder: create the folder first (\`mkdir -p ${folder}\`), or point --state at a file in an existing folder.`,
        folder,
      ),
    },
  );
}

function unreadable(path: string, refused: SmallFileRefusal): UsageError {
  return new UsageError(
    'SANDBOX_STATE_UNREADABLE',
    echoPathsIn(`The sandbox state file ${path} ${describeRefusal(refused)}.`, path),
    {
      hint: '--state takes a JSON file the sandbox writes (or will create). Check its permissions, or point the sandbox at another state file.',
    },
  );
}

/**
 * `format: 2` said "it has no `format: 1` field", as if the file were broken; a later lshift
 * that changes the file's shape writes a higher format (found by a hostile pass). Say so.
 */
function formatProblem(path: string, d: unknown): UsageError {
  const format = typeof d === 'object' && d !== null ? (d as { format?: unknown }).format : undefined;
  if (typeof format === 'number' && Number.isInteger(format) && format > 1) {
    // Not "delete it": that throws away the newer lshift's sandbox (found by a docs pass).
    return invalid(
      path,
      `it is format ${format}, written by a newer lshift; this one reads format 1 (upgrade lshift to use it)`,
      'Upgrade lshift to the version that wrote it, or point the sandbox at another state file (--state); the file is left as it is.',
    );
  }
  return invalid(path, 'it has no `format: 1` field');
}

function invalid(
  path: string,
  problem: string,
  hint = 'Delete it to start a fresh sandbox, or point the sandbox at another state file.',
): UsageError {
  return new UsageError(
    'SANDBOX_STATE_INVALID',
    // The problem names the file's own keys: shown without their control characters.
    echoPathsIn(`The sandbox state file ${path} cannot be used: ${problem}.`, path),
    { hint },
  );
}
