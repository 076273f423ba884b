/**
 * Why a deployment or rollback ended as it did, as data: a stable code and the values behind it.
 * The engine returns it in every result (`cause`, with `step`, the program index it stopped at);
 * the CLI decides the exit code from `status` and can word it from the code and data.
 */
export type OutcomeCause =
  /** A health gate failed (alarm, canary analysis). */
  | { code: 'GATE_FAILED'; data: { gates: string[] } }
  /** Health could not be read for `consecutive` polls in a row. */
  | { code: 'HEALTH_UNREADABLE'; data: { consecutive: number; limit: number } }
  /** A step ended without a verdict under `--on-inconclusive fail`. */
  | { code: 'INCONCLUSIVE'; data: { gates: string[] } }
  | { code: 'HOOK_FAILED'; data: { phase: string; hooks: string[] } }
  /** An alias weight write failed with an error other than a conflict. */
  | { code: 'WEIGHT_WRITE_FAILED'; data: { percent: number; error?: string } }
  /** Someone else moved the alias (HTTP 412 on the RevisionId). */
  | { code: 'ALIAS_CHANGED'; data: Record<string, never> }
  /** Another lshift took the deployment record over (resume, supersede, rollback). */
  | { code: 'TAKEN_OVER'; data: Record<string, never> }
  /** Ctrl-C/SIGTERM; `left` when the weights were left as they were (--on-interrupt leave). */
  | { code: 'INTERRUPTED'; data: { left: boolean } }
  /** The settle wait failed. */
  | { code: 'SETTLE_FAILED'; data: Record<string, never> }
  /** A resumed deployment was rolling back (or its rollback had failed): it is finished. */
  | { code: 'ROLLBACK_UNFINISHED'; data: { phase: string } }
  /** The rollback write kept failing: the alias may be split. */
  | { code: 'ROLLBACK_FAILED'; data: { attempts: number } }
  /** The alias changed during the rollback; nothing was overwritten. */
  | { code: 'ROLLBACK_CONFLICT'; data: Record<string, never> }
  /** The alias already routes everything to the version asked for. */
  | { code: 'NOTHING_TO_DO'; data: Record<string, never> }
  /** A bug or an unexpected port failure mid-shift. */
  | { code: 'INTERNAL'; data: { error: string } };

export type OutcomeCode = OutcomeCause['code'];

export function causeOf<C extends OutcomeCode>(
  code: C,
  data: Extract<OutcomeCause, { code: C }>['data'],
): OutcomeCause {
  return { code, data } as OutcomeCause;
}
