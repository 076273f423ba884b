/**
 * The hook function behaviour the sandbox acts out instead of running the function's code
 * (hooks.ts): what it reports with PutLifecycleEventHookExecutionStatus, and after how long.
 */
export const ENV_HOOK_STATUS = 'LSHIFT_SANDBOX_HOOK_STATUS';
export const ENV_HOOK_DELAY = 'LSHIFT_SANDBOX_HOOK_DELAY_SECONDS';
