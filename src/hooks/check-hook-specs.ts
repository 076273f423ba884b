/**
 * Checks the CLI can run before anything is deployed: an `invoke-target:` payload file that is
 * missing or not JSON is a usage error at start, not a rollback ten minutes in.
 */

import { UsageError } from '../domain/errors.js';
import { formatHookSpec } from '../domain/hook-spec.js';
import type { HookSpec } from '../ports/hooks.js';
import { readInvokeTargetPayload } from './invoke-target-hook.js';

/** Throws UsageError `HOOK_INVALID` naming `where` (e.g. `--pre-hook`) for the first bad hook. */
export async function checkHookSpecs(hooks: { spec: HookSpec; where: string }[], cwd: string): Promise<void> {
  for (const { spec, where } of hooks) {
    if (spec.kind !== 'invoke-target') continue;
    const file = await readInvokeTargetPayload(spec.payloadFile, cwd);
    if (!file.ok) {
      throw new UsageError('HOOK_INVALID', `${where} ${formatHookSpec(spec)}: ${file.reason}`, {
        hint: 'Paths are relative to the directory lshift runs in. The file must hold the JSON event to send.',
      });
    }
  }
}
