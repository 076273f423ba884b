import type { HookPayload, ReleaseHookPayload } from '../ports/hooks.js';

/** Whether a payload is a whole release's (docs/hooks.md, "Hooks of a whole release"). */
export function isReleasePayload(payload: HookPayload): payload is ReleaseHookPayload {
  return 'releaseId' in payload;
}
