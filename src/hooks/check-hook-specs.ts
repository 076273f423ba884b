/**
 * Checks the CLI can run before anything is deployed: an `invoke-target:` payload file that is
 * missing or not JSON, or a `cmd:` hook's script named by a path (`./hooks/post.sh`) that is
 * missing or not executable, is a usage error at start, not a rollback ten minutes in (found by a
 * hostile pass: `--post-hook cmd:./nope/post.sh` passed `--dry-run` and the preflight, then failed
 * at 100% and rolled back).
 */

import { constants } from 'node:fs';
import { access, lstat, readlink, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { maskCommandSecrets } from '../domain/command-secrets.js';
import { firstCommandWord } from '../domain/command-word.js';
import { echoInput } from '../domain/echo.js';
import { UsageError } from '../domain/errors.js';
import { formatHookSpec } from '../domain/hook-spec.js';
import type { HookSpec } from '../ports/hooks.js';
import { readInvokeTargetPayload } from './invoke-target-hook.js';

/** Throws UsageError `HOOK_INVALID` naming `where` (e.g. `--pre-hook`) for the first bad hook. */
export async function checkHookSpecs(hooks: { spec: HookSpec; where: string }[], cwd: string): Promise<void> {
  for (const { spec, where } of hooks) {
    if (spec.kind === 'cmd')
      await checkCommandPath(spec.command, `${where} ${echoInput(formatHookSpec(spec))}`, cwd);
    if (spec.kind !== 'invoke-target') continue;
    const file = await readInvokeTargetPayload(spec.payloadFile, cwd);
    if (!file.ok) {
      throw new UsageError('HOOK_INVALID', `${where} ${echoInput(formatHookSpec(spec))}: ${file.reason}`, {
        hint: 'Paths are relative to the directory lshift runs in. The file must hold the JSON event to send.',
      });
    }
  }
}

/**
 * A command whose first word is a path (has a `/`, as the shell then runs that file rather than
 * search PATH) must name an executable file. A word the shell would expand is left alone, and so
 * is a program found on PATH (`cmd:npm test`): what runs there is the shell's to find.
 */
async function checkCommandPath(command: string, named: string, cwd: string): Promise<void> {
  const word = firstCommandWord(command);
  if (word === undefined || !word.includes('/')) return;
  const path = resolve(cwd, word);
  const problem = await pathProblem(path);
  if (problem === undefined) return;
  const link = problem.startsWith('is a symbolic link');
  // Shown as formatHookSpec shows the hook: a password in its arguments is no hint's to print
  // (it was, in full, beside a masked message; found by a hostile pass).
  const deferred = `cmd:sh ${echoInput(maskCommandSecrets(command.trim()))}`;
  throw new UsageError('HOOK_INVALID', `${named}: ${echoInput(path)} ${problem}`, {
    hint:
      problem === 'is not executable'
        ? `Make it executable (chmod +x ${word}), or run it through the shell: ${deferred}.`
        : `A command's path is relative to the directory lshift runs in (${cwd}): fix the path${link ? ' or the link, or create its target' : ''}. If an earlier hook creates the script, run it through the shell, ${deferred}, and it is looked for only when the hook runs.`,
  });
}

async function pathProblem(path: string): Promise<string | undefined> {
  try {
    const found = await stat(path);
    if (found.isDirectory()) return 'is a directory, not a script';
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ELOOP') return 'is a symbolic link in a loop';
    if (code !== 'ENOENT' && code !== 'ENOTDIR') return `cannot be read (${String(code)})`;
    const target = await danglingTarget(path);
    // The link is there (`ls` shows it): saying it "does not exist" sent people looking for it.
    return target === undefined ? 'does not exist' : `is a symbolic link to ${target}, which does not exist`;
  }
  try {
    await access(path, constants.X_OK);
    return undefined;
  } catch {
    return 'is not executable';
  }
}

/** How many links lshift follows to the missing target of a link (Linux's own limit). */
const MAX_LINKS = 40;

/** The missing path a dangling symbolic link at `path` ends at (through links to links), if it is one. */
async function danglingTarget(path: string): Promise<string | undefined> {
  let at = path;
  for (let hop = 0; hop < MAX_LINKS; hop++) {
    try {
      if (!(await lstat(at)).isSymbolicLink()) return undefined;
      at = resolve(dirname(at), await readlink(at));
    } catch {
      return at === path ? undefined : at;
    }
  }
  return undefined;
}
