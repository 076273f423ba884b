/**
 * Pieces the words of a result share (describe-outcome.ts and the files it words a cause with).
 */
import type { OutcomeCause, OutcomeCode } from '../domain/outcome.js';

/** A cause of one code, its `data` typed. */
export type CauseWith<C extends OutcomeCode> = Extract<OutcomeCause, { code: C }>;

/** What the alias was seen at (`describeAliasState`), and where the deployment was (`at step 2 (20%)`). */
export interface ReasonPlace {
  where: string;
  state: string | undefined;
}

/** `2026-12-02T05:25:44Z`: an instant to the second, as the reasons give it. */
export function isoSeconds(at: number): string {
  return new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** What a rollback was for: `at step 2 (20%): alarm x is ALARM`, `interrupted at step 2 (20%)`. */
export function describeTrigger(after: OutcomeCause, where: string): string {
  return after.code === 'INTERRUPTED' ? `interrupted ${where}` : `${where}: ${after.detail ?? after.code}`;
}
