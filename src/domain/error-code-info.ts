/** What one error code means for the docs table and the exit code(s) it comes with. */
export interface ErrorCodeInfo {
  /** Exit codes this error ends a command with (the first is the usual one). */
  exits: readonly (1 | 2 | 4 | 5 | 130)[];
  /** What happened, for the docs table. */
  meaning: string;
}

export const usage = (meaning: string): ErrorCodeInfo => ({ exits: [2], meaning });
export const failed = (meaning: string): ErrorCodeInfo => ({ exits: [1], meaning });
export const conflict = (meaning: string): ErrorCodeInfo => ({ exits: [5], meaning });
