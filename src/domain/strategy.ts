/**
 * Traffic-shifting strategies (DESIGN.md §3). Pure. `parseStrategy` accepts every documented
 * spelling and throws UsageError `STRATEGY_INVALID` naming the bad part and the accepted forms.
 */
export type Strategy =
  | { kind: 'canary'; name: string; percent: number; intervalSeconds: number }
  | { kind: 'linear'; name: string; percent: number; intervalSeconds: number }
  | { kind: 'all-at-once'; name: string }
  | { kind: 'steps'; name: string; steps: { percent: number; holdSeconds: number }[] };

export interface ParseStrategyOptions {
  /** Allow a total shift time over 48 h (CodeDeploy's limit). */
  allowLong?: boolean;
}
