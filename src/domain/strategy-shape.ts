/** The parsed form of a strategy (strategy.ts parses it, plan.ts times it). */
export type Strategy =
  | { kind: 'canary'; name: string; percent: number; intervalSeconds: number }
  | { kind: 'linear'; name: string; percent: number; intervalSeconds: number }
  | { kind: 'all-at-once'; name: string }
  | { kind: 'steps'; name: string; steps: { percent: number; holdSeconds: number }[] };
